"""Content keys: a scene whose inputs have not changed is not rendered again.

A scene's key hashes everything its video depends on: the source of its module
and of every project module that module imports (followed transitively, by
reading ``import`` statements, without importing anything), the project's
``assets/`` files, the scene's class name, the render settings (quality, frame
rate and the encoder options beyond manim's defaults), the voice (its name and
service version; for ``recorded`` the hashes of the scene's own takes, which are
left out of the ``assets/`` files) and the manim version.
In a language other than English, the language and the translation of every
string the scene's sources mark for translation count too (the catalogs under
``assets/locale`` do not count as files: editing one Japanese line re-renders
only the scenes that show or speak it). The key is recorded beside the published clip together with the
clip's own hash, written last and atomically, so an interrupted render never
leaves a record that matches, and a damaged clip is detected and rebuilt.
"""

from __future__ import annotations

import ast
import difflib
import functools
import hashlib
import json
from importlib import metadata
from pathlib import Path

from .errors import MissingClassError
from .files import atomic_path
from .manifest import SceneRef
from .settings import RenderSettings
from .tree import BuildTree

Roots = Path | tuple[Path, ...]
"""One import root, or several searched in order (the project, then an outside file's folder)."""


def module_file(root: Roots, module: str) -> Path | None:
    """Return the source file of dotted ``module`` under ``root`` (searched in order), or None.

    ``a/b.py`` or ``a/b/__init__.py``: the lookup the content key and the
    benchmark's edit share.
    """
    for folder in (root,) if isinstance(root, Path) else root:
        base = folder.joinpath(*module.split("."))
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def scene_file(root: Path, ref: SceneRef) -> Path | None:
    """Return the source file of ``ref``'s module (its own file when it lies outside ``root``)."""
    return Path(ref.path) if ref.path else module_file(root, ref.module)


@functools.lru_cache(maxsize=1024)
def _parse(path: Path, stamp: tuple[int, int]) -> ast.Module:
    """Parse a source file once per version (``stamp``: modification time and size)."""
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _tree(path: Path) -> ast.Module:
    st = path.stat()
    return _parse(path, (st.st_mtime_ns, st.st_size))


def _import_nodes(path: Path, module: str) -> list[tuple[str, list[str]]]:
    """Return ``(module, names)`` per import in ``path``; names empty for ``import m``."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[str, list[str]]] = []
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.append((target, [alias.name for alias in node.names]))
    return found


def _provider(root: Roots, package: str, name: str) -> str:
    """Return the module that defines ``name`` for ``from package import name``.

    A submodule of that name, or the submodule a package's ``__init__``
    re-exports it from; else the package itself.
    """
    if module_file(root, f"{package}.{name}") is not None:
        return f"{package}.{name}"
    init = module_file(root, package)
    if init is not None and init.name == "__init__.py":
        for source, names in _import_nodes(init, package):
            if name in names and source.startswith(package + ".") and module_file(root, source):
                return source
    return package


def source_files(root: Path, module: str, path: Path | None = None) -> list[Path]:
    """Project files that ``module`` depends on: itself, what it imports, their packages.

    Only files under ``root`` count; third-party imports are covered by the
    manim version in the key. ``from pkg import name`` follows the module that
    defines ``name`` (a package's ``__init__`` re-export is traced to its
    submodule), so a scene does not depend on every component a package
    re-exports. The ``__init__.py`` of a package passed through counts as a
    file but is not followed (``scenes/__init__.py`` importing the manifest
    does not make every manifest edit re-render every scene).

    ``path`` is the module's own file when it lies outside ``root`` (a
    teacher's file): it counts, and so do the modules it imports from the
    project and from its own folder (searched after the project, as the
    worker's import path does).
    """
    roots: Roots = root if path is None else (root, path.parent)
    files: set[Path] = set()
    followed: set[str] = set()
    stack = [module]
    while stack:
        name = stack.pop()
        if name in followed:
            continue
        followed.add(name)
        parts = name.split(".")
        for i in range(1, len(parts)):
            parent = module_file(roots, ".".join(parts[:i]))
            if parent is not None:
                files.add(parent)
        found = path if path is not None and name == module else module_file(roots, name)
        if found is None:
            continue
        files.add(found)
        for target, names in _import_nodes(found, name):
            if not names or "*" in names:
                stack.append(target)
                continue
            init = module_file(roots, target)
            if init is not None:
                files.add(init)
            stack.extend(_provider(roots, target, n) for n in names)
    return sorted(files)


def scene_source(path: Path, class_name: str) -> str:
    """Return the part of a scene's module that its class depends on.

    Everything at the module's top level except the other classes, plus the
    class itself and every class of the module it names (its bases, classes it
    uses), followed transitively. Editing one scene class of a module thus
    changes only that scene's key; editing a helper function changes them all.

    Raises
    ------
    MissingClassError
        If the module has no class ``class_name`` (a LookupError naming the
        file and the closest class names).
    """
    return "\n".join(ast.dump(n, include_attributes=False) for n in _scene_nodes(path, class_name))


def _scene_nodes(path: Path, class_name: str) -> list[ast.stmt]:
    """Return the top-level statements of ``path`` that class ``class_name`` depends on."""
    tree = _tree(path)
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    if class_name not in classes:
        close = difflib.get_close_matches(class_name, list(classes), n=3, cutoff=0.5)
        hint = (
            f"; closest: {', '.join(close)}"
            if close
            else f"; it defines {', '.join(classes) or 'no class'}"
        )
        raise MissingClassError(f"{path.name} defines no class {class_name!r}{hint}", str(path))
    wanted, stack = set(), [class_name]
    while stack:
        name = stack.pop()
        if name in wanted:
            continue
        wanted.add(name)
        for node in ast.walk(classes[name]):
            if isinstance(node, ast.Name) and node.id in classes:
                stack.append(node.id)
    return [n for n in tree.body if not isinstance(n, ast.ClassDef) or n.name in wanted]


def scene_messages(ref: SceneRef, root: Path) -> list[str]:
    """Return the strings ``ref``'s sources mark for translation (``_("...")``, ``N_("...")``).

    Those of its own class (and what it depends on in its module, as for
    :func:`scene_source`) and those of every project module it imports: what
    the scene may show or speak. In order of appearance, each once.
    """
    from .i18n import marked_messages

    own = scene_file(root, ref)
    found: list[str] = []
    for path in source_files(root, ref.module, Path(ref.path) if ref.path else None):
        nodes = _scene_nodes(path, ref.class_name) if path == own else [_tree(path)]
        found += marked_messages(nodes)
    return list(dict.fromkeys(found))


def content_key(ref: SceneRef, settings: RenderSettings, root: Path) -> str:
    """Hex SHA-256 of everything ``ref``'s clip depends on (see module docstring).

    For the scene's own module only :func:`scene_source` counts (other scene
    classes of the module do not); a scene outside the manifest is keyed the
    same way (its file may lie outside ``root``: ``ref.path``). ``settings``
    adds the quality and the encoder (:meth:`RenderSettings.key`).
    """
    h = hashlib.sha256()
    fields = [ref.module, ref.class_name, *settings.key()]
    # An outside file's path counts (two such files may share a name); the keys
    # of scenes importable from the project stay what they were.
    h.update(json.dumps(fields + ([ref.path] if ref.path else [])).encode())
    h.update(metadata.version("manim").encode())
    if settings.voice != "none":  # silent scenes keep the keys they had before voices
        h.update(voice_key(settings.voice, root, ref.class_name, settings.lang).encode())
    own = scene_file(root, ref)
    files = source_files(root, ref.module, Path(ref.path) if ref.path else None)
    assets = root / "assets"
    locale = assets / "locale"
    if assets.is_dir():
        voices = assets / "voice"
        files += sorted(
            p
            for p in assets.rglob("*")
            if p.is_file() and not p.is_relative_to(voices) and not p.is_relative_to(locale)
        )
    for path in files:
        inside = path.is_relative_to(root)
        h.update(str(path.relative_to(root) if inside else path).encode())
        if path == own:
            h.update(scene_source(path, ref.class_name).encode())
        else:
            h.update(hashlib.sha256(path.read_bytes()).digest())
    if settings.lang != "en":
        from .i18n import translations

        table = translations(settings.lang, locale)
        used = [(m, table.get(m)) for m in scene_messages(ref, root)]
        h.update(json.dumps(used, ensure_ascii=False).encode())
    return h.hexdigest()


def voice_key(voice: str, root: Path, class_name: str, lang: str = "en") -> str:
    """Return what a scene's content key records of ``voice`` (:meth:`SpeechService.key`).

    Raises
    ------
    series.speech.VoiceError
        If ``voice`` is unknown.
    """
    from .speech import service

    return service(voice, root=root, lang=lang).key(class_name)


def file_hash(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_record(movie: Path, srt: Path, key: str, seconds: float = 0.0) -> None:
    """Record ``key``, the clip's hashes and its render time, atomically, after publishing."""
    record = {"key": key, "movie": file_hash(movie), "srt": file_hash(srt), "seconds": seconds}
    with atomic_path(BuildTree.record(movie)) as tmp:
        tmp.write_text(json.dumps(record), encoding="utf-8")


def is_fresh(movie: Path, srt: Path, key: str) -> bool:
    """Return True when the published clip matches ``key`` and neither file was damaged."""
    try:
        record = json.loads(BuildTree.record(movie).read_text(encoding="utf-8"))
        return (
            record.get("key") == key
            and record.get("movie") == file_hash(movie)
            and record.get("srt") == file_hash(srt)
        )
    except (OSError, ValueError):
        return False


def last_render_seconds(movie: Path) -> float:
    """How long the clip's last render took (0 when unknown): longest scenes go first."""
    try:
        return float(
            json.loads(BuildTree.record(movie).read_text(encoding="utf-8")).get("seconds", 0.0)
        )
    except (OSError, ValueError):
        return 0.0


def inputs_key(paths: list[Path], titles: list[str]) -> str:
    """Hex SHA-256 of an assembly's inputs: the clips' and subtitles' bytes and titles."""
    h = hashlib.sha256(json.dumps(titles).encode())
    for path in paths:
        h.update(file_hash(path).encode() if path.exists() else b"missing")
    return h.hexdigest()


def outputs_fresh(outputs: list[Path], key: str) -> bool:
    """Return True when every output exists, unchanged, from inputs with ``key``."""
    try:
        record = json.loads(BuildTree.record(outputs[0]).read_text(encoding="utf-8"))
        return record.get("key") == key and record.get("outputs") == [file_hash(p) for p in outputs]
    except (OSError, ValueError):
        return False


def write_outputs_record(outputs: list[Path], key: str) -> None:
    """Record the inputs' key and the outputs' hashes beside the first output."""
    with atomic_path(BuildTree.record(outputs[0])) as tmp:
        tmp.write_text(
            json.dumps({"key": key, "outputs": [file_hash(p) for p in outputs]}), encoding="utf-8"
        )
