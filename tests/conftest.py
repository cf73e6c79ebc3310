"""Shared pytest fixtures. Add new fixtures below; keep them deterministic."""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False, max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
"""Property tests: the default run (``make test``, CI) draws the same examples every
time, derived from each test's source, so a run proves exactly what was checked and
never fails on a draw no one has seen. ``make explore`` searches anew: random draws,
ten times as many (``tests.strategies.examples``); a failure it finds is pinned with
``@example`` and fixed, its whole kind."""

RNG_SEED = 20190601
"""Seed of the shared ``rng`` fixture (the book's publication month)."""


@pytest.fixture(scope="session", autouse=True)
def _shared_tex_cache():
    """Make manim's TeX and Text caches safe to share (:mod:`series.texcache`) for every test.

    Dry runs use :data:`tests.scenes.conftest.TEX_CACHE`; a bare ``MathTex`` or ``Text``
    (the component tests) manim's default ``media/`` of the working directory. Parallel
    workers write and read the same entries there: unpatched, manim deletes another
    process's copy of an SVG it reads. Only once manim is imported (collecting a test
    module that uses it did so): a run of ``tests/lib`` alone does not pay the import.
    """
    if "manim" in sys.modules:
        from series import texcache

        texcache.install()


@pytest.fixture
def rng() -> np.random.Generator:
    """A freshly seeded generator, so every test sees the same numbers."""
    return np.random.default_rng(RNG_SEED)


# ------------------------------------------------- parallel runs (pytest-xdist, make test)

_GROUPED_FILES = {"test_examples.py": "examples", "test_readme.py": "examples"}
"""Test files whose every test joins one dry-run group (besides ``tests/scenes/test_epNN.py``)."""

_UNGROUPED_FILES = {"test_i18n_scenes.py"}
"""Test files that play their own dry runs, shared with no other test (one per language and scene)."""


def _episode_of_modules() -> dict[str, str]:
    """Scene module to dry-run group (``"ep01"``), from the manifest."""
    from scenes import SERIES

    return {
        r.module: f"ep{e.id}"
        for e in SERIES.episodes
        for r in e.scenes
        if r.module != "scenes.cards"
    }


def dry_run_group(item: pytest.Item, episodes: dict[str, str]) -> str | None:
    """The dry-run group of a test: the episode (``"ep01"``) or ``"examples"`` whose scenes it plays.

    A scene is dry-run once per process and the played scene shared by every test that
    reads it (``tests.scenes.conftest.dry_run``, and the module fixtures of the episode
    tests); in a parallel run, the tests of one group run in one worker, so no scene is
    played twice. ``None``: the test plays no shared scene, any worker may run it.
    A test put in no group or the wrong one still passes; it only costs a second dry run.
    """
    from series.manifest import Episode, SceneRef

    name = item.path.name
    if name in _UNGROUPED_FILES:
        return None
    if name in _GROUPED_FILES:
        return _GROUPED_FILES[name]
    if name.startswith("test_ep") and item.path.parent.name == "scenes":
        return name.removeprefix("test_").removesuffix(".py")[:4]
    callspec = getattr(item, "callspec", None)
    for value in callspec.params.values() if callspec else ():
        if isinstance(value, Episode):
            return f"ep{value.id}"
        if isinstance(value, SceneRef):
            return f"ep{value.id.split('.')[0]}"
        if isinstance(value, type):
            if getattr(value, "episode_id", None):  # a title card or a recap
                return f"ep{value.episode_id}"
            if value.__module__.startswith("examples_"):
                return "examples"
            if value.__module__ in episodes:
                return episodes[value.__module__]
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--dist loadgroup``, put each test that plays a shared scene in its dry-run group.

    Runs in each xdist worker (the workers collect; the controller only schedules), where
    xdist sets ``config.option.loadgroup`` and reads the groups in its own hook, after this one.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    episodes = _episode_of_modules()
    for item in items:
        group = dry_run_group(item, episodes)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
