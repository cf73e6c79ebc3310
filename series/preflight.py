"""Preflight: what a series needs before any scene starts.

LaTeX, dvisvgm and fonts (:func:`problems`), a readable ``manim.cfg``
(:func:`config_problems`) and a writable build directory
(:func:`output_problems`): checked once, before any worker starts, each
problem one message.
"""

from __future__ import annotations

import configparser
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

LATEX_PACKAGES = "texlive-latex-base texlive-latex-extra dvisvgm"


def problems(fonts: Sequence[str] = (), latex: bool = False, font_package: str = "") -> list[str]:
    """Return a message for each missing requirement (an empty list when all is there).

    Parameters
    ----------
    fonts : sequence of str
        Font family names the scenes pin (manim falls back silently to another
        font, drawing empty boxes for glyphs it lacks).
    latex : bool
        Whether scenes use MathTex/Tex (needs ``latex`` and ``dvisvgm``).
    font_package : str
        The package that installs the fonts, for the message.
    """
    found = []
    if latex:
        missing = [tool for tool in ("latex", "dvisvgm") if shutil.which(tool) is None]
        if missing:
            found.append(
                f"{' and '.join(missing)} not found (MathTex needs them); "
                f"install: apt-get install {LATEX_PACKAGES}"
            )
    if fonts:
        import manimpango

        installed = set(manimpango.list_fonts())
        absent = [f for f in fonts if f not in installed]
        if absent:
            hint = f"apt-get install {font_package}" if font_package else "install them"
            found.append(f"font(s) {', '.join(absent)} not installed; {hint}")
    return found


MANIM_QUALITIES = (
    "fourk_quality",
    "production_quality",
    "high_quality",
    "medium_quality",
    "low_quality",
    "example_quality",
)
"""The ``quality`` values manim 0.22 accepts in ``manim.cfg`` (``manim.constants.QUALITIES``),
besides their flags ``k p h m l``."""


def _key_line(lines: list[str], key: str) -> int:
    """Return the 1-based line of ``key = ...`` in a config file's lines (0 when absent)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*[=:]", re.IGNORECASE)
    return next((i for i, ln in enumerate(lines, 1) if pattern.match(ln)), 0)


def config_problems(folder: Path) -> list[str]:
    """Return what is wrong with ``folder/manim.cfg`` (each message names the file, line and key).

    manim reads ``manim.cfg`` from the workers' working directory when it is
    imported; a mistake there would fail every scene with a ``KeyError`` or
    ``MissingSectionHeaderError`` that never names the file. Checked: the file
    parses (a section header first), ``quality`` is one manim knows, and
    manim's own reading of every key of ``[CLI]``.

    Parameters
    ----------
    folder : Path
        The workers' working directory (the project root). No ``manim.cfg``: no problem.
    """
    path = folder / "manim.cfg"
    if not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [f"{path}: cannot read it ({exc})"]
    lines = text.splitlines()
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text, source=str(path))
    except configparser.MissingSectionHeaderError as exc:
        return [
            f"{path}:{exc.lineno}: key {exc.line.strip()!r} before any section header; "
            "put [CLI] on the first line"
        ]
    except configparser.Error as exc:
        line = getattr(exc, "lineno", 0)
        return [f"{path}:{line}: {exc.message.splitlines()[0]}"]
    if not parser.has_section("CLI"):
        return []
    cli = parser["CLI"]
    quality = cli.get("quality", fallback="", raw=True).strip()
    flags = {"k", "p", "h", "m", "l"}
    if quality and quality not in MANIM_QUALITIES and quality not in flags:
        return [
            f"{path}:{_key_line(lines, 'quality')}: key 'quality' is {quality!r}; "
            f"expected one of {', '.join(MANIM_QUALITIES)} (or k p h m l)"
        ]
    return _manim_reads(path, parser, lines)


def _manim_reads(path: Path, parser: configparser.ConfigParser, lines: list[str]) -> list[str]:
    """Let manim read the file's ``[CLI]`` keys one by one; name the first it rejects."""
    try:
        import manim._config as manim_config
        from manim._config.utils import ManimConfig
    except ImportError:  # manim absent: the workers will say so
        return []
    # manim's library-wide defaults only (make_config_parser would read this very file too).
    defaults = (Path(manim_config.__file__).parent / "default.cfg").read_text(encoding="utf-8")
    for key in parser["CLI"]:
        trial = configparser.ConfigParser()
        trial.read_string(defaults)
        trial.read_string(f"[CLI]\n{key} = {parser['CLI'].get(key, raw=True)}\n")
        try:
            ManimConfig().digest_parser(trial)
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            reason = exc.args[0] if exc.args else type(exc).__name__
            return [f"{path}:{_key_line(lines, key)}: key {key!r}: {reason}"]
    return []


def output_problems(folder: Path) -> list[str]:
    """Return a message when ``folder`` (the build directory) cannot be created or written.

    Checked by creating it and a file in it before any worker starts.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return [f"--out {folder}: cannot write there ({reason})"]
    return []


def _scene_classes(refs: Sequence, root: Path) -> list[tuple[str, type]]:
    """Import each scene class of ``refs`` as the worker does (not constructed)."""
    from .worker import RenderRequest, import_scene

    return [
        (
            ref.class_name,
            import_scene(
                RenderRequest(
                    ref.module, ref.class_name, 0, 0, 0, "", sys_path=str(root), path=ref.path
                )
            ),
        )
        for ref in refs
    ]


def narration_lines(refs: Sequence, root: Path, lang: str = "en") -> list[tuple[str, str, str]]:
    """Return every ``(scene class, beat, line)`` of ``refs``, in order, as said in ``lang``.

    Each scene class is imported (as the worker does), not constructed; its
    ``script()`` classmethod, if it has one (``scenes.lecture.LectureScene``),
    gives the lines translated and filled in under language ``lang``;
    otherwise its ``narration`` mapping (beat to line) is read as it is. A
    scene with neither has no lines.
    """
    from .i18n import use_language

    found = []
    with use_language(lang, root / "assets" / "locale"):
        for name, cls in _scene_classes(refs, root):
            script = getattr(cls, "script", None)
            lines = script() if callable(script) else getattr(cls, "narration", {}) or {}
            found += [(name, beat, line) for beat, line in lines.items()]
    return found


def narration_messages(refs: Sequence, root: Path) -> list[str]:
    """Return the narration lines of ``refs`` as written: what a translation must cover.

    A teacher's scene may write its lines as plain strings (not marked with
    ``N_``); they are still said through the catalog, so a build in another
    language needs them too. In order, each once.
    """
    found = [
        line
        for _, cls in _scene_classes(refs, root)
        for line in (getattr(cls, "narration", {}) or {}).values()
    ]
    return list(dict.fromkeys(found))


def missing_recordings(refs: Sequence, root: Path, lang: str = "en") -> list[str]:
    """Return one message listing every beat of ``refs`` without a take (empty: all recorded).

    A take is ``<root>/assets/voice/<lang>/<Scene>/<beat>.wav`` or ``.flac``
    (:class:`series.speech.Recorded`); the lines come from
    :func:`narration_lines`, as said in ``lang``. The message lists each
    missing file with the line to record, and how to get the whole script.
    """
    from .speech import Recorded, SpeechCache

    voice = Recorded(SpeechCache(root / ".unused"), root, lang)
    missing = [
        f"    {(voice.folder / scene / f'{beat}.wav').relative_to(root)}: {line!r}"
        for scene, beat, line in narration_lines(refs, root, lang)
        if voice.recording(scene, beat) is None
    ]
    if not missing:
        return []
    return [
        f"--voice recorded: {len(missing)} take(s) missing (record them, or list them all with "
        f"`render.py script EPISODE --lang {lang}`):\n" + "\n".join(missing)
    ]
