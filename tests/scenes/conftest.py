"""Dry-run helpers: construct a scene at tiny resolution without writing media."""

from __future__ import annotations

import datetime
import functools
import importlib.util
import inspect
from pathlib import Path

import pytest

TEX_CACHE = Path(__file__).resolve().parents[2] / "build" / ".cache" / "dry-run"
"""manim's TeX and Text SVGs for every dry run, kept across test sessions (``make clean``
removes it): LaTeX compiles a formula once, not once per scene and session.
Content-addressed and written atomically (:mod:`series.texcache`), so any
number of pytest processes may share it."""

DRY_RUN = {
    "dry_run": True,
    "pixel_width": 64,
    "pixel_height": 36,
    "frame_rate": 4,
    "disable_caching": True,
    "progress_bar": "none",
    "verbosity": "ERROR",
    "notify_outdated_version": False,
    "tex_dir": str(TEX_CACHE / "Tex"),
    "text_dir": str(TEX_CACHE / "texts"),
}
"""Tiny and fast: geometry is resolution-independent, so the checks still bite."""


_PLAYED: dict[type, object] = {}
"""Scenes already dry-run in this session, by class: tests only read them."""


def dry_run_config(media_dir) -> dict:
    """The dry-run settings with ``media_dir`` and the shared TeX and Text caches."""
    return {**DRY_RUN, "media_dir": str(media_dir)}


_PLAYED_NAMES: dict[tuple[str, str], type] = {}
"""The same, by (source file, qualified name): a second class object of one scene
(its module loaded twice) would play it again."""


def _source(cls: type) -> str:
    """The file that defines ``cls`` (a module loaded from a file has no entry in sys.modules)."""
    functions = [v for v in vars(cls).values() if inspect.isfunction(v)]
    return functions[0].__code__.co_filename if functions else cls.__module__


@functools.cache
def load_example(path: Path):
    """Import an ``examples/*.py`` file once per session (its classes are then played once)."""
    spec = importlib.util.spec_from_file_location(f"examples_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dry_run(scene_class, tmp_path):
    """Construct and play ``scene_class`` under a dry run; return the scene.

    Each class is played once per test session and the played scene shared,
    so the manifest-wide tests and the per-episode tests do not play it twice.

    Raises
    ------
    AssertionError
        If another class object of the same scene (same file and name, not
        local to a test) was played already: its module was loaded twice.
    """
    if scene_class not in _PLAYED:
        name = (_source(scene_class), scene_class.__qualname__)
        if "<locals>" not in name[1]:
            other = _PLAYED_NAMES.setdefault(name, scene_class)
            assert other is scene_class, f"{name[1]} of {name[0]} replayed: load its module once"
        from manim import tempconfig

        from series import texcache

        texcache.install()  # also when called from outside tests/scenes

        with tempconfig(dry_run_config(tmp_path)):
            scene = scene_class()
            scene.render()
        _PLAYED[scene_class] = scene
    return _PLAYED[scene_class]


@pytest.fixture
def run_scene(tmp_path):
    """Fixture form of :func:`dry_run`."""
    return lambda scene_class: dry_run(scene_class, tmp_path)


def assert_narrated(scene) -> None:
    """The one check of a played scene's narration and subtitles.

    Every narration line is spoken once, and the subtitle cues (manim's
    subcaptions, written to the SRT) are sorted, never overlap, lie within the
    scene's duration, fit two lines of 42 characters, and hold the spoken lines'
    words in order.
    """
    from scenes.narration import LINE_WIDTH, LINES_PER_CUE

    name = type(scene).__name__
    assert scene.spoken, f"{name} must narrate"
    assert sorted(scene.spoken) == sorted(scene.narration), f"{name}: every line is spoken"
    assert len(scene.spoken) == len(set(scene.spoken)), f"{name}: a line spoken twice"
    cues = scene.renderer.file_writer.subcaptions
    duration = datetime.timedelta(seconds=scene.renderer.time)
    assert cues[0].start >= datetime.timedelta(0), name
    for a, b in zip(cues, cues[1:], strict=False):
        assert a.start <= a.end <= b.start, f"{name}: cue {a.content!r} overlaps {b.content!r}"
    assert cues[-1].end <= duration, f"{name}: last cue ends after the scene"
    for cue in cues:
        lines = cue.content.split("\n")
        assert len(lines) <= LINES_PER_CUE, cue.content
        assert all(len(line) <= LINE_WIDTH for line in lines), cue.content
    words = [w for k in scene.spoken for w in scene.narration[k].split()]
    assert [w for c in cues for w in c.content.split()] == words, name
