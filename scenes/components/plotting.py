"""Axes fitted to a function's samples, and polylines through lib's samples.

The one home of "plot this function" in the series: every teacher-supplied
function goes through :func:`lib.adapt.adapt` (vectorised, its finite domain,
its poles and jumps, its label) and :func:`lib.adapt.sample_curve` (a sampling
dense enough that the drawn curve is within a pixel of the function at 1080p);
this module turns the result into manim objects:

- :func:`fitted_axes`: Axes over a range with ticks at round values and numbers
  at least 22 px tall at 1080p;
- :func:`sampled_polyline`: a VMobject through given axis points, exactly;
- :class:`FunctionPlot`: axes plus the curve (one polyline per run: a gap at
  each pole and outside the domain), with named parts;
- :func:`function_label`: a scene class's TeX label for its function, never a
  stale one inherited from the parent of a variant.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import Axes, Mobject, VGroup, VMobject

from lib.adapt import PX_PER_UNIT, AdaptedFunction, SampledCurve, adapt, check_x_range, nice_step

from . import palette
from .audit import touches_lines

NUMBER_FONT_SIZE = 24
"""Font size of axis numbers: digits about 23 px tall at 1080p."""


def _decimals(step: float) -> int:
    """Decimals needed to print multiples of ``step`` exactly (0 for 1, 2, 5, 10...)."""
    return max(0, -int(np.floor(np.log10(step) + 1e-9)))


def aligned_ticks(lo: float, hi: float, step: float) -> np.ndarray:
    """Multiples of ``step`` inside [lo, hi] (round values, whatever lo is).

    Examples
    --------
    >>> aligned_ticks(-3.2, 3.2, 1.0).tolist()
    [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
    """
    first, last = np.ceil(lo / step - 1e-9), np.floor(hi / step + 1e-9)
    ticks = np.arange(first, last + 1) * step
    return np.round(ticks, _decimals(step) + 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def fitted_axes(
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    width: float = 7.0,
    height: float = 5.0,
    *,
    numbers: bool = True,
    x_step: float | None = None,
    y_step: float | None = None,
    font_size: float = NUMBER_FONT_SIZE,
    color=palette.MUTED,
) -> Axes:
    """Build Axes over ``x_range`` × ``y_range`` with ticks and numbers at round values.

    Parameters
    ----------
    x_range, y_range : tuple of float
        (lo, hi), axis coordinates, lo < hi.
    width, height : float
        Scene units.
    numbers : bool
        Label the ticks (not 0, where the axes cross).
    x_step, y_step : float, optional
        Tick spacing; default :func:`lib.adapt.nice_step` of the span.
    font_size : float
        Of the numbers (24: about 23 px at 1080p).
    color : ManimColor
        Axes and numbers.

    Returns
    -------
    Axes
        With ``x_ticks`` and ``y_ticks`` (arrays of the tick values) and
        ``x_numbers``/``y_numbers`` (VGroups, possibly empty) as attributes.

    Raises
    ------
    lib.adapt.RangeError
        If a range is not finite with lo < hi.
    """
    x_lo, x_hi = check_x_range(x_range)
    y_lo, y_hi = check_x_range(y_range, "y_range")
    x_step = x_step or nice_step(x_hi - x_lo, 6)
    y_step = y_step or nice_step(y_hi - y_lo, 5)
    axes = Axes(
        x_range=[x_lo, x_hi, x_hi - x_lo],
        y_range=[y_lo, y_hi, y_hi - y_lo],
        x_length=width,
        y_length=height,
        tips=False,
        axis_config={"color": color, "include_ticks": False, "stroke_width": 2},
    )
    axes.x_ticks = aligned_ticks(x_lo, x_hi, x_step)
    axes.y_ticks = aligned_ticks(y_lo, y_hi, y_step)
    axes.x_numbers, axes.y_numbers = VGroup(), VGroup()
    for axis, ticks, step, group in (
        (axes.x_axis, axes.x_ticks, x_step, axes.x_numbers),
        (axes.y_axis, axes.y_ticks, y_step, axes.y_numbers),
    ):
        for value in ticks:
            axis.add(axis.get_tick(float(value)).set_stroke(color, 2))
        if numbers:
            shown = [float(v) for v in ticks if abs(v) > step * 1e-6]
            if shown:
                axis.add_numbers(
                    shown,
                    font_size=font_size,
                    num_decimal_places=_decimals(step),
                    color=color,
                )
                group.add(*axis.numbers)
    return axes


def sampled_polyline(
    axes: Axes, xs: Sequence[float], ys: Sequence[float], color=palette.OUTPUT, stroke_width=4
) -> VMobject:
    """Build a polyline through the axis points ``(xs[i], ys[i])`` exactly (straight segments)."""
    curve = VMobject(color=color, stroke_width=stroke_width)
    curve.set_points_as_corners([axes.c2p(float(x), float(y)) for x, y in zip(xs, ys, strict=True)])
    return curve


def polyline_points(axes: Axes, curve: VMobject) -> np.ndarray:
    """Read a polyline's corners back in axis coordinates, shape (m, 2)."""
    anchors = np.vstack([curve.get_start_anchors(), curve.get_end_anchors()[-1:]])
    return np.array([axes.p2c(p) for p in anchors])


def curve_runs(axes: Axes, curve: SampledCurve, color=palette.OUTPUT, stroke_width=4) -> VGroup:
    """One polyline per run of a sampled curve (gaps at poles and outside the domain)."""
    return VGroup(*(sampled_polyline(axes, xs, ys, color, stroke_width) for xs, ys in curve.runs))


class FunctionPlot(VGroup):
    """Axes fitted to a function over a range, and its curve sampled by lib.

    Parameters
    ----------
    func : callable
        Any function of x (passed through :func:`lib.adapt.adapt`).
    x_range : tuple of float
        (lo, hi), lo < hi.
    width, height : float
        Scene units; the sampling is fine enough for a 1080p frame.
    include : sequence of float
        x values whose f(x) the y range must contain (the point a, a ± Δ).
    y_range : tuple of float, optional
        Fixed y range; default fitted (ignoring the samples beside a pole).
    numbers : bool
        Numbers on the axes.
    color : ManimColor
        Of the curve (the output colour).

    Attributes
    ----------
    func : lib.adapt.AdaptedFunction
    curve : lib.adapt.SampledCurve
        lib's samples, runs, breaks (poles and jumps) and the y range.
    axes : Axes
    graph : VGroup of VMobject
        One polyline per run of ``curve``.
    """

    def __init__(
        self,
        func: Callable[..., object] | AdaptedFunction,
        x_range: tuple[float, float],
        width: float = 7.0,
        height: float = 5.0,
        *,
        include: Sequence[float] = (),
        y_range: tuple[float, float] | None = None,
        numbers: bool = True,
        color=palette.OUTPUT,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.func = adapt(func)
        self.curve = self.func.sample(
            x_range,
            width * PX_PER_UNIT,
            height * PX_PER_UNIT,
            y_range=y_range,
            include=include,
        )
        self.axes = fitted_axes(
            self.curve.x_range, self.curve.y_range, width, height, numbers=numbers
        )
        self.graph = curve_runs(self.axes, self.curve, color)
        clear_numbers(self.axes, self.graph)
        self.add(self.axes, self.graph)


def clear_numbers(axes: Axes, curves: Sequence[Mobject]) -> Axes:
    """Keep the axis numbers clear of ``curves``: a number a curve crosses moves or goes.

    An x-axis number that a curve touches (:func:`scenes.components.audit.touches_lines`)
    is mirrored to the other side of its axis (above it), a y-axis number likewise
    (to its right); if the curve touches it there too, it is removed (its tick
    stays). Returns ``axes``; ``x_numbers`` and ``y_numbers`` hold the numbers shown.
    """
    for axis, group, k in ((axes.x_axis, axes.x_numbers, 1), (axes.y_axis, axes.y_numbers, 0)):
        line = axis.get_start()[k]  # the axis line itself (a NumberLine is a Line)
        for number in list(group):
            if not touches_lines(number, curves):
                continue
            shift = np.zeros(3)
            shift[k] = 2 * (line - number.get_center()[k])
            number.shift(shift)
            if touches_lines(number, curves):
                group.remove(number)
                axis.numbers.remove(number)
    return axes


def function_label(scene_class: type, func_attr: str = "func", tex_attr: str = "func_tex") -> str:
    r"""Return the TeX of f(x) for a scene class's function, never a stale one.

    ``func_tex`` counts only if it is set in the class that sets ``func`` or in
    a subclass of it: ``class V(SecantBecomesTangent): func = staticmethod(np.sin)``
    does not inherit the parent's ``"x^3"``, it gets the registry's ``\sin(x)``.

    Raises
    ------
    lib.adapt.LabelError
        If the function is not registered and no fresh ``func_tex`` is set.
    """
    mro = scene_class.__mro__
    func_owner = next((c for c in mro if func_attr in vars(c)), None)
    tex_owner = next((c for c in mro if tex_attr in vars(c)), None)
    tex = getattr(scene_class, tex_attr, None)
    if tex_owner is None or func_owner is None or not issubclass(tex_owner, func_owner):
        tex = None
    return adapt(getattr(scene_class, func_attr), tex=tex).label()


__all__ = [
    "NUMBER_FONT_SIZE",
    "FunctionPlot",
    "aligned_ticks",
    "clear_numbers",
    "curve_runs",
    "fitted_axes",
    "function_label",
    "polyline_points",
    "sampled_polyline",
]
