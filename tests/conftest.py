"""Shared pytest fixtures. Add new fixtures below; keep them deterministic."""

from __future__ import annotations

import os

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

RNG_SEED = 20190601
"""Seed of the shared ``rng`` fixture (the book's publication month)."""


@pytest.fixture
def rng() -> np.random.Generator:
    """A freshly seeded generator, so every test sees the same numbers."""
    return np.random.default_rng(RNG_SEED)
