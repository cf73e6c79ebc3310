"""Elementwise array functions and their analytic derivatives.

Every function here maps an array of shape ``(...)`` to an array of the same
shape, in float64 unless a float32 array is given. Each one is registered with
its analytic derivative, its kinks (points where it is continuous but not
differentiable) and its poles, so that :mod:`lib.calculus` can refuse to
estimate a slope where no slope exists.

Source: Weidman, *Deep Learning from Scratch* (O'Reilly, 2019), chapter 1,
identifiers ``square``, ``sigmoid`` and ``leaky_relu`` (slope 0.2 for x < 0).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lib import book

ArrayFunction = Callable[[NDArray[np.floating]], NDArray[np.floating]]

LEAKY_SLOPE = 0.2
"""Slope of :func:`leaky_relu` for negative inputs (the book's value)."""


def _as_float_array(x: ArrayLike) -> NDArray[np.floating]:
    """Return ``x`` as a float array, keeping float32 and upcasting integers."""
    arr = np.asarray(x)
    if arr.dtype.kind != "f":
        arr = arr.astype(np.float64)
    return arr


def square(x: ArrayLike) -> NDArray[np.floating]:
    """Square each element: f(x) = x².

    Parameters
    ----------
    x : array_like, shape (...)
        Input values.

    Returns
    -------
    ndarray, shape (...)
        ``x ** 2``.

    Notes
    -----
    The book's ``square``. Its third derivative is zero, so its central
    difference is exact for every Δ (the central secant is parallel to the
    tangent).

    Examples
    --------
    >>> square([1.0, -3.0])
    array([1., 9.])
    """
    x = _as_float_array(x)
    return book.square(x)


def square_deriv(x: ArrayLike) -> NDArray[np.floating]:
    """Return the derivative of :func:`square`: f'(x) = 2x.

    Examples
    --------
    >>> square_deriv(3.0)
    np.float64(6.0)
    """
    return 2 * _as_float_array(x)


def cube(x: ArrayLike) -> NDArray[np.floating]:
    """Cube each element: f(x) = x³.

    Its third derivative is the constant 6, so the central difference has
    error exactly Δ² (the secant visibly rotates into the tangent).

    Examples
    --------
    >>> cube(2.0)
    np.float64(8.0)
    """
    x = _as_float_array(x)
    return np.power(x, 3)


def cube_deriv(x: ArrayLike) -> NDArray[np.floating]:
    """Return the derivative of :func:`cube`: f'(x) = 3x².

    Examples
    --------
    >>> cube_deriv(2.0)
    np.float64(12.0)
    """
    x = _as_float_array(x)
    return 3 * np.power(x, 2)


def sigmoid(x: ArrayLike) -> NDArray[np.floating]:
    """Logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ), numerically stable.

    For x ≥ 0 it evaluates 1 / (1 + e⁻ˣ); for x < 0 the equal form
    eˣ / (1 + eˣ). Neither exponent is ever positive, so nothing overflows,
    no RuntimeWarning is raised and no NaN appears, in float32 or float64.

    Parameters
    ----------
    x : array_like, shape (...)
        Input values, any magnitude.

    Returns
    -------
    ndarray, shape (...)
        Values in [0, 1], same float dtype as ``x``.

    Examples
    --------
    >>> sigmoid([0.0, -1e4, 1e4])
    array([0.5, 0. , 1. ])
    """
    x = _as_float_array(x)
    # e^-|x| underflows to 0 for |x| > ~745 (float64) or ~104 (float32): the right
    # value, so the underflow is not an error under any ``np.errstate``.
    with np.errstate(under="ignore"):
        z = np.exp(-np.abs(x))
        # ``[()]`` turns a 0-d result into a numpy scalar, like the other functions here.
        return np.where(x >= 0, 1 / (1 + z), z / (1 + z))[()]


def sigmoid_deriv(x: ArrayLike) -> NDArray[np.floating]:
    """Return the derivative of :func:`sigmoid`: σ'(x) = σ(x) · (1 − σ(x)).

    Evaluated as e^-|x| / (1 + e^-|x|)², which equals σ(x)(1 − σ(x)) and is
    exactly symmetric, σ'(−x) = σ'(x): the textbook form loses 1 − σ(x) to
    rounding for large positive x (it returns 0 at 40 and 4.2e-18 at −40).
    Silent under any ``np.errstate`` (the underflow to 0 is the right value).

    Examples
    --------
    >>> sigmoid_deriv(0.0)
    np.float64(0.25)
    >>> bool(sigmoid_deriv(40.0) == sigmoid_deriv(-40.0) > 0)
    True
    """
    x = _as_float_array(x)
    with np.errstate(under="ignore"):
        z = np.exp(-np.abs(x))
        return (z / ((1 + z) * (1 + z)))[()]


def tanh(x: ArrayLike) -> NDArray[np.floating]:
    """Hyperbolic tangent, elementwise.

    Examples
    --------
    >>> tanh(0.0)
    np.float64(0.0)
    """
    return np.tanh(_as_float_array(x))


def tanh_deriv(x: ArrayLike) -> NDArray[np.floating]:
    """Return the derivative of :func:`tanh`: 1 − tanh²(x).

    Examples
    --------
    >>> tanh_deriv(0.0)
    np.float64(1.0)
    """
    t = np.tanh(_as_float_array(x))
    return 1 - t * t


def relu(x: ArrayLike) -> NDArray[np.floating]:
    """Rectified linear unit: max(0, x). Kink at 0.

    Examples
    --------
    >>> relu([-2.0, 3.0])
    array([0., 3.])
    """
    x = _as_float_array(x)
    return np.maximum(x, 0)


def relu_deriv(x: ArrayLike) -> NDArray[np.floating]:
    """Return the derivative of :func:`relu` away from its kink: 0 for x < 0, 1 for x > 0.

    At x = 0 the derivative does not exist; this returns the mean of the
    one-sided slopes, 0.5, which is what a central difference converges to.

    Examples
    --------
    >>> relu_deriv([-1.0, 0.0, 1.0])
    array([0. , 0.5, 1. ])
    """
    x = _as_float_array(x)
    return np.where(x > 0, 1.0, np.where(x < 0, 0.0, 0.5)).astype(x.dtype)[()]


def leaky_relu(x: ArrayLike) -> NDArray[np.floating]:
    """Leaky ReLU: max(0.2x, x), the book's ``leaky_relu``. Kink at 0.

    Examples
    --------
    >>> leaky_relu([-1.0, 2.0])
    array([-0.2,  2. ])
    """
    x = _as_float_array(x)
    return book.leaky_relu(x)


def leaky_relu_deriv(x: ArrayLike) -> NDArray[np.floating]:
    """Return the derivative of :func:`leaky_relu` away from its kink: 0.2 or 1.

    At x = 0 it returns 0.6, the mean of the one-sided slopes (what a
    central difference returns there).

    Examples
    --------
    >>> leaky_relu_deriv([-1.0, 0.0, 1.0])
    array([0.2, 0.6, 1. ])
    """
    x = _as_float_array(x)
    mid = (1 + LEAKY_SLOPE) / 2
    return np.where(x > 0, 1.0, np.where(x < 0, LEAKY_SLOPE, mid)).astype(x.dtype)[()]


def reciprocal(x: ArrayLike) -> NDArray[np.floating]:
    """Return 1 / x elementwise, quietly (±inf at 0, no warning). Pole at 0.

    Examples
    --------
    >>> reciprocal([2.0, -0.5])
    array([ 0.5, -2. ])
    """
    x = _as_float_array(x)
    with np.errstate(divide="ignore"):
        return np.divide(1, x)[()]


def reciprocal_deriv(x: ArrayLike) -> NDArray[np.floating]:
    """Return the derivative of :func:`reciprocal`: −1 / x².

    Examples
    --------
    >>> reciprocal_deriv(2.0)
    np.float64(-0.25)
    """
    x = _as_float_array(x)
    with np.errstate(divide="ignore", over="ignore"):
        return (-1 / (x * x))[()]


@dataclass(frozen=True)
class FunctionSpec:
    """What the library knows about an elementwise function.

    Attributes
    ----------
    name : str
        Identifier (the book's where it has one).
    func : callable
        The function, array (...) -> array (...).
    derivative : callable
        Its analytic derivative, same shapes.
    tex : str
        LaTeX of f(x), e.g. ``"x^2"``, for the math view.
    kinks : tuple of float
        Points where ``func`` is continuous but not differentiable.
    poles : tuple of float
        Points where ``func`` is not finite (or jumps).
    period : float or None
        If set, the poles repeat with this period: ``p + k * period`` for every
        pole ``p`` and integer ``k`` (tan: π/2 + kπ).
    domain : tuple of float
        The open interval (lo, hi) where ``func`` is finite and differentiable,
        e.g. (0, inf) for log; default the whole real line.
    """

    name: str
    func: ArrayFunction
    derivative: ArrayFunction
    tex: str
    kinks: tuple[float, ...] = field(default=())
    poles: tuple[float, ...] = field(default=())
    period: float | None = field(default=None)
    domain: tuple[float, float] = field(default=(-np.inf, np.inf))

    def poles_in(self, lo: float, hi: float) -> NDArray[np.float64]:
        """Return the poles in [lo, hi], sorted, periodic ones repeated.

        Examples
        --------
        >>> np.round(get_function("tan").poles_in(-2.0, 2.0), 4)
        array([-1.5708,  1.5708])
        """
        found: list[float] = []
        for p in self.poles:
            if self.period is None:
                found.extend([p] if lo <= p <= hi else [])
            else:
                k = np.arange(np.ceil((lo - p) / self.period), np.floor((hi - p) / self.period) + 1)
                found.extend(p + k * self.period)
        return np.array(sorted(found), dtype=np.float64)

    def distance_to_pole(self, x: ArrayLike) -> NDArray[np.float64]:
        """Return the distance from each x to the nearest pole (inf if none), shape of x."""
        x = np.asarray(x, dtype=np.float64)
        dist = np.full(x.shape, np.inf)
        for p in self.poles:
            if self.period is None:
                dist = np.minimum(dist, np.abs(x - p))
            else:
                r = np.mod(x - p, self.period)
                dist = np.minimum(dist, np.minimum(r, self.period - r))
        return dist


def _quiet(ufunc: Callable[..., NDArray[np.floating]]) -> ArrayFunction:
    """Wrap a derivative formula so that it returns inf/NaN outside its domain silently."""

    def wrapped(x: ArrayLike) -> NDArray[np.floating]:
        with np.errstate(all="ignore"):
            return ufunc(_as_float_array(x))

    wrapped.__name__ = getattr(ufunc, "__name__", "derivative")
    return wrapped


FUNCTIONS: dict[str, FunctionSpec] = {
    spec.name: spec
    for spec in (
        FunctionSpec("square", square, square_deriv, r"x^2"),
        FunctionSpec("cube", cube, cube_deriv, r"x^3"),
        FunctionSpec("sigmoid", sigmoid, sigmoid_deriv, r"\sigma(x)"),
        FunctionSpec("tanh", tanh, tanh_deriv, r"\tanh(x)"),
        FunctionSpec("relu", relu, relu_deriv, r"\max(0, x)", kinks=(0.0,)),
        FunctionSpec("leaky_relu", leaky_relu, leaky_relu_deriv, r"\max(0.2x, x)", kinks=(0.0,)),
        FunctionSpec("sin", np.sin, np.cos, r"\sin(x)"),
        FunctionSpec("cos", np.cos, lambda x: -np.sin(x), r"\cos(x)"),
        FunctionSpec("exp", np.exp, np.exp, r"e^x"),
        FunctionSpec(
            "tan",
            np.tan,
            _quiet(lambda x: 1 / np.cos(x) ** 2),
            r"\tan(x)",
            poles=(np.pi / 2,),
            period=np.pi,
        ),
        FunctionSpec(
            "log", np.log, _quiet(lambda x: 1 / x), r"\log(x)", poles=(0.0,), domain=(0.0, np.inf)
        ),
        FunctionSpec(
            "sqrt", np.sqrt, _quiet(lambda x: 0.5 / np.sqrt(x)), r"\sqrt{x}", domain=(0.0, np.inf)
        ),
        FunctionSpec("reciprocal", reciprocal, reciprocal_deriv, r"\frac{1}{x}", poles=(0.0,)),
        FunctionSpec("abs", np.abs, np.sign, r"|x|", kinks=(0.0,)),
        FunctionSpec("arctan", np.arctan, lambda x: 1 / (1 + np.square(x)), r"\arctan(x)"),
    )
}
"""The registered functions, by name.

Includes numpy's ``sin``, ``cos``, ``tan``, ``exp``, ``log``, ``sqrt``, ``abs`` and
``arctan`` (so ``func = staticmethod(np.tan)`` has a label, a derivative and its
poles); the ``math`` module's scalar versions are known as aliases of them.
"""

_BY_FUNC: dict[Callable[..., object], FunctionSpec] = {s.func: s for s in FUNCTIONS.values()}
_ALIASES = {
    math.sin: "sin",
    math.cos: "cos",
    math.tan: "tan",
    math.exp: "exp",
    math.log: "log",
    math.sqrt: "sqrt",
    math.atan: "arctan",
    math.tanh: "tanh",
    np.tanh: "tanh",
    np.fabs: "abs",
    abs: "abs",
}
_BY_FUNC.update({func: FUNCTIONS[name] for func, name in _ALIASES.items()})

SMOOTH_EVERYWHERE: tuple[str, ...] = tuple(
    name for name, spec in FUNCTIONS.items() if not spec.poles and spec.domain == (-np.inf, np.inf)
)
"""Names of the built-in functions finite on the whole real line (no pole, no domain edge)."""


def spec_of(func: Callable[..., object]) -> FunctionSpec | None:
    """Return the registered :class:`FunctionSpec` of ``func``, or None.

    Parameters
    ----------
    func : callable
        A function object, e.g. ``sigmoid`` or ``np.sin``.

    Returns
    -------
    FunctionSpec or None
        None when the library has no analytic knowledge of ``func``.

    Examples
    --------
    >>> spec_of(sigmoid).name
    'sigmoid'
    >>> spec_of(lambda x: x) is None
    True
    """
    known = getattr(func, "spec", None)  # a function passed through lib.adapt.adapt
    if isinstance(known, FunctionSpec):
        return known
    try:
        return _BY_FUNC.get(func)
    except TypeError:  # an unhashable callable (e.g. a non-frozen dataclass) is unregistered
        return None


def get_function(name: str) -> FunctionSpec:
    """Return the registered function called ``name``.

    Raises
    ------
    KeyError
        If no function has that name; the message lists the known names.

    Examples
    --------
    >>> get_function("leaky_relu").kinks
    (0.0,)
    """
    try:
        return FUNCTIONS[name]
    except KeyError:
        known = ", ".join(sorted(FUNCTIONS))
        raise KeyError(f"unknown function {name!r}; expected one of: {known}") from None


def register(spec: FunctionSpec) -> FunctionSpec:
    """Register a user function so that lib knows its derivative and kinks.

    Parameters
    ----------
    spec : FunctionSpec
        The function's description.

    Returns
    -------
    FunctionSpec
        ``spec``, for chaining.

    Raises
    ------
    ValueError
        If another function is already registered under ``spec.name``.
    """
    existing = FUNCTIONS.get(spec.name)
    if existing is not None and existing.func is not spec.func:
        raise ValueError(f"a different function is already registered as {spec.name!r}")
    FUNCTIONS[spec.name] = spec
    _BY_FUNC[spec.func] = spec
    return spec
