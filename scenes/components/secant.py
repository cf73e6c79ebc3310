"""Secant and tangent lines on an Axes, placed from lib's numbers.

Not manim's ``get_secant_slope_group``: that is a forward secant whose default
Δ is a tenth of the x range, and Δ = 0 silently becomes that default. Here the
secant passes through lib's (a−Δ, f(a−Δ)) and (a+Δ, f(a+Δ)) (or the forward
pair), and the tangent has lib's exact slope.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Brace, Dot, Line, MathTex, Mobject, VGroup

from lib.calculus import (
    DELTA,
    DerivativeError,
    Secant,
    TangentLine,
    near_kink,
    secant,
    tangent_line,
)

from . import palette
from .audit import touches_lines


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
        try:
            if bool(near_kink(self.func, a, DELTA)):
                raise DerivativeError("within delta of a registered kink or pole")
            self.tangent: TangentLine | None = tangent_line(self.func, a)
        except DerivativeError:  # a kink, a pole (registered or found), not finite
            self.tangent = None
            self.set_opacity(0)
            return self
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


class SecantMarks(VGroup):
    """What a secant measures, drawn on the axes: a, a ± Δ, the Δ brace, rise over run.

    On the x axis: ticks at a − Δ, a and a + Δ, labelled ``a-Δ``, ``a``, ``a+Δ``,
    thin guides from the secant's points down to them, and a brace from a to
    a + Δ labelled Δ under the labels. On the secant: the run 2Δ (horizontal,
    the nudge colour) and the rise f(a+Δ) − f(a−Δ) (vertical, the output
    colour), labelled with those terms. A label is shown only while it has room
    (no two labels overlap as Δ shrinks); the ticks and legs stay.

    Parameters
    ----------
    secant : SecantMobject
        The secant to annotate; call :meth:`update_marks` after it moves.
    font_size : float
        Of the labels (28: capitals about 26 px tall at 1080p).
    avoid : VGroup, optional
        Axis numbers to hide while a label covers them or the secant crosses them
        (default: the axes' ``x_numbers`` and ``y_numbers``).
    curve : Mobject, optional
        The plotted curve: a label it would cross moves above the axis, or is not shown.

    Attributes
    ----------
    ticks : VGroup
        ``tick_minus``, ``tick_a``, ``tick_plus`` on the x axis.
    guides : VGroup
        From (a ∓ Δ, f(a ∓ Δ)) down to the x axis.
    label_minus, label_a, label_plus : MathTex
        The tick labels.
    brace : Brace
        From a to a + Δ; ``brace_label`` is its Δ.
    run_leg, rise_leg : Line
        The slope triangle's legs; ``run_label`` (2Δ), ``rise_label``.
    shown : list of Mobject
        The labels on screen after the last update.
    """

    def __init__(
        self,
        secant: SecantMobject,
        font_size: float = 28,
        avoid: VGroup | None = None,
        curve: Mobject | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.secant_mob, self.font_size, self.curve = secant, font_size, curve
        if avoid is None:
            axes = secant.axes
            avoid = VGroup(*getattr(axes, "x_numbers", []), *getattr(axes, "y_numbers", []))
        self.avoid = avoid
        nudge, out, inp = palette.NUDGE, palette.OUTPUT, palette.INPUT
        self.tick_minus = Line(UP, DOWN, color=nudge, stroke_width=4)
        self.tick_plus = Line(UP, DOWN, color=nudge, stroke_width=4)
        self.tick_a = Line(UP, DOWN, color=inp, stroke_width=4)
        self.ticks = VGroup(self.tick_minus, self.tick_a, self.tick_plus)
        self.guide_minus = Line(color=nudge, stroke_width=2, stroke_opacity=0.55)
        self.guide_plus = Line(color=nudge, stroke_width=2, stroke_opacity=0.55)
        self.guides = VGroup(self.guide_minus, self.guide_plus)
        self.label_minus = MathTex(r"a-\Delta", color=nudge, font_size=font_size)
        self.label_plus = MathTex(r"a+\Delta", color=nudge, font_size=font_size)
        self.label_a = MathTex("a", color=inp, font_size=font_size)
        self.brace_label = MathTex(r"\Delta", color=nudge, font_size=font_size)
        self.brace = Brace(Line(LEFT, RIGHT), DOWN, color=nudge)
        self.run_leg = Line(color=nudge, stroke_width=3)
        self.rise_leg = Line(color=out, stroke_width=3)
        self.run_label = MathTex(r"2\Delta", color=nudge, font_size=font_size)
        self.rise_label = MathTex(
            r"\begin{array}{l} f(a+\Delta) \\ -\,f(a-\Delta) \end{array}",
            color=out,
            font_size=font_size,
        )
        self.shown: list = []
        self.update_marks()

    def update_marks(self) -> SecantMarks:
        """Move every part to the secant's current Δ; show the labels that have room."""
        axes, s = self.secant_mob.axes, self.secant_mob.secant
        a, x0, x1, y0, y1 = s.a, s.x0, s.x1, s.y0, s.y1
        y_axis = min(max(0.0, axes.y_range[0]), axes.y_range[1])  # where the x axis is drawn
        on_axis = {x: axes.c2p(x, y_axis) for x in (x0, a, x1)}
        tick = 0.14
        for line, x in ((self.tick_minus, x0), (self.tick_a, a), (self.tick_plus, x1)):
            line.put_start_and_end_on(on_axis[x] + UP * tick, on_axis[x] + DOWN * tick)
        parts = [*self.ticks]
        for guide, x, y in ((self.guide_minus, x0, y0), (self.guide_plus, x1, y1)):
            top = axes.c2p(x, y)
            if abs(top[1] - on_axis[x][1]) > 0.05:
                guide.put_start_and_end_on(on_axis[x], top)
                parts.append(guide)
        row = on_axis[a][1] - tick - 0.1
        axis_x = axes.y_axis.get_start()[0]  # where the y axis crosses the labels' row
        a_side = RIGHT if on_axis[a][0] >= axis_x else LEFT
        for label, x, side in (
            (self.label_minus, x0, LEFT),
            (self.label_a, a, a_side),
            (self.label_plus, x1, RIGHT),
        ):
            label.move_to(on_axis[x]).align_to([0, row, 0], UP)
            if label.get_left()[0] - 0.06 < axis_x < label.get_right()[0] + 0.06:
                # Not across the y axis: beside it, away from the other marks if the
                # secant leaves room there, else on the other side.
                for where in (side, -side):
                    label.next_to([axis_x, label.get_y(), 0], where, buff=0.08)
                    if not touches_lines(label, [axes.y_axis, self.secant_mob]):
                        break
        # A label the curve or the secant crosses under the axis goes above it.
        lines = [self.secant_mob.line, *([self.curve] if self.curve is not None else [])]
        for label in (self.label_minus, self.label_a, self.label_plus):
            if touches_lines(label, lines):
                label.shift(UP * 2 * (on_axis[a][1] - label.get_y()))
        shown = [self.label_a]
        if self.label_minus.get_right()[0] + 0.1 < self.label_a.get_left()[0]:
            shown += [self.label_minus, self.label_plus]
        width = on_axis[x1][0] - on_axis[a][0]
        if width > 0.3:
            bottom = min(on_axis[a][1] - tick, *(m.get_bottom()[1] for m in shown))
            self.brace.become(
                Brace(Line(on_axis[a], on_axis[x1]), DOWN, buff=0.0, color=palette.NUDGE)
            )
            self.brace.next_to([on_axis[a][0], bottom, 0], DOWN, buff=0.1).align_to(
                on_axis[a], LEFT
            )
            parts.append(self.brace)
            if width > self.brace_label.width + 0.1:
                self.brace_label.next_to(self.brace, DOWN, buff=0.08)
                shown.append(self.brace_label)
        # The slope triangle: run along y = f(a − Δ), rise up at x = a + Δ.
        corner = axes.c2p(x1, y0)
        start, end = axes.c2p(x0, y0), axes.c2p(x1, y1)
        if abs(corner[0] - start[0]) > 0.02:
            self.run_leg.put_start_and_end_on(start, corner)
            parts.append(self.run_leg)
        if abs(end[1] - corner[1]) > 0.02:
            self.rise_leg.put_start_and_end_on(corner, end)
            parts.append(self.rise_leg)
        run_len, rise_len = abs(corner[0] - start[0]), abs(end[1] - corner[1])
        inside = UP if y1 >= y0 else DOWN  # the triangle's side of the run leg
        if run_len > self.run_label.width + 0.4 and rise_len > self.run_label.height + 0.3:
            # Three quarters along the run, inside the triangle: clear of the point a.
            spot = start + 0.75 * (corner - start)
            self.run_label.next_to(spot, inside, buff=0.1)
            # Not over the point (a, f(a)) on the curve, where the scene draws its dot.
            fa = float(np.asarray(self.secant_mob.func(np.float64(a))))
            point = axes.c2p(a, fa)
            clear = 0.15
            if not (
                self.run_label.get_left()[0] - clear
                < point[0]
                < self.run_label.get_right()[0] + clear
                and self.run_label.get_bottom()[1] - clear
                < point[1]
                < self.run_label.get_top()[1] + clear
            ):
                shown.append(self.run_label)
        if rise_len > self.rise_label.height + 0.2:
            self.rise_label.next_to(self.rise_leg, RIGHT, buff=0.12)
            shown.append(self.rise_label)
        # Overlapping labels, or labels a line still crosses (the axes too): not shown.
        axis_lines = [Line(ax.get_start(), ax.get_end()) for ax in (axes.x_axis, axes.y_axis)]
        kept: list = []
        for mob in shown:
            if not any(_overlap(mob, other) for other in kept) and not touches_lines(
                mob, [*lines, *axis_lines]
            ):
                kept.append(mob)
        # Axis numbers under a label, or crossed by the secant, hide while it is there
        # (with twice the audit's clearance: the secant moves on after this frame).
        line = self.secant_mob.line
        for number in self.avoid:
            covered = any(_overlap(number, m) for m in kept) or touches_lines(
                number, [line], min_clearance_px=6.0
            )
            number.set_opacity(0 if covered else 1)
        self.shown = kept
        self.submobjects = [*parts, *kept]
        return self

    def restore_numbers(self) -> SecantMarks:
        """Show every axis number again (call when the marks leave the screen)."""
        for number in self.avoid:
            number.set_opacity(1)
        return self


def _overlap(a, b, pad: float = 0.04) -> bool:
    """Return True if the bounding boxes of two mobjects overlap (``pad`` scene units)."""
    return bool(
        a.get_left()[0] - pad < b.get_right()[0]
        and b.get_left()[0] - pad < a.get_right()[0]
        and a.get_bottom()[1] - pad < b.get_top()[1]
        and b.get_bottom()[1] - pad < a.get_top()[1]
    )


def central_difference_tex(prefix: str = "", **kwargs) -> MathTex:
    r"""Build the central difference (f(a+Δ) − f(a−Δ)) / 2Δ, coloured like the secant's legs.

    The rise is in the output's colour, the run 2Δ in the nudge's, in every view
    that shows the fraction (math view, limit definition, recap).

    Parameters
    ----------
    prefix : str
        TeX before the fraction, e.g. ``r"f'(a) = \lim_{\Delta \to 0}"`` (its own part).
    **kwargs
        Passed to :class:`manim.MathTex` (``font_size``...).

    Returns
    -------
    MathTex
        Parts ``[prefix], rise, \over, run``; ``.rise`` and ``.run`` name the two.
    """
    parts = [r"{f(a+\Delta) - f(a-\Delta)", r"\over", r"2\Delta}"]
    tex = MathTex(*([prefix] if prefix else []), *parts, **kwargs)
    tex.rise, tex.run = tex[-3], tex[-1]
    tex.rise.set_color(palette.OUTPUT)
    tex.run.set_color(palette.NUDGE)
    return tex
