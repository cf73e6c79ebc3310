"""Content keys: a scene whose inputs have not changed is not rendered again.

A scene's key hashes everything its video depends on: the source of its module
and of every project module that module imports (followed transitively, by
reading ``import`` statements, without importing anything), the project's
``assets/`` files, the scene's class name, the quality and frame rate, and the
manim version. The key is recorded beside the published clip together with the
clip's own hash, written last and atomically, so an interrupted render never
leaves a record that matches, and a damaged clip is detected and rebuilt.
"""

from __future__ import annotations

import ast
import hashlib
import json
from importlib import metadata
from pathlib import Path

from .files import atomic_path
from .manifest import SceneRef
from .quality import Quality


def _module_file(root: Path, module: str) -> Path | None:
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path, module: str) -> set[str]:
    """Return the module names imported by ``path`` (absolute, relative ones resolved)."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def source_files(root: Path, module: str) -> list[Path]:
    """Project files that ``module`` depends on: itself, its imports, their packages.

    Only files under ``root`` count; third-party imports are covered by the
    manim version in the key.
    """
    seen: dict[str, Path] = {}
    stack = [module]
    while stack:
        name = stack.pop()
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            sub = ".".join(parts[:i])
            if sub in seen:
                continue
            path = _module_file(root, sub)
            if path is None:
                continue
            seen[sub] = path
            stack.extend(_imports(path, sub))
    return sorted(set(seen.values()))


def content_key(ref: SceneRef, quality: Quality, root: Path, extra: str = "") -> str:
    """Hex SHA-256 of everything ``ref``'s clip depends on (see module docstring).

    ``extra`` adds settings of the build itself (e.g. encoder options).
    """
    h = hashlib.sha256()
    h.update(
        json.dumps(
            [ref.module, ref.class_name, quality.width, quality.height, quality.fps, extra]
        ).encode()
    )
    h.update(metadata.version("manim").encode())
    files = source_files(root, ref.module)
    assets = root / "assets"
    if assets.is_dir():
        files += sorted(p for p in assets.rglob("*") if p.is_file())
    for path in files:
        h.update(str(path.relative_to(root)).encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def file_hash(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record_path(movie: Path) -> Path:
    """Where the key record of a published clip lives."""
    return movie.with_suffix(".key.json")


def write_record(movie: Path, srt: Path, key: str, seconds: float = 0.0) -> None:
    """Record ``key``, the clip's hashes and its render time, atomically, after publishing."""
    record = {"key": key, "movie": file_hash(movie), "srt": file_hash(srt), "seconds": seconds}
    with atomic_path(record_path(movie)) as tmp:
        tmp.write_text(json.dumps(record), encoding="utf-8")


def is_fresh(movie: Path, srt: Path, key: str) -> bool:
    """Return True when the published clip matches ``key`` and neither file was damaged."""
    try:
        record = json.loads(record_path(movie).read_text(encoding="utf-8"))
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
        return float(json.loads(record_path(movie).read_text(encoding="utf-8")).get("seconds", 0.0))
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
        record = json.loads(record_path(outputs[0]).read_text(encoding="utf-8"))
        return record.get("key") == key and record.get("outputs") == [file_hash(p) for p in outputs]
    except (OSError, ValueError):
        return False


def write_outputs_record(outputs: list[Path], key: str) -> None:
    """Record the inputs' key and the outputs' hashes beside the first output."""
    with atomic_path(record_path(outputs[0])) as tmp:
        tmp.write_text(
            json.dumps({"key": key, "outputs": [file_hash(p) for p in outputs]}), encoding="utf-8"
        )
