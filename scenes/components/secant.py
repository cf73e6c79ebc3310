"""Secant and tangent lines on an Axes, placed from lib's numbers.

Not manim's ``get_secant_slope_group``: that is a forward secant whose default
Δ is a tenth of the x range, and Δ = 0 silently becomes that default. Here the
secant passes through lib's (a−Δ, f(a−Δ)) and (a+Δ, f(a+Δ)) (or the forward
pair), and the tangent has lib's exact slope.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import Axes, Dot, Line, VGroup

from lib.calculus import DELTA, Secant, TangentLine, near_kink, secant, tangent_line

from . import palette


def _line_through(
    axes: Axes, x0: float, y0: float, x1: float, y1: float, length: float
) -> tuple[np.ndarray, np.ndarray]:
    """Segment of ``length`` scene units through two axis points, kept inside the axes.

    The segment is centred on the two points and clipped to the axes' plotted
    rectangle, so a steep line does not run out of the plot (its slope is
    unchanged: the clipped ends stay on the line).
    """
    p0, p1 = axes.c2p(x0, y0), axes.c2p(x1, y1)
    mid = (p0 + p1) / 2
    direction = (p1 - p0) / np.linalg.norm(p1 - p0)
    start, end = mid - direction * length / 2, mid + direction * length / 2
    lo = axes.c2p(axes.x_range[0], axes.y_range[0])
    hi = axes.c2p(axes.x_range[1], axes.y_range[1])
    return _clip(start, end, np.minimum(lo, hi), np.maximum(lo, hi))


def _clip(
    start: np.ndarray, end: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Liang–Barsky: the part of segment start→end inside the box [lo, hi] (x and y)."""
    d = end - start
    t0, t1 = 0.0, 1.0
    for axis in (0, 1):
        if abs(d[axis]) < 1e-12:
            continue
        a, b = (lo[axis] - start[axis]) / d[axis], (hi[axis] - start[axis]) / d[axis]
        t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
    if t1 <= t0:  # wholly outside: keep it as it was
        return start, end
    return start + t0 * d, start + t1 * d


def slope_in_axes(axes: Axes, line: Line) -> float:
    """Read a drawn line's slope back in axis coordinates (what tests compare to lib)."""
    (x0, y0), (x1, y1) = axes.p2c(line.get_start()), axes.p2c(line.get_end())
    return (y1 - y0) / (x1 - x0)


class SecantMobject(VGroup):
    """A secant of ``func`` at ``a`` with step Δ, drawn from lib's points.

    Parameters
    ----------
    axes : Axes
        The axes the curve is plotted on.
    func : callable
        A lib function.
    a : float
        The point (axis units).
    delta : float
        The step Δ (axis units), > 0.
    kind : str
        ``"central"`` (a−Δ, a+Δ) or ``"forward"`` (a, a+Δ).
    length : float
        Drawn length in scene units.

    Attributes
    ----------
    line : Line
        The secant line (extends past both points).
    start_dot, end_dot : Dot
        The two points on the curve.
    secant : lib.calculus.Secant
        lib's description: endpoints and slope.
    """

    def __init__(
        self,
        axes: Axes,
        func: Callable[..., object],
        a: float,
        delta: float,
        kind: str = "central",
        length: float = 5.0,
        color=palette.NUDGE,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.axes, self.func, self.a, self.kind, self.length = axes, func, a, kind, length
        self.line = Line(color=color, stroke_width=4)
        self.start_dot = Dot(color=color, radius=0.06)
        self.end_dot = Dot(color=color, radius=0.06)
        self.add(self.line, self.start_dot, self.end_dot)
        self.set_delta(delta)

    def set_delta(self, delta: float) -> SecantMobject:
        """Recompute the secant from lib for step ``delta`` and move the parts."""
        self.secant: Secant = secant(self.func, self.a, delta, kind=self.kind)
        s = self.secant
        start, end = _line_through(self.axes, s.x0, s.y0, s.x1, s.y1, self.length)
        self.line.put_start_and_end_on(start, end)
        self.start_dot.move_to(self.axes.c2p(s.x0, s.y0))
        self.end_dot.move_to(self.axes.c2p(s.x1, s.y1))
        return self

    @property
    def drawn_slope(self) -> float:
        """The slope of the line as drawn, read back in axis coordinates."""
        return slope_in_axes(self.axes, self.line)


class TangentMobject(VGroup):
    """The tangent of ``func`` at ``a``, with lib's exact slope.

    Attributes
    ----------
    line : Line
        The tangent line, centred on the point of tangency.
    dot : Dot
        The point (a, f(a)).
    tangent : lib.calculus.TangentLine
        lib's description: a, f(a) and slope.
    """

    def __init__(
        self,
        axes: Axes,
        func: Callable[..., object],
        a: float,
        length: float = 3.0,
        color=palette.DERIVATIVE,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.axes, self.func, self.length = axes, func, length
        self.line = Line(color=color, stroke_width=4)
        self.dot = Dot(color=color, radius=0.07)
        self.add(self.line, self.dot)
        self.set_point(a)

    def set_point(self, a: float) -> TangentMobject:
        """Move the tangent to ``a`` (slope from lib).

        Within lib's Δ (0.001) of a kink or pole no slope is claimed: the line
        is hidden and ``tangent`` is None there.
        """
        if bool(near_kink(self.func, a, DELTA)):
            self.tangent: TangentLine | None = None
            self.set_opacity(0)
            return self
        self.tangent = tangent_line(self.func, a)
        self.set_opacity(1)
        t = self.tangent
        start, end = _line_through(
            self.axes, t.a - 0.5, t(t.a - 0.5), t.a + 0.5, t(t.a + 0.5), self.length
        )
        self.line.put_start_and_end_on(start, end)
        self.dot.move_to(self.axes.c2p(t.a, t.fa))
        return self

    @property
    def drawn_slope(self) -> float:
        """The slope of the line as drawn, read back in axis coordinates."""
        return slope_in_axes(self.axes, self.line)
