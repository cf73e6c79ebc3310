"""Render targets beyond the manifest: a scene class in any file, and shipped variants.

A target is, in this order:

- an episode id, a scene id or a scene class name of the manifest
  (:meth:`Series.resolve`);
- ``FILE.py:Class``: that class of that file (a path relative to the current
  folder, or absolute), inside the project or outside it;
- the bare class name of a *variant*: a scene class in one of the project's
  files matched by ``patterns`` (e.g. ``scenes/ep*.py`` and ``examples/*.py``)
  that the manifest does not name.

Nothing is imported to find them (the manifest rule: no discovery magic that
imports arbitrary files): files are parsed with :mod:`ast`, and a class counts
as a scene when its bases lead, through the project's modules and their
imports, to a manim Scene class and some class on the way defines
``construct`` (a base such as ``GraphScene`` that only sets things up is not
listed). A scene outside the manifest is a :class:`SceneRef` like any other
(id ``"module.Class"``): it renders, previews and caches the same way, its
clips go to their own folder and it joins no episode.
"""

from __future__ import annotations

import ast
import builtins
import difflib
import keyword
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from .cache import Roots, _provider, _tree, module_file, scene_file
from .manifest import Episode, SceneRef, Series, TargetError

MANIM_SCENES = frozenset(
    {
        "Scene",
        "MovingCameraScene",
        "ThreeDScene",
        "SpecialThreeDScene",
        "ZoomedScene",
        "VectorScene",
        "LinearTransformationScene",
    }
)
"""manim's own Scene classes: a class whose bases reach one of these is a scene."""

_FILE_TARGET = re.compile(r"^(?P<file>.+\.py):(?P<cls>[^:]*)$")

Facts = tuple[bool | None, bool]
"""(is a scene: True, False, or None when a base lies outside what we can read; defines construct)."""


def module_name(root: Path, path: Path) -> str | None:
    """Return the dotted module name of ``path`` under ``root``, or None if it has none.

    Examples
    --------
    >>> module_name(Path("/p"), Path("/p/examples/secant_on_sigmoid.py"))
    'examples.secant_on_sigmoid'
    >>> module_name(Path("/p"), Path("/p/my-files/x.py")) is None
    True
    """
    try:
        parts = list(path.relative_to(root).with_suffix("").parts)
    except ValueError:
        return None
    if parts and parts[-1] == "__init__":
        parts.pop()
    ok = parts and all(p.isidentifier() and not keyword.iskeyword(p) for p in parts)
    return ".".join(parts) if ok else None


def _imports(path: Path, module: str) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Top-level imports of ``path``: local name to (module, name), and star-imported modules.

    ``import a.b`` maps ``a`` to ``("a", "")``; ``import a.b as c`` maps ``c``
    to ``("a.b", "")``.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: dict[str, tuple[str, str]] = {}
    stars: list[str] = []
    for node in _tree(path).body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = (alias.name, "")
                else:
                    head = alias.name.split(".")[0]
                    names[head] = (head, "")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".") if package else []
                base = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            for alias in node.names:
                if alias.name == "*":
                    stars.append(target)
                else:
                    names[alias.asname or alias.name] = (target, alias.name)
    return names, stars


def _outside_facts(module: str, name: str) -> Facts:
    """Return what we know of ``module.name`` where ``module`` is not a project file."""
    if module == "manim" or module.startswith("manim."):
        return (name in MANIM_SCENES), False
    return None, False


def _imported_facts(roots: Roots, module: str, name: str, seen: set) -> Facts:
    if module_file(roots, module) is None:
        return _outside_facts(module, name)
    provider = _provider(roots, module, name)
    found = module_file(roots, provider)
    if found is None:
        return None, False
    return _name_facts(roots, found, provider, name, seen)


def _name_facts(roots: Roots, path: Path, module: str, name: str, seen: set) -> Facts:
    """Facts about the class that ``name`` means at the top level of ``path``."""
    if (path, name) in seen:
        return False, False
    seen.add((path, name))
    for node in _tree(path).body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            return _class_facts(roots, path, module, node, seen)
    names, stars = _imports(path, module)
    if name in names:
        source, original = names[name]
        return _imported_facts(roots, source, original, seen) if original else (False, False)
    for star in stars:
        star_file = module_file(roots, star)
        if star_file is None:
            facts = _outside_facts(star, name)
            if facts[0]:
                return facts
        elif name in {n.name for n in _tree(star_file).body if isinstance(n, ast.ClassDef)}:
            return _name_facts(roots, star_file, star, name, seen)
    if name in MANIM_SCENES:
        return True, False
    return (False, False) if hasattr(builtins, name) else (None, False)


def _class_facts(roots: Roots, path: Path, module: str, node: ast.ClassDef, seen: set) -> Facts:
    construct = any(
        isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == "construct"
        for n in node.body
    )
    verdicts: list[bool | None] = []
    for base in node.bases:
        if isinstance(base, ast.Name):
            facts = _name_facts(roots, path, module, base.id, seen)
        elif isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name):
            names, _ = _imports(path, module)
            source = names.get(base.value.id, ("", ""))
            target = f"{source[0]}.{source[1]}" if source[1] else source[0]
            facts = _imported_facts(roots, target, base.attr, seen) if target else (None, False)
        else:
            facts = (None, False)
        verdicts.append(facts[0])
        construct = construct or facts[1]
    if True in verdicts:
        return True, construct
    return (None if None in verdicts else False), construct


def scene_facts(root: Path, path: Path, module: str, class_name: str) -> Facts:
    """Whether ``class_name`` of ``path`` is a scene, read from source (nothing imported).

    Parameters
    ----------
    root : Path
        Project root: imports of project modules are followed there (and, for
        a file outside it, in the file's own folder).
    path : Path
        The file that defines the class.
    module : str
        Its module name (to resolve relative imports).
    class_name : str
        The class.

    Returns
    -------
    (bool or None, bool)
        True if its bases reach a manim Scene class, False if they certainly
        do not, None if a base comes from outside what can be read; and
        whether the class or one of its project bases defines ``construct``.
    """
    roots: Roots = root if path.is_relative_to(root) else (root, path.parent)
    return _name_facts(roots, path, module, class_name, set())


def _title(node: ast.ClassDef) -> str:
    doc = ast.get_docstring(node)
    return doc.strip().splitlines()[0] if doc else node.name


def variants(series: Series, root: Path, patterns: Sequence[str]) -> list[SceneRef]:
    """Scene classes of the project's files matched by ``patterns`` that the manifest does not name.

    Parameters
    ----------
    series : Series
        The manifest.
    root : Path
        Project root; ``patterns`` are globs relative to it (``"examples/*.py"``).
    patterns : sequence of str
        Where variants ship.

    Returns
    -------
    list of SceneRef
        In file order, then source order; id ``"module.Class"``, title the
        first line of the class docstring.
    """
    manifest = {(r.module, r.class_name) for r in series.scenes()}
    found: dict[str, SceneRef] = {}
    for pattern in patterns:
        for path in sorted(root.glob(pattern)):
            module = module_name(root, path)
            if module is None or not path.is_file():
                continue
            for node in _tree(path).body:
                if not isinstance(node, ast.ClassDef) or (module, node.name) in manifest:
                    continue
                is_scene, construct = scene_facts(root, path, module, node.name)
                if is_scene and construct:
                    ref = SceneRef(f"{module}.{node.name}", module, node.name, _title(node))
                    found.setdefault(ref.id, ref)
    return list(found.values())


def _display(root: Path, ref: SceneRef) -> str:
    path = scene_file(root, ref)
    if path is None:
        return ref.module
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def describe_variants(refs: Iterable[SceneRef], root: Path) -> str:
    """Return a plain-text list of scenes outside the manifest: class, file, title."""
    return "\n".join(f"    {'':6} {r.class_name:28} {r.title}  ({_display(root, r)})" for r in refs)


def file_scene(file: str, class_name: str, series: Series, root: Path, cwd: Path) -> SceneRef:
    """Return the scene ``class_name`` of the file ``file`` (relative to ``cwd``, or absolute).

    A file inside the project is imported by its module name (so the manifest's
    own scenes named this way are the manifest's scenes); a file outside it is
    imported from its path, with its folder on the import path after the
    project's.

    Raises
    ------
    TargetError
        In one line: the file does not exist or is not Python, it defines no
        class of that name (the closest are named), or the class is certainly
        not a Scene.
    """
    path = (cwd / Path(file).expanduser()).resolve()
    if not path.is_file():
        raise TargetError(f"{file}: no such file")
    try:
        tree = _tree(path)
    except (SyntaxError, UnicodeDecodeError, ValueError) as exc:
        raise TargetError(f"{file}: not a Python file the machinery can read ({exc})") from None
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    if not class_name:
        raise TargetError(f"{file}: name a class, e.g. {file}:{next(iter(classes), 'MyScene')}")
    if class_name not in classes:
        close = difflib.get_close_matches(class_name, list(classes), n=3, cutoff=0.5)
        hint = f"; closest: {', '.join(close)}" if close else ""
        if not close and classes:
            hint = f"; its classes: {', '.join(classes)}"
        raise TargetError(f"{file} defines no class {class_name!r}{hint}")
    inside = path.is_relative_to(root)
    module = module_name(root, path) if inside else None
    if module is None:
        module = re.sub(r"\W", "_", path.stem)
        module = module if module.isidentifier() else f"_{module}"
        title = _title(classes[class_name])
        ref = SceneRef(f"{module}.{class_name}", module, class_name, title, path=str(path))
    else:
        for known in series.scenes():
            if (known.module, known.class_name) == (module, class_name):
                return known
        ref = SceneRef(f"{module}.{class_name}", module, class_name, _title(classes[class_name]))
    is_scene, _ = scene_facts(root, path, module, class_name)
    if is_scene is False:
        raise TargetError(f"{file}:{class_name} is not a manim Scene subclass")
    return ref


def episode_named(series: Series, target: str) -> Episode | None:
    """Return the episode ``target`` names by its id (``"01"`` or ``"1"``), or None."""
    t = target.strip()
    t = t.zfill(2) if t.isdigit() else t
    return next((ep for ep in series.episodes if ep.id == t), None)


def resolve_one(
    series: Series, target: str, root: Path, patterns: Sequence[str], cwd: Path
) -> list[SceneRef]:
    """Return the scenes one target names (see the module docstring for the forms).

    Raises
    ------
    TargetError
        One line: a file target's problem; a bare name that is ambiguous (the
        files that define it) or unknown (the closest names).
    """
    t = target.strip()
    m = _FILE_TARGET.match(t)
    if m:
        return [file_scene(m["file"], m["cls"], series, root, cwd)]
    if t.endswith(".py"):
        return [file_scene(t, "", series, root, cwd)]
    try:
        return series.resolve([t])
    except TargetError:
        pass
    shipped = variants(series, root, patterns)
    hits = [r for r in shipped if r.class_name.lower() == t.lower()]
    if len(hits) == 1:
        return hits
    if hits:
        where = ", ".join(f"{_display(root, r)}:{r.class_name}" for r in hits)
        raise TargetError(f"ambiguous target {target!r}: name one of {where}")
    names = [r.class_name for r in series.scenes()] + [r.class_name for r in shipped]
    lowered = {n.lower(): n for n in names}
    close = [lowered[n] for n in difflib.get_close_matches(t.lower(), list(lowered), n=5)]
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise TargetError(
        f"unknown target {target!r}{hint} (targets: episode id, scene id, "
        "scene class or FILE.py:Class; `list --all` lists them)"
    )


def resolve(
    series: Series, targets: Iterable[str], root: Path, patterns: Sequence[str], cwd: Path
) -> list[SceneRef]:
    """Scenes named by ``targets``: the manifest's in series order, then the others as given.

    No targets means the whole series.

    Raises
    ------
    TargetError
        As :func:`resolve_one`.
    """
    targets = list(targets)
    if not targets:
        return list(series.scenes())
    wanted: set[str] = set()
    others: dict[str, SceneRef] = {}
    for target in targets:
        for ref in resolve_one(series, target, root, patterns, cwd):
            if ref.in_manifest:
                wanted.add(ref.id)
            else:
                others.setdefault(ref.id, ref)
    return [r for r in series.scenes() if r.id in wanted] + list(others.values())


def find_scene(
    series: Series, target: str, root: Path, patterns: Sequence[str], cwd: Path
) -> SceneRef:
    """Return the one scene ``target`` names.

    Raises
    ------
    TargetError
        As :func:`resolve_one`, or if ``target`` names a whole episode.
    """
    episode = episode_named(series, target)
    if episode is not None:
        names = ", ".join(r.class_name for r in episode.scenes)
        raise TargetError(f"{target!r} is an episode; name one of its scenes ({names})")
    return resolve_one(series, target, root, patterns, cwd)[0]
