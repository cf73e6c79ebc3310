"""lib.adapt: every teacher function is vectorised, sampled over its finite part, split at
its poles and jumps, and labelled (or refused with a clear error); issue 11's rows."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lib.adapt import (
    PX_PER_UNIT,
    ArrayCallError,
    DomainError,
    LabelError,
    RangeError,
    adapt,
    check_x_range,
    nice_step,
    sample_curve,
)
from lib.functions import cube, reciprocal, sigmoid
from tests.strategies import bounded_floats, examples

# ------------------------------------------------------------------ vectorisation


def python_if(x):
    """A teacher's scalar-only function: a Python ``if`` (ambiguous on arrays)."""
    return x * x if x > 0 else -x


def test_scalar_only_functions_are_vectorised():
    xs = np.array([-1.0, 0.5, 2.0])
    np.testing.assert_array_equal(adapt(math.sin)(xs), np.sin(xs))
    np.testing.assert_array_equal(adapt(python_if)(xs), [1.0, 0.25, 4.0])
    assert adapt(python_if)(np.float64(3.0)) == 9.0
    f = adapt(python_if)
    f(xs)
    assert f.elementwise


def test_scalar_math_domain_errors_become_gaps():
    # math.log raises ValueError at 0 and below: NaN there, values elsewhere.
    ys = adapt(math.log)(np.array([-1.0, 0.0, 1.0]))
    assert np.isnan(ys[0])
    assert np.isnan(ys[1])
    assert ys[2] == 0.0


def test_a_function_taking_no_numbers_is_one_clear_error():
    def needs_a_string(x):
        return len(x.upper())

    with pytest.raises(ArrayCallError, match="needs_a_string.*must accept a numpy array"):
        adapt(needs_a_string)(np.array([1.0, 2.0]))


def test_adapt_refuses_a_non_callable():
    with pytest.raises(TypeError, match="expected a function of x; got 3"):
        adapt(3)


def test_evaluation_is_silent():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ys = adapt(lambda x: 1 / x)(np.array([-1.0, 0.0, 1.0]))
    assert ys[1] == np.inf


SCALAR_ONLY = [math.sin, math.cos, math.exp, math.atan, python_if, lambda x: abs(x) ** 0.5]


@settings(max_examples=examples(60), deadline=None)
@given(
    st.sampled_from(SCALAR_ONLY),
    st.lists(bounded_floats(-5.0, 5.0), min_size=1, max_size=12),
)
def test_vectorised_equals_pointwise(func, values):
    xs = np.array(values)
    expected = [float(func(float(x))) for x in values]
    np.testing.assert_array_equal(adapt(func)(xs), expected)


# ------------------------------------------------------------------------- labels


def test_label_from_the_registry_for_numpy_and_math():
    assert adapt(np.sin).label() == r"\sin(x)"
    assert adapt(math.sin).label() == r"\sin(x)"
    assert adapt(np.tan).label() == r"\tan(x)"
    assert adapt(np.log).label() == r"\log(x)"
    assert adapt(np.exp).label() == r"e^x"
    assert adapt(cube).label() == r"x^3"
    assert adapt(reciprocal).label() == r"\frac{1}{x}"


def test_explicit_label_wins_and_unknown_function_asks_for_one():
    assert adapt(np.sin, tex=r"\sin x").label() == r"\sin x"
    with pytest.raises(LabelError, match="no TeX label for function halve.*func_tex"):
        adapt(lambda x: x / 2, name="halve").label()


# ------------------------------------------------------------------------ ranges


@pytest.mark.parametrize("bad", [(1.0, 1.0), (2.0, -2.0), (0.0, np.inf), (np.nan, 1.0), "ab"])
def test_x_range_needs_lo_below_hi(bad):
    with pytest.raises(RangeError, match="x_range"):
        check_x_range(bad)


def test_nice_steps():
    assert nice_step(4.0) == 1.0
    assert nice_step(20.0) == 5.0
    assert nice_step(9.0) == 2.0


# ---------------------------------------------------------------------- sampling


def test_tan_has_a_gap_at_each_pole_and_a_sane_y_range():
    curve = sample_curve(np.tan, (-2.0, 2.0))
    np.testing.assert_allclose(curve.breaks, [-np.pi / 2, np.pi / 2], rtol=0, atol=1e-12)
    assert len(curve.runs) == 3
    for xs, _ in curve.runs:  # no run crosses a pole
        assert not np.any((xs.min() < curve.breaks) & (curve.breaks < xs.max()))
    lo, hi = curve.y_range
    # Fitted to tan away from the poles (|tan| <= tan(pi/2 - 0.2) ~ 4.93, plus margins),
    # not to the samples beside them (today's y range is +-141).
    assert 4.9 < hi < 10
    assert -10 < lo < -4.9


def test_unregistered_pole_found_by_sampling():
    curve = sample_curve(lambda x: 1 / (x - 0.3), (-2.0, 2.0))
    np.testing.assert_allclose(curve.breaks, [0.3], rtol=0, atol=1e-9)
    assert len(curve.runs) == 2
    assert curve.y_range[1] < 50


def test_jump_found_by_sampling():
    curve = sample_curve(lambda x: np.where(x < 0.25, 0.0, 1.0), (-1.0, 1.0))
    np.testing.assert_allclose(curve.breaks, [0.25], rtol=0, atol=1e-9)
    assert len(curve.runs) == 2


def test_steep_but_continuous_is_not_a_break():
    curve = sample_curve(lambda x: sigmoid(40 * x), (-1.0, 1.0))
    assert curve.breaks.size == 0
    assert len(curve.runs) == 1


def test_log_on_0_4_is_drawn_over_its_finite_part():
    curve = sample_curve(np.log, (0.0, 4.0))
    assert curve.finite_range[0] < 1e-9
    assert curve.finite_range[1] == 4.0
    xs, ys = curve.runs[0]
    assert xs[-1] == 4.0
    assert ys[-1] == pytest.approx(math.log(4.0), abs=1e-12)
    assert ys.min() == pytest.approx(curve.y_range[0])  # clipped at the bottom of the plot


def test_nowhere_finite_names_the_function_and_x():
    with pytest.raises(DomainError, match=r"function log is not finite anywhere.*f\(-1\.00"):
        sample_curve(np.log, (-2.0, -0.01))


def test_sqrt_reaches_zero_at_its_domain_edge():
    curve = sample_curve(np.sqrt, (-1.0, 1.0))
    assert curve.finite_range[0] == pytest.approx(0.0, abs=1e-12)
    assert curve.y_range[0] < 0.0 < curve.y_range[1]


def polyline_error_px(curve, func, width_px, height_px, n=20001):
    """Largest vertical distance, in pixels, between the drawn runs and the function."""
    lo, hi = curve.x_range
    y_lo, y_hi = curve.y_range
    py = height_px / (y_hi - y_lo)
    worst = 0.0
    for xs, ys in curve.runs:
        dense = np.linspace(xs[0], xs[-1], n)
        truth = np.clip(np.asarray(func(dense), dtype=float), y_lo, y_hi)
        drawn = np.interp(dense, xs, ys)
        worst = max(worst, float(np.max(np.abs(drawn - truth)) * py))
    return worst


def test_sin_3x_on_minus_10_10_is_within_a_pixel_at_1080p():
    width_px, height_px = 7.0 * PX_PER_UNIT, 5.0 * PX_PER_UNIT

    def f(x):
        return np.sin(3 * x)

    curve = sample_curve(f, (-10.0, 10.0), width_px, height_px)
    assert polyline_error_px(curve, f, width_px, height_px) < 1.0
    # Today's 20 samples (one per tick) miss by tens of pixels.
    coarse = np.linspace(-10, 10, 20)
    dense = np.linspace(-10, 10, 20001)
    py = height_px / (curve.y_range[1] - curve.y_range[0])
    assert np.max(np.abs(np.interp(dense, coarse, f(coarse)) - f(dense))) * py > 50


@settings(max_examples=examples(25), deadline=None)
@given(
    st.sampled_from([np.sin, np.cos, np.exp, np.arctan, cube, sigmoid, np.tanh]),
    st.floats(0.5, 6.0),
    bounded_floats(-3.0, 3.0),
    st.floats(0.5, 5.0),
)
def test_drawn_curve_within_a_pixel_property(base, k, shift, half_width):
    def f(x):
        return base(k * (x - shift))

    lo, hi = shift - half_width, shift + half_width
    curve = sample_curve(f, (lo, hi), 945.0, 675.0)
    assert polyline_error_px(curve, f, 945.0, 675.0) < 1.0
    assert len(curve.runs) >= 1
    assert curve.breaks.size == 0


@settings(max_examples=examples(25), deadline=None)
@given(bounded_floats(-1.8, 1.8), st.sampled_from([1.0, -1.0, 3.0]))
@example(2.2e-308, 1.0)  # found by hypothesis: a sample 1e-308 from the pole overflowed
@example(-2.2e-308, 3.0)
def test_pole_anywhere_is_a_gap_property(pole, scale):
    def f(x):
        return scale / (x - pole)

    curve = sample_curve(f, (-2.0, 2.0))
    assert curve.breaks.size == 1
    assert abs(curve.breaks[0] - pole) < 1e-6
    for xs, _ in curve.runs:
        assert not (xs.min() < pole < xs.max())
