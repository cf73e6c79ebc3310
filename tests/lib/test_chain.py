"""Tests of lib.chain: stages, local derivatives, the chain rule, nudges, kinks."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from lib.calculus import DELTA, StepError
from lib.chain import (
    NestedFunction,
    Nudge,
    chain_deriv_2,
    chain_deriv_3,
    chain_length_2,
    chain_length_3,
)
from lib.functions import (
    FUNCTIONS,
    leaky_relu,
    leaky_relu_deriv,
    relu,
    sigmoid,
    sigmoid_deriv,
    spec_of,
    square,
)
from tests.strategies import BUILTIN_FUNCTION_NAMES, bounded_floats, examples
from tests.tolerances import EPS

# ---------------------------------------------------------------- strategies

X_RANGE = (-3.0, 3.0)
"""Inputs of the hypothesis chains (the book plots its chains over [-3, 3])."""

STAGE_BOUND = 20.0
"""Every wire must stay within ±STAGE_BOUND, so exp and cube chains stay finite and
their derivatives moderate."""

KINK_MARGIN = 0.05
"""Every stage input must be this far from its function's kinks."""

H = 1e-4
"""Step of the reference central difference of the composed function."""

K = 1e-2
"""Step of the 5-point stencil that estimates F‴ for the tolerance (K ≫ H)."""

STENCIL = np.array([-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2]) * K
"""Offsets from x at which kink-freedom is required (covers [x − 2K, x + 2K])."""


@st.composite
def chains_and_points(draw, length: int):
    """(NestedFunction, x): a chain of ``length`` built-in functions and a point where
    every stage is finite, bounded and, over [x − 2K, x + 2K], on one side of every kink
    and at least KINK_MARGIN from it."""
    names = draw(
        st.lists(st.sampled_from(BUILTIN_FUNCTION_NAMES), min_size=length, max_size=length)
    )
    x = draw(bounded_floats(*X_RANGE))
    funcs = [FUNCTIONS[n].func for n in names]
    points = x + STENCIL
    with np.errstate(all="ignore"):
        stage_values = [points]
        for f in funcs:
            stage_values.append(np.asarray(f(stage_values[-1]), dtype=np.float64))
    values = np.array(stage_values)
    assume(np.all(np.isfinite(values)) and np.all(np.abs(values) <= STAGE_BOUND))
    for f, inputs in zip(funcs, stage_values, strict=False):
        for kink in FUNCTIONS[spec_of(f).name].kinks:
            side = np.sign(inputs - kink)
            assume(np.all(side == side[0]) and np.all(np.abs(inputs - kink) >= KINK_MARGIN))
    return NestedFunction(funcs), x


# ---------------------------------------------------------------- helpers


def compose(funcs: list[Callable], x):
    """Manual composition f_n(...f_1(x)...), the reference for stages."""
    out = np.asarray(x, dtype=np.float64)
    for f in funcs:
        out = f(out)
    return out


def central_difference(f: Callable, x: float, h: float) -> float:
    """(F(x+h) − F(x−h)) / (actual step): the reference derivative."""
    xp, xm = x + h, x - h
    return float((f(xp) - f(xm)) / (xp - xm))


def third_derivative_estimate(f: Callable, x: float, k: float) -> float:
    """F‴(x) ≈ (F(x+2k) − 2F(x+k) + 2F(x−k) − F(x−2k)) / (2k³), error O(k²·F⁽⁵⁾)."""
    v = [float(f(x + j * k)) for j in (2, 1, -1, -2)]
    return (v[0] - 2 * v[1] + 2 * v[2] - v[3]) / (2 * k**3)


def roundoff_scale(f: NestedFunction, t: float) -> float:
    """Σᵢ |uᵢ|·|∂F/∂uᵢ| at t: how far the rounding of every wire moves F(t).

    Computed from the registry's derivatives, independently of NestedFunction."""
    stages = [float(u) for u in compose_stages(list(f.functions), t)]
    local = [float(spec_of(g).derivative(u)) for g, u in zip(f.functions, stages, strict=False)]
    downstream = [float(np.prod(local[i:])) for i in range(len(local) + 1)]  # ∂F/∂uᵢ
    return sum(abs(u) * abs(d) for u, d in zip(stages, downstream, strict=True))


def compose_stages(funcs: list[Callable], x) -> list:
    """[x, f1(x), f2(f1(x)), ...] by manual composition."""
    out = [np.asarray(x, dtype=np.float64)]
    for g in funcs:
        out.append(g(out[-1]))
    return out


class Counting:
    """Wrap a function, recording every argument it is called with."""

    def __init__(self, func: Callable) -> None:
        self.func = func
        self.__name__ = f"counting_{getattr(func, '__name__', 'f')}"
        self.calls: list[np.ndarray] = []

    def __call__(self, x):
        self.calls.append(np.array(x, copy=True))
        return self.func(x)


BOOK_CHAINS_2 = [[square, sigmoid], [sigmoid, square]]
BOOK_CHAINS_3 = [[leaky_relu, square, sigmoid], [leaky_relu, sigmoid, square]]
BOOK_X = np.linspace(-3, 3, 60)  # 60 points: 0 (leaky_relu's kink) is not among them


# ---------------------------------------------------------------- stages


@settings(max_examples=examples(100), deadline=None)
@given(data=st.data(), length=st.sampled_from([1, 2, 3, 5]))
def test_stages_equal_manual_composition(data, length):
    f, x = data.draw(chains_and_points(length))
    xs = x + STENCIL
    stages = f.stages(xs)
    assert len(stages) == length + 1
    for i in range(length + 1):
        # Same operations in the same order: bitwise equal, so atol=0.
        assert_allclose(stages[i], compose(list(f.functions[:i]), xs), rtol=0, atol=0)
    assert_allclose(f(xs), stages[-1], rtol=0, atol=0)


@pytest.mark.parametrize("chain", BOOK_CHAINS_2 + BOOK_CHAINS_3)
def test_book_chain_values(chain):
    f = chain_length_2 if len(chain) == 2 else chain_length_3
    assert_allclose(f(chain, BOOK_X), compose(chain, BOOK_X), rtol=0, atol=0)


def test_stages_are_float64_and_keep_shape():
    x = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)
    stages = NestedFunction([square, sigmoid]).stages(x)
    assert [s.dtype for s in stages] == [np.float64] * 3
    assert [s.shape for s in stages] == [(2, 3)] * 3


def test_non_elementwise_function_is_rejected():
    def total(x):
        return np.sum(x)

    f = NestedFunction([square, total])
    with pytest.raises(ValueError, match=r"functions\[1\] \(total\) returned shape \(\)"):
        f.stages([1.0, 2.0])


# ---------------------------------------------------------------- chain rule


@pytest.mark.parametrize("length", [1, 2, 3, 5])
@settings(max_examples=examples(150), deadline=None)
@given(data=st.data())
def test_chain_rule_equals_central_difference(data, length):
    f, x = data.draw(chains_and_points(length))
    analytic = float(f.derivative(x))
    numeric = central_difference(f, x, H)
    # Tolerance, from the Taylor expansion of the central difference with step h:
    #   D(h) − F′(x) = h²/6 · F‴(x) + O(h⁴·F⁽⁵⁾) + (round-off of the two F values)/(2h).
    # The truncation term is measured, not guessed: D(2H) − D(H) = 3·(H²/6)·F‴ + O(H⁴),
    # so |D(2H) − D(H)|/3 estimates it from the curve itself (Richardson); a 5-point
    # stencil of F‴ with step K gives a second estimate and the larger one, doubled for
    # the neglected O(H⁴) terms, is used. Each F value carries ≲ 4ε·Σᵢ|uᵢ|·|∂F/∂uᵢ| of
    # round-off: stage uᵢ is rounded by ε|uᵢ| (a few ulps inside the function) and the
    # rest of the chain multiplies that by ∂F/∂uᵢ; i = 0 is the rounding of x ± H. The
    # F values are taken at x ± H, so the scale is the larger of the two there. The
    # chain-rule product itself is exact to n·ε·|F′| (4 for safety).
    roundoff = 4 * EPS * max(roundoff_scale(f, x + H), roundoff_scale(f, x - H))
    richardson = abs(central_difference(f, x, 2 * H) - numeric) / 3
    stencil = H**2 / 6 * abs(third_derivative_estimate(f, x, K))
    truncation = 2 * max(richardson, stencil)
    # The Richardson difference also carries the round-off of D(2H): + roundoff/(2H)/3.
    tol = truncation + 2 * roundoff / H + 4 * length * EPS * abs(analytic) + 1e-300
    assert_allclose(analytic, numeric, rtol=0, atol=tol)


@pytest.mark.parametrize("chain", BOOK_CHAINS_2)
def test_chain_deriv_2_closed_form(chain):
    if chain[0] is square:
        expected = sigmoid_deriv(BOOK_X**2) * 2 * BOOK_X
    else:
        expected = 2 * sigmoid(BOOK_X) * sigmoid_deriv(BOOK_X)
    # Same products in another order: a few ulps of |F′| ≤ 1.
    assert_allclose(chain_deriv_2(chain, BOOK_X), expected, rtol=0, atol=8 * EPS)


@pytest.mark.parametrize("chain", BOOK_CHAINS_3)
def test_chain_deriv_3_closed_form(chain):
    lr, dlr = leaky_relu(BOOK_X), leaky_relu_deriv(BOOK_X)
    if chain[1] is square:
        expected = sigmoid_deriv(lr**2) * 2 * lr * dlr
    else:
        expected = 2 * sigmoid(lr) * sigmoid_deriv(lr) * dlr
    assert_allclose(chain_deriv_3(chain, BOOK_X), expected, rtol=0, atol=16 * EPS)


def test_derivative_is_vectorised():
    f = NestedFunction([leaky_relu, sigmoid, square])
    grid = BOOK_X.reshape(6, 10)
    pointwise = np.array([float(f.derivative(x)) for x in grid.ravel()]).reshape(6, 10)
    assert f.derivative(grid).shape == (6, 10)
    assert_allclose(f.derivative(grid), pointwise, rtol=0, atol=0)


def test_local_derivatives_are_taken_at_each_stage():
    f = NestedFunction([square, sigmoid, np.sin])
    x = np.array([-1.5, 0.3, 2.0])
    u1 = x**2
    u2 = sigmoid(u1)
    local = f.local_derivatives(x)
    assert len(local) == 3
    assert_allclose(local[0], 2 * x, rtol=0, atol=0)
    assert_allclose(local[1], sigmoid_deriv(u1), rtol=0, atol=0)
    assert_allclose(local[2], np.cos(u2), rtol=0, atol=0)
    assert f.derivative_sources == ("analytic", "analytic", "analytic")


def test_unregistered_function_falls_back_to_central_difference():
    def triple(x):
        return 3 * x

    f = NestedFunction([triple, sigmoid])
    assert f.derivative_sources == ("numeric", "analytic")
    x = np.linspace(-2, 2, 9)
    # deriv of a linear function is exact up to round-off: ε·|3x|/Δ ≲ 2e-12.
    assert_allclose(f.local_derivatives(x)[0], 3.0, rtol=0, atol=4 * EPS * 6 / DELTA)
    assert_allclose(f.derivative(x), 3 * sigmoid_deriv(3 * x), rtol=0, atol=4 * EPS * 6 / DELTA)


def test_explicit_derivatives_override_numeric():
    def triple(x):
        return 3 * x

    f = NestedFunction([triple, sigmoid], derivatives=[lambda x: np.full_like(x, 3.0), None])
    assert f.derivative_sources == ("analytic", "analytic")
    assert_allclose(f.derivative(0.0), 0.75, rtol=0, atol=0)


# ---------------------------------------------------------------- calls


def test_each_function_runs_once_per_stage():
    counters = [Counting(square), Counting(sigmoid), Counting(leaky_relu)]
    derivs = [spec_of(c.func).derivative for c in counters]
    f = NestedFunction(counters, derivatives=derivs)
    x = np.linspace(-2, 2, 5)

    f.stages(x)
    assert [len(c.calls) for c in counters] == [1, 1, 1]
    f.derivative(x)
    assert [len(c.calls) for c in counters] == [2, 2, 2]
    f.local_derivatives(x)
    assert [len(c.calls) for c in counters] == [3, 3, 3]
    nudge = f.nudge(x, 1e-3)  # one unnudged and one nudged forward pass
    assert [len(c.calls) for c in counters] == [5, 5, 5]
    assert_allclose(nudge.multipliers[1], sigmoid_deriv(x**2), rtol=0, atol=0)


def test_chain_deriv_2_evaluates_f1_at_x_once():
    # The book's chain_deriv_2 evaluates f1(x) twice; here the numeric fallback
    # evaluates f1 at x ± Δ, but at x itself only once.
    f1, f2 = Counting(square), Counting(sigmoid)
    x = np.array([0.5, 1.0, 2.0])
    chain_deriv_2([f1, f2], x)
    at_x = [c for c in f1.calls if c.shape == x.shape and np.array_equal(c, x)]
    assert len(at_x) == 1
    # f2 itself is not needed at u = f1(x), only its derivative there (u ± Δ here).
    at_u = [c for c in f2.calls if c.shape == x.shape and np.array_equal(c, x**2)]
    assert len(at_u) == 0
    # Only within Δ of u: the central difference, and deriv's check that no pole lies between.
    u = x**2
    assert all(np.all(np.abs(c - u) <= 1e-3 + 1e-12) for c in f2.calls)
    assert any(np.array_equal(c, u + 1e-3) for c in f2.calls)
    assert any(np.array_equal(c, u - 1e-3) for c in f2.calls)


# ---------------------------------------------------------------- nudges


def test_nudge_records_every_wire():
    f = NestedFunction([leaky_relu, square, sigmoid])
    x = np.array([-1.0, 0.5, 2.0])
    eps = 1e-3
    nudge = f.nudge(x, eps)
    assert isinstance(nudge, Nudge)
    assert nudge.epsilon == eps
    assert len(nudge.stages) == len(nudge.nudged_stages) == len(nudge.changes) == 4
    assert len(nudge.multipliers) == 3
    assert_allclose(nudge.changes[0], eps, rtol=0, atol=0)
    for s, ns, c in zip(nudge.stages, nudge.nudged_stages, nudge.changes, strict=True):
        assert_allclose(c, ns - s, rtol=0, atol=EPS)
    assert_allclose(nudge.nudged_stages[-1], f(x + eps), rtol=0, atol=0)
    assert_allclose(nudge.ratio, nudge.changes[-1] / eps, rtol=0, atol=0)
    # Each factory multiplies the change by its local derivative, up to O(ε²):
    # |Δuᵢ − ε·Πⱼ<ᵢ fⱼ′| ≤ ε²·max|(f_i∘…∘f_1)″|/2; here every |(…)″| ≤ 2 (square's),
    # times the 0.2 or 1 slopes and σ′ ≤ 1/4, so 2ε² bounds it (plus 4ε round-off).
    for c, p in zip(nudge.changes, nudge.predicted_changes, strict=True):
        assert_allclose(c, p, rtol=0, atol=2 * eps**2 + 4 * EPS)


def test_nudge_ratio_converges_to_derivative_linearly():
    # F(x) = σ(x²) at x = 0.5. The forward difference (the nudge ratio) has error
    #   r(ε) − F′ = ε/2·F″ + ε²/6·F‴ + O(ε³) + (round-off ≲ 2ε_mach·|F|/ε),
    # so (r(ε) − F′)/ε → F″/2, with relative deviation ≤ ε·|F‴|/(3|F″|) + round-off.
    f = NestedFunction([square, sigmoid])
    x = 0.5
    u = x**2
    s1 = sigmoid_deriv(u)
    s2 = s1 * (1 - 2 * sigmoid(u))
    f2 = s2 * (2 * x) ** 2 + 2 * s1  # F″ = σ″(x²)·4x² + 2σ′(x²)
    # |F‴| from the second difference of F′ (step K); doubled to bound it over [x, x + ε].
    f3 = 2 * abs(float(f.derivative(x + K) - 2 * f.derivative(x) + f.derivative(x - K)) / K**2)
    epsilons = [1e-2, 1e-3, 1e-4, 1e-5]
    errors = [float(f.nudge(x, e).ratio - f.derivative(x)) for e in epsilons]
    rel_dev = [
        e * f3 / (3 * abs(f2)) + 4 * EPS * abs(float(f(x))) / (e**2 * abs(f2) / 2) for e in epsilons
    ]
    for e, err, d in zip(epsilons, errors, rel_dev, strict=True):
        assert_allclose(err / e, f2 / 2, rtol=0, atol=d * abs(f2) / 2)
    # Error ratio ~ ε: a tenfold smaller ε gives a tenfold smaller error, up to the
    # relative deviations d of both: 10·(1 + d₁)/(1 + d₂) − 10 ≲ 10·2·(|d₁| + |d₂|).
    for i in range(len(epsilons) - 1):
        assert_allclose(
            errors[i] / errors[i + 1], 10.0, rtol=0, atol=10 * 2 * (rel_dev[i] + rel_dev[i + 1])
        )


@pytest.mark.parametrize("epsilon", [0.0, np.inf, np.nan, [1e-3, 1e-3]])
def test_nudge_rejects_bad_epsilon(epsilon):
    with pytest.raises(ValueError, match="epsilon must be"):
        NestedFunction([square]).nudge(1.0, epsilon)


def test_negative_nudge():
    nudge = NestedFunction([square]).nudge(1.0, -0.1)
    assert_allclose(nudge.changes[1], 0.81 - 1.0, rtol=0, atol=4 * EPS)


# ---------------------------------------------------------------- kinks


def test_kinks_crossed_at_each_stage():
    f = NestedFunction([leaky_relu, square, sigmoid])
    flags = f.kinks_crossed([-1.0, -DELTA / 2, 0.0, DELTA / 2, 0.5])
    assert flags.tolist() == [False, True, True, True, False]


def test_kink_inside_the_chain_is_found_at_that_stage():
    def minus_one(x):
        return x - 1

    f = NestedFunction([minus_one, relu])
    mask = f.kink_mask([0.0, 1.0, 1.0005, 3.0])
    assert mask.shape == (2, 4)
    assert mask[0].tolist() == [False] * 4  # minus_one is unregistered: no known kinks
    assert mask[1].tolist() == [False, True, True, False]
    assert f.kinks_crossed(1.0005, delta=1e-4).tolist() is False
    assert NestedFunction([square, relu]).kinks_crossed(0.0).tolist() is True


def test_kinks_crossed_rejects_bad_delta():
    with pytest.raises(StepError):
        NestedFunction([relu]).kinks_crossed(1.0, delta=-1.0)


# ---------------------------------------------------------------- validation


def test_names():
    def my_func(x):
        return x

    assert NestedFunction([leaky_relu, my_func, np.sin]).names == ("leaky_relu", "my_func", "sin")


def test_list_is_stored_as_tuple_and_hashable():
    f = NestedFunction([square, sigmoid])
    assert f.functions == (square, sigmoid)
    assert f == NestedFunction((square, sigmoid))
    assert len(f) == 2
    hash(f)


def test_empty_chain_is_rejected():
    with pytest.raises(ValueError, match="at least one function"):
        NestedFunction([])


def test_non_callable_item_is_named():
    with pytest.raises(TypeError, match=r"functions\[1\] is not callable: 3\.0 \(type float\)"):
        NestedFunction([square, 3.0])


def test_bare_function_is_rejected():
    with pytest.raises(TypeError, match="sequence of callables"):
        NestedFunction(square)


def test_derivatives_length_and_type_are_checked():
    with pytest.raises(ValueError, match="derivatives has length 1; expected 2"):
        NestedFunction([square, sigmoid], derivatives=[None])
    with pytest.raises(TypeError, match=r"derivatives\[0\]"):
        NestedFunction([square], derivatives=["2x"])


@pytest.mark.parametrize(
    ("func", "length"),
    [(chain_length_2, 3), (chain_deriv_2, 1), (chain_length_3, 2), (chain_deriv_3, 4)],
)
def test_book_wrappers_check_the_length(func, length):
    chain = [square] * length
    with pytest.raises(
        ValueError, match=f"{func.__name__} needs a chain of length \\d, got length {length}"
    ):
        func(chain, 1.0)
