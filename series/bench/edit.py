"""The edit figure's file edit: a line inserted or appended, the file restored byte for byte.

The original bytes, permissions and modification time come back in a
``finally``, also on Ctrl-C or SIGTERM; if someone else changed the file
meanwhile, only the benchmark's line is removed.
"""

from __future__ import annotations

import ast
import contextlib
import logging
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..files import atomic_path
from .measure import BenchError

log = logging.getLogger(__name__)


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt while the body runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def class_edit(path: Path, class_name: str, stamp: str) -> tuple[int, str]:
    """Return where and what to insert to edit scene class ``class_name`` (and only it).

    Returns the 0-based line index of the class body's first statement and a
    class attribute line, indented like it, that changes the class's AST (and
    so its content key) but nothing it draws.

    Raises
    ------
    BenchError
        If the module defines no such class.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            first = node.body[0]
            return first.lineno - 1, " " * first.col_offset + f"_render_benchmark_edit = {stamp!r}"
    raise BenchError(f"{path.name} defines no class {class_name!r}")


@contextlib.contextmanager
def inserted_line(path: Path, index: int, line: str) -> Iterator[bytes]:
    """Insert ``line`` before line ``index`` of ``path``; restore the file byte for byte after.

    As :func:`appended_line`, for an edit inside the file.
    """
    original = path.read_bytes()
    lines = original.splitlines(keepends=True)
    added = line.encode("utf-8") + b"\n"
    edited = b"".join(lines[:index]) + added + b"".join(lines[index:])
    with _restoring(path, original, edited, added):
        yield edited


@contextlib.contextmanager
def _restoring(path: Path, original: bytes, edited: bytes, added: bytes) -> Iterator[None]:
    stat = path.stat()
    with _sigterm_as_interrupt():
        try:
            path.write_bytes(edited)
            yield
        finally:
            current = path.read_bytes()
            if current == edited or current == original:
                restored = original
            elif added in current:
                log.warning("%s changed during the benchmark: removing only its line", path)
                restored = current.replace(added, b"", 1)
            else:
                log.warning("%s changed during the benchmark: left as it is", path)
                restored = current
            if restored != current:
                with atomic_path(path) as tmp:
                    tmp.write_bytes(restored)
                    os.chmod(tmp, stat.st_mode)
            if restored == original:
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@contextlib.contextmanager
def appended_line(path: Path, line: str) -> Iterator[bytes]:
    """Append ``line`` to ``path`` for the body; restore the file byte for byte after.

    The original bytes, permissions and modification time come back in a
    ``finally``: after an exception, Ctrl-C or SIGTERM too. If the file was
    changed by someone else meanwhile, only the appended line is removed (and
    a warning logged), so their change survives.

    Yields
    ------
    bytes
        The edited content.
    """
    original = path.read_bytes()
    sep = b"" if not original or original.endswith(b"\n") else b"\n"
    added = sep + line.encode("utf-8") + b"\n"
    edited = original + added
    with _restoring(path, original, edited, added):
        yield edited
