r"""One adapter for every teacher-supplied function: arrays, finite domain, poles, label.

A teacher writes ``func = staticmethod(math.sin)``, ``np.log`` on (0, 4), ``np.tan``
on (−2, 2) or ``lambda x: x if x > 0 else 0``. Before lib differentiates such a
function or a component plots it, it passes through :func:`adapt`, which returns
an :class:`AdaptedFunction`:

- **vectorisation**: it is called with float64 arrays; a scalar-only function
  (``math.sin``, a Python ``if``) is evaluated element by element, and one that
  accepts neither raises :class:`ArrayCallError` naming it;
- **the finite domain**: evaluation is silent (no RuntimeWarning), a value that
  is not finite is returned as inf/NaN and marks a gap of the curve
  (:meth:`AdaptedFunction.sample` draws the finite part, or raises
  :class:`DomainError` naming the function and x when there is none);
- **poles and jumps**: registered ones (:class:`lib.functions.FunctionSpec`,
  periodic for tan) and ones found by sampling (a difference that does not
  shrink under bisection) split the curve, and the y range ignores the samples
  running off beside them;
- **a TeX label**: an explicit ``tex``, else the registry's (``\sin(x)`` for
  ``np.sin`` and ``math.sin``), else :meth:`AdaptedFunction.label` raises
  :class:`LabelError` asking for one: never a stale title.

Sampling density comes from the function and the plot's size in pixels: the
polyline is refined until every interval's midpoint lies within ``tol_px`` of
its chord (:func:`sample_curve`).

Examples
--------
>>> import math
>>> f = adapt(math.sin)
>>> f.label(), f(np.array([0.0, np.pi / 2])).round(12).tolist()
('\\sin(x)', [0.0, 1.0])
>>> curve = adapt(np.tan).sample((-2.0, 2.0))
>>> np.round(curve.breaks, 4).tolist(), len(curve.runs)
([-1.5708, 1.5708], 3)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from lib.functions import FunctionSpec, spec_of

__all__ = [
    "PX_PER_UNIT",
    "AdaptedFunction",
    "ArrayCallError",
    "DomainError",
    "FunctionError",
    "LabelError",
    "RangeError",
    "SampledCurve",
    "adapt",
    "bisect_jump",
    "check_x_range",
    "fitting_delta_schedule",
    "nice_step",
    "sample_curve",
]

FloatArray = NDArray[np.float64]

PX_PER_UNIT = 135.0
"""Pixels per manim scene unit at 1920×1080 (frame width 14.22 units)."""

_MATH_ERRORS = (ArithmeticError, ValueError)
"""What a scalar math function raises outside its domain (math domain error, 1/0)."""


class FunctionError(ValueError):
    """A teacher-supplied function cannot be used as asked."""


class ArrayCallError(FunctionError, TypeError):
    """The function accepts neither a float array nor a single float."""


class DomainError(FunctionError):
    """The function is not finite where it is needed (at a, or anywhere on the range)."""


class LabelError(FunctionError):
    """The function has no TeX label: pass ``func_tex`` or register it."""


class RangeError(FunctionError):
    """An x range is not an increasing pair of finite numbers, or a point lies outside it."""


def _describe(func: Callable[..., object]) -> str:
    """Return the name a message should use for ``func``."""
    spec = spec_of(func)
    if spec is not None:
        return spec.name
    name = getattr(func, "__name__", None)
    return name if name else repr(func)


def check_x_range(x_range: object, what: str = "x_range") -> tuple[float, float]:
    """Return ``x_range`` as ``(lo, hi)`` floats, or raise :class:`RangeError`.

    Parameters
    ----------
    x_range : pair of float
        Interval in axis coordinates.
    what : str, optional
        The name the message uses.

    Returns
    -------
    tuple of float
        ``(lo, hi)`` with ``lo < hi``, both finite.

    Raises
    ------
    RangeError
        If it is not a pair of finite numbers with lo < hi.

    Examples
    --------
    >>> check_x_range((-2, 2))
    (-2.0, 2.0)
    """
    try:
        lo, hi = (float(v) for v in x_range)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise RangeError(
            f"{what} must be a pair (lo, hi) of numbers; got {what}={x_range!r}"
        ) from None
    if not (np.isfinite(lo) and np.isfinite(hi)) or not lo < hi:
        raise RangeError(f"{what} needs finite lo < hi; got {what}={x_range!r}")
    return lo, hi


def nice_step(span: float, target: int = 5) -> float:
    """Return 1, 2 or 5 times a power of ten giving about ``target`` ticks over ``span``.

    Examples
    --------
    >>> nice_step(4.0), nice_step(20.0), nice_step(0.3)
    (1.0, 5.0, 0.1)
    """
    raw = max(float(span), 1e-12) / target
    power = 10 ** np.floor(np.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power * 1.0000001:
            return float(m * power)
    return float(10 * power)


@dataclass(frozen=True)
class SampledCurve:
    """A function sampled for drawing on axes of a given size.

    Attributes
    ----------
    x_range : tuple of float
        (lo, hi), axis coordinates.
    y_range : tuple of float
        (lo, hi) fitted to the samples, ignoring those that run off beside a pole.
    xs, ys : ndarray, shape (n,)
        Every sample, sorted by x; ``ys`` is inf/NaN where the function is not finite.
    runs : tuple of (ndarray, ndarray)
        The drawable pieces ``(x, y)``, each shape (m,), m ≥ 2: finite, split at
        every pole and jump, clipped to ``y_range`` (ends interpolated on its edges).
    breaks : ndarray, shape (k,)
        The x of poles and jumps in the range (registered or found by sampling).
    finite_range : tuple of float
        The smallest and largest x where the function is finite.
    """

    x_range: tuple[float, float]
    y_range: tuple[float, float]
    xs: FloatArray
    ys: FloatArray
    runs: tuple[tuple[FloatArray, FloatArray], ...]
    breaks: FloatArray
    finite_range: tuple[float, float]

    def near_break(self, x: ArrayLike, distance: float) -> NDArray[np.bool_]:
        """Return True where x lies within ``distance`` of a pole or jump."""
        x = np.asarray(x, dtype=np.float64)
        if self.breaks.size == 0:
            return np.zeros(x.shape, dtype=bool)
        return np.min(np.abs(x[..., None] - self.breaks), axis=-1) <= distance


@dataclass(frozen=True, eq=False)
class AdaptedFunction:
    """A teacher's function made safe to evaluate, differentiate and plot.

    Call it with an array (any shape) to get float64 values of the same shape,
    silently (inf/NaN where the function is not finite or raised a math error).

    Attributes
    ----------
    func : callable
        The function as given.
    name : str
        Registered name, else ``__name__``.
    tex : str or None
        TeX of f(x) (explicit, else the registry's), None if unknown.
    spec : FunctionSpec or None
        What lib's registry knows (derivative, kinks, poles, domain).
    """

    func: Callable[..., object]
    name: str
    tex: str | None
    spec: FunctionSpec | None
    _mode: list[str] = field(default_factory=lambda: ["unknown"], repr=False)

    @property
    def __name__(self) -> str:  # noqa: PLW3201 - read by messages like a function's name
        """The name, as a function's ``__name__``."""
        return self.name

    @property
    def elementwise(self) -> bool:
        """True once the function has been found to accept only single floats."""
        return self._mode[0] == "scalar"

    def __call__(self, x: ArrayLike) -> FloatArray:
        """Evaluate at ``x`` (array_like, shape (...)); float64 of that shape.

        Raises
        ------
        ArrayCallError
            If the function accepts neither an array nor a single float.
        """
        arr = np.asarray(x, dtype=np.float64)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            if self._mode[0] != "scalar":
                try:
                    out = np.asarray(self.func(arr), dtype=np.float64)
                    out = np.broadcast_to(out, arr.shape).copy()
                except Exception as exc:
                    if self._mode[0] == "array":
                        raise
                    array_error = exc
                else:
                    self._mode[0] = "array"
                    return out[()] if out.ndim == 0 else out
            else:
                array_error = None
            out = self._elementwise(arr, array_error)
        self._mode[0] = "scalar"
        return out[()] if out.ndim == 0 else out

    def _elementwise(self, arr: FloatArray, array_error: BaseException | None) -> FloatArray:
        """Evaluate one float at a time; a math error gives NaN."""
        out = np.empty(arr.shape, dtype=np.float64)
        flat_in, flat_out = arr.ravel(), out.ravel()
        worked = False
        for i, value in enumerate(flat_in):
            try:
                flat_out[i] = float(self.func(float(value)))  # type: ignore[arg-type]
                worked = True
            except _MATH_ERRORS:
                flat_out[i] = np.nan
            except Exception as exc:
                raise self._array_call_error(array_error, exc) from None
        if not worked and flat_in.size:
            raise self._array_call_error(array_error, None)
        return out

    def _array_call_error(
        self, array_error: BaseException | None, scalar_error: BaseException | None
    ) -> ArrayCallError:
        parts = []
        if array_error is not None:
            parts.append(f"with an array it raised {type(array_error).__name__}: {array_error}")
        if scalar_error is not None:
            parts.append(f"with a float it raised {type(scalar_error).__name__}: {scalar_error}")
        else:
            parts.append("with a float it failed at every point")
        return ArrayCallError(
            f"function {self.name} ({self.func!r}) must accept a numpy array of floats, or "
            f"at least a single float, and return numbers: {'; '.join(parts)}"
        )

    # ------------------------------------------------------------------ label

    def label(self) -> str:
        """Return the TeX of f(x), or raise :class:`LabelError` asking for one.

        Raises
        ------
        LabelError
            If no ``tex`` was given and the registry does not know the function.
        """
        if self.tex is None:
            raise LabelError(
                f"no TeX label for function {self.name} ({self.func!r}): set func_tex "
                f"(e.g. func_tex = r'\\sin(3x)') or register it with "
                f"lib.functions.register(FunctionSpec(name, func, derivative, tex))"
            )
        return self.tex

    # ------------------------------------------------------------------ poles

    def poles_in(self, lo: float, hi: float) -> FloatArray:
        """Return the registered poles in [lo, hi] (none for an unregistered function)."""
        if self.spec is None:
            return np.empty(0)
        return self.spec.poles_in(lo, hi)

    def value_at(self, a: float, what: str = "a") -> float:
        """Return f(a) as a float, or raise :class:`DomainError` if it is not finite."""
        value = float(self(np.float64(a)))
        if not np.isfinite(value):
            raise DomainError(
                f"function {self.name} is not finite at {what}={a!r} (value {value!r}); "
                f"choose {what} where it is defined and finite"
            )
        return value

    def sample(
        self,
        x_range: tuple[float, float],
        width_px: float = 7.0 * PX_PER_UNIT,
        height_px: float = 5.0 * PX_PER_UNIT,
        *,
        y_range: tuple[float, float] | None = None,
        include: ArrayLike = (),
        tol_px: float = 0.5,
    ) -> SampledCurve:
        """Sample over ``x_range`` for a plot ``width_px`` × ``height_px`` pixels.

        See :func:`sample_curve`.
        """
        return sample_curve(
            self, x_range, width_px, height_px, y_range=y_range, include=include, tol_px=tol_px
        )


def adapt(
    func: Callable[..., object] | AdaptedFunction,
    tex: str | None = None,
    name: str | None = None,
) -> AdaptedFunction:
    """Pass a teacher's function through the adapter.

    Parameters
    ----------
    func : callable
        Any function of one real variable: a numpy ufunc, a lib function, a
        ``math`` function, a lambda, a function with a Python ``if``.
    tex : str, optional
        TeX of f(x); default the registry's.
    name : str, optional
        Name used in messages; default the registry's or ``__name__``.

    Returns
    -------
    AdaptedFunction

    Raises
    ------
    TypeError
        If ``func`` is not callable.

    Examples
    --------
    >>> adapt(lambda x: x if x > 0 else 0.0)(np.array([-1.0, 2.0])).tolist()
    [0.0, 2.0]
    """
    if isinstance(func, AdaptedFunction):
        if tex is None and name is None:
            return func
        return AdaptedFunction(
            func.func, name or func.name, tex if tex is not None else func.tex, func.spec
        )
    if not callable(func):
        raise TypeError(f"expected a function of x; got {func!r} (type {type(func).__name__})")
    spec = spec_of(func)
    if tex is None and spec is not None:
        tex = spec.tex
    return AdaptedFunction(func, name or _describe(func), tex, spec)


# ---------------------------------------------------------------------- sampling


def bisect_jump(f: AdaptedFunction, x0: float, x1: float, y0: float, y1: float, steps: int = 48):
    """Narrow [x0, x1] to where |Δy| concentrates; return (x, remaining |Δy|, hit_nonfinite).

    A continuous function's remaining difference shrinks to round-off; a jump's stays
    its size, a pole's grows or meets a non-finite value.
    """
    for _ in range(steps):
        xm = 0.5 * (x0 + x1)
        if xm in (x0, x1):
            break
        ym = float(f(xm))
        if not np.isfinite(ym):
            return xm, np.inf, True
        if abs(ym - y0) >= abs(y1 - ym):
            x1, y1 = xm, ym
        else:
            x0, y0 = xm, ym
    return 0.5 * (x0 + x1), abs(y1 - y0), False


def _domain_edge(f: AdaptedFunction, inside: float, outside: float, steps: int = 48) -> float:
    """Bisect between a finite and a non-finite sample; return the last finite x found."""
    for _ in range(steps):
        xm = 0.5 * (inside + outside)
        if xm in (inside, outside):
            break
        if np.isfinite(float(f(xm))):
            inside = xm
        else:
            outside = xm
    return inside


def _find_breaks(f: AdaptedFunction, xs: FloatArray, ys: FloatArray, lo: float, hi: float):
    """Return the registered poles in range, plus jumps and poles bisection cannot shrink."""
    breaks = list(f.poles_in(lo, hi))
    finite = np.isfinite(ys)
    if finite.sum() >= 2:
        core = ys[finite]
        spread = float(np.subtract(*np.percentile(core, [90, 10])))
        threshold = max(spread, 1e-9) * 0.25
        both = finite[:-1] & finite[1:]
        dy = np.abs(np.diff(np.where(finite, ys, 0.0)))
        for i in np.flatnonzero(both & (dy > threshold)):
            x, rest, hit = bisect_jump(f, xs[i], xs[i + 1], ys[i], ys[i + 1])
            if hit or rest > 0.5 * threshold:
                if not any(abs(x - b) <= (xs[i + 1] - xs[i]) for b in breaks):
                    breaks.append(x)
    return np.array(sorted(breaks), dtype=np.float64)


def _robust_y_range(xs, ys, breaks, edges, lo, hi) -> tuple[float, float]:
    """Fit y to the samples, ignoring those that run off beside a pole or domain edge."""
    finite = np.isfinite(ys)
    margin = 0.05 * (hi - lo)
    risky = np.array(list(breaks) + list(edges), dtype=np.float64)
    near = np.zeros(xs.shape, dtype=bool)
    if risky.size:
        near = np.min(np.abs(xs[:, None] - risky[None, :]), axis=1) <= margin
    core = ys[finite & ~near]
    if core.size == 0:
        core = ys[finite]
    y_lo, y_hi = float(core.min()), float(core.max())
    if risky.size:
        # Beside a pole of higher order (-2/x^3) even the core is dominated by the
        # samples nearest the margin: keep the middle 90 % and a quarter of its span.
        p_lo, p_hi = (float(v) for v in np.percentile(core, [5, 95]))
        spread = p_hi - p_lo
        y_lo, y_hi = max(y_lo, p_lo - 0.25 * spread), min(y_hi, p_hi + 0.25 * spread)
    span = max(y_hi - y_lo, 1e-9)
    beside = ys[finite & near]
    ok = beside[(beside >= y_lo - 0.25 * span) & (beside <= y_hi + 0.25 * span)]
    if ok.size:
        y_lo, y_hi = min(y_lo, float(ok.min())), max(y_hi, float(ok.max()))
    if y_hi - y_lo < 1e-9:
        y_lo, y_hi = y_lo - 1.0, y_hi + 1.0
    return y_lo, y_hi


def _clip_run(xs: FloatArray, ys: FloatArray, y_lo: float, y_hi: float) -> list[tuple]:
    """Clip a polyline to the band y_lo ≤ y ≤ y_hi; return the pieces inside it."""
    pieces: list[tuple[list[float], list[float]]] = []
    cur_x: list[float] = []
    cur_y: list[float] = []
    for i in range(len(xs) - 1):
        x0, y0, x1, y1 = xs[i], ys[i], xs[i + 1], ys[i + 1]
        t0, t1 = 0.0, 1.0
        dy = y1 - y0
        if dy == 0:
            if not y_lo <= y0 <= y_hi:
                t0, t1 = 1.0, 0.0
        else:
            a, b = (y_lo - y0) / dy, (y_hi - y0) / dy
            t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
        if t1 < t0:
            if len(cur_x) >= 2:
                pieces.append((cur_x, cur_y))
            cur_x, cur_y = [], []
            continue
        px0, py0 = x0 + t0 * (x1 - x0), np.clip(y0 + t0 * dy, y_lo, y_hi)
        px1, py1 = x0 + t1 * (x1 - x0), np.clip(y0 + t1 * dy, y_lo, y_hi)
        if cur_x and (cur_x[-1] != px0 or t0 > 0):
            if len(cur_x) >= 2:
                pieces.append((cur_x, cur_y))
            cur_x, cur_y = [], []
        if not cur_x:
            cur_x, cur_y = [px0], [py0]
        cur_x.append(px1)
        cur_y.append(py1)
        if t1 < 1.0:
            pieces.append((cur_x, cur_y))
            cur_x, cur_y = [], []
    if len(cur_x) >= 2:
        pieces.append((cur_x, cur_y))
    return [(np.array(px), np.array(py)) for px, py in pieces if len(px) >= 2]


def _crosses(xs: FloatArray, breaks: FloatArray) -> NDArray[np.bool_]:
    """Flag each interval (xs[i], xs[i+1]) that has a break strictly inside it."""
    if breaks.size == 0:
        return np.zeros(xs.size - 1, dtype=bool)
    return np.searchsorted(breaks, xs[1:], "left") > np.searchsorted(breaks, xs[:-1], "right")


def sample_curve(
    func: Callable[..., object],
    x_range: tuple[float, float],
    width_px: float = 7.0 * PX_PER_UNIT,
    height_px: float = 5.0 * PX_PER_UNIT,
    *,
    y_range: tuple[float, float] | None = None,
    include: ArrayLike = (),
    tol_px: float = 0.5,
    pad: float = 0.08,
    max_samples: int = 20000,
) -> SampledCurve:
    """Sample ``func`` over ``x_range`` so that its polyline is within ``tol_px`` of it.

    Parameters
    ----------
    func : callable
        Any function (passed through :func:`adapt`).
    x_range : tuple of float
        (lo, hi), lo < hi, axis coordinates.
    width_px, height_px : float, optional
        The plot's size in pixels (scene units × :data:`PX_PER_UNIT` at 1080p).
    y_range : tuple of float, optional
        Fixed y range; default fitted (see :class:`SampledCurve`).
    include : array_like, optional
        Extra x values to fit into the y range (e.g. the point a and a ± Δ).
    tol_px : float, optional
        Largest allowed distance, in pixels, between an interval's midpoint on
        the curve and the chord drawn (0.5: the drawn curve is within a pixel).
    pad : float, optional
        Margin added above and below a fitted y range, as a fraction of it.
    max_samples : int, optional
        Cap on the number of samples.

    Returns
    -------
    SampledCurve

    Raises
    ------
    RangeError
        If ``x_range`` is not finite with lo < hi.
    DomainError
        If the function is finite nowhere on the range (names it and an x).
    ArrayCallError
        See :func:`adapt`.

    Examples
    --------
    >>> c = sample_curve(np.log, (0.0, 4.0))
    >>> bool(c.finite_range[0] < 1e-6), c.runs[0][0][-1]
    (True, np.float64(4.0))
    """
    f = adapt(func)
    lo, hi = check_x_range(x_range)
    xs = np.linspace(lo, hi, 257)
    ys = f(xs)
    finite = np.isfinite(ys)
    if not finite.any():
        raise DomainError(
            f"function {f.name} is not finite anywhere on x_range=({lo:g}, {hi:g}) "
            f"(e.g. f({xs[len(xs) // 2]:g}) = {ys[len(ys) // 2]!r}); choose a range where "
            "it is defined"
        )
    # Domain edges: the last finite x next to every finite/non-finite change.
    edges, extra = [], []
    for i in np.flatnonzero(finite[:-1] != finite[1:]):
        inside, outside = (xs[i], xs[i + 1]) if finite[i] else (xs[i + 1], xs[i])
        edge = _domain_edge(f, inside, outside)
        edges.append(edge)
        extra.append(edge)
    breaks = _find_breaks(f, xs, ys, lo, hi)
    # A non-finite gap narrower than a sample step between two finite parts is a pole
    # (1/x sampled at exactly 0): a break, not a domain edge.
    pairs = sorted(edges)
    for e0, e1 in zip(pairs[:-1], pairs[1:], strict=False):
        mid = 0.5 * (e0 + e1)
        if e1 - e0 < 1e-6 * (hi - lo) and not np.isfinite(float(f(mid))):
            breaks = np.union1d(breaks, [mid])
            edges = [e for e in edges if e not in (e0, e1)]
    # Samples at the breaks' sides, so that each run reaches its pole or jump.
    for b in breaks:
        for side in (-1, 1):
            x = b + side * max(abs(b), 1.0) * 1e-9
            if lo <= x <= hi:
                extra.append(x)
    xs = np.unique(np.concatenate([xs, extra, np.asarray(include, dtype=np.float64).ravel()]))
    xs = xs[(xs >= lo) & (xs <= hi)]
    xs = xs[~np.isin(xs, breaks)]
    ys = f(xs)
    if y_range is None:
        # A domain edge where f stays bounded (sqrt at 0) is not a place to ignore; one
        # where it runs off (log at 0, F' beside a pole) is.
        risky = np.array([*breaks, *edges], dtype=np.float64)
        far = np.isfinite(ys)
        if risky.size:
            far &= np.min(np.abs(xs[:, None] - risky[None, :]), axis=1) > 0.05 * (hi - lo)
        core = ys[far] if far.any() else ys[np.isfinite(ys)]
        span = max(float(core.max() - core.min()), 1e-9)
        unbounded = [e for e in edges if not core.min() - span <= float(f(e)) <= core.max() + span]
        y_range = _robust_y_range(xs, ys, breaks, unbounded, lo, hi)
        inc = np.asarray(include, dtype=np.float64).ravel()
        if inc.size:
            yi = f(inc)
            yi = yi[np.isfinite(yi)]
            if yi.size:
                y_range = (min(y_range[0], float(yi.min())), max(y_range[1], float(yi.max())))
        y_lo, y_hi = (float(v) for v in y_range)
        # Room above and below: the fitted ends are sample maxima, and a peak between
        # samples must not be clipped.
        y_range = (y_lo - pad * (y_hi - y_lo), y_hi + pad * (y_hi - y_lo))
    y_lo, y_hi = (float(v) for v in y_range)
    px, py = width_px / (hi - lo), height_px / (y_hi - y_lo)

    # Refine: halve every interval whose midpoint is off the chord by more than tol_px.
    for _ in range(24):
        seg = np.isfinite(ys[:-1]) & np.isfinite(ys[1:]) & ~_crosses(xs, breaks)
        mids = 0.5 * (xs[:-1] + xs[1:])
        ym = f(mids)
        # Beside a pole the values reach ~1e308: an overflow to inf only marks the
        # interval for refinement, as it should.
        with np.errstate(over="ignore", invalid="ignore"):
            off = np.abs(ym - 0.5 * (ys[:-1] + ys[1:])) * py
        # Parts wholly above or below the plot are not drawn: no need to refine them.
        outside = ((ys[:-1] > y_hi) & (ys[1:] > y_hi) & (ym > y_hi)) | (
            (ys[:-1] < y_lo) & (ys[1:] < y_lo) & (ym < y_lo)
        )
        wide = (xs[1:] - xs[:-1]) * px > 0.05
        bad = seg & wide & ~outside & ((off > tol_px) | ~np.isfinite(ym))
        if not bad.any() or xs.size + bad.sum() > max_samples:
            break
        xs = np.concatenate([xs, mids[bad]])
        order = np.argsort(xs)
        xs, ys = xs[order], np.concatenate([ys, ym[bad]])[order]

    finite = np.isfinite(ys)
    # A run ends at a non-finite sample or before an interval that crosses a break.
    split = ~(finite[:-1] & finite[1:]) | _crosses(xs, breaks)
    runs: list[tuple[FloatArray, FloatArray]] = []
    start = 0
    for i in [*np.flatnonzero(split), xs.size - 1]:
        piece = slice(start, i + 1)
        keep = finite[piece]
        px_, py_ = xs[piece][keep], ys[piece][keep]
        if px_.size >= 2:
            runs.extend(_clip_run(px_, py_, y_lo, y_hi))
        start = i + 1
    fx = xs[finite]
    return SampledCurve(
        x_range=(lo, hi),
        y_range=(y_lo, y_hi),
        xs=xs,
        ys=ys,
        runs=tuple(runs),
        breaks=breaks,
        finite_range=(float(fx.min()), float(fx.max())),
    )


def fitting_delta_schedule(
    func: Callable[..., object],
    a: float,
    x_range: tuple[float, float],
    schedule: ArrayLike,
    *,
    y_range: tuple[float, float] | None = None,
    breaks: ArrayLike = (),
) -> FloatArray:
    """Return a "shrink Δ" schedule whose secant points a ± Δ all lie on the plot.

    The schedule is kept if its first Δ fits; otherwise it restarts, with the
    same length and last Δ, from the largest Δ that fits: a ± Δ inside
    ``x_range``, no pole, jump or kink within Δ of a (registered or in
    ``breaks``), and f(a ± Δ) inside ``y_range`` when one is given.

    Parameters
    ----------
    func : callable
        Any function (see :func:`adapt`).
    a : float
        The point, inside ``x_range``.
    x_range : tuple of float
        (lo, hi) of the plot.
    schedule : array_like, shape (n,)
        Decreasing steps Δ > 0, e.g. :func:`lib.calculus.delta_schedule`.
    y_range : tuple of float, optional
        (lo, hi) of the plot.
    breaks : array_like, optional
        Poles and jumps found by sampling (:attr:`SampledCurve.breaks`).

    Returns
    -------
    ndarray, shape (n,)
        Strictly decreasing, geometric when restarted.

    Raises
    ------
    RangeError
        If ``a`` is outside ``x_range``, or no Δ above the last one fits.
    DomainError
        If f(a) is not finite.

    Examples
    --------
    >>> fitting_delta_schedule(np.sin, 1.5, (-2.0, 2.0), [1.0, 0.1, 0.01]).tolist()
    [0.5, 0.07071067811865475, 0.01]
    """
    f = adapt(func)
    lo, hi = check_x_range(x_range)
    steps = np.asarray(schedule, dtype=np.float64).ravel()
    if steps.size < 2 or not np.all(np.diff(steps) < 0) or steps[-1] <= 0:
        raise RangeError(f"schedule must be decreasing positive steps; got {schedule!r}")
    if not lo <= a <= hi:
        raise RangeError(
            f"a={a!r} is outside x_range=({lo:g}, {hi:g}): the point would be drawn off "
            "the plot; choose a inside the range or widen x_range"
        )
    f.value_at(a)
    room = min(a - lo, hi - a)
    near = [*np.asarray(breaks, dtype=np.float64).ravel(), *f.poles_in(lo - 1, hi + 1)]
    if f.spec is not None:
        near += list(f.spec.kinks)
    for b in near:
        room = min(room, 0.95 * abs(a - b))
    start = min(float(steps[0]), room)
    if y_range is not None:
        y_lo, y_hi = y_range
        for _ in range(200):
            ys = f(np.array([a - start, a + start]))
            if np.all(np.isfinite(ys)) and np.all((ys >= y_lo) & (ys <= y_hi)):
                break
            start *= 0.9
    if start <= steps[-1]:
        raise RangeError(
            f"no secant around a={a!r} fits on the plot with a step above "
            f"{steps[-1]:g} (x_range=({lo:g}, {hi:g}), nearest edge, pole or kink "
            f"{room:.3g} away); move a away from it"
        )
    if start == steps[0]:
        return steps
    out = np.geomspace(start, steps[-1], steps.size)
    out[0], out[-1] = start, steps[-1]
    return out
