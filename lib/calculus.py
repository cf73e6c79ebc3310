"""Numerical derivatives, secants and tangent lines: the "derivative" lecture's numbers.

Everything is pure numpy, in float64, vectorised over the input point(s). The
central difference is the book's ``deriv``,

    f'(a) ≈ (f(a + Δ) − f(a − Δ)) / (2Δ),    Δ = 0.001,

with the failure modes the book leaves implicit turned into exceptions: a step
that is not a positive finite number or that vanishes next to ``a`` in float64
(:class:`StepError`), a function value that is not finite (:class:`NonFiniteError`)
and a point closer than Δ to a registered kink or pole (:class:`KinkError`).

Source: Weidman, *Deep Learning from Scratch* (O'Reilly, 2019), chapter 1,
"The Derivative", identifier ``deriv``.

Examples
--------
>>> from lib.functions import cube, sigmoid
>>> round(float(deriv(sigmoid, 0.0)), 12)  # σ'(0) = 0.25, error Δ²/6 · |σ‴(0)| = Δ²/48
0.249999979167
>>> float(exact_derivative(cube, 2.0)), round(float(deriv(cube, 2.0)), 9)
(12.0, 12.000001)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from numbers import Real

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lib import book
from lib.adapt import adapt, bisect_jump
from lib.functions import spec_of

__all__ = [
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
]

DELTA = 0.001
"""The book's default step Δ for ``deriv``."""

_EPS = float(np.finfo(np.float64).eps)
_KINDS = ("central", "forward")

Func = Callable[..., ArrayLike]


class DerivativeError(ValueError):
    """A difference quotient or derivative cannot be computed as asked."""


class StepError(DerivativeError):
    """The step Δ is not positive and finite, or vanishes next to a point in float64."""


class NonFiniteError(DerivativeError):
    """An input point, or the function's value at a point it was evaluated at, is not finite."""


class KinkError(DerivativeError):
    """A point lies within Δ of a registered kink or pole of the function."""


# --------------------------------------------------------------------------- helpers


def _name(func: Func) -> str:
    """Return a readable name for ``func`` (its registered name if it has one)."""
    spec = spec_of(func)
    if spec is not None:
        return spec.name
    return getattr(func, "__name__", repr(func))


def _first_index(mask: NDArray[np.bool_]) -> tuple[int, ...]:
    """Return the index of the first True element of ``mask`` (``()`` if 0-d)."""
    return tuple(int(i) for i in np.argwhere(mask)[0])


def _first(values: NDArray[np.floating], mask: NDArray[np.bool_]) -> str:
    """Describe the first offending element of ``values`` where ``mask`` holds."""
    index = _first_index(mask)
    where = f" at index {index}" if index else ""
    count = int(np.count_nonzero(mask))
    more = f" (and {count - 1} more)" if count > 1 else ""
    return f"{float(values[index])!r}{where}{more}"


def _check_delta(delta: float) -> float:
    """Return ``delta`` as a float, or raise :class:`StepError` if it is not usable.

    Only a real number is accepted: a string such as ``"0.001"`` is refused, not
    converted (the validated value is the one every caller then uses).
    """
    if (
        np.ndim(delta) != 0
        or isinstance(delta, bool | np.bool_ | str | bytes)
        or not isinstance(delta, Real | np.floating | np.integer | np.ndarray)
    ):
        raise StepError(f"delta must be a single positive finite number; got delta={delta!r}")
    try:
        value = float(delta)
    except (TypeError, ValueError):
        raise StepError(
            f"delta must be a single positive finite number; got delta={delta!r}"
        ) from None
    if not np.isfinite(value) or value <= 0:
        raise StepError(
            f"delta must be a positive finite number (expected 0 < delta, e.g. the "
            f"book's {DELTA}); got delta={value!r}"
        )
    return value


def _checked_input(
    func: Func, input_: ArrayLike, delta: float, kind: str = "central"
) -> NDArray[np.floating]:
    """Validate a difference-quotient request; return ``input_`` as a float64 array.

    Raises :class:`StepError`, :class:`NonFiniteError` or :class:`KinkError`
    (see :func:`deriv`).
    """
    step = _check_delta(delta)
    a = np.asarray(input_, dtype=np.float64)
    bad = ~np.isfinite(a)
    if bad.any():
        raise NonFiniteError(f"input_ must be finite; got {_first(a, bad)}")
    collapsed = (a + step == a) | (a - step == a)
    if collapsed.any():
        spacing = float(np.max(np.spacing(np.abs(a[collapsed]))))
        raise StepError(
            f"delta={step!r} is too small for input_={_first(a, collapsed)}: a + delta == a "
            f"or a - delta == a in float64, so the difference would be 0; expected delta "
            f"well above the float64 spacing there ({spacing:.3g}), e.g. the book's {DELTA}"
        )
    near = near_kink(func, a, step)
    if near.any():
        raise KinkError(_kink_message(func, a, near, step, kind))
    return a


def _validated(
    func: Func, input_: ArrayLike, delta: float, kind: str = "central"
) -> tuple[Func, NDArray[np.floating], float]:
    """Validate a difference-quotient request; return (adapted func, points, Δ).

    The function passes through :func:`lib.adapt.adapt` (a scalar-only function
    is vectorised), the points are float64, Δ is the validated float. Raises as
    :func:`deriv` documents, including a pole or jump found by sampling.
    """
    step = _check_delta(delta)
    a = _checked_input(func, input_, step, kind)
    f = adapt(func)
    _refuse_unregistered_pole(f, a, step, kind)
    return f, a, step


def _refuse_unregistered_pole(f: Func, a: NDArray[np.floating], step: float, kind: str) -> None:
    """Raise KinkError if a pole or jump lies inside a central difference's stencil.

    Registered or not. The stencil [a − Δ, a + Δ] is cut at a ± Δ/2 into three
    pieces; for a smooth f their slopes agree to about f″·Δ. Where they change
    sign or disagree widely (a pole: 1/x at 0, tan just below π/2; a jump; but
    also a smooth turn inside a wide stencil), the interval is bisected towards
    where its difference concentrates: a continuous f's difference shrinks to
    round-off, a jump's does not and a pole's grows or meets a non-finite value
    (1/x at 0.0005 has f(a − Δ/2) = inf). f(a) itself is not evaluated (the
    chain rule evaluates each factory at its input once).
    """
    if kind != "central":
        return
    half = step / 2
    f_pp, f_mm = _quiet(f, a + step), _quiet(f, a - step)
    f_p, f_m = _quiet(f, a + half), _quiet(f, a - half)
    ends = np.isfinite(f_pp) & np.isfinite(f_mm)  # else deriv's evaluation names the point
    with np.errstate(all="ignore"):
        left, right = (f_m - f_mm) / half, (f_pp - f_p) / half
        middle = (f_p - f_m) / step
        scale = np.maximum.reduce([np.abs(f_pp), np.abs(f_mm), np.abs(f_p), np.abs(f_m)])
        noise = 1e3 * _EPS * scale / half
        slopes = np.stack(np.broadcast_arrays(left, middle, right))
        big = np.max(np.abs(slopes), axis=0) > noise
        turns = (np.sign(left) != np.sign(middle)) | (np.sign(middle) != np.sign(right))
        spread = np.ptp(slopes, axis=0) > 0.5 * np.max(np.abs(slopes), axis=0)
        suspect = ends & big & (turns | spread)
        pole = ends & ~(np.isfinite(f_p) & np.isfinite(f_m))
    # The cheap signature also fits a smooth function that turns within a wide stencil
    # (sin(3x) with delta = 1): bisect, as lib.adapt does; only a pole or jump keeps a
    # difference that does not shrink.
    pole = np.array(pole, dtype=bool)  # writable, same shape as a
    flat_a, flat_pole = np.broadcast_to(a, pole.shape).ravel(), pole.reshape(-1)
    flat_lo, flat_hi = (
        np.broadcast_to(f_mm, pole.shape).ravel(),
        np.broadcast_to(f_pp, pole.shape).ravel(),
    )
    for k in np.flatnonzero(np.broadcast_to(suspect, pole.shape).ravel() & ~flat_pole):
        x0, x1 = float(flat_a[k]) - step, float(flat_a[k]) + step
        y0, y1 = float(flat_lo[k]), float(flat_hi[k])
        _, rest, hit = bisect_jump(f, x0, x1, y0, y1)
        flat_pole[k] = hit or rest > 1e-6 * max(abs(y0), abs(y1), 1.0)
    if pole.any():
        i = _first_index(pole)
        where = np.broadcast_to(a, pole.shape)

        def at(v: NDArray[np.floating]) -> float:
            return float(np.broadcast_to(v, pole.shape)[i])

        raise KinkError(
            f"a pole or jump of {_name(f)} lies within delta={step!r} of a={at(where)!r}: "
            f"across [a - delta, a + delta] the slope is {at(left):.4g}, then "
            f"{at(middle):.4g}, then {at(right):.4g}, so a central difference there is "
            "meaningless; choose a farther from it, or register the function's poles "
            "with lib.functions.register"
        )


def _quiet(f: Func, x: NDArray[np.floating]) -> NDArray[np.floating]:
    """Evaluate f at x as float64 without warnings (inf/NaN kept)."""
    with np.errstate(all="ignore"):
        return np.asarray(f(x), dtype=np.float64)


def _kink_message(
    func: Func, a: NDArray[np.floating], near: NDArray[np.bool_], delta: float, kind: str
) -> str:
    """Explain why a point within Δ of a kink or pole has no difference quotient."""
    spec = spec_of(func)
    point = float(a[_first_index(near)])
    reach = 2 * delta + (spec.period or 0.0)
    poles = spec.poles_in(point - reach, point + reach)
    kinks = [(k, "kink") for k in spec.kinks] + [(float(p), "pole") for p in poles]
    where, what = min(kinks, key=lambda kp: abs(point - kp[0]))
    head = f"point a={point!r} is within delta={delta!r} of {spec.name}'s {what} at {where!r}"
    count = int(np.count_nonzero(near))
    more = f" ({count - 1} more point(s) too)" if count > 1 else ""
    if what == "pole":
        why = f"a {kind} difference across a pole is meaningless"
    elif kind == "central":
        why = (
            "the central difference there returns the mean of the one-sided slopes, "
            "not a derivative"
        )
    else:
        why = "the forward difference there mixes the one-sided slopes, not a derivative"
    return f"{head}{more}: {why}; keep a farther than delta from it, or use a smaller delta"


def _evaluate(func: Func, points: NDArray[np.floating]) -> NDArray[np.floating]:
    """Evaluate ``func`` quietly at ``points``; raise NonFiniteError on inf or NaN."""
    with np.errstate(all="ignore"):  # a bad value is reported below, not warned about
        values = np.asarray(func(points), dtype=np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        at = np.broadcast_to(points, values.shape)
        value = float(values[_first_index(bad)])
        raise NonFiniteError(
            f"{_name(func)}(x) is not finite at x={_first(at, bad)} (value {value!r}); "
            "expected finite values within delta of every point"
        )
    return values


def _scalar(x: ArrayLike, name: str) -> float:
    """Return ``x`` as a float, or raise ValueError if it is not a single number."""
    if np.ndim(x) != 0:
        raise ValueError(f"{name} must be a single number; got an array of shape {np.shape(x)}")
    return float(x)


# ---------------------------------------------------------------------- the book's deriv


def deriv(
    func: Func,
    input_: ArrayLike,
    delta: float = DELTA,
) -> NDArray[np.floating]:
    """Estimate f'(a) by the central difference (f(a + Δ) − f(a − Δ)) / (2Δ).

    Parameters
    ----------
    func : callable
        Elementwise function, array (...) -> array (...), e.g. ``sigmoid``.
    input_ : array_like, shape (...)
        The point(s) a, in axis coordinates.
    delta : float, optional
        The step Δ > 0 (default :data:`DELTA`, the book's 0.001).

    Returns
    -------
    ndarray, shape (...)
        The estimates, float64; a numpy scalar when ``input_`` is a scalar.
        The error is at most Δ²/6 · max|f‴| + O(ε/Δ), see
        :func:`central_difference_error_bound`.

    Raises
    ------
    StepError
        If Δ is not a positive finite number, or a ± Δ == a for some a.
    NonFiniteError
        If some a or some f(a ± Δ) is not finite.
    KinkError
        If some a lies within Δ of a registered kink or pole of ``func``.

    Notes
    -----
    The book's ``deriv`` (chapter 1), vectorised and validated.

    Examples
    --------
    >>> from lib.functions import square
    >>> deriv(square, [1.0, 3.0])
    array([2., 6.])
    >>> deriv(np.sin, 0.0)
    np.float64(0.9999998333333416)
    """
    func, input_, delta = _validated(func, input_, delta)
    return book.deriv(lambda x: _evaluate(func, x), input_, delta)


def forward_difference(func: Func, input_: ArrayLike, delta: float = DELTA) -> NDArray[np.floating]:
    """Estimate f'(a) by the forward difference (f(a + Δ) − f(a)) / Δ.

    Parameters
    ----------
    func : callable
        Elementwise function, array (...) -> array (...).
    input_ : array_like, shape (...)
        The point(s) a, in axis coordinates.
    delta : float, optional
        The step Δ > 0 (default :data:`DELTA`).

    Returns
    -------
    ndarray, shape (...)
        The estimates, float64. The error is O(Δ): at most Δ/2 · max|f″| + O(ε/Δ),
        see :func:`forward_difference_error_bound`.

    Raises
    ------
    StepError, NonFiniteError, KinkError
        As for :func:`deriv` (the same checks, including a within Δ of a kink).

    Notes
    -----
    Shown beside the central difference because it converges visibly even for
    f(x) = x², whose central secant is parallel to the tangent for every Δ.

    Examples
    --------
    >>> from lib.functions import square
    >>> forward_difference(square, 1.0, 0.5)
    np.float64(2.5)
    """
    func, input_, delta = _validated(func, input_, delta, kind="forward")
    f_plus = _evaluate(func, input_ + delta)
    f_here = _evaluate(func, input_)
    return (f_plus - f_here) / delta


def exact_derivative(func: Func, x: ArrayLike) -> NDArray[np.floating]:
    """Evaluate the registered analytic derivative of ``func`` at ``x``.

    Parameters
    ----------
    func : callable
        A function registered in :mod:`lib.functions`.
    x : array_like, shape (...)
        Points, axis coordinates.

    Returns
    -------
    ndarray, shape (...)
        f'(x), float64. At a kink the registry's convention applies (the mean
        of the one-sided slopes).

    Raises
    ------
    DerivativeError
        If ``func`` has no registered derivative.

    Examples
    --------
    >>> from lib.functions import sigmoid
    >>> exact_derivative(sigmoid, [0.0])
    array([0.25])
    """
    spec = spec_of(func)
    if spec is None:
        raise DerivativeError(
            f"no analytic derivative is registered for {_name(func)} ({func!r}); "
            "register it with lib.functions.register(FunctionSpec(...)) or estimate it "
            "with deriv()"
        )
    return np.asarray(spec.derivative(np.asarray(x, dtype=np.float64)), dtype=np.float64)[()]


def near_kink(func: Func, input_: ArrayLike, delta: float = DELTA) -> NDArray[np.bool_]:
    """Flag the points within Δ of a registered kink or pole of ``func``.

    Parameters
    ----------
    func : callable
        Elementwise function; unregistered functions have no known kinks.
    input_ : array_like, shape (...)
        Points a, axis coordinates.
    delta : float, optional
        The step Δ > 0.

    Returns
    -------
    ndarray of bool, shape (...)
        True where |a − k| <= Δ for a kink or pole k, i.e. where the interval
        [a − Δ, a + Δ] of a central difference reaches it.

    Raises
    ------
    StepError
        If Δ is not a positive finite number.

    Examples
    --------
    >>> from lib.functions import leaky_relu
    >>> near_kink(leaky_relu, [-1.0, 0.0005, 0.5])
    array([False,  True, False])
    """
    step = _check_delta(delta)
    a = np.asarray(input_, dtype=np.float64)
    flags = np.zeros(a.shape, dtype=bool)
    spec = spec_of(func)
    if spec is not None:
        for point in spec.kinks:
            flags |= np.abs(a - point) <= step
        flags |= spec.distance_to_pole(a) <= step
    return flags


# -------------------------------------------------------------------- lines for diagrams


@dataclass(frozen=True)
class Secant:
    """The line through two points of a curve, in axis coordinates.

    Attributes
    ----------
    a : float
        The point whose derivative the secant approximates.
    delta : float
        The step Δ.
    kind : str
        ``"central"`` (through a ± Δ) or ``"forward"`` (through a and a + Δ).
    x0, y0, x1, y1 : float
        The two points on the curve, x0 < x1.
    """

    a: float
    delta: float
    kind: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def slope(self) -> float:
        """Rise over run, (y1 − y0) / (x1 − x0): the difference quotient."""
        return (self.y1 - self.y0) / (self.x1 - self.x0)

    def __call__(self, x: ArrayLike) -> NDArray[np.floating]:
        """Return the line's y at ``x`` (array_like, shape (...)), same shape."""
        return self.y0 + self.slope * (np.asarray(x, dtype=np.float64) - self.x0)


def secant(func: Func, a: float, delta: float, kind: str = "central") -> Secant:
    """Build the secant whose slope is the central or forward difference at ``a``.

    Parameters
    ----------
    func : callable
        Elementwise function.
    a : float
        The point, axis coordinates.
    delta : float
        The step Δ > 0.
    kind : {"central", "forward"}, optional
        Central: through (a − Δ, f(a − Δ)) and (a + Δ, f(a + Δ)), the book's
        picture. Forward: through (a, f(a)) and (a + Δ, f(a + Δ)).

    Returns
    -------
    Secant
        Its ``slope`` equals :func:`deriv` (or :func:`forward_difference`) up
        to round-off.

    Raises
    ------
    ValueError
        If ``kind`` is unknown or ``a`` is not a single number.
    StepError, NonFiniteError, KinkError
        As for :func:`deriv`.

    Examples
    --------
    >>> from lib.functions import square
    >>> s = secant(square, 1.0, 0.5)
    >>> (s.x0, s.y0, s.x1, s.y1, s.slope)
    (0.5, 0.25, 1.5, 2.25, 2.0)
    >>> float(s(1.0))
    1.25
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be 'central' or 'forward'; got kind={kind!r}")
    a = _scalar(a, "a")
    func, point, delta = _validated(func, a, delta, kind=kind)
    x0 = point - delta if kind == "central" else point
    x1 = point + delta
    y0, y1 = _evaluate(func, x0), _evaluate(func, x1)
    return Secant(a, float(delta), kind, float(x0), float(y0), float(x1), float(y1))


@dataclass(frozen=True)
class TangentLine:
    """The tangent line y = f(a) + slope · (x − a), axis coordinates.

    Attributes
    ----------
    a : float
        Point of tangency.
    fa : float
        f(a).
    slope : float
        f'(a).
    """

    a: float
    fa: float
    slope: float

    def __call__(self, x: ArrayLike) -> NDArray[np.floating]:
        """Return the line's y at ``x`` (array_like, shape (...)), same shape."""
        return self.fa + self.slope * (np.asarray(x, dtype=np.float64) - self.a)


def tangent_line(func: Func, a: float, slope: float | None = None) -> TangentLine:
    """Build the tangent line of ``func`` at ``a``.

    Parameters
    ----------
    func : callable
        Elementwise function.
    a : float
        Point of tangency, axis coordinates.
    slope : float, optional
        Defaults to :func:`exact_derivative` if ``func`` is registered, else
        :func:`deriv` with the default Δ.

    Returns
    -------
    TangentLine

    Raises
    ------
    KinkError
        If ``a`` is a registered kink or pole of ``func``: no tangent exists there.
    NonFiniteError
        If ``a`` or f(a) is not finite.
    ValueError
        If ``a`` is not a single number.

    Examples
    --------
    >>> from lib.functions import square
    >>> t = tangent_line(square, 1.0)
    >>> (t.a, t.fa, t.slope, float(t(2.0)))
    (1.0, 1.0, 2.0, 3.0)
    """
    a = _scalar(a, "a")
    if not np.isfinite(a):
        raise NonFiniteError(f"a must be finite; got a={a!r}")
    spec = spec_of(func)
    if spec is not None:
        poles = spec.poles_in(a - 1.0, a + 1.0)
        for point, what in [(k, "kink") for k in spec.kinks] + [(float(p), "pole") for p in poles]:
            if a == point:
                raise KinkError(
                    f"a={a!r} is {spec.name}'s {what} at {point!r}: no tangent exists there "
                    f"(a central difference there only returns the mean of the one-sided "
                    f"slopes); draw the tangent at a point away from it"
                )
    func = adapt(func)
    fa = float(_evaluate(func, np.asarray(a)))
    if slope is None:
        slope = exact_derivative(func, a) if spec is not None else deriv(func, a)
    return TangentLine(a, fa, float(slope))


# ----------------------------------------------------------------- schedules and errors


def delta_schedule(start: float = 1.0, stop: float = 1e-3, num: int = 7) -> NDArray[np.floating]:
    """Return a geometric, strictly decreasing sequence of steps Δ for "shrink Δ" animations.

    Parameters
    ----------
    start : float, optional
        The first (largest) Δ.
    stop : float, optional
        The last (smallest) Δ, returned exactly; default the book's 0.001.
    num : int, optional
        Number of steps, at least 2.

    Returns
    -------
    ndarray, shape (num,)
        ``start``, ..., ``stop``, a constant ratio apart.

    Raises
    ------
    ValueError
        If start <= stop, stop <= 0, num < 2 or a bound is not finite.

    Examples
    --------
    >>> delta_schedule(1.0, 1e-3, 4)
    array([1.   , 0.1  , 0.01 , 0.001])
    """
    if isinstance(num, bool) or int(num) != num or num < 2:
        raise ValueError(f"num must be an integer >= 2; got num={num!r}")
    if not (np.isfinite(start) and np.isfinite(stop)):
        raise ValueError(f"start and stop must be finite; got start={start!r}, stop={stop!r}")
    if stop <= 0:
        raise ValueError(f"stop must be > 0; got stop={stop!r}")
    if start <= stop:
        raise ValueError(f"start must be > stop; got start={start!r}, stop={stop!r}")
    steps = np.geomspace(float(start), float(stop), int(num))
    steps[0], steps[-1] = start, stop
    return steps


def estimate_error(
    func: Func, a: ArrayLike, delta: float, kind: str = "central"
) -> float | NDArray[np.floating]:
    """Return |estimate − exact derivative| of the central or forward difference.

    Parameters
    ----------
    func : callable
        A registered function (its analytic derivative is the reference).
    a : array_like, shape (...)
        Points, axis coordinates.
    delta : float
        The step Δ > 0.
    kind : {"central", "forward"}, optional
        Which difference quotient.

    Returns
    -------
    float or ndarray, shape (...)
        The absolute errors, float64.

    Raises
    ------
    ValueError
        If ``kind`` is unknown.
    DerivativeError
        If ``func`` is unregistered, or as for :func:`deriv`.

    Examples
    --------
    >>> from lib.functions import cube
    >>> round(float(estimate_error(cube, 1.0, 0.1)), 12)  # exactly Δ² for x³
    0.01
    """
    if kind not in _KINDS:
        raise ValueError(f"kind must be 'central' or 'forward'; got kind={kind!r}")
    estimate = deriv(func, a, delta) if kind == "central" else forward_difference(func, a, delta)
    return np.abs(estimate - exact_derivative(func, a))


def central_difference_error_bound(
    delta: ArrayLike, third_derivative_bound: float, value_scale: float = 1.0
) -> float | NDArray[np.floating]:
    """Bound the error of the central difference: Δ²/6 · max|f‴| + ε · scale / Δ.

    Parameters
    ----------
    delta : array_like, shape (...)
        The step(s) Δ > 0.
    third_derivative_bound : float
        max |f‴| over [a − Δ, a + Δ].
    value_scale : float, optional
        Size of the round-off in f near a, in units of ε: about
        ulps · (|f(a)| + |a · f'(a)|), the second term for the rounding of a ± Δ.

    Returns
    -------
    float or ndarray, shape (...)
        Truncation (Taylor remainder) plus round-off.

    Raises
    ------
    ValueError
        If some Δ is not positive.

    Examples
    --------
    >>> float(central_difference_error_bound(0.1, 6.0, value_scale=0.0))
    0.010000000000000002
    """
    d = np.asarray(delta, dtype=np.float64)
    if not np.all(d > 0):
        raise ValueError(f"delta must be > 0; got delta={delta!r}")
    return (d**2 / 6 * abs(third_derivative_bound) + _EPS * abs(value_scale) / d)[()]


def forward_difference_error_bound(
    delta: ArrayLike, second_derivative_bound: float, value_scale: float = 1.0
) -> float | NDArray[np.floating]:
    """Bound the error of the forward difference: Δ/2 · max|f″| + 2ε · scale / Δ.

    Parameters
    ----------
    delta : array_like, shape (...)
        The step(s) Δ > 0.
    second_derivative_bound : float
        max |f″| over [a, a + Δ].
    value_scale : float, optional
        Size of the round-off in f near a, as for
        :func:`central_difference_error_bound`.

    Returns
    -------
    float or ndarray, shape (...)
        Truncation plus round-off.

    Raises
    ------
    ValueError
        If some Δ is not positive.

    Examples
    --------
    >>> float(forward_difference_error_bound(0.1, 2.0, value_scale=0.0))
    0.1
    """
    d = np.asarray(delta, dtype=np.float64)
    if not np.all(d > 0):
        raise ValueError(f"delta must be > 0; got delta={delta!r}")
    return (d / 2 * abs(second_derivative_bound) + 2 * _EPS * abs(value_scale) / d)[()]
