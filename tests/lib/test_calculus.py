"""Tests of lib.calculus: the book's deriv, its error, secants, tangents and failures.

Tolerances come from the method: the central difference errs by at most
Δ²/6 · max|f‴| + ε·scale/Δ, the forward difference by Δ/2 · max|f″| + 2ε·scale/Δ
(lib.calculus.*_error_bound), where scale is the size of f near a.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import calculus
from lib.calculus import (
    DELTA,
    DerivativeError,
    KinkError,
    NonFiniteError,
    Secant,
    StepError,
    TangentLine,
    central_difference_error_bound,
    delta_schedule,
    deriv,
    estimate_error,
    exact_derivative,
    forward_difference,
    forward_difference_error_bound,
    near_kink,
    secant,
    tangent_line,
)
from lib.functions import cube, leaky_relu, relu, sigmoid, square
from tests.strategies import bounded_floats, deltas, examples, float_arrays, floats_away_from
from tests.tolerances import EPS, ULPS

# Any warning inside these tests (e.g. numpy's "divide by zero in log") is a failure:
# lib must evaluate f quietly and report a bad value with an exception instead.
pytestmark = pytest.mark.filterwarnings("error")

SCHEDULE = delta_schedule()  # 1, 10^-0.5, ..., 1e-3
A_POINTS = (-2.0, -0.3, 0.7, 1.0, 3.0)


def cube_scale(a: float, delta: float) -> float:
    """Round-off scale of a difference quotient of x³ near a (see the module docstring)."""
    return ULPS * ((abs(a) + delta) ** 3 + (abs(a) + delta) * 3 * (abs(a) + delta) ** 2)


# ---------------------------------------------------------------------------- the API


def test_public_api():
    assert DELTA == 0.001
    assert set(calculus.__all__) == {
        "DELTA",
        "DerivativeError",
        "KinkError",
        "NonFiniteError",
        "Secant",
        "StepError",
        "TangentLine",
        "central_difference_error_bound",
        "delta_schedule",
        "deriv",
        "estimate_error",
        "exact_derivative",
        "forward_difference",
        "forward_difference_error_bound",
        "near_kink",
        "secant",
        "tangent_line",
    }
    for name in ("StepError", "NonFiniteError", "KinkError"):
        assert issubclass(getattr(calculus, name), DerivativeError)
    assert issubclass(DerivativeError, ValueError)
    assert inspect.signature(deriv).parameters["delta"].default == DELTA


def test_deriv_source_is_short_and_ends_with_the_books_formula():
    # A scene shows the book's kernel in a code panel; the validated deriv calls it.
    from lib import book

    lines = [line.strip() for line in inspect.getsource(book.deriv).splitlines()]
    body = lines[lines.index('"""', 1) + 1 :] if '"""' in lines else lines
    code = [line for line in body if line]
    assert lines[0] == "def deriv(func, input_, delta=0.001):"
    assert code[-1] == "return (f_plus - f_minus) / (2 * delta)"
    assert "f_plus = func(input_ + delta)" in code
    assert "f_minus = func(input_ - delta)" in code
    assert len(code) <= 5
    assert "book.deriv(" in inspect.getsource(deriv)


# ------------------------------------------------------------------- shapes and types


def test_deriv_scalar_in_scalar_out():
    out = deriv(square, 3.0)
    assert isinstance(out, np.float64)
    np.testing.assert_allclose(out, 6.0, rtol=0, atol=central_difference_error_bound(DELTA, 0, 40))


@settings(max_examples=examples(50), deadline=None)
@given(float_arrays(0.5, 5.0, max_dims=3))
def test_deriv_is_vectorised(x):
    out = deriv(sigmoid, x)
    assert out.shape == x.shape
    assert out.dtype == np.float64
    elementwise = np.array([deriv(sigmoid, float(v)) for v in x.ravel()]).reshape(x.shape)
    np.testing.assert_array_equal(out, elementwise)


def test_deriv_accepts_lists_ints_and_float32():
    np.testing.assert_allclose(deriv(square, [1, 2]), [2.0, 4.0], rtol=0, atol=1e-12)
    out = deriv(square, np.float32(0.1))
    assert out.dtype == np.float64  # computed in float64: float32 a ± Δ would round badly
    np.testing.assert_allclose(out, 2 * float(np.float32(0.1)), rtol=0, atol=1e-12)


def test_deriv_of_unregistered_function():
    np.testing.assert_allclose(
        deriv(lambda x: x**3, 2.0, 0.1),
        12.0 + 0.01,
        rtol=0,
        atol=central_difference_error_bound(0.1, 0, cube_scale(2.0, 0.1)),
    )


# ------------------------------------------------------------------ order of accuracy


@pytest.mark.parametrize("a", A_POINTS)
@pytest.mark.parametrize("delta", SCHEDULE)
def test_cube_central_error_is_exactly_delta_squared(a, delta):
    # ((a+Δ)³ − (a−Δ)³) / 2Δ = 3a² + Δ²: the error is Δ², only round-off on top.
    tol = central_difference_error_bound(delta, 0.0, cube_scale(a, delta))
    np.testing.assert_allclose(estimate_error(cube, a, delta), delta**2, rtol=0, atol=tol)


@pytest.mark.parametrize("a", A_POINTS)
@pytest.mark.parametrize("delta", [*SCHEDULE, 10.0, 100.0])
def test_square_central_difference_is_exact_for_every_delta(a, delta):
    tol = central_difference_error_bound(delta, 0.0, ULPS * (abs(a) + delta) ** 2)
    np.testing.assert_allclose(deriv(square, a, delta), 2 * a, rtol=0, atol=tol)


@pytest.mark.parametrize("a", A_POINTS)
@pytest.mark.parametrize("delta", SCHEDULE)
def test_square_forward_difference_error_is_exactly_delta(a, delta):
    # ((a+Δ)² − a²) / Δ = 2a + Δ: first order, the secant visibly turns.
    tol = forward_difference_error_bound(delta, 0.0, ULPS * (abs(a) + delta) ** 2)
    np.testing.assert_allclose(forward_difference(square, a, delta), 2 * a + delta, atol=tol)


@pytest.mark.parametrize("a", A_POINTS)
@pytest.mark.parametrize("delta", SCHEDULE)
def test_sin_central_difference_identity(a, delta):
    # (sin(a+Δ) − sin(a−Δ)) / 2Δ = cos(a) · sin(Δ)/Δ exactly.
    tol = central_difference_error_bound(delta, 0.0, ULPS * (1 + abs(a) + delta))
    np.testing.assert_allclose(
        deriv(np.sin, a, delta), math.cos(a) * math.sin(delta) / delta, rtol=0, atol=tol
    )


@pytest.mark.parametrize("a", [0.3, 1.0, 2.5])
def test_sin_central_error_quarters_when_delta_halves(a):
    for delta in SCHEDULE:
        big = estimate_error(np.sin, a, delta)
        small = estimate_error(np.sin, a, delta / 2)
        # err(Δ) = |cos a|(Δ²/6 − Δ⁴/120 + …), so err(Δ)/err(Δ/2) = 4(1 − 3Δ²/80 + …);
        # round-off perturbs each error by at most the bound's ε-term.
        roundoff = central_difference_error_bound(delta / 2, 0.0, ULPS * (1 + a + delta))
        relative = roundoff / small
        tol = 4 * (delta**2 / 10 + 2 * relative)
        np.testing.assert_allclose(big / small, 4.0, rtol=0, atol=tol, err_msg=f"Δ={delta}")


@pytest.mark.parametrize("a", [0.3, 1.0, 2.5])
def test_forward_error_halves_when_delta_halves(a):
    for delta in SCHEDULE:
        err = estimate_error(np.sin, a, delta, kind="forward")
        # err = Δ/2 · |sin a| + O(Δ²): err/Δ → |f″(a)|/2 with a Δ/6 · max|f‴| correction.
        tol = delta / 6 + forward_difference_error_bound(delta, 0.0, ULPS * (1 + a)) / delta
        np.testing.assert_allclose(err / delta, abs(math.sin(a)) / 2, rtol=0, atol=tol)


def test_round_off_dominates_tiny_delta():
    good = estimate_error(np.sin, 1.0, 1e-4)
    tiny = estimate_error(np.sin, 1.0, 1e-12)
    assert tiny > 100 * good
    assert tiny <= central_difference_error_bound(1e-12, 1.0, ULPS * 3)


@settings(max_examples=examples(100), deadline=None)
@given(bounded_floats(-5.0, 5.0), deltas())
def test_sigmoid_error_within_bound(a, delta):
    scale = ULPS * (1 + abs(a) + delta)
    bound = central_difference_error_bound(delta, 1 / 8, scale)
    assert estimate_error(sigmoid, a, delta) <= bound


# ------------------------------------------------------------------------- secants


@pytest.mark.parametrize("a", A_POINTS)
@pytest.mark.parametrize("delta", SCHEDULE)
@pytest.mark.parametrize(
    ("kind", "method", "bound"),
    [
        ("central", deriv, central_difference_error_bound),
        ("forward", forward_difference, forward_difference_error_bound),
    ],
)
def test_secant_slope_equals_difference_quotient(a, delta, kind, method, bound):
    s = secant(cube, a, delta, kind=kind)
    # The secant divides by x1 − x0 as rounded, the quotient by Δ exactly.
    tol = bound(delta, 0.0, cube_scale(a, delta))
    np.testing.assert_allclose(s.slope, method(cube, a, delta), rtol=0, atol=tol)


@pytest.mark.parametrize("kind", ["central", "forward"])
@pytest.mark.parametrize("delta", SCHEDULE)
def test_secant_endpoints_lie_on_the_curve(kind, delta):
    a = 0.7
    s = secant(sigmoid, a, delta, kind=kind)
    assert isinstance(s, Secant)
    assert (s.a, s.delta, s.kind) == (a, delta, kind)
    assert s.y0 == sigmoid(s.x0)
    assert s.y1 == sigmoid(s.x1)
    expected_x0 = a - delta if kind == "central" else a
    assert (s.x0, s.x1) == (expected_x0, a + delta)
    line = s(np.array([s.x0, s.x1]))
    np.testing.assert_allclose(line, [s.y0, s.y1], rtol=0, atol=4 * EPS)
    assert all(isinstance(v, float) for v in (s.a, s.delta, s.x0, s.y0, s.x1, s.y1))


def test_secant_example_values():
    s = secant(square, 1.0, 0.5)
    assert (s.x0, s.y0, s.x1, s.y1, s.slope) == (0.5, 0.25, 1.5, 2.25, 2.0)
    f = secant(square, 1.0, 0.5, kind="forward")
    assert (f.x0, f.y0, f.x1, f.y1, f.slope) == (1.0, 1.0, 1.5, 2.25, 2.5)
    with pytest.raises(AttributeError):
        s.a = 2.0  # frozen


def test_cube_secant_converges_to_tangent():
    tangent = tangent_line(cube, 1.0)
    gaps = [secant(cube, 1.0, d).slope - tangent.slope for d in SCHEDULE]
    assert all(later < earlier for earlier, later in zip(gaps, gaps[1:], strict=False))
    tol = central_difference_error_bound(SCHEDULE, 0.0, cube_scale(1.0, 1.0)).max()
    np.testing.assert_allclose(gaps, SCHEDULE**2, rtol=0, atol=tol)


def test_secant_bad_kind():
    with pytest.raises(ValueError, match="'backward'"):
        secant(cube, 1.0, 0.1, kind="backward")
    with pytest.raises(ValueError, match="'sideways'"):
        estimate_error(cube, 1.0, 0.1, kind="sideways")


def test_secant_needs_scalar_a():
    with pytest.raises(ValueError, match=r"shape \(2,\)"):
        secant(cube, [1.0, 2.0], 0.1)


def test_secant_validates_like_deriv():
    with pytest.raises(StepError):
        secant(cube, 1.0, 0.0)
    with pytest.raises(KinkError):
        secant(leaky_relu, 0.05, 0.1)
    with pytest.raises(KinkError, match="log's pole at 0.0"):  # registered: log's pole
        secant(np.log, 0.05, 0.1)
    with pytest.raises(NonFiniteError):  # unregistered: log(0.05 - 0.1) is NaN
        secant(lambda x: np.log(x), 0.05, 0.1)


# ------------------------------------------------------------------------- tangents


def test_tangent_line_uses_exact_derivative():
    t = tangent_line(sigmoid, 0.0)
    assert isinstance(t, TangentLine)
    assert (t.a, t.fa, t.slope) == (0.0, 0.5, 0.25)
    np.testing.assert_allclose(t(np.array([-2.0, 2.0])), [0.0, 1.0], rtol=0, atol=EPS)


def test_tangent_line_of_unregistered_function_uses_deriv():
    t = tangent_line(lambda x: x**3, 2.0)
    assert t.slope == deriv(lambda x: x**3, 2.0)
    np.testing.assert_allclose(t.slope, 12.0, rtol=0, atol=2 * DELTA**2)


def test_tangent_line_explicit_slope():
    t = tangent_line(square, 1.0, slope=5.0)
    assert t.slope == 5.0
    assert t(2.0) == 6.0


@pytest.mark.parametrize("func", [relu, leaky_relu])
def test_no_tangent_at_a_kink(func):
    with pytest.raises(KinkError, match="no tangent"):
        tangent_line(func, 0.0)
    assert tangent_line(func, 0.0005).slope == 1.0  # the exact slope exists beside it


def test_tangent_line_rejects_non_finite():
    with pytest.raises(NonFiniteError, match="nan"):
        tangent_line(square, float("nan"))
    with pytest.raises(KinkError, match="log's pole at 0.0"):  # registered pole
        tangent_line(np.log, 0.0)
    with pytest.raises(NonFiniteError, match="0.0"):  # unregistered: f(0) = -inf
        tangent_line(lambda x: np.log(x), 0.0)


# ------------------------------------------------------------------- delta schedule


def test_delta_schedule_default():
    steps = delta_schedule()
    assert steps.shape == (7,)
    assert steps[0] == 1.0
    assert steps[-1] == 1e-3
    assert (np.diff(steps) < 0).all()
    np.testing.assert_allclose(steps[1:] / steps[:-1], 10**-0.5, rtol=4 * EPS, atol=0)


@settings(max_examples=examples(100), deadline=None)
@given(
    bounded_floats(1e-6, 10.0),
    bounded_floats(1.5, 1e4),
    st.integers(min_value=2, max_value=50),
)
def test_delta_schedule_properties(stop, ratio, num):
    start = stop * ratio
    steps = delta_schedule(start, stop, num)
    assert steps.shape == (num,)
    assert steps[0] == start
    assert steps[-1] == stop
    assert (np.diff(steps) < 0).all()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        ((1e-3, 1.0, 7), "start"),
        ((1.0, 1.0, 7), "start"),
        ((1.0, 0.0, 7), "stop"),
        ((1.0, -1.0, 7), "stop"),
        ((1.0, 1e-3, 1), "num"),
        ((1.0, 1e-3, 2.5), "num"),
        ((float("inf"), 1e-3, 7), "finite"),
    ],
)
def test_delta_schedule_rejects(args, needle):
    with pytest.raises(ValueError, match=needle):
        delta_schedule(*args)


# -------------------------------------------------------------- errors and their bounds


def test_estimate_error_vectorised():
    a = np.array([[0.5, 1.0], [2.0, -3.0]])
    err = estimate_error(cube, a, 0.1)
    assert err.shape == (2, 2)
    tol = central_difference_error_bound(0.1, 0.0, cube_scale(3.0, 0.1))
    np.testing.assert_allclose(err, np.full((2, 2), 0.01), rtol=0, atol=tol)


def test_estimate_error_needs_registered_function():
    with pytest.raises(DerivativeError, match="<lambda>"):
        estimate_error(lambda x: x, 1.0, 0.1)


def test_error_bound_formulas():
    assert central_difference_error_bound(0.1, 6.0, 0.0) == pytest.approx(0.01, abs=4 * EPS)
    assert central_difference_error_bound(1e-3, 0.0, 2.0) == 2 * EPS / 1e-3
    assert forward_difference_error_bound(0.1, 2.0, 0.0) == pytest.approx(0.1, abs=4 * EPS)
    assert forward_difference_error_bound(1e-3, 0.0, 2.0) == 4 * EPS / 1e-3
    both = central_difference_error_bound(np.array([0.1, 0.01]), 6.0, 0.0)
    np.testing.assert_allclose(both, [1e-2, 1e-4], rtol=1e-12, atol=0)
    # The bound is minimal near Δ = (3ε·scale/M)^(1/3) ≈ 1e-5 for M = scale = 1.
    grid = np.geomspace(1e-9, 1e-1, 81)
    best = grid[np.argmin(central_difference_error_bound(grid, 1.0, 1.0))]
    np.testing.assert_allclose(best, (3 * EPS) ** (1 / 3), rtol=0.15, atol=0)


@pytest.mark.parametrize("bound", [central_difference_error_bound, forward_difference_error_bound])
@pytest.mark.parametrize("delta", [0.0, -1.0])
def test_error_bounds_reject_bad_delta(bound, delta):
    with pytest.raises(ValueError, match="delta"):
        bound(delta, 1.0)


def test_exact_derivative():
    np.testing.assert_array_equal(exact_derivative(cube, [1.0, 2.0]), [3.0, 12.0])
    assert exact_derivative(np.cos, 0.0) == 0.0


def test_exact_derivative_of_unregistered_lambda_raises():
    with pytest.raises(DerivativeError, match="<lambda>.*register"):
        exact_derivative(lambda x: 2 * x, 1.0)


def unregistered_helper(x):
    return x


def test_exact_derivative_names_the_function():
    with pytest.raises(DerivativeError, match="unregistered_helper"):
        exact_derivative(unregistered_helper, 1.0)


# ------------------------------------------------------------------------- kinks


def test_deriv_near_leaky_relu_kink_raises_and_near_kink_flags_it():
    assert near_kink(leaky_relu, 0.0005, DELTA)
    with pytest.raises(KinkError) as info:
        deriv(leaky_relu, 0.0005)
    message = str(info.value)
    for needle in ("0.0005", "0.001", "kink at 0.0", "leaky_relu", "mean of the one-sided"):
        assert needle in message


def test_near_kink_boundaries_and_shapes():
    flags = near_kink(leaky_relu, np.array([[-0.002, -0.001], [0.0, 0.0011]]), DELTA)
    np.testing.assert_array_equal(flags, [[False, True], [True, False]])
    assert not near_kink(np.sin, 0.0, DELTA)  # unregistered kinks: none known
    assert not near_kink(lambda x: abs(x), 0.0, DELTA)
    with pytest.raises(StepError):
        near_kink(relu, 1.0, -1.0)


def test_kink_in_an_array_names_the_point():
    with pytest.raises(KinkError, match=r"a=-0\.0002"):
        deriv(relu, [1.0, -0.0002, 2.0])
    with pytest.raises(KinkError, match="forward difference"):
        forward_difference(relu, 0.0002)


@settings(max_examples=examples(100), deadline=None)
@given(deltas(), st.data())
def test_points_ten_deltas_from_kink_are_accepted(delta, data):
    a = data.draw(floats_away_from([0.0], 10 * delta, -1.0, 1.0))
    assert not near_kink(leaky_relu, a, delta)
    expected = 1.0 if a > 0 else 0.2
    np.testing.assert_allclose(deriv(leaky_relu, a, delta), expected, rtol=0, atol=1e-10)


@settings(max_examples=examples(100), deadline=None)
@given(deltas(), st.data())
def test_points_within_delta_of_kink_raise(delta, data):
    a = data.draw(bounded_floats(-delta, delta))
    assert near_kink(leaky_relu, a, delta)
    with pytest.raises(KinkError):
        deriv(leaky_relu, a, delta)


# ------------------------------------------------------------------ bad steps and values


@pytest.mark.parametrize(
    ("delta", "needle"),
    [(0, "delta=0"), (-1, "delta=-1"), (float("nan"), "delta=nan"), (float("inf"), "inf")],
)
@pytest.mark.parametrize("method", [deriv, forward_difference])
def test_bad_delta_raises_step_error(method, delta, needle):
    with pytest.raises(StepError, match="positive finite") as info:
        method(square, 1.0, delta)
    assert needle in str(info.value)


def test_array_delta_is_rejected():
    with pytest.raises(StepError, match="single"):
        deriv(square, 1.0, np.array([0.1, 0.01]))


def test_delta_too_small_for_a():
    with pytest.raises(StepError) as info:
        deriv(square, 1.0, 1e-20)
    message = str(info.value)
    assert "1e-20" in message
    assert "input_=1.0" in message
    assert "expected" in message


def test_delta_too_small_names_index_in_array():
    with pytest.raises(StepError, match=r"input_=1000000\.0 at index \(1,\)"):
        deriv(square, [1e-6, 1e6], 1e-12)


@pytest.mark.parametrize(("method", "a"), [(deriv, DELTA), (forward_difference, 0.0)])
def test_log_at_zero_raises_non_finite(method, a):
    # deriv evaluates log at a − Δ = 0, the forward difference at a = 0: −inf.
    def log(x):  # unregistered (np.log itself is registered with its pole at 0)
        return np.log(x)

    with pytest.raises(NonFiniteError, match=r"log\(x\) is not finite at x=0\.0"):
        method(log, a)
    with pytest.raises(KinkError, match="log's pole at 0.0"):
        method(np.log, a)


def test_function_returning_inf_names_the_point():
    def blows_up(x):
        return np.where(x > 1.0, np.inf, x)

    with pytest.raises(NonFiniteError, match=r"blows_up.*x=1\.5 at index \(1,\)"):
        deriv(blows_up, [0.0, 1.5 - 0.25], 0.25)


def test_non_finite_input_raises():
    with pytest.raises(NonFiniteError, match="nan"):
        deriv(square, [1.0, float("nan")])
    with pytest.raises(NonFiniteError, match="inf"):
        deriv(square, float("inf"))
