"""Shared pytest fixtures. Add new fixtures below; keep them deterministic."""

from __future__ import annotations

import numpy as np
import pytest

RNG_SEED = 20190601
"""Seed of the shared ``rng`` fixture (the book's publication month)."""


@pytest.fixture
def rng() -> np.random.Generator:
    """A freshly seeded generator, so every test sees the same numbers."""
    return np.random.default_rng(RNG_SEED)
