"""Scene failures a teacher can act on: one place turns any failure into a summary row.

Whatever goes wrong with a scene (its file does not parse, the manifest names a
class the file does not define, ``construct`` raises, LaTeX rejects or silently
"recovers" from a formula, a file is not UTF-8) becomes a :class:`SceneFailure`:
a kind, a short message, the location in the user's own code (``file:line``,
the last traceback frame in the scene's file) and the full text, which the
build keeps in a log file (:meth:`series.tree.BuildTree.log`). The worker
reports a failure as one JSON line (:func:`series.worker.main`); the build
turns it into the summary row.

manim's own warnings (a ``wait`` shorter than a frame, an unknown keyword) are
collected by :func:`collect_warnings` and shown under their scene.
"""

from __future__ import annotations

import ast
import inspect
import json
import logging
import re
import textwrap
import traceback
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

LINE_LIMIT = 400
"""Longest error line the summary shows; the full text is in the scene's log file."""

TEX_ERROR = re.compile(r"^! (.*)$")
TEX_CONTEXT = re.compile(r"^l\.(\d+) ?(.*)$")


def cut(text: str, limit: int = LINE_LIMIT) -> str:
    r"""Return ``text`` on one line, at most ``limit`` characters (an ellipsis marks a cut).

    Examples
    --------
    >>> cut("a\nb")
    'a b'
    >>> len(cut("x" * 3000))
    400
    """
    one = " ".join(str(text).split())
    return one if len(one) <= limit else one[: limit - 1] + "…"


@dataclass(frozen=True)
class SceneFailure:
    """Why a scene did not render.

    Attributes
    ----------
    kind : str
        ``SyntaxError``, ``missing class``, ``LaTeX error``, or the exception's type name.
    message : str
        What went wrong, one line (not yet cut).
    location : str
        ``file:line`` in the user's code, or empty when unknown.
    detail : str
        The full text: traceback, LaTeX's log lines, the offending TeX string.
    warnings : tuple of str
        manim's warnings logged before the failure.
    """

    kind: str
    message: str
    location: str = ""
    detail: str = ""
    warnings: tuple[str, ...] = field(default=())

    def summary(self, limit: int = LINE_LIMIT) -> str:
        """Return the summary row's text: kind, message and location, cut to ``limit``."""
        where = f" ({self.location})" if self.location else ""
        return cut(short_reprs(f"{self.kind}: {self.message}"), limit - len(where)) + where

    def relative_to(self, root: Path) -> SceneFailure:
        """Return this failure with its location relative to ``root`` when it lies inside."""
        path, sep, line = self.location.rpartition(":")
        if not (sep and line.isdigit()):
            path, line = self.location, ""
        if not path or not Path(path).is_absolute() or not Path(path).is_relative_to(root):
            return self
        inside = str(Path(path).relative_to(root))
        return replace(self, location=f"{inside}:{line}" if line else inside)

    def to_json(self) -> str:
        """Serialise as one JSON line (``{"failure": ...}``)."""
        return json.dumps({"failure": asdict(self)})

    @classmethod
    def from_json(cls, text: str) -> SceneFailure | None:
        """Read back what :meth:`to_json` wrote; None when ``text`` is something else."""
        try:
            fields = json.loads(text)["failure"]
            fields["warnings"] = tuple(fields.get("warnings", ()))
            return cls(**fields)
        except (ValueError, KeyError, TypeError):
            return None


class SceneError(RuntimeError):
    """A scene failed; ``args[0]`` is the summary text, :attr:`failure` the whole story."""

    def __init__(self, failure: SceneFailure) -> None:
        super().__init__(failure.summary())
        self.failure = failure

    def __reduce__(self):  # picklable across Dask
        return (SceneError, (self.failure,))


class TexError(ValueError):
    """LaTeX reported an error (also one it recovered from, like ``Missing } inserted``).

    Attributes
    ----------
    errors : list of str
        LaTeX's ``!`` lines with their ``l.N`` context.
    expression : str
        The TeX string that was compiled.
    log : str
        LaTeX's whole log.
    """

    def __init__(self, errors: list[str], expression: str, log: str) -> None:
        super().__init__(f"{errors[0]} in `{expression}`")
        self.errors, self.expression, self.log = errors, expression, log


def tex_errors(log: str) -> list[str]:
    r"""Return LaTeX's error lines in ``log``, each with its ``l.N`` context line.

    Examples
    --------
    >>> tex_errors("x\n! Undefined control sequence.\n<recently read> \\slope\n\nl.5 \\slope\n")
    ['! Undefined control sequence. (l.5 \\slope)']
    """
    lines = log.splitlines()
    found = []
    for i, line in enumerate(lines):
        if TEX_ERROR.match(line):
            context = next(
                (ln for ln in lines[i + 1 : i + 12] if TEX_CONTEXT.match(ln)), ""
            ).strip()
            found.append(f"{line.strip()} ({context})" if context else line.strip())
    return found


MARKED = re.compile(
    r"\\special\{dvisvgm:raw <g id='[^']*'>\}(.*?)\\special\{dvisvgm:raw </g>\}", re.S
)


def brace_depth(tex: str) -> int:
    r"""Return the depth of ``{`` left open at the end of ``tex`` (negative: too many ``}``).

    Escaped braces (``\{``, ``\}``) and comments do not count.

    Examples
    --------
    >>> brace_depth(r"rac{1}{2")
    1
    >>> brace_depth(r"\{x\} + {y}")
    0
    """
    depth, i = 0, 0
    while i < len(tex):
        c = tex[i]
        if c == "\\":
            i += 2
            continue
        if c == "%":
            newline = tex.find("\n", i)
            i = len(tex) if newline < 0 else newline
            continue
        depth += {"{": 1, "}": -1}.get(c, 0)
        i += 1
    return depth


def unbalanced(tex_source: str) -> str:
    r"""Return a MathTex/Tex expression whose braces do not balance, or ``""``.

    manim wraps each part of the expression in dvisvgm markers and closes (or
    drops) unbalanced braces outside them, so LaTeX never says ``Missing }
    inserted`` and a wrong formula renders as a success. The parts together
    (a part may open a brace that a later one closes) must balance.

    Examples
    --------
    >>> mark = "\\special{{dvisvgm:raw <g id='u{}'>}}{}\\special{{dvisvgm:raw </g>}}"
    >>> unbalanced(mark.format(0, r"\frac{1}{2") + "}")
    '\\frac{1}{2'
    >>> unbalanced(mark.format(0, r"\frac{") + mark.format(1, "1") + mark.format(2, "}{2}"))
    ''
    """
    whole = "".join(MARKED.findall(tex_source))
    return whole if brace_depth(whole) != 0 else ""


def _body(tex_file: Path) -> str:
    """Return the expression of manim's generated TeX file (between the document markers)."""
    try:
        text = tex_file.read_text(encoding="utf-8")
    except OSError:
        return ""
    inside = text.split("\\begin{document}", 1)[-1].split("\\end{document}", 1)[0]
    # manim wraps each part of a MathTex in dvisvgm markers, the whole in an environment.
    inside = re.sub(r"\\special\{dvisvgm:raw [^}]*\}", "", inside).strip()
    lines = inside.splitlines()
    if len(lines) >= 2 and lines[0].startswith("\\begin{") and lines[-1].startswith("\\end{"):
        lines = lines[1:-1]
    return "\n".join(lines).strip()


def install_tex_check() -> None:
    """Make manim's LaTeX compiles raise :class:`TexError` on any error in LaTeX's log.

    manim runs LaTeX in batch mode: it raises only when LaTeX exits non-zero
    (with "see log output above", while the log is then deleted), and caches
    the SVG of a formula LaTeX silently repaired. Here every ``!`` line of the
    log fails the compile, the log is read before manim deletes it, and the
    broken output is removed so the TeX cache never keeps it.
    """
    from manim.utils import tex_file_writing as tfw

    original = tfw.compile_tex
    if getattr(original, "_series_checked", False):
        return

    def compile_tex(tex_file: Path, tex_compiler, output_format: str) -> Path:
        tex_file = Path(tex_file)
        log_file = tex_file.with_suffix(".log")
        try:
            result = original(tex_file, tex_compiler, output_format)
            failed = False
        except ValueError:
            result, failed = None, True
        log = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
        errors = tex_errors(log)
        source = tex_file.read_text(encoding="utf-8", errors="replace") if tex_file.exists() else ""
        broken = unbalanced(source)
        if broken and not errors:
            errors = [
                "! Missing } inserted. (unbalanced braces, closed silently by manim)"
                if brace_depth(broken) > 0
                else "! Extra }, or forgotten {. (unbalanced braces, dropped silently by manim)"
            ]
            log = f"unbalanced braces in: {broken}\n\n{log}"
        if failed and not errors:
            errors = [f"! LaTeX failed without an error line (log: {log_file})"]
        if errors:
            for path in (tex_file.with_suffix(output_format), tex_file.with_suffix(".svg")):
                path.unlink(missing_ok=True)
            raise TexError(errors, broken or _body(tex_file), log)
        return result

    compile_tex._series_checked = True  # type: ignore[attr-defined]
    tfw.compile_tex = compile_tex


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = cut(record.getMessage(), 300)
        if message not in self.messages:
            self.messages.append(message)


def collect_warnings() -> list[str]:
    """Start collecting manim's warnings (and worse); return the list they are appended to."""
    collector = _Collector()
    logging.getLogger("manim").addHandler(collector)
    return collector.messages


def _library(filename: str) -> bool:
    """Whether ``filename`` belongs to Python, an installed package or this machinery."""
    import sysconfig

    ours = str(Path(__file__).resolve().parent)
    roots = {sysconfig.get_path(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    path = str(Path(filename).resolve()) if not filename.startswith("<") else filename
    return filename.startswith("<") or any(path.startswith(r) for r in roots | {ours} if r)


def _in_file(location: str, path: Path) -> bool:
    """Whether ``location`` (``file:line``) lies in ``path``."""
    file = location.rpartition(":")[0] or location
    try:
        return bool(file) and Path(file).resolve() == path.resolve()
    except OSError:
        return False


def _user_frame(tb, scene_path: Path | None) -> str:
    """Return ``file:line`` of the last traceback frame in ``scene_path`` (else in no library)."""
    frames = traceback.extract_tb(tb)
    if scene_path is not None:
        own = [f for f in frames if Path(f.filename).resolve() == scene_path.resolve()]
        if own:
            return f"{own[-1].filename}:{own[-1].lineno}"
    outside = [f for f in frames if not _library(f.filename)]
    if outside:
        return f"{outside[-1].filename}:{outside[-1].lineno}"
    return ""


_REPR_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")
_LONG_REPR = 80
"""A bracketed repr longer than this is cut in the summary row (the log keeps it whole)."""


def short_reprs(text: str, limit: int = _LONG_REPR) -> str:
    """Return ``text`` with memory addresses dropped and every bracketed repr over ``limit`` cut.

    The summary row keeps a message's words (what was expected, what to set)
    whole; only values' reprs (an array, a scene object) are shortened.

    Examples
    --------
    >>> short_reprs("f (<bound method f of <m.S object at 0x7f3a>>) must accept")
    'f (<bound method f of <m.S object>>) must accept'
    >>> short_reprs("got [" + "1, " * 50 + "2]", limit=20)
    'got [1, 1, 1, 1, 1, 1,…]'
    """
    text = _REPR_ADDRESS.sub(">", " ".join(str(text).split()))
    pairs = {"(": ")", "[": "]", "{": "}", "<": ">"}
    out, i = [], 0
    while i < len(text):
        c = text[i]
        if c in pairs:
            depth, j = 0, i
            while j < len(text):
                depth += (text[j] == c) - (text[j] == pairs[c])
                if depth == 0:
                    break
                j += 1
            if depth == 0 and j - i + 1 > limit:
                out.append(text[i : i + limit - 2] + "…" + pairs[c])
                i = j + 1
                continue
        out.append(c)
        i += 1
    return "".join(out)


_NOT_NAMES = frozenset({"staticmethod", "classmethod", "np", "numpy", "math", "N_", "_"})


def _words(message: str, word: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(word)}(?!\w)", message) is not None


def _setting_score(name: str, value, message: str) -> int:
    """How surely the class-body assignment ``name = value`` is what ``message`` is about."""
    if re.search(rf"(?<![\w.]){re.escape(name)}\s*=(?!=)", message) or any(
        f"{q}{name}{q}" in message for q in "'`\""
    ):
        return 3
    if len(name) >= 3 and _words(message, name):
        return 2
    for node in ast.walk(value) if value is not None else ():
        if isinstance(node, ast.Lambda) and "<lambda>" in message:
            return 2
        text = node.value if isinstance(node, ast.Constant) else None
        if isinstance(text, str) and len(text.strip()) >= 3 and text.strip() in message:
            return 2  # a TeX string, a narration line the message quotes
        word = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
        if isinstance(word, str) and len(word) >= 3 and word not in _NOT_NAMES:
            if _words(message, word):
                return 2
    return 0


def _class_source(cls: type, path: Path):
    """Return ``(first line, ast.ClassDef)`` of ``cls`` when it is defined in ``path``; else None."""
    try:
        source = inspect.getsourcefile(cls)
        if source is None or Path(source).resolve() != path.resolve():
            return None
        lines, start = inspect.getsourcelines(cls)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError):
        return None
    node = next((n for n in tree.body if isinstance(n, ast.ClassDef)), None)
    return None if node is None else (start, node)


def setting_location(scene_class: type, message: str, scene_path: Path) -> str:
    """Return ``file:line`` in ``scene_path`` of the class attribute ``message`` is about.

    A teacher's scene (``class Mine(SecantBecomesTangent): a = 5.0``) fails
    in the project's code, with no traceback frame in the teacher's file. The
    line that set the bad value is the assignment in the class body (of
    ``scene_class`` or a parent defined in the same file) whose name or value
    the message names (``a=5.0``, ``'sweep'`` of ``narration``, the
    function ``wiggle``); failing that, the class definition line. Empty when
    ``scene_class`` is not defined in ``scene_path``.
    """
    best, found = (0, ""), []
    for cls in scene_class.__mro__:
        source = _class_source(cls, scene_path)
        if source is None:
            continue
        start, node = source
        found.append(f"{scene_path}:{start + node.lineno - 1}")
        for statement in node.body:
            targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                score = _setting_score(target.id, statement.value, message)
                if score > best[0]:
                    best = (score, f"{scene_path}:{start + statement.lineno - 1}")
    return best[1] or (found[0] if found else "")


def _scene_class_in(tb, scene_path: Path | None) -> type | None:
    """Return the class of the scene (``self`` or ``cls`` of a frame) defined in ``scene_path``."""
    if scene_path is None:
        return None
    for frame, _line in traceback.walk_tb(tb):
        for key in ("self", "cls"):
            owner = frame.f_locals.get(key)
            cls = owner if isinstance(owner, type) else type(owner) if owner is not None else None
            if cls is not None and any(_class_source(c, scene_path) for c in cls.__mro__[:-1]):
                return cls
    return None


def failure_from_exception(
    exc: BaseException, scene_path: Path | None = None, warnings: list[str] | None = None
) -> SceneFailure:
    """Return the :class:`SceneFailure` of ``exc``, located in ``scene_path`` where possible.

    Parameters
    ----------
    exc : BaseException
        What the scene (or reading its file) raised.
    scene_path : Path, optional
        The scene's own file: the location is the last traceback frame in it.
    warnings : list of str, optional
        manim's warnings logged before the failure.
    """
    full = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    location = _user_frame(exc.__traceback__, scene_path)
    if scene_path is not None and not _in_file(location, scene_path):
        # No frame in the scene's own file (a teacher's subclass setting a value
        # the project's code rejects): the class attribute that set it.
        scene_class = _scene_class_in(exc.__traceback__, scene_path)
        if scene_class is not None:
            location = setting_location(scene_class, str(exc), scene_path) or location
    found = tuple(warnings or ())
    if isinstance(exc, SyntaxError):
        where = f"{exc.filename}:{exc.lineno}" if exc.filename else location
        text = (exc.text or "").strip()
        message = f"{exc.msg}" + (f": {text}" if text else "")
        return SceneFailure(type(exc).__name__, message, where, full, found)
    if isinstance(exc, UnicodeDecodeError):
        message = f"{exc.reason} at byte {exc.start} (the file is not UTF-8)"
        where = location or (str(scene_path) if scene_path is not None else "")
        return SceneFailure("encoding error", message, where, full, found)
    if isinstance(exc, TexError):
        # manim logs the same LaTeX error as warnings: the row says it once.
        found = tuple(w for w in found if not w.startswith(("LaTeX compilation error", "Context")))
        message = f"{' | '.join(exc.errors[:2])} in `{exc.expression}`"
        detail = f"{full}\nTeX string:\n{exc.expression}\n\nLaTeX log:\n{exc.log}"
        return SceneFailure("LaTeX error", message, location, detail, found)
    if isinstance(exc, MissingClassError):
        return SceneFailure("missing class", str(exc), exc.location, full, found)
    message = str(exc) or type(exc).__name__
    return SceneFailure(type(exc).__name__, message, location, full, found)


class MissingClassError(LookupError):
    """A module does not define the class the manifest names (the message lists close names)."""

    def __init__(self, message: str, location: str = "") -> None:
        super().__init__(message)
        self.location = location
