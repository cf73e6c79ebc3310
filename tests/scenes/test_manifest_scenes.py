"""Tier 3: every manifest scene constructs under a dry run; its narration and cues pass."""

from __future__ import annotations

import importlib

import pytest

from scenes import SERIES
from tests.scenes.conftest import assert_narrated

REFS = list(SERIES.scenes())


def load(ref):
    return getattr(importlib.import_module(ref.module), ref.class_name)


@pytest.mark.parametrize("ref", REFS, ids=[r.class_name for r in REFS])
def test_scene_constructs_and_narrates(ref, run_scene):
    scene = run_scene(load(ref))
    assert scene.renderer.time > 1.0, "a scene should last longer than a second"
    assert_narrated(scene)


def test_manifest_class_names_exist():
    for ref in REFS:
        cls = load(ref)
        assert cls.__name__ == ref.class_name
