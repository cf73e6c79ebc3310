"""A tiny one-episode series written into a temporary folder, for machinery tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from series import Series, episode


def write_series(
    root: Path,
    module: str,
    source: str,
    classes: Sequence[str],
    slug: str = "tiny",
    files: Mapping[str, str] | None = None,
) -> Series:
    """Write package ``module``'s file under ``root`` and return a series of its scenes.

    ``module`` is ``"package.name"``; ``files`` are more files of the package
    (name to text). Scene titles are the class names; the episode is ``01``.
    """
    package, name = module.split(".")
    folder = root / package
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / f"{name}.py").write_text(source)
    for file_name, text in (files or {}).items():
        (folder / file_name).write_text(text)
    scenes = [(module, c, c) for c in classes]
    return Series(slug.title(), slug, (episode("01", slug.title(), f"{slug}_ep", scenes),))
