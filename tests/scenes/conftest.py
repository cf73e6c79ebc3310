"""Dry-run helpers: construct a scene at tiny resolution without writing media."""

from __future__ import annotations

import pytest

DRY_RUN = {
    "dry_run": True,
    "pixel_width": 64,
    "pixel_height": 36,
    "frame_rate": 4,
    "disable_caching": True,
    "progress_bar": "none",
    "verbosity": "ERROR",
    "notify_outdated_version": False,
}
"""Tiny and fast: geometry is resolution-independent, so the checks still bite."""


_PLAYED: dict[type, object] = {}
"""Scenes already dry-run in this session, by class: tests only read them."""


def dry_run(scene_class, tmp_path):
    """Construct and play ``scene_class`` under a dry run; return the scene.

    Each class is played once per test session and the played scene shared,
    so the manifest-wide tests and the per-episode tests do not play it twice.
    """
    if scene_class not in _PLAYED:
        from manim import tempconfig

        with tempconfig({**DRY_RUN, "media_dir": str(tmp_path)}):
            scene = scene_class()
            scene.render()
        _PLAYED[scene_class] = scene
    return _PLAYED[scene_class]


@pytest.fixture
def run_scene(tmp_path):
    """Fixture form of :func:`dry_run`."""
    return lambda scene_class: dry_run(scene_class, tmp_path)
