"""Atomic file writes: nothing half-written ever stands at a final path."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; move it into place on success.

    The temporary file lives in the same directory (so the final
    ``os.replace`` is atomic) and is removed if the body raises. Its name
    holds the process and thread ids, so writers in different processes or
    threads never share a temporary file; the last to finish wins, whole.

    Parameters
    ----------
    final : Path
        Where the file should end up.

    Yields
    ------
    Path
        A temporary path with the same suffix, for the body to write.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.stem}.tmp-{os.getpid()}-{threading.get_ident()}{final.suffix}")
    try:
        yield tmp
        os.replace(tmp, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def publish(source: Path, final: Path) -> Path:
    """Copy ``source`` to ``final`` atomically and return ``final``."""
    with atomic_path(final) as tmp:
        shutil.copyfile(source, tmp)
    return final
