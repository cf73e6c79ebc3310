"""Episode 1, "The derivative": the limit, the secant and tangent, the factory, three views.

Every number, curve and line on screen is computed by ``lib`` at render time.
Render one scene with ``manim -ql scenes/ep01_derivative.py SecantBecomesTangent``
or through ``python render.py render 01``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import *

from lib import book
from lib.adapt import fitting_delta_schedule
from lib.calculus import (
    DELTA,
    StepError,
    delta_schedule,
    deriv,
    estimate_error,
    exact_derivative,
    forward_difference,
)
from lib.functions import cube
from scenes.components import (
    CodePanel,
    FunctionFactory,
    SecantMobject,
    TangentMobject,
    ThreeViews,
    fit_width,
    label,
    palette,
)
from scenes.components.math_words import math_words
from scenes.components.numbers import LiveNumber, column_tex, number_tex, sci_tex
from scenes.components.plotting import FunctionPlot, function_label
from scenes.components.secant import SecantMarks, central_difference_tex
from scenes.lecture import LectureScene
from series.i18n import N_, _


class LimitShrinks(LectureScene):
    """The limit definition, and lib's estimate converging as Δ shrinks 1 → 0.001.

    Then, as an aside, what happens far below: round-off grows as Δ → 0, and
    once a + Δ == a in float64 there is no estimate at all.
    """

    func = staticmethod(cube)
    func_tex: ClassVar[str | None] = None  # default: lib's label of func
    a: ClassVar[float] = 1.0
    schedule: ClassVar[tuple[float, ...]] = tuple(delta_schedule(1.0, 1e-3, 4))
    tiny_deltas: ClassVar[tuple[float, ...]] = (1e-6, 1e-9, 1e-12, 1e-15, 1e-17)
    narration: ClassVar[dict[str, str]] = {
        "definition": N_(
            "The derivative is a limit: how much the output changes per unit change of the input, as the change shrinks to zero."
        ),
        "table": N_(
            "Let's compute it with a central difference, for smaller and smaller steps delta."
        ),
        "converge": N_(
            "Each step ten times smaller brings the estimate a hundred times closer: the error shrinks like delta squared."
        ),
        "roundoff": N_(
            "But a computer cannot shrink delta forever. Below about ten to the minus eight, round-off error takes over."
        ),
        "collapse": N_(
            "And once a plus delta equals a in floating point, there is nothing left to divide: the estimate collapses."
        ),
    }

    def setup(self) -> None:
        super().setup()
        self.func_tex = function_label(type(self))  # func_tex, else lib's label, never stale

    def construct(self) -> None:
        self.show_definition()
        self.build_table()
        self.shrink_delta()
        self.roundoff_aside()

    def show_definition(self) -> None:
        # Beat: the limit definition, in the math view's colours.
        # The rise in the output's colour, the run 2Δ in the nudge's (as on the secant).
        self.definition = central_difference_tex(r"f'(a) = \lim_{\Delta \to 0}").to_edge(UP)
        self.example = MathTex(
            rf"f(x) = {self.func_tex},\quad a = {number_tex(self.a)},\quad f'(a) = {number_tex(exact_derivative(self.func, self.a))}",
            font_size=34,
            color=palette.INK,
        ).next_to(self.definition, DOWN)
        self.narrate("definition", Write(self.definition), FadeIn(self.example), run_time=2)

    def _row(self, cells: list[Mobject]) -> VGroup:
        for cell, x in zip(cells, (-4.0, 0.0, 4.0), strict=True):
            cell.move_to([x, 0, 0])
        return VGroup(*cells)

    def build_table(self) -> None:
        # Beat: the table header; rows arrive in the next beats.
        self.header = self._row(
            [
                MathTex(r"\Delta", color=palette.NUDGE),
                label(_("estimate"), color=palette.DERIVATIVE),
                label(_("error"), color=palette.ERROR),
            ]
        ).next_to(self.example, DOWN, buff=0.5)
        self.rows = VGroup()
        self.narrate("table", FadeIn(self.header), run_time=1)

    def _add_row(self, delta: float, color, delta_tex: str) -> VGroup:
        estimate = float(deriv(self.func, self.a, delta))
        error = float(estimate_error(self.func, self.a, delta))
        shown = number_tex(estimate, 9)
        row = self._row(
            [
                MathTex(delta_tex, color=palette.NUDGE, font_size=34),
                MathTex(shown, color=palette.DERIVATIVE, font_size=34),
                MathTex(sci_tex(error), color=color, font_size=34),
            ]
        )
        self.record(
            "table_values",
            {
                "delta": delta,
                "delta_shown": delta_tex,
                "estimate": estimate,
                "error": error,
                "shown": shown,
            },
        )
        anchor = self.rows[-1] if len(self.rows) else self.header
        row.next_to(anchor, DOWN, buff=0.22).set_x(0)
        for cell, ref in zip(row, self.header, strict=True):
            cell.set_x(ref.get_x())
        self.rows.add(row)
        return row

    def shrink_delta(self) -> None:
        # Beat: Δ shrinks 1 → 0.001; each row is lib's estimate and its error.
        # One notation per column: 1, 0.1, 0.01, 0.001 (or all powers of ten).
        rows = [
            self._add_row(d, palette.INK, t)
            for d, t in zip(self.schedule, column_tex(self.schedule), strict=True)
        ]
        self.narrate(
            "converge",
            LaggedStart(*(FadeIn(r, shift=DOWN * 0.2) for r in rows), lag_ratio=0.6),
            run_time=4,
        )

    def roundoff_aside(self) -> None:
        # Beat: far below, round-off wins; then a + Δ == a.
        self.play(FadeOut(self.rows), run_time=0.5)
        self.rows = VGroup()
        shown, collapsed = [], None
        for d, t in zip(self.tiny_deltas, column_tex(self.tiny_deltas), strict=True):
            try:
                shown.append(self._add_row(d, palette.ERROR, t))
            except StepError as exc:
                collapsed = (t, exc)
                break
        self.narrate(
            "roundoff", LaggedStart(*(FadeIn(r) for r in shown), lag_ratio=0.5), run_time=3
        )
        if collapsed is not None:
            delta_tex, exc = collapsed  # in the column's notation
            self.collapse_note = math_words(
                rf"\Delta = {delta_tex}:\ a + \Delta = a",
                rf"\ \Rightarrow\ \text{{{_('no estimate')}}}",
                color=palette.ERROR,
                font_size=36,
            ).next_to(self.rows, DOWN, buff=0.35)
            self.collapse_error = str(exc)
            self.narrate("collapse", Write(self.collapse_note), run_time=1.5)


COLUMN_X = 2.3
"""Left edge of SecantBecomesTangent's right-hand column (title, read-outs), scene units."""


class SecantBecomesTangent(LectureScene):
    r"""The central secant through a−Δ and a+Δ rotates into the tangent as Δ shrinks.

    Uses x³ by default: its central secant has slope f'(a) + Δ², so it visibly
    turns (x² would not: its central secant is parallel to the tangent for
    every Δ). Then the tangent sweeps the whole plotted range with a live slope.

    A variant is two lines: ``func = staticmethod(np.sin)``. The function goes
    through :func:`lib.adapt.adapt`: ``math.sin`` or a Python ``if`` work, the
    curve has a gap at each pole (``np.tan``) and is drawn over its finite part
    (``np.log`` on (0, 4)); the title is ``func_tex`` if the variant sets it,
    else the registry's label (``\sin(x)``), else a clear error asks for one.
    ``a`` must lie inside ``x_range``; the Δ schedule starts at the largest Δ
    whose secant points are on the plot.
    """

    func = staticmethod(cube)
    func_tex: ClassVar[str | None] = None
    a: ClassVar[float] = 1.0
    x_range: ClassVar[tuple[float, float]] = (-2.0, 2.0)
    schedule: ClassVar[tuple[float, ...]] = tuple(delta_schedule(1.0, 1e-3, 7))
    sweep_points: ClassVar[int] = 3
    narration: ClassVar[dict[str, str]] = {
        "curve": N_("Here is a curve, and a point a on it."),
        "secant": N_(
            "Draw the line through the curve at a minus delta and a plus delta: a secant. Its slope is the rise over the run, two delta."
        ),
        "shrink": N_("Now shrink delta. The secant turns, and settles on one line."),
        "tangent": N_("That line is the tangent: its slope is the derivative at a."),
        "sweep": N_(
            "Move the point, and the tangent's slope tells how steep the curve is everywhere."
        ),
    }

    def setup(self) -> None:
        super().setup()
        # Every check a teacher's variant needs, before anything is drawn.
        self.func_label = function_label(type(self))
        self.plot = self.make_plot()
        self.axes, self.graph = self.plot.axes, self.plot.graph
        self.deltas = tuple(
            fitting_delta_schedule(
                self.plot.func,
                self.a,
                self.x_range,
                self.schedule,
                y_range=self.plot.curve.y_range,
                breaks=self.plot.curve.breaks,
            )
        )

    def make_plot(self) -> FunctionPlot:
        """Build the axes and curve (a factory hook a subclass may override)."""
        return (
            FunctionPlot(self.func, self.x_range, width=6.6, height=5.2, include=[self.a])
            .to_edge(LEFT, buff=0.6)
            .shift(DOWN * 0.3)
        )

    def construct(self) -> None:
        self.show_curve()
        self.draw_secant()
        self.shrink_delta()
        self.reveal_tangent()
        self.sweep_tangent()

    def show_curve(self) -> None:
        # Beat: the curve, plotted from lib, and the point a, named on the x axis.
        # The right-hand column: from x = COLUMN_X to the frame's edge.
        self.title = MathTex(rf"f(x) = {self.func_label}", color=palette.OUTPUT)
        fit_width(self.title, config.frame_x_radius - COLUMN_X - 0.4)
        self.title.to_edge(UP, buff=0.6).set_x(COLUMN_X, LEFT)
        fa = self.plot.func.value_at(self.a)
        self.point = Dot(self.axes.c2p(self.a, fa), color=palette.INPUT, radius=0.08)
        self.a_readout = MathTex(
            rf"a = {number_tex(self.a)}", color=palette.INPUT, font_size=36
        ).next_to(self.title, DOWN, buff=0.35, aligned_edge=LEFT)
        self.narrate(
            "curve",
            Create(self.axes),
            Create(self.graph),
            Write(self.title),
            FadeIn(self.point),
            FadeIn(self.a_readout),
            run_time=2,
        )

    def draw_secant(self) -> None:
        # Beat: the central secant for the first Δ, its marks on the axis and its
        # rise over run; live Δ and slope read-outs in the same colours.
        self.log_delta = ValueTracker(np.log10(self.deltas[0]))
        self.secant = SecantMobject(self.axes, self.func, self.a, self.deltas[0])
        self.secant.add_updater(lambda m: m.set_delta(10 ** self.log_delta.get_value()))
        self.marks = SecantMarks(self.secant, curve=self.graph)
        self.marks.add_updater(lambda m: m.update_marks())
        # slope = rise / run, in the colours of the legs drawn on the secant.
        self.rise_tex = MathTex(r"f(a+\Delta) - f(a-\Delta)", color=palette.OUTPUT, font_size=36)
        self.run_tex = MathTex(r"2\Delta", color=palette.NUDGE, font_size=36)
        bar = Line(LEFT, RIGHT, color=palette.INK, stroke_width=2)
        bar.width = self.rise_tex.width + 0.1
        fraction = VGroup(self.rise_tex, bar, self.run_tex).arrange(DOWN, buff=0.1)
        self.formula = VGroup(
            math_words(rf"\text{{{_('slope')}}} =", color=palette.NUDGE, font_size=36), fraction
        ).arrange(RIGHT, buff=0.2)
        self.delta_readout = VGroup(
            MathTex(r"\Delta =", color=palette.NUDGE, font_size=36),
            LiveNumber(self.deltas[0], num_decimal_places=4, color=palette.NUDGE, font_size=36),
        ).arrange(RIGHT, buff=0.15)
        self.slope_readout = VGroup(
            math_words(rf"\text{{{_('slope')}}} =", color=palette.NUDGE, font_size=36),
            LiveNumber(
                self.secant.secant.slope, num_decimal_places=6, color=palette.NUDGE, font_size=36
            ),
        ).arrange(RIGHT, buff=0.15)
        self.readouts = (
            VGroup(self.formula, self.delta_readout, self.slope_readout)
            .arrange(DOWN, aligned_edge=LEFT, buff=0.3)
            .next_to(self.a_readout, DOWN, buff=0.45, aligned_edge=LEFT)
        )
        fit_width(self.readouts, config.frame_x_radius - COLUMN_X - 0.4)
        self.readouts.set_x(COLUMN_X, LEFT)
        self.delta_readout[1].add_updater(lambda m: m.set_value(self.secant.secant.delta))
        self.slope_readout[1].add_updater(lambda m: m.set_value(self.secant.secant.slope))
        self.narrate(
            "secant",
            Create(self.secant),
            FadeIn(self.marks),
            FadeIn(self.readouts),
            run_time=1.5,
        )
        self.record("drawn_secant_slopes", (self.secant.secant.delta, self.secant.drawn_slope))

    def shrink_delta(self) -> None:
        # Beat: Δ follows the schedule; the drawn slope is read back after each step.
        with self.narrating("shrink"):
            for delta in self.deltas[1:]:
                self.play(self.log_delta.animate.set_value(np.log10(delta)), run_time=0.8)
                drawn = (self.secant.secant.delta, self.secant.drawn_slope)
                self.record("drawn_secant_slopes", drawn)

    def reveal_tangent(self) -> None:
        # Beat: the tangent with lib's exact slope lies on the last secant.
        self.tangent = TangentMobject(self.axes, self.func, self.a, length=5.0)
        exact = float(self.tangent.tangent.slope)
        self.tangent_label = MathTex(
            rf"f'({number_tex(self.a)}) = {number_tex(exact)}",
            color=palette.DERIVATIVE,
            font_size=36,
        ).next_to(self.slope_readout, DOWN, buff=0.45, aligned_edge=LEFT)
        self.narrate("tangent", Create(self.tangent), Write(self.tangent_label), run_time=1.5)
        self.secant.clear_updaters()
        self.marks.clear_updaters()
        self.marks.restore_numbers()
        self.play(
            FadeOut(self.secant),
            FadeOut(self.marks),
            FadeOut(self.readouts),
            FadeOut(self.point),
            FadeOut(self.a_readout),
            run_time=0.6,
        )

    def sweep_tangent(self) -> None:
        # Beat: the tangent sweeps the plotted range; the read-out shows lib's slope.
        lo, hi = self.x_range
        self.x_tracker = ValueTracker(self.a)
        self.x_value = LiveNumber(self.a, num_decimal_places=2, color=palette.INPUT, font_size=36)
        self.slope_value = LiveNumber(
            float(self.tangent.tangent.slope),
            num_decimal_places=3,
            color=palette.DERIVATIVE,
            font_size=36,
        )
        sweep_readout = (
            VGroup(
                VGroup(MathTex("x =", color=palette.INPUT, font_size=36), self.x_value).arrange(
                    RIGHT, buff=0.15
                ),
                VGroup(
                    math_words(rf"\text{{{_('slope')}}} =", color=palette.DERIVATIVE, font_size=36),
                    self.slope_value,
                ).arrange(RIGHT, buff=0.15),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.3)
            .next_to(self.title, DOWN, buff=0.45, aligned_edge=LEFT)
        )
        self.play(FadeOut(self.tangent_label), FadeIn(sweep_readout), run_time=0.5)

        def follow(m: TangentMobject) -> None:
            m.set_point(self.x_tracker.get_value())
            self.x_value.set_value(self.x_tracker.get_value())
            if m.tangent is not None:
                self.slope_value.set_value(float(m.tangent.slope))

        self.tangent.add_updater(follow)
        self.play(self.x_tracker.animate.set_value(lo), run_time=1.5)
        targets = np.linspace(lo, hi, self.sweep_points)
        with self.narrating("sweep"):
            for i, x in enumerate(targets):
                if i > 0:
                    self.play(
                        self.x_tracker.animate.set_value(x),
                        run_time=4.0 / (len(targets) - 1),
                        rate_func=linear,
                    )
                if self.tangent.tangent is not None:
                    self.record("drawn_tangent_slopes", (float(x), self.tangent.drawn_slope))
        self.tangent.clear_updaters()
        self.wait(0.5)


class SecantOnSine(SecantBecomesTangent):
    """The same scene on sin: a two-line variant (the y range adapts from lib)."""

    func = staticmethod(np.sin)
    func_tex = r"\sin(x)"


class FactoryNudge(LectureScene):
    """The function as a factory: nudge the input by ε, the output moves by about f'(a)·ε."""

    func = staticmethod(cube)
    func_tex: ClassVar[str | None] = None  # default: lib's label of func
    a: ClassVar[float] = 1.0
    nudges: ClassVar[tuple[float, ...]] = (0.1, 0.01, 0.001)
    decimals: ClassVar[int] = 6
    narration: ClassVar[dict[str, str]] = {
        "factory": N_(
            "Think of the function as a small factory: a value comes in on one wire, a value goes out on the other."
        ),
        "nudge": N_(
            "Raise the input by a tiny amount epsilon. How many times epsilon does the output change?"
        ),
        "ratio": N_(
            "The ratio of the changes approaches the derivative as the nudge gets smaller."
        ),
        "meaning": N_(
            "That is the derivative in the picture that matters most for deep learning: the factory's multiplier for small changes."
        ),
    }

    def setup(self) -> None:
        super().setup()
        self.func_tex = function_label(type(self))  # func_tex, else lib's label

    def construct(self) -> None:
        self.show_factory()
        self.nudge_input()
        self.state_meaning()

    def show_factory(self) -> None:
        # Beat: the factory with lib's value on each wire.
        self.factory = FunctionFactory(
            self.func,
            tex=self.func_tex,
            x=self.a,
            width=2.2,
            height=1.4,
            wire_length=2.2,
            num_decimal_places=self.decimals,
        ).shift(UP * 1.2)
        self.narrate("factory", FadeIn(self.factory), run_time=1.5)

    def nudge_input(self) -> None:
        # Beat: the nudged factory below; Δout and Δout/ε from lib.
        fa = self.factory.fx
        self.nudged = FunctionFactory(
            self.func,
            tex=self.func_tex,
            x=self.a + self.nudges[0],
            width=2.2,
            height=1.4,
            wire_length=2.2,
            num_decimal_places=self.decimals,
        ).shift(DOWN * 1.2)
        eps_label = self.nudged.wire_label(r"a + \varepsilon", "input", palette.NUDGE)
        self.narrate("nudge", FadeIn(self.nudged), FadeIn(eps_label), run_time=1.5)
        self.ratio_value = LiveNumber(0, num_decimal_places=6, color=palette.DERIVATIVE)
        self.eps_value = LiveNumber(self.nudges[0], num_decimal_places=3, color=palette.NUDGE)
        ratio = (
            VGroup(
                MathTex(r"\varepsilon =", color=palette.NUDGE),
                self.eps_value,
                MathTex(",", color=palette.NUDGE),
                MathTex(r"\frac{f(a+\varepsilon) - f(a)}{\varepsilon} =", color=palette.DERIVATIVE),
                self.ratio_value,
            )
            .arrange(RIGHT)
            .to_edge(DOWN, buff=0.4)
        )
        ratio[2].next_to(ratio[1], RIGHT, buff=0.05, aligned_edge=DOWN)
        ratio[3:].shift(RIGHT * 0.5)
        ratio.center().to_edge(DOWN, buff=0.4)
        exact = float(exact_derivative(self.func, self.a))
        self.exact_label = MathTex(
            rf"f'({number_tex(self.a)}) = {number_tex(exact)}", color=palette.DERIVATIVE
        ).to_corner(UR)
        with self.narrating("ratio"):
            for i, eps in enumerate(self.nudges):
                value = float(forward_difference(self.func, self.a, eps))
                if i == 0:
                    self.ratio_value.set_value(value)
                    self.play(FadeIn(ratio), FadeIn(self.exact_label), run_time=1.5)
                else:
                    self.play(
                        self.nudged.make_input_animation(self.a + eps),
                        self.eps_value.animate.set_value(eps),
                        self.ratio_value.animate.set_value(value),
                        run_time=1.5,
                    )
                shown_change = self.nudged.fx - fa
                self.record("shown_ratios", (eps, self.ratio_value.get_value(), shown_change / eps))

    def state_meaning(self) -> None:
        # Beat: the multiplier, f'(a), written on the factory.
        multiplier = MathTex(
            rf"\times {number_tex(exact_derivative(self.func, self.a))}", color=palette.DERIVATIVE
        ).next_to(self.factory.box, UP)
        self.narrate("meaning", Write(multiplier), run_time=1.5)


class DerivativeInThreeViews(LectureScene):
    """The central difference as an equation, a secant diagram and lib's live ``deriv``."""

    func = staticmethod(cube)
    func_tex: ClassVar[str] = "x^3"
    a: ClassVar[float] = 1.0
    delta: ClassVar[float] = 0.5
    decimals: ClassVar[int] = 6
    """Decimals of the two slopes shown (the secant's and deriv's)."""
    narration: ClassVar[dict[str, str]] = {
        "views": N_("One idea, three views: the math, the diagram, and the code."),
        "plus": N_("The code evaluates the function a step delta to the right of a,"),
        "minus": N_("and a step delta to the left,"),
        "difference": N_(
            "then divides the difference by two delta: the slope of the secant. With delta at 0.001 it is the derivative, to six digits."
        ),
    }

    @classmethod
    def listing(cls):
        """Return the book listing the code view shows: the book's ``deriv`` (the recaps may show it too)."""
        return book.deriv

    def construct(self) -> None:
        self.show_views()
        self.step_through_code()

    def show_views(self) -> None:
        # Beat: the three panels filled from lib.
        self.views = ThreeViews(widths=(0.25, 0.30, 0.45))
        self.math = VGroup(
            MathTex(r"f'(a) \approx", font_size=40),
            central_difference_tex(font_size=40),
            MathTex(rf"f(x) = {self.func_tex}", font_size=36, color=palette.OUTPUT),
        ).arrange(DOWN, buff=0.4)
        self.views.place(self.math, "math")
        self.math.align_to(self.views.math, UP).shift(DOWN * 0.5)
        # Built at the panel's own size, so its axis numbers keep their 22 px at 1080p.
        side = min(self.views.diagram.width - 1.1, 4.0)
        plot = FunctionPlot(self.func, (self.a - 1.5, self.a + 1.5), width=side, height=side)
        self.axes, graph = plot.axes, plot.graph
        self.secant = SecantMobject(self.axes, self.func, self.a, self.delta, length=4.0)
        self.diagram = VGroup(self.axes, graph, self.secant)
        self.views.place(self.diagram, "diagram")
        # The book's deriv: lib.calculus.deriv validates, then runs exactly this.
        self.code_panel = CodePanel(self.listing())
        self.code_panel.fit(self.views.code.width - 0.3).move_to(self.views.code)
        self.narrate(
            "views",
            FadeIn(self.views),
            Write(self.math),
            Create(self.diagram),
            FadeIn(self.code_panel),
            run_time=2.5,
        )

    def point_mark(self, x: float, tex: str) -> tuple[VGroup, list[Mobject]]:
        """Mark x on the x axis: a tick, a guide up to the curve and ``tex`` under the axis.

        The label sits where SecantBecomesTangent puts it, under the axis and clear
        of every line; the axis numbers it covers are returned, to be hidden.
        """
        axes = self.axes
        level = min(max(0.0, axes.y_range[0]), axes.y_range[1])  # where the x axis is drawn
        foot = axes.c2p(x, level)
        top = axes.c2p(x, float(self.func(np.float64(x))))
        tick = Line(foot + UP * 0.12, foot + DOWN * 0.12, color=palette.NUDGE, stroke_width=4)
        parts = [tick]
        if abs(top[1] - foot[1]) > 0.2:
            parts.append(
                DashedLine(foot, top, color=palette.NUDGE, stroke_width=2, stroke_opacity=0.6)
            )
        text = MathTex(tex, color=palette.NUDGE, font_size=28).next_to(tick, DOWN, buff=0.1)
        parts.append(text)
        covered = [
            n
            for n in axes.x_numbers
            if n.get_left()[0] < text.get_right()[0] + 0.05
            and text.get_left()[0] - 0.05 < n.get_right()[0]
        ]
        return VGroup(*parts), covered

    def step_through_code(self) -> None:
        # Beat: each code line highlighted while the diagram shows what it computes;
        # a ± Δ marked on the x axis, as in SecantBecomesTangent.
        self.plus_mark, plus_covered = self.point_mark(self.a + self.delta, r"a+\Delta")
        self.minus_mark, minus_covered = self.point_mark(self.a - self.delta, r"a-\Delta")
        self.narrate(
            "plus",
            self.code_panel.make_highlight_animation("f_plus ="),
            Indicate(self.secant.end_dot),
            FadeIn(self.plus_mark),
            *(n.animate.set_opacity(0) for n in plus_covered),
            run_time=1.5,
        )
        self.narrate(
            "minus",
            self.code_panel.make_highlight_animation("f_minus ="),
            Indicate(self.secant.start_dot),
            FadeIn(self.minus_mark),
            *(n.animate.set_opacity(0) for n in minus_covered),
            run_time=1.5,
        )
        self.slope_shown = float(deriv(self.func, self.a, self.delta))
        self.deriv_shown = float(deriv(self.func, self.a, DELTA))
        self.result = result = VGroup(
            math_words(
                rf"\Delta = {number_tex(self.delta)}: \\ \text{{{_('slope')}}} = {number_tex(self.slope_shown, self.decimals)}",
                color=palette.NUDGE,
                font_size=30,
            ),
            MathTex(
                # deriv is the code's name (Python, not translated): set as code.
                rf"\Delta = {number_tex(DELTA)}: \\ \texttt{{deriv}} = {number_tex(self.deriv_shown, self.decimals)}",
                color=palette.DERIVATIVE,
                font_size=30,
            ),
        ).arrange(DOWN, aligned_edge=RIGHT)  # each block right-aligned: one right margin
        fit_width(result, self.views.math.width - 0.4)
        result.next_to(self.views.math.get_bottom(), UP, buff=0.4)
        self.narrate(
            "difference",
            self.code_panel.make_highlight_animation("return"),
            Indicate(self.secant.line),
            FadeIn(result),
            run_time=2,
        )


__all__ = [
    "DerivativeInThreeViews",
    "FactoryNudge",
    "LimitShrinks",
    "SecantBecomesTangent",
    "SecantOnSine",
]
