"""One content-addressed TeX and Text cache that any number of processes share.

manim 0.22 names a compiled formula by a hash of its full LaTeX source
(``tex_file_writing.tex_hash``) and a Text by a hash of its text and style
(``Text._text2hash``), and keeps the SVGs in ``config.tex_dir`` and
``config.text_dir``. Its writes are not safe to share: LaTeX's auxiliary files
(``.aux``, ``.log``, ``.dvi``) are written beside the cached SVGs and
``delete_nonsvg_files`` then deletes *every* non-SVG file in the folder,
another process' half-compiled formula included; and Pango writes the SVG at
its final name, so a second process may read it half-written, and every Text
then rewrites its entry in place (``PangoUtils.remove_last_M`` truncates and
writes the file again), while another process may be reading it. Reading an
entry writes too: ``SVGMobject.generate_mobject`` dumps a modified copy to
``<entry>_.svg`` beside it, parses it and deletes it, so two processes reading
the same entry delete each other's copy.

:func:`install` replaces both writes while keeping manim's names:

- a formula is compiled in a private temporary folder inside ``tex_dir``
  (LaTeX and dvisvgm as manim runs them, with :func:`series.errors.install_tex_check`'s
  checks) and only its SVG is moved into ``tex_dir`` with :func:`os.replace`;
- a Text's SVG is written to a temporary name beside its final one, given
  ``remove_last_M``'s edit there (manim makes it right after every write), and
  moved into place the same way: an entry is never seen unedited, so a process
  that finds another's entry reads the SVG it would have made itself;
- ``remove_last_M`` writes only when its edit changes the file (an entry from
  elsewhere, edited once), and then to a temporary name moved into place;
- the modified copy of an SVG being read is parsed from memory, never written.

A reader therefore sees an entry whole or not at all, and two processes that
write the same entry write the same bytes: the second replace is harmless.
Entries are never deleted, so the folder can be kept across builds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

_INSTALLED = "_series_shared_cache"


def _move_into_place(source: Path, target: Path) -> Path:
    """Move ``source`` to ``target`` atomically (same file system); return ``target``."""
    os.replace(source, target)
    return target


def tex_to_svg_file(
    expression: str,
    environment: str | None = None,
    tex_template: Any = None,
) -> Path:
    """Return the SVG of ``expression`` from the shared cache, compiling it once.

    Takes manim's ``tex_to_svg_file`` arguments and returns the same path,
    ``<tex_dir>/<tex_hash(LaTeX source)>.svg``.

    Raises
    ------
    ValueError
        If LaTeX or dvisvgm fails (a :class:`series.errors.TexError` once
        :func:`series.errors.install_tex_check` is installed); nothing is
        cached then.
    """
    from manim import config
    from manim.utils import tex_file_writing as tfw

    if tex_template is None:
        tex_template = config["tex_template"]
    if environment is not None:
        source = tex_template.get_texcode_for_expression_in_env(expression, environment)
    else:
        source = tex_template.get_texcode_for_expression(expression)
    shared = config.get_dir("tex_dir")
    shared.mkdir(parents=True, exist_ok=True)
    name = tfw.tex_hash(source)
    svg = shared / f"{name}.svg"
    if svg.exists():
        return svg
    private = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=shared))
    configured = config.tex_dir
    try:
        # manim's compile_tex writes LaTeX's output into config's tex_dir.
        config.tex_dir = str(private)
        tex_file = private / f"{name}.tex"
        tex_file.write_text(source, encoding="utf-8")
        output = tfw.compile_tex(tex_file, tex_template.tex_compiler, tex_template.output_format)
        compiled = tfw.convert_to_svg(output, tex_template.output_format)
        return _move_into_place(compiled, svg)
    finally:
        config.tex_dir = configured
        shutil.rmtree(private, ignore_errors=True)


def _atomic_writer(write, path_index: int):
    """Wrap a Pango ``text2svg`` so that it writes a temporary file and moves it into place."""

    def text2svg(*args: Any, **kwargs: Any) -> str:
        args = list(args)
        final = Path(args[path_index])
        if final.exists():
            return str(final)
        fd, tmp = tempfile.mkstemp(prefix=f".{final.stem}-", suffix=".svg", dir=final.parent)
        os.close(fd)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would keep the entry from other users
        try:
            args[path_index] = tmp
            write(*args, **kwargs)
            content = Path(tmp).read_text()
            edited = _without_last_move(content)
            if edited != content:
                Path(tmp).write_text(edited)
            _move_into_place(Path(tmp), final)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return str(final)

    setattr(text2svg, _INSTALLED, write)
    return text2svg


def _without_last_move(svg: str) -> str:
    """``svg`` with ``PangoUtils.remove_last_M``'s edit: a path's trailing move after its close."""
    import re

    return re.sub(r'Z M [^A-Za-z]*? "\/>', 'Z "/>', svg)


def remove_last_M(file_name: str) -> None:  # noqa: N802 - manimpango's name
    """``PangoUtils.remove_last_M``, atomic: the same edit, written only if it changes the file."""
    path = Path(file_name)
    content = path.read_text()
    edited = _without_last_move(content)
    if edited == content:
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".svg", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(edited)
        os.chmod(tmp, 0o644)
        _move_into_place(Path(tmp), path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def generate_mobject(self):
    """``SVGMobject.generate_mobject`` with the modified copy parsed from memory, never written."""
    import io
    import xml.etree.ElementTree as ET

    import svgelements as se
    from manim.constants import RIGHT

    file_path = self.get_file_path()
    new_tree = self.modify_xml_tree(ET.parse(file_path))
    buffer = io.BytesIO()  # parsed from memory: no file to write, name or remove
    new_tree.write(buffer)
    buffer.seek(0)
    svg = se.SVG.parse(buffer)
    mobjects, mobject_dict = self.get_mobjects_from(svg)
    self.add(*mobjects)
    self.id_to_vgroup_dict = mobject_dict
    self.flip(RIGHT)  # Flip y
    return self


def install() -> None:
    """Make manim's TeX and Text caches safe to share between processes (idempotent).

    Patches ``manim.mobject.text.tex_mobject.tex_to_svg_file`` (and the
    function in ``manim.utils.tex_file_writing``), ``manimpango.text2svg``
    and ``manimpango.MarkupUtils.text2svg``, ``manimpango.PangoUtils.remove_last_M``
    and ``SVGMobject.generate_mobject``.
    """
    import manimpango
    from manim.mobject.svg.svg_mobject import SVGMobject
    from manim.mobject.text import tex_mobject
    from manim.utils import tex_file_writing as tfw

    if not getattr(tex_mobject.tex_to_svg_file, _INSTALLED, False):
        tex_mobject.tex_to_svg_file = tex_to_svg_file
        tfw.tex_to_svg_file = tex_to_svg_file
    if not hasattr(manimpango.text2svg, _INSTALLED):
        # text2svg(settings, size, line_spacing, disable_liga, file_name, ...)
        manimpango.text2svg = _atomic_writer(manimpango.text2svg, 4)
    markup = manimpango.MarkupUtils.text2svg
    if not hasattr(markup, _INSTALLED):
        # MarkupUtils.text2svg(text, font, slant, weight, size, line_spacing, disable_liga, file_name, ...)
        manimpango.MarkupUtils.text2svg = staticmethod(_atomic_writer(markup, 7))
    SVGMobject.generate_mobject = generate_mobject
    manimpango.PangoUtils.remove_last_M = staticmethod(remove_last_M)


setattr(tex_to_svg_file, _INSTALLED, True)
