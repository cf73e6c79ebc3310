"""Tests of lib.functions: values, analytic derivatives, sigmoid stability, the registry."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import functions
from lib.calculus import (
    KinkError,
    central_difference_error_bound,
    deriv,
    exact_derivative,
    forward_difference,
    forward_difference_error_bound,
)
from lib.functions import (
    FUNCTIONS,
    LEAKY_SLOPE,
    FunctionSpec,
    cube,
    get_function,
    leaky_relu,
    leaky_relu_deriv,
    register,
    relu,
    relu_deriv,
    sigmoid,
    sigmoid_deriv,
    spec_of,
    square,
)
from tests.strategies import (
    BUILTIN_FUNCTION_NAMES,
    SIGMOID_RANGE,
    bounded_floats,
    examples,
    float_arrays,
    function_names,
    points_for_deriv,
)
from tests.tolerances import EPS, ULPS


@dataclass(frozen=True)
class Bounds:
    """Bounds of |f″| and |f‴| over [a − Δ, a + Δ], as functions of (a, Δ)."""

    second: Callable[[float, float], float]
    third: Callable[[float, float], float]


# Maxima of |f''| and |f'''| (sigmoid: 1/(6√3) and 1/8 at 0; tanh: 4/(3√3) and 2 at 0).
BOUNDS: dict[str, Bounds] = {
    "square": Bounds(lambda a, d: 2.0, lambda a, d: 0.0),
    "cube": Bounds(lambda a, d: 6 * (abs(a) + d), lambda a, d: 6.0),
    "sigmoid": Bounds(lambda a, d: 1 / (6 * math.sqrt(3)), lambda a, d: 1 / 8),
    "tanh": Bounds(lambda a, d: 4 / (3 * math.sqrt(3)), lambda a, d: 2.0),
    "relu": Bounds(lambda a, d: 0.0, lambda a, d: 0.0),
    "leaky_relu": Bounds(lambda a, d: 0.0, lambda a, d: 0.0),
    "sin": Bounds(lambda a, d: 1.0, lambda a, d: 1.0),
    "cos": Bounds(lambda a, d: 1.0, lambda a, d: 1.0),
    "exp": Bounds(lambda a, d: math.exp(a + d), lambda a, d: math.exp(a + d)),
    "abs": Bounds(lambda a, d: 0.0, lambda a, d: 0.0),
    # arctan: f2 = -2x/(1+x^2)^2, max 3*sqrt(3)/8; f3 = (6x^2 - 2)/(1+x^2)^3, max 2 at 0.
    "arctan": Bounds(lambda a, d: 3 * math.sqrt(3) / 8, lambda a, d: 2.0),
}


def value_scale(func: Callable, a: float, delta: float) -> float:
    """Round-off scale of a difference quotient at a: the size of f near a, plus the
    rounding of a ± Δ magnified by f′ (see central_difference_error_bound)."""
    values = np.abs(func(np.array([a - delta, a, a + delta])))
    slope = abs(float(exact_derivative(func, a)))
    # The (|a| + Δ)·|f′| term also covers the rounding of the quotient itself, ε·|f′|.
    return ULPS * (float(values.max()) + (abs(a) + delta) * slope)


def test_bounds_cover_every_builtin_function():
    assert set(BOUNDS) == set(BUILTIN_FUNCTION_NAMES)


# ----------------------------------------------------------------- analytic vs numerical


@settings(max_examples=examples(300), deadline=None)
@given(points_for_deriv())
def test_deriv_matches_registered_derivative(case):
    name, a, delta = case
    func = FUNCTIONS[name].func
    bound = central_difference_error_bound(
        delta, BOUNDS[name].third(a, delta), value_scale(func, a, delta)
    )
    np.testing.assert_allclose(
        deriv(func, a, delta), exact_derivative(func, a), rtol=0, atol=bound, err_msg=name
    )


@settings(max_examples=examples(200), deadline=None)
@given(points_for_deriv())
def test_forward_difference_matches_registered_derivative(case):
    name, a, delta = case
    func = FUNCTIONS[name].func
    bound = forward_difference_error_bound(
        delta, BOUNDS[name].second(a, delta), value_scale(func, a, delta)
    )
    np.testing.assert_allclose(
        forward_difference(func, a, delta),
        exact_derivative(func, a),
        rtol=0,
        atol=bound,
        err_msg=name,
    )


@settings(max_examples=examples(50), deadline=None)
@given(function_names(), float_arrays(0.5, 5.0))
def test_functions_and_derivatives_keep_shape_and_dtype(name, x):
    spec = FUNCTIONS[name]
    for f in (spec.func, spec.derivative):
        y = np.asarray(f(x))
        assert y.shape == x.shape
        assert y.dtype == np.float64


@pytest.mark.parametrize("name", BUILTIN_FUNCTION_NAMES)
def test_float32_in_float32_out(name):
    x = np.linspace(-3, 3, 13, dtype=np.float32)
    spec = get_function(name)
    assert spec.func(x).dtype == np.float32
    assert spec.derivative(x).dtype == np.float32


@pytest.mark.parametrize("name", BUILTIN_FUNCTION_NAMES)
def test_scalar_in_numpy_scalar_out(name):
    spec = get_function(name)
    for f in (spec.func, spec.derivative):
        y = f(0.5)
        assert np.ndim(y) == 0
        assert isinstance(y, np.floating), f"{name}: {type(y)}"


# ------------------------------------------------------------------- the book's functions


def test_square_and_cube_values():
    np.testing.assert_array_equal(square([-3.0, 0.0, 2.5]), [9.0, 0.0, 6.25])
    np.testing.assert_array_equal(cube([-2.0, 0.0, 3.0]), [-8.0, 0.0, 27.0])
    np.testing.assert_array_equal(square([1, 2]), [1.0, 4.0])  # ints are upcast


def test_leaky_relu_is_the_books_max():
    x = np.array([-5.0, -1.0, -0.0, 0.0, 0.5, 4.0])
    np.testing.assert_array_equal(leaky_relu(x), np.maximum(0.2 * x, x))
    assert LEAKY_SLOPE == 0.2
    np.testing.assert_array_equal(leaky_relu_deriv([-2.0, 0.0, 2.0]), [0.2, 0.6, 1.0])


def test_relu_values_and_one_sided_slopes():
    np.testing.assert_array_equal(relu([-2.0, 0.0, 3.0]), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(relu_deriv([-2.0, 0.0, 3.0]), [0.0, 0.5, 1.0])


@pytest.mark.parametrize("name", ["relu", "leaky_relu"])
def test_kink_convention_is_what_central_difference_returns(name):
    # Exactly at the kink the registry returns the mean of the one-sided slopes,
    # the value (f(Δ) − f(−Δ)) / 2Δ takes for every Δ; deriv itself refuses there.
    spec = get_function(name)
    for delta in (1e-3, 0.1, 1.0):
        quotient = (spec.func(delta) - spec.func(-delta)) / (2 * delta)
        np.testing.assert_allclose(quotient, spec.derivative(0.0), rtol=0, atol=4 * EPS)
    with pytest.raises(KinkError):
        deriv(spec.func, 0.0)


def test_registry_lists_kinks():
    assert get_function("relu").kinks == (0.0,)
    assert get_function("leaky_relu").kinks == (0.0,)
    for name in ("square", "cube", "sigmoid", "tanh", "sin", "cos", "exp"):
        assert get_function(name).kinks == ()
        assert get_function(name).poles == ()


# ------------------------------------------------------------------------- sigmoid


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_silent_and_finite_up_to_1e4(dtype):
    x = np.linspace(-SIGMOID_RANGE, SIGMOID_RANGE, 20001, dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            # Underflow of exp(−|x|) to 0 is harmless and numpy ignores it by default;
            # everything else (overflow, invalid, divide) must not happen.
            with np.errstate(under="ignore"):
                y = sigmoid(x)
                dy = sigmoid_deriv(x)
    assert y.dtype == dtype
    assert not np.isnan(y).any()
    assert not np.isnan(dy).any()
    assert ((y >= 0) & (y <= 1)).all()
    assert (np.diff(y) >= 0).all()  # monotone
    assert y[0] == 0.0
    assert y[-1] == 1.0
    assert y[len(y) // 2] == 0.5


@settings(max_examples=examples(200), deadline=None)
@given(
    st.sampled_from([np.float32, np.float64]).flatmap(
        lambda dt: st.tuples(
            st.just(dt),
            float_arrays(-SIGMOID_RANGE, SIGMOID_RANGE, dtype=dt, max_dims=1, max_side=20),
        )
    )
)
def test_sigmoid_never_warns_or_nans(case):
    dtype, x = case
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = sigmoid(x)
    assert y.dtype == dtype
    assert not np.isnan(y).any()
    assert ((y >= 0) & (y <= 1)).all()


@pytest.mark.parametrize(
    ("dtype", "safe_low"),
    # 1/(1+exp(−x)) is safe where exp(−x) does not overflow and the result is normal.
    [(np.float64, -700.0), (np.float32, -80.0)],
)
def test_sigmoid_matches_textbook_formula_where_safe(dtype, safe_low):
    x = np.linspace(safe_low, 50.0, 5001, dtype=dtype)
    textbook = 1 / (1 + np.exp(-x))
    info = np.finfo(dtype)
    np.testing.assert_allclose(sigmoid(x), textbook, rtol=4 * info.eps, atol=info.tiny)


@settings(max_examples=examples(200), deadline=None)
@given(bounded_floats(-700.0, 700.0))
def test_sigmoid_symmetry(x):
    # σ(x) + σ(−x) = 1; each value is correctly rounded to a few ulps of 1.
    np.testing.assert_allclose(sigmoid(x) + sigmoid(-x), 1.0, rtol=0, atol=4 * EPS)


def test_sigmoid_derivative_peak():
    assert sigmoid_deriv(0.0) == 0.25
    assert isinstance(sigmoid(0.0), np.float64)


# ------------------------------------------------------------------------- registry


def test_spec_of_known_and_unknown():
    assert spec_of(sigmoid).name == "sigmoid"
    assert spec_of(np.sin).name == "sin"
    assert spec_of(lambda x: x) is None


def test_spec_of_unhashable_callable_is_unregistered():
    @dataclass
    class Scaled:  # eq=True without frozen: unhashable
        k: float

        def __call__(self, x):
            return self.k * x

    assert spec_of(Scaled(2.0)) is None


def test_get_function_unknown_name_lists_known():
    with pytest.raises(KeyError, match="unknown function 'softmax'.*leaky_relu"):
        get_function("softmax")


@pytest.fixture
def private_registry(monkeypatch):
    """Let a test register functions without leaking them into other tests."""
    monkeypatch.setattr(functions, "FUNCTIONS", dict(functions.FUNCTIONS))
    monkeypatch.setattr(functions, "_BY_FUNC", dict(functions._BY_FUNC))


@pytest.mark.usefixtures("private_registry")
def test_register_user_function_with_pole():
    def reciprocal(x):
        return 1 / np.asarray(x, dtype=np.float64)

    spec = FunctionSpec(
        "my_reciprocal", reciprocal, lambda x: -1 / np.square(x), r"\frac{1}{x}", poles=(0.0,)
    )
    assert register(spec) is spec
    assert spec_of(reciprocal) is spec
    np.testing.assert_allclose(exact_derivative(reciprocal, 2.0), -0.25, rtol=0, atol=EPS)
    with pytest.raises(KinkError, match="pole"):
        deriv(reciprocal, 0.0005)


@pytest.mark.usefixtures("private_registry")
def test_register_rejects_name_clash():
    with pytest.raises(ValueError, match="'square'"):
        register(FunctionSpec("square", np.abs, np.sign, "|x|"))
    assert get_function("square").func is square
