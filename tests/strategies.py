"""Bounded hypothesis strategies shared by all tests.

Every strategy here is finite and bounded: no NaN, no infinity, no magnitudes that
overflow the functions under test. Tests that need a wider domain say so explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lib.functions import FUNCTIONS, SMOOTH_EVERYWHERE

EXPLORE_FACTOR = 10
"""How many times more examples each property test draws under ``make explore``."""


def examples(n: int) -> int:
    """Return the number of examples a property test draws: ``n``, or ``n`` times
    :data:`EXPLORE_FACTOR` under ``HYPOTHESIS_PROFILE=explore`` (``make explore``)."""
    return n * EXPLORE_FACTOR if os.environ.get("HYPOTHESIS_PROFILE") == "explore" else n


BUILTIN_FUNCTION_NAMES: tuple[str, ...] = tuple(sorted(SMOOTH_EVERYWHERE))
"""Names registered by lib.functions itself that are finite on the whole real line
(tan, log, sqrt and reciprocal have poles or a domain edge and are tested on their own),
snapshotted before any test registers more."""

DOMAIN = (-10.0, 10.0)
"""Default input range, axis coordinates: wide enough to show saturation, small enough
that exp and cube stay far from overflow."""

DELTA_RANGE = (1e-5, 1e-2)
"""Steps Δ where truncation and round-off are both well above and below trouble."""

SIGMOID_RANGE = 1e4
"""|x| bound of the sigmoid stability tests (exp(1e4) overflows in any float)."""


def bounded_floats(low: float = DOMAIN[0], high: float = DOMAIN[1], *, width: int = 64):
    """Finite floats in [low, high]."""
    return st.floats(
        min_value=low, max_value=high, allow_nan=False, allow_infinity=False, width=width
    )


def deltas(low: float = DELTA_RANGE[0], high: float = DELTA_RANGE[1]):
    """Steps Δ in [low, high], both > 0."""
    return bounded_floats(low, high)


def function_names():
    """Names of the built-in registered functions."""
    return st.sampled_from(BUILTIN_FUNCTION_NAMES)


def floats_away_from(
    points: Iterable[float],
    margin: float,
    low: float = DOMAIN[0],
    high: float = DOMAIN[1],
):
    """Floats in [low, high] at least ``margin`` away from each of ``points``."""
    points = tuple(points)
    return bounded_floats(low, high).filter(lambda x: all(abs(x - p) >= margin for p in points))


def float_arrays(
    low: float = DOMAIN[0],
    high: float = DOMAIN[1],
    *,
    dtype: type[np.floating] = np.float64,
    max_dims: int = 2,
    max_side: int = 5,
):
    """Arrays of shape (...) with up to ``max_dims`` axes, elements in [low, high]."""
    width = np.dtype(dtype).itemsize * 8
    return hnp.arrays(
        dtype=dtype,
        shape=hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=1, max_side=max_side),
        elements=bounded_floats(low, high, width=width),
    )


@st.composite
def points_for_deriv(draw, margin_in_deltas: float = 10.0):
    """(name, a, Δ): a registered function, a point at least 10·Δ from its kinks and
    poles, and a step Δ."""
    name = draw(function_names())
    spec = FUNCTIONS[name]
    delta = draw(deltas())
    a = draw(floats_away_from((*spec.kinks, *spec.poles), margin_in_deltas * delta))
    return name, a, delta


SUBTITLE_WORD_CHARS = 42
"""Longest word a narration text strategy draws: one subtitle line (longer raises)."""


def narration_texts():
    """Any text of words (any letters, punctuation, sentence ends), as narration lines.

    Words are 1 to :data:`SUBTITLE_WORD_CHARS` non-space characters; separators
    are runs of spaces, tabs or newlines.
    """
    word = st.text(
        alphabet=st.characters(blacklist_categories=("Z", "C")),
        min_size=1,
        max_size=SUBTITLE_WORD_CHARS,
    )
    words = st.lists(
        st.one_of(word, st.sampled_from([",", ".", "—", "and", "Yes.", "well,", "so:", "a;"])),
        max_size=80,
    )
    seps = st.sampled_from([" ", "  ", "\n", "\t"])
    return st.tuples(words, st.lists(seps, min_size=80, max_size=80)).map(
        lambda ws: "".join(w + s for w, s in zip(ws[0], ws[1], strict=False))
    )


JAPANESE_WORDS = (
    "微分",
    "導関数",
    "接線の",
    "傾きは",
    "割線が",
    "極限です",
    "連鎖律",
    "を使って",
    "計算グラフ",
    "逆伝播で",
    "勾配が",
    "流れます",
    "デルタ",
    "x",
    "0.001",
    "ちょっと",
    "「",
    "」",
    "（",
    "）",
    "、",
    "。",
    "ー",
    "っ",
)
"""Pieces of Japanese text, punctuation and brackets included, for the line-breaking properties."""


def japanese_text(max_pieces: int = 40):
    """Japanese-looking text: words, Latin symbols, 、。 and brackets in any order."""
    return st.lists(st.sampled_from(JAPANESE_WORDS), min_size=1, max_size=max_pieces).map("".join)
