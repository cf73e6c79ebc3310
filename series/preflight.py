"""Preflight: what a series needs before any scene starts.

LaTeX, dvisvgm and fonts (:func:`problems`), a readable ``manim.cfg``
(:func:`config_problems`) and a writable build directory
(:func:`output_problems`): checked once, before any worker starts, each
problem one message.
"""

from __future__ import annotations

import ast
import configparser
import difflib
import functools
import inspect
import re
import shutil
import tempfile
import textwrap
from collections.abc import Mapping, Sequence
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


def narration_lines(
    refs: Sequence, root: Path, lang: str = "en", classes: Sequence[type] | None = None
) -> list[tuple[str, str, str]]:
    """Return every ``(scene class, beat, line)`` of ``refs``, in order, as said in ``lang``.

    Each scene class is imported (as the worker does; or given, ``classes``,
    one per ref), not constructed; its ``script()`` classmethod, if it has one
    (``scenes.lecture.LectureScene``), gives the lines translated and filled
    in under language ``lang``; otherwise its ``narration`` mapping (beat to
    line) is read as it is. A scene with neither has no lines.
    """
    from .i18n import use_language

    classes = scene_classes(refs, root) if classes is None else classes
    found = []
    with use_language(lang, root / "assets" / "locale"):
        for ref, cls in zip(refs, classes, strict=True):
            script = getattr(cls, "script", None)
            lines = script() if callable(script) else getattr(cls, "narration", {}) or {}
            found += [(ref.class_name, beat, line) for beat, line in lines.items()]
    return found


def narration_messages(refs: Sequence, root: Path) -> list[str]:
    """Return the narration lines of ``refs`` as written: what a translation must cover.

    A teacher's scene may write its lines as plain strings (not marked with
    ``N_``); they are still said through the catalog, so a build in another
    language needs them too. In order, each once.
    """
    found = [
        line
        for cls in scene_classes(refs, root)
        for line in (getattr(cls, "narration", {}) or {}).values()
    ]
    return list(dict.fromkeys(found))


def missing_recordings(
    refs: Sequence, root: Path, lang: str = "en", classes: Sequence[type] | None = None
) -> list[str]:
    """Return one message listing every beat of ``refs`` without a usable take (empty: all fine).

    A take is ``<root>/assets/voice/<lang>/<Scene>/<beat>.wav`` or ``.flac``
    (:class:`series.speech.Recorded`); the lines come from
    :func:`narration_lines`, as said in ``lang``. The message lists each missing file with the
    line to record (and a file of the scene's folder probably meant for it:
    ``Sweep.wav``, ``sweep.mp3``), each take that is empty or not decodable
    (:func:`take_problem`), and how to get the whole script.
    """
    from .speech import RECORDING_SUFFIXES, Recorded, SpeechCache

    voice = Recorded(SpeechCache(root / ".unused"), root, lang)
    missing, broken = [], []
    for scene, beat, line in narration_lines(refs, root, lang, classes):
        take = voice.recording(scene, beat)
        if take is not None:
            reason = take_problem(take)
            if reason:
                broken.append(f"    {take.relative_to(root)}: {reason}; record {line!r} again")
            continue
        entry = f"    {(voice.folder / scene / f'{beat}.wav').relative_to(root)}: {line!r}"
        near = _near_misses(voice.folder / scene, beat, RECORDING_SUFFIXES)
        if near:
            names = " or ".join(p.name for p in near)
            entry += f" (did you mean {names}? name it {beat}.wav or {beat}.flac, exactly)"
        missing.append(entry)
    found = []
    if missing:
        found.append(
            f"--voice recorded: {len(missing)} take(s) missing (record them, or list them all with "
            f"`render.py script EPISODE --lang {lang}`):\n" + "\n".join(missing)
        )
    if broken:
        found.append(f"--voice recorded: {len(broken)} take(s) unusable:\n" + "\n".join(broken))
    return found


# --------------------------------------------------------------------------- narration keys

BEAT_CALLS = ("narrating", "narrate")
"""The scene methods whose first argument is a narration key (``scenes.lecture.LectureScene``)."""


@functools.lru_cache(maxsize=256)
def _module_tree(file: str, stamp: tuple[int, int]) -> ast.Module:
    """Parse a source file once per version (``stamp``: modification time and size)."""
    return ast.parse(Path(file).read_text(encoding="utf-8"), filename=file)


def _class_node(cls: type) -> tuple[str, int, ast.ClassDef] | None:
    """Return ``(file, line offset, ClassDef)`` of ``cls`` from its source; None without source.

    Found by qualified name in the module's parsed file (once per file); a
    class local to a function is read with :func:`inspect.getsourcelines`.
    """
    try:
        file = inspect.getsourcefile(cls) or ""
        if "<locals>" not in cls.__qualname__ and file:
            st = Path(file).stat()
            body: list[ast.stmt] = _module_tree(file, (st.st_mtime_ns, st.st_size)).body
            node = None
            for part in cls.__qualname__.split("."):
                node = next(
                    (n for n in body if isinstance(n, ast.ClassDef) and n.name == part), None
                )
                if node is None:
                    break
                body = node.body
            if node is not None:
                return file, 0, node
        lines, start = inspect.getsourcelines(cls)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError, UnicodeDecodeError):
        return None
    node = next((n for n in tree.body if isinstance(n, ast.ClassDef)), None)
    return None if node is None else (file, start - 1, node)


def used_beats(scene_class: type) -> dict[str, str]:
    """Return each narration key ``scene_class`` uses, with where: ``{key: "file:line in Class.method"}``.

    Found statically: the string literals passed to ``self.narrating("...")``
    and ``self.narrate("...")`` in the methods the class runs, i.e. those
    reachable from ``setup`` and ``construct`` by ``self.name`` and
    ``super().name``, each resolved along the MRO as Python would (a method
    a subclass overrides does not count). Classes without source (manim's
    ``Scene`` is read too, but has no such calls) are skipped.
    """
    mro = [c for c in scene_class.__mro__ if c is not object]
    parsed = {c: _class_node(c) for c in mro if not c.__module__.startswith("manim")}
    methods: dict[tuple[type, str], tuple[str, int, ast.FunctionDef]] = {}
    for cls, source in parsed.items():
        if source is None:
            continue
        file, offset, node = source
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                methods[(cls, item.name)] = (file, offset, item)

    def resolve(name: str, after: int = -1):
        for i, cls in enumerate(mro):
            if i > after and name in vars(cls):
                return i, methods.get((cls, name))
        return None

    seen: set[tuple[int, str]] = set()
    stack = [
        (hit[0], name)
        for name in ("setup", "construct")
        if (hit := resolve(name)) is not None and hit[1] is not None
    ]
    found: dict[str, str] = {}
    while stack:
        index, name = stack.pop()
        if (index, name) in seen:
            continue
        seen.add((index, name))
        file, offset, method = methods[(mro[index], name)]
        for node in ast.walk(method):
            if not isinstance(node, ast.Attribute):
                continue
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id == "self":
                target = resolve(node.attr)
            elif (
                isinstance(owner, ast.Call)
                and isinstance(owner.func, ast.Name)
                and owner.func.id == "super"
            ):
                target = resolve(node.attr, after=index)
            else:
                continue
            if target is not None and target[1] is not None:
                stack.append((target[0], node.attr))
        for node in ast.walk(method):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in BEAT_CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "self"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                where = f"{file}:{offset + node.lineno} in {mro[index].__name__}.{name}"
                found.setdefault(node.args[0].value, where)
    return found


def _setting_line(scene_class: type, name: str) -> str:
    """Return ``file:line`` of the class-body assignment of ``name`` that ``scene_class`` uses."""
    for cls in scene_class.__mro__:
        if name not in vars(cls):
            continue
        source = _class_node(cls)
        if source is None:
            return ""
        file, offset, node = source
        for item in node.body:
            targets = getattr(item, "targets", None) or [getattr(item, "target", None)]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return f"{file}:{offset + item.lineno}"
        return f"{file}:{offset + node.lineno}"
    return ""


def narration_problems(scene_classes: Sequence[type], root: Path | None = None) -> list[str]:
    """Return one message per scene class whose code uses a narration key its ``narration`` lacks.

    The message names the line that set ``narration`` (a teacher's subclass
    that overrides it without a beat the parent's ``construct`` narrates),
    each missing key and where it is used (:func:`used_beats`), and the keys
    there are. Paths under ``root`` are shown relative to it.
    """
    found = []
    for cls in scene_classes:
        narration = getattr(cls, "narration", None)
        if not isinstance(narration, Mapping):
            continue
        missing = {k: w for k, w in used_beats(cls).items() if k not in narration}
        if not missing:
            continue
        where = _relative(_setting_line(cls, "narration"), root)
        uses = "; ".join(f"{k!r} (used at {_relative(w, root)})" for k, w in missing.items())
        found.append(
            f"{where}: {cls.__name__}'s narration has no line for {uses}; "
            f"it has {', '.join(map(repr, narration)) or 'none'}: add the missing key(s)"
        )
    return found


def _relative(location: str, root: Path | None) -> str:
    """Return ``location`` (``file:line...``) with ``file`` relative to ``root`` when inside."""
    if root is None or not location:
        return location
    file, sep, rest = location.partition(":")
    path = Path(file)
    if path.is_absolute() and path.resolve().is_relative_to(root.resolve()):
        return f"{path.resolve().relative_to(root.resolve())}{sep}{rest}"
    return location


def scene_class(ref, root: Path) -> type:
    """Import the scene class of ``ref`` as the worker does (a teacher's file from its path).

    Raises
    ------
    Exception
        Whatever importing the scene's module raises (SyntaxError, ImportError, ...).
    """
    from .worker import RenderRequest, import_scene

    request = RenderRequest(
        ref.module, ref.class_name, 0, 0, 0, "", sys_path=str(root), path=ref.path
    )
    return import_scene(request)


def scene_classes(refs: Sequence, root: Path) -> list[type]:
    """Import each scene class of ``refs`` (:func:`scene_class`), in order."""
    return [scene_class(ref, root) for ref in refs]


# --------------------------------------------------------------------------- recorded takes


def take_problem(path: Path) -> str:
    """Return why the take ``path`` cannot be used (empty, not decodable, silent), or ``""``.

    Decoded with PyAV, as the worker will: a take must hold audio lasting more than 0 s.
    """
    import av

    try:
        if path.stat().st_size == 0:
            return "the file is empty (0 bytes)"
        samples = 0
        with av.open(str(path)) as container:
            if not container.streams.audio:
                return "it holds no audio stream"
            for frame in container.decode(audio=0):
                samples += frame.samples
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        return f"it is not audio FFmpeg can decode ({exc})"
    return "" if samples else "FFmpeg decodes no audio from it (0 s)"


def _near_misses(folder: Path, beat: str, suffixes: Sequence[str]) -> list[Path]:
    """Files in ``folder`` probably meant as ``beat``'s take: another case, extension, or a typo."""
    if not folder.is_dir():
        return []
    wanted = {f"{beat}{s}" for s in suffixes}
    others = [p for p in sorted(folder.iterdir()) if p.is_file() and p.name not in wanted]
    stems = [p.stem.lower() for p in others]
    close = set(difflib.get_close_matches(beat.lower(), stems, n=3, cutoff=0.8))
    return [p for p in others if p.stem.lower() == beat.lower() or p.stem.lower() in close]
