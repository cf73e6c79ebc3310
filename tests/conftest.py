"""Shared pytest fixtures. Add new fixtures below; keep them deterministic."""

from __future__ import annotations

import ast
import functools
import os
import sys
from pathlib import Path

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

os.environ.setdefault("SERIES_PREVIEW_SERVER", "0")
"""Previews in tests (and the ``render.py`` commands they start) run in warm parents of their
own: a preview server outlives its command, and no test may leave a process behind. The
server's own tests turn it on and stop it (``tests/series/test_preview_server.py``)."""

os.environ.setdefault("SERIES_SPLIT", "0")
"""Builds in tests (and the ``render.py`` commands they start) give each scene one process:
the test run already keeps both cores busy (pytest-xdist), where a split scene's second
process costs more than it saves. ``tests/series/test_split.py`` turns splitting on and
checks a split scene against one rendered whole."""

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

ROOT = Path(__file__).resolve().parents[1]

_GROUPED_FILES = {
    "tests/scenes/test_ep00.py": "ep00",
    "tests/scenes/test_ep01.py": "ep01",
    "tests/scenes/test_ep02.py": "ep02",
    "tests/scenes/test_ep03.py": "ep03",
    "tests/scenes/test_examples.py": "examples",
    "tests/test_readme.py": "examples",
}
"""Test files whose every test joins one dry-run group (module fixtures play its scenes)."""

_BY_PARAMETER = (
    "tests/scenes/test_layout_audit.py",
    "tests/scenes/test_manifest_scenes.py",
    "tests/scenes/test_listings.py",
    "tests/scenes/test_cards.py",
)
"""Test files whose parametrised tests join the group of the scene (or episode) in their id.

Not ``test_i18n_scenes.py``: its dry runs, one per language and scene, are shared with
no other test."""


def _top_level_classes(path: Path) -> list[str]:
    return [
        n.name
        for n in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(n, ast.ClassDef)
    ]


@functools.cache
def dry_run_groups() -> dict[str, str]:
    """Scene class name (or episode id) to its dry-run group: ``"ep01"``, or ``"examples"``.

    From the manifest and the sources (nothing imported but the manifest): every class
    of an episode's module, its title card and recap, and every class in ``examples/``.
    """
    from scenes import SERIES

    groups = {}
    for episode in SERIES.episodes:
        group = groups[episode.id] = f"ep{episode.id}"
        for ref in episode.scenes:
            groups[ref.class_name] = group
            if ref.module != "scenes.cards":
                path = ROOT / Path(*ref.module.split(".")).with_suffix(".py")
                groups.update(dict.fromkeys(_top_level_classes(path), group))
    for path in sorted((ROOT / "examples").glob("*.py")):
        groups.update(dict.fromkeys(_top_level_classes(path), "examples"))
    return groups


def dry_run_group(nodeid: str) -> str | None:
    """The dry-run group of a test: the episode (``"ep01"``) or ``"examples"`` whose scenes it plays.

    A scene is dry-run once per process and the played scene shared by every test that
    reads it (``tests.scenes.conftest.dry_run``, and the module fixtures of the episode
    tests). In a parallel run the tests of one group run in one worker, so no scene is
    played twice. ``None``: the test plays no shared scene, any worker may run it.
    A test in no group or the wrong one still passes; it only costs a second dry run.
    """
    path = nodeid.split("::", 1)[0]
    if path in _GROUPED_FILES:
        return _GROUPED_FILES[path]
    if path in _BY_PARAMETER and nodeid.endswith("]"):
        return dry_run_groups().get(nodeid[nodeid.rindex("[") + 1 : -1])
    return None


def pytest_xdist_make_scheduler(config, log):
    """``-n``'s scheduler (``--dist load``): xdist's load balancing, one unit per dry-run group (see ``dry_run_group``).

    The largest units first (xdist's ``--loadscope-reorder``), then single tests.
    """
    if config.getvalue("dist") != "load":
        return None  # another --dist named on the command line
    from xdist.scheduler import LoadScopeScheduling

    class DryRunGroups(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            group = dry_run_group(nodeid)
            return f"dry run of {group}" if group else nodeid

    return DryRunGroups(config, log)
