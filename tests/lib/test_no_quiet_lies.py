"""Issue 11, "the library must not lie quietly": each item, with the right value."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.calculus import DerivativeError, KinkError, NonFiniteError, StepError, deriv, secant
from lib.chain import chain_deriv_2
from lib.functions import reciprocal, sigmoid, sigmoid_deriv, square
from lib.graph import gradient_check
from lib.network import init_network, train
from tests.strategies import bounded_floats, examples


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_under_any_error_state(dtype):
    x = np.array([-1000, -100, 0, 100, 1000], dtype=dtype)
    with np.errstate(all="raise"):
        y = sigmoid(x)
        dy = sigmoid_deriv(x)
    np.testing.assert_array_equal(y[[0, 2, 4]], [0.0, 0.5, 1.0])
    assert y.dtype == dtype
    assert dy.dtype == dtype
    assert np.all(np.isfinite(dy))


def test_sigmoid_deriv_is_symmetric():
    x = np.linspace(0, 60, 241)
    np.testing.assert_array_equal(sigmoid_deriv(x), sigmoid_deriv(-x))
    # sigma'(40) = e^-40 / (1 + e^-40)^2 = 4.248e-18, not 0.
    assert sigmoid_deriv(40.0) == pytest.approx(np.exp(-40.0), rel=1e-12)


@pytest.mark.parametrize(
    ("func", "a"),
    [
        (lambda x: 1 / x, 0.0005),  # returned +1.33e6; the true value is -4e6
        (lambda x: 1 / x, 0.0),  # returned 1e6 at the pole
        (lambda x: np.tan(x), np.pi / 2 - 1e-4),  # returned -1.01e6; true +1e8
        (np.tan, np.pi / 2 - 1e-4),  # registered: its periodic pole
        (np.tan, -np.pi / 2 + 5e-4),
        (reciprocal, 0.0005),
    ],
)
def test_central_difference_across_a_pole_is_refused(func, a):
    with pytest.raises(KinkError, match="pole"):
        deriv(func, a)


def test_near_but_not_across_a_pole_is_right():
    # 1/x at 0.01 with delta = 0.001: (1/0.011 - 1/0.009)/0.002 = -1/(0.011*0.009).
    assert deriv(lambda x: 1 / x, 0.01) == pytest.approx(-1 / (0.011 * 0.009), rel=1e-12)
    # A smooth extremum is not a pole: cos at 0, x**4 at 0.
    assert deriv(np.cos, 0.0) == 0.0
    assert deriv(lambda x: x**4, 0.0) == 0.0


def test_string_delta_is_refused_with_step_error():
    with pytest.raises(StepError, match="delta='0.001'"):
        deriv(square, 3.0, "0.001")
    with pytest.raises(StepError):
        secant(square, 3.0, "0.5")


def test_validated_delta_is_the_one_used():
    assert deriv(square, 3.0, np.float32(0.5)) == 6.0
    assert deriv(square, 3.0, 1) == 6.0


def test_chain_deriv_2_overflow_raises_like_deriv_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(NonFiniteError, match=r"\['exp', 'exp'\].*x=10\.0"):
            chain_deriv_2([np.exp, np.exp], 10)
        with pytest.raises(NonFiniteError):
            deriv(lambda x: np.exp(np.exp(x)), 10.0)


def test_chain_with_a_pole_names_the_chain_and_x():
    with pytest.raises(NonFiniteError, match=r"\['square', 'reciprocal'\].*x=0\.0"):
        chain_deriv_2([square, reciprocal], 0.0)
    # Away from the pole: d/dx (1/x^2) = -2/x^3.
    assert float(chain_deriv_2([square, reciprocal], 2.0)) == pytest.approx(-0.25, abs=1e-15)


X = [[0.5, -1.0, 2.0], [1.5, 0.0, -0.5]]
W = [[0.2], [0.4], [-0.3]]


def test_gradient_check_reports_nan_for_a_nan_gradient():
    X_nan = np.array(X)
    X_nan[0, 1] = np.nan
    check = gradient_check(X_nan, W)
    assert np.all(np.isnan(check.rel_error))
    assert not np.any(check.rel_error < 1e-6)  # a tolerance check fails, as it must


def test_gradient_check_inf_in_x_for_w_is_nan_not_zero():
    X_inf = np.array(X)
    X_inf[0, 1] = np.inf
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check = gradient_check(X_inf, W, which="W")
    assert np.isnan(check.rel_error[1, 0])
    assert np.all(check.rel_error[[0, 2], 0] < 1e-8)  # the finite elements still check


def test_gradient_check_still_passes_on_good_input():
    check = gradient_check(X, W)
    assert np.all(check.rel_error < 1e-7)


def test_train_names_nan_in_x_up_front(rng):
    net = init_network((1, 4, 1), rng)
    X_bad = np.array([[0.0], [np.nan], [1.0]])
    with pytest.raises(ValueError, match=r"X must be finite; X\[1, 0\] = nan"):
        train(net, X_bad, np.zeros((3, 1)), learning_rate=0.1, steps=5)
    with pytest.raises(ValueError, match=r"Y must be finite; Y\[0, 0\] = inf"):
        train(net, np.zeros((3, 1)), np.array([[np.inf], [0], [0]]), 0.1, 5)


def test_train_refuses_an_empty_batch(rng):
    net = init_network((1, 4, 1), rng)
    with pytest.raises(ValueError, match="no rows"):
        train(net, np.zeros((0, 1)), np.zeros((0, 1)), learning_rate=0.1, steps=5)


def test_errors_are_value_errors():
    # Every refusal is one clear ValueError subclass, not a numpy traceback.
    assert issubclass(KinkError, DerivativeError)
    assert issubclass(DerivativeError, ValueError)


@settings(max_examples=examples(80), deadline=None)
@given(st.floats(0.5, 6.0), bounded_floats(-5.0, 5.0), st.floats(1e-4, 1.0))
def test_smooth_functions_are_never_refused(k, a, delta):
    # A wide stencil over a turning sine looks like a pole to the cheap signature;
    # the bisection clears it, and the value is the plain central difference.
    def f(x):
        return np.sin(k * x)

    expected = (np.sin(k * (a + delta)) - np.sin(k * (a - delta))) / (2 * delta)
    assert float(deriv(f, a, delta)) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@settings(max_examples=examples(80), deadline=None)
@given(bounded_floats(-5.0, 5.0), st.floats(0.0, 0.999), st.sampled_from([1.0, -2.0]))
def test_any_pole_inside_the_stencil_is_refused(pole, fraction, scale):
    delta = 1e-3
    a = pole + fraction * delta  # the pole lies within [a - delta, a + delta]

    def f(x):
        return scale / (x - pole)

    with pytest.raises((KinkError, NonFiniteError)):
        deriv(f, a, delta)
