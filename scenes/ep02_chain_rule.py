"""Episode 2, "Nested functions and the chain rule": signals flowing through factories.

Every number on the wires, every multiplier on a box, every curve and every code
line is computed by ``lib.chain`` at render time. Render one scene with
``manim -ql scenes/ep02_chain_rule.py NudgeThroughFactories`` or through
``python render.py render 02``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from manim import *

from lib import book
from lib.calculus import DELTA, deriv
from lib.chain import NestedFunction
from lib.functions import cube, leaky_relu, sigmoid, square, tanh
from scenes.components import CodePanel, FunctionFactory, ThreeViews, fit_width, label, palette
from scenes.components.chain_plot import ChainPlot, ChainPlotCursor
from scenes.components.math_words import math_words, text_with_math
from scenes.components.nested import (
    NestedFactories,
    chain_rule_equation,
    chain_rule_numbers,
    compose_tex,
    function_tex,
    make_nudge_animation,
    make_signal_animation,
    stack_at_equals,
)
from scenes.components.numbers import LiveNumber, number_tex, number_text
from scenes.lecture import LectureScene
from series.i18n import N_, _

Func = Callable[..., object]


def definitions(
    functions: tuple[Func, ...],
    font_size: float = 32,
    texs: tuple[str | None, ...] | None = None,
) -> VGroup:
    """``f_1(x) = …``, ``f_2(x) = …`` in the boxes' colours, in a row (labels as in ``texs``)."""
    texs = texs if texs is not None else (None,) * len(functions)
    return VGroup(
        *(
            MathTex(
                rf"f_{{{i + 1}}}(x) = {function_tex(f, tex)}",
                color=palette.stage_color(i),
                font_size=font_size,
            )
            for i, (f, tex) in enumerate(zip(functions, texs, strict=True))
        )
    ).arrange(RIGHT, buff=0.6)


CHAIN_LISTINGS: dict[int, Func] = {2: book.chain_deriv_2, 3: book.chain_deriv_3}
"""The book's chain-rule listing for a chain of each length."""


def chain_listing(functions: tuple[Func, ...]) -> Func:
    """Return the book's ``chain_deriv_2`` or ``chain_deriv_3`` for a chain of that length.

    Raises
    ------
    ValueError
        If the chain has another length (the book has no listing for it).
    """
    try:
        return CHAIN_LISTINGS[len(functions)]
    except KeyError:
        raise ValueError(
            f"the chain has {len(functions)} functions; the book's listings are "
            "chain_deriv_2 and chain_deriv_3, for chains of 2 or 3"
        ) from None


def factors_from_boxes(diagram: NestedFactories, numbers: MathTex) -> list[Animation]:
    """Animations: each box's multiplier flies into its factor of ``numbers``; the rest fades in."""
    factors = list(numbers.factors)
    rest = VGroup(*(part for part in numbers if part not in factors))
    return [
        FadeIn(rest),
        *(
            ReplacementTransform(m.copy(), f)
            for m, f in zip(diagram.multipliers, factors, strict=True)
        ),
    ]


def side_by_side_plots(chains, x_range: tuple[float, float], height: float) -> VGroup:
    """Build one :class:`ChainPlot` per chain (F and F′ sampled from lib), in a row that fits."""
    plots = VGroup(
        *(
            ChainPlot(
                NestedFunction(chain),
                x_range=x_range,
                width=5.6,
                height=height,
                title=rf"F(x) = {compose_tex(chain)}",
            )
            for chain in chains
        )
    ).arrange(RIGHT, buff=0.9)
    return fit_width(plots, config.frame_width - 0.8)


class FunctionOfAFunction(LectureScene):
    """P is a function of E, as a factory; then two factories chained, values flowing."""

    functions: ClassVar[tuple[Func, ...]] = (square, sigmoid)
    inputs: ClassVar[tuple[float, ...]] = (-1.0, 0.5, 2.0)
    narration: ClassVar[dict[str, str]] = {
        "function": N_(
            "Say P is a function of E: there is a function f with f of E equal to P. As a factory: E goes in on one wire, P comes out on the other."
        ),
        "chain": N_(
            "Now feed one factory's output into a second factory. The result, f2 of f1 of x, is a nested function."
        ),
        "flow": N_(
            "Follow a value: x goes into f1, f1 of x travels along the wire into f2, and f2 of f1 of x comes out."
        ),
        "inputs": N_("Every input gives its own values on every wire."),
    }

    def setup(self) -> None:
        super().setup()
        self.nested = NestedFunction(self.functions)

    def construct(self) -> None:
        self.show_single_factory()
        self.chain_two_factories()
        self.send_signals()

    def show_single_factory(self) -> None:
        # Beat: f(E) = P, drawn as one factory with lib's value on each wire.
        self.statement = MathTex("f(E) = P", font_size=48).to_edge(UP, buff=0.8)
        self.factory = FunctionFactory(
            self.functions[0], tex="f", x=self.inputs[0], width=2.0, height=1.3, wire_length=2.2
        )
        self.factory_labels = VGroup(
            self.factory.wire_label("E", "input", palette.INPUT),
            self.factory.wire_label("P", "output", palette.OUTPUT),
        )
        self.narrate(
            "function",
            Write(self.statement),
            FadeIn(self.factory),
            FadeIn(self.factory_labels),
            run_time=2,
        )

    def chain_two_factories(self) -> None:
        # Beat: two factories in a row; F(x) = f2(f1(x)) and each fᵢ written out.
        self.play(
            FadeOut(self.factory),
            FadeOut(self.factory_labels),
            FadeOut(self.statement),
            run_time=0.6,
        )
        self.diagram = NestedFactories(self.nested, x=self.inputs[0], show_multipliers=False).shift(
            UP * 0.2
        )
        fit_width(self.diagram, config.frame_width - 1.0)
        n = len(self.nested)
        self.formula = MathTex(
            rf"F(x) = {compose_tex(self.functions)}", color=palette.OUTPUT, font_size=40
        ).to_edge(UP, buff=0.6)
        nested_tex = MathTex(
            "F(x) = " + "".join(f"f_{{{i}}}(" for i in range(n, 0, -1)) + "x" + ")" * n,
            font_size=40,
        ).next_to(self.formula, DOWN, buff=0.25)
        self.definitions = fit_width(definitions(self.functions), config.frame_width - 1.0).to_edge(
            DOWN, buff=0.8
        )
        self.narrate(
            "chain",
            FadeIn(self.diagram),
            Write(nested_tex),
            Write(self.formula),
            FadeIn(self.definitions),
            run_time=2.5,
        )
        self._record()

    def _record(self) -> None:
        self.record("shown_stages", (self.diagram.x, [v.get_value() for v in self.diagram.values]))

    def send_signals(self) -> None:
        # Beat: for each input, the wires update from lib and a signal carries the value.
        for i, x in enumerate(self.inputs):
            if i > 0:
                self.play(self.diagram.make_input_animation(x), run_time=0.8)
                self._record()
            signal = make_signal_animation(self.diagram, x, run_time=2.5, remover=True)
            self.record("signal_stages", signal.stages)
            if i == 0:
                self.narrate("flow", signal, run_time=2.5)
            elif "inputs" not in self.spoken:
                self.narrate("inputs", signal, run_time=2.5)
            else:
                self.play(signal)
        if "inputs" not in self.spoken:
            self.narrate("inputs")


class NudgeThroughFactories(LectureScene):
    r"""A nudge ε becomes f₁′(x)·ε after the first box and f₂′(f₁(x))·f₁′(x)·ε after the second.

    The final ratio Δout/ε tends to lib's chain-rule derivative as ε shrinks, and
    matches lib's central difference of the whole nested function.

    A box shows its function's label: from ``labels`` (one TeX string or None
    per function, e.g. ``labels = (r"\tfrac{x}{2}", None)``), else lib's
    registry (``np.sin`` is ``\sin(x)``; ``lib.functions.register`` adds yours),
    else the function's name.
    """

    functions: ClassVar[tuple[Func, ...]] = (square, sigmoid)
    labels: ClassVar[tuple[str | None, ...] | None] = None
    x: ClassVar[float] = 0.8
    epsilon: ClassVar[float] = 0.01
    epsilons: ClassVar[tuple[float, ...]] = (0.1, 0.01, 0.001)
    narration: ClassVar[dict[str, str]] = {
        "chain": N_("Factories in a row, with the value on every wire."),
        "nudge": N_(
            "Nudge the input by a tiny amount epsilon, and follow the nudge along the wires."
        ),
        "multiply": N_(
            "Each factory multiplies the nudge it receives by its own derivative, taken at its own input."
        ),
        "product": N_(
            "So the output moves by the product of the multipliers, times epsilon. That product is the chain rule."
        ),
        "check": N_(
            "Divide the output's change by epsilon. As epsilon shrinks, the ratio settles on the chain-rule derivative, which agrees with the central difference of the whole function."
        ),
    }

    def setup(self) -> None:
        super().setup()
        self.nested = NestedFunction(self.functions)

    def construct(self) -> None:
        self.show_chain()
        self.send_nudge()
        self.show_multipliers()
        self.show_product()
        self.check_ratio()

    def show_chain(self) -> None:
        # Beat: the factories with lib's stage values on the wires.
        texs = None
        if self.labels is not None:
            if len(self.labels) != len(self.functions):
                raise ValueError(
                    f"labels has {len(self.labels)} entries; expected one per function "
                    f"({len(self.functions)}), None where the default label is wanted"
                )
            texs = [function_tex(f, t) for f, t in zip(self.functions, self.labels, strict=True)]
        self.diagram = NestedFactories(self.nested, x=self.x, texs=texs, show_multipliers=False)
        fit_width(self.diagram, config.frame_width - 1.0).to_edge(UP, buff=0.6)
        self.narrate("chain", FadeIn(self.diagram), run_time=1.5)

    def send_nudge(self) -> None:
        # Beat: the nudge travels, growing or shrinking by each local derivative.
        self.nudge_animation = make_nudge_animation(self.diagram, self.x, self.epsilon, run_time=4)
        self.nudge = self.nudge_animation.nudge
        self.narrate("nudge", self.nudge_animation, run_time=4)

    def show_multipliers(self) -> None:
        # Beat: the multipliers (lib's local derivatives) on the boxes.
        self.narrate("multiply", self.diagram.make_reveal_animation(), run_time=1.5)

    def show_product(self) -> None:
        # Beat: the chain rule, symbolic and with lib's numbers.
        self.equation = chain_rule_equation(self.diagram, font_size=40)
        self.numbers = chain_rule_numbers(self.nested, self.x, font_size=40)
        VGroup(self.equation, self.numbers).arrange(DOWN, buff=0.3).next_to(
            self.diagram, DOWN, buff=0.5
        ).set_x(0)
        for mob in (self.equation, self.numbers):
            fit_width(mob, config.frame_width - 1.0)
        self.shown_derivative = self.numbers.derivative
        self.narrate(
            "product",
            Write(self.equation),
            *self._factors_from_boxes(),
            run_time=2.5,
        )

    def _factors_from_boxes(self) -> list[Animation]:
        """Each multiplier flies from its box into its factor; the rest fades in."""
        return factors_from_boxes(self.diagram, self.numbers)

    def check_ratio(self) -> None:
        # Beat: Δout/ε for shrinking ε (lib's nudge), beside F′ and the central difference.
        first = self.nested.nudge(self.x, self.epsilons[0])
        self.eps_value = LiveNumber(
            self.epsilons[0], num_decimal_places=3, color=palette.NUDGE, font_size=36
        )
        self.ratio_value = LiveNumber(
            float(first.ratio), num_decimal_places=6, color=palette.NUDGE, font_size=36
        )
        self.shown_central = float(deriv(self.nested, self.x))
        ratio_row = VGroup(
            MathTex(r"\varepsilon =", color=palette.NUDGE, font_size=36),
            self.eps_value,
            math_words(
                # NOTE: the output's change in the ratio Δout/ε (a short word: it sits over ε).
                rf"\quad \frac{{\Delta \text{{{_('out')}}}}}{{\varepsilon}} =",
                color=palette.NUDGE,
                font_size=36,
            ),
            self.ratio_value,
        ).arrange(RIGHT, buff=0.15)
        check_row = math_words(
            rf"\text{{{_('chain rule')}}}: {number_tex(self.shown_derivative, 6)}",
            rf"\qquad \text{{{_('central difference')}}}: {number_tex(self.shown_central, 6)}",
            color=palette.DERIVATIVE,
            font_size=34,
        )
        rows = VGroup(ratio_row, check_row).arrange(DOWN, buff=0.25)
        fit_width(rows, config.frame_width - 1.0).next_to(self.numbers, DOWN, buff=0.6).set_x(0)
        self.record("shown_ratios", (self.epsilons[0], self.ratio_value.get_value()))
        with self.narrating("check"):
            self.play(FadeIn(rows), run_time=1.5)
            for eps in self.epsilons[1:]:
                ratio = float(self.nested.nudge(self.x, eps).ratio)
                self.play(
                    self.eps_value.animate.set_value(eps),
                    self.ratio_value.animate.set_value(ratio),
                    run_time=1.2,
                )
                self.record("shown_ratios", (eps, self.ratio_value.get_value()))
            self.wait(0.5)


class NudgeThroughCubeTanh(NudgeThroughFactories):
    """The same nudge through tanh(x³): a two-line variant (every number from lib)."""

    functions = (cube, tanh)


class ChainRuleInThreeViews(LectureScene):
    """The chain-rule equation, the factories and lib's live source, factor by factor."""

    functions: ClassVar[tuple[Func, ...]] = (square, sigmoid)
    x: ClassVar[float] = 0.8
    narration: ClassVar[dict[str, str]] = {
        "views": N_(
            "The chain rule in three views: the equation, the factories, and the code in our library that computes it."
        ),
        "forward": N_("First the forward pass: one value on every wire, each function run once."),
        "factors": N_(
            "Then, factory by factory, the code takes each function's derivative at that factory's own input: one factor of the equation each."
        ),
        "product": N_("Multiplying the factors gives the derivative of the whole nested function."),
    }

    @classmethod
    def listing(cls):
        """Return the book listing the code view shows: ``chain_deriv_2`` or ``chain_deriv_3`` (the recaps may show it too)."""
        return chain_listing(cls.functions)

    def setup(self) -> None:
        super().setup()
        self.nested = NestedFunction(self.functions)

    def construct(self) -> None:
        self.show_views()
        self.forward_pass()
        self.step_through_factors()
        self.multiply_factors()

    def show_views(self) -> None:
        # Beat: the three panels filled from lib.
        self.views = ThreeViews(widths=(0.28, 0.30, 0.42))
        # Each equation broken at its = signs, as a book does in a narrow column:
        # the math stays as large as the other scenes' (about 33 px digits at 1080p).
        self.equation = stack_at_equals(chain_rule_equation(self.nested, font_size=36), 0.35)
        self.numbers = stack_at_equals(chain_rule_numbers(self.nested, self.x, font_size=36), 0.35)
        self.math = VGroup(
            self.equation,
            definitions(self.functions, font_size=36).arrange(DOWN, aligned_edge=LEFT),
            self.numbers,
        ).arrange(DOWN, buff=0.6, aligned_edge=LEFT)
        self.views.place(self.math, "math")
        self.diagram = NestedFactories(
            self.nested,
            x=self.x,
            box_width=1.15,
            wire_length=1.2,
            font_size=40,
            show_multipliers=False,
        )
        self.views.place(self.diagram, "diagram", margin=0.15)
        # The book's chain_deriv_2 (or _3): lib.chain validates, then runs exactly this.
        self.code_panel = CodePanel(self.listing())
        self.code_panel.fit(self.views.code.width - 0.3, self.views.code.height - 0.5)
        self.code_panel.move_to(self.views.code)
        self.narrate(
            "views",
            FadeIn(self.views),
            Write(self.equation),
            FadeIn(self.math[1]),
            FadeIn(self.diagram),
            FadeIn(self.code_panel),
            run_time=2.5,
        )

    def _highlight(self, text: str) -> Animation:
        index = self.code_panel.line_index(text)
        self.record("highlights", (index, self.code_panel.lines[index]))
        return self.code_panel.make_highlight_animation(index)

    def forward_pass(self) -> None:
        # Beat: a signal runs through the factories (lib's stages).
        signal = make_signal_animation(self.diagram, self.x, run_time=2.5, remover=True)
        self.narrate("forward", self._highlight("f1_of_x ="), signal, run_time=2.5)

    def step_through_factors(self) -> None:
        # Beat: per factory, the executed line, the box, its factor and its multiplier.
        per_factor = 2.4
        with self.narrating("factors"):
            for i in range(len(self.nested)):
                # The listing's line for factor i: df1dx = ..., df2du = ..., df3du = ...
                self.play(
                    self._highlight(f"df{i + 1}d"),
                    Indicate(self.diagram.factories[i].box, color=palette.stage_color(i)),
                    Circumscribe(self.equation.factors[i], color=palette.stage_color(i)),
                    self.diagram.make_reveal_animation([i]),
                    run_time=1.6,
                )
                self.wait(per_factor - 1.6)

    def multiply_factors(self) -> None:
        # Beat: the product, in the code and with lib's numbers in the math view.
        self.narrate(
            "product",
            self._highlight("return"),
            *factors_from_boxes(self.diagram, self.numbers),
            run_time=2,
        )


class ChainRulePlots(LectureScene):
    """The book's chains σ(x²) and (σ(x))² over [−3, 3]: F and F′ from lib, a moving x."""

    chains: ClassVar[tuple[tuple[Func, ...], ...]] = ((square, sigmoid), (sigmoid, square))
    x_range: ClassVar[tuple[float, float]] = (-3.0, 3.0)
    stops: ClassVar[tuple[float, ...]] = (-2.0, -0.5, 1.0, 2.5)
    narration: ClassVar[dict[str, str]] = {
        "plots": N_(
            "Two chains of length two over the same range: each function in yellow, and its derivative by the chain rule in green."
        ),
        "order": N_(
            "The same two factories in the other order make a different function, with a different derivative."
        ),
        "sweep": N_(
            "Move x: the green dot is the slope of the tangent to the yellow curve, computed by multiplying the factories' derivatives."
        ),
    }

    def setup(self) -> None:
        super().setup()

    def construct(self) -> None:
        self.show_plots()
        self.compare_orders()
        self.sweep_x()

    def show_plots(self) -> None:
        # Beat: one ChainPlot per chain, sampled from lib.
        self.plots = side_by_side_plots(self.chains, self.x_range, height=3.3).to_edge(UP, buff=0.3)
        self.narrate("plots", *(Create(p) for p in self.plots), run_time=3)

    def compare_orders(self) -> None:
        # Beat: the two titles, the same factories in the other order.
        self.narrate(
            "order", *(Indicate(p.title, color=palette.OUTPUT) for p in self.plots), run_time=1.5
        )

    def sweep_x(self) -> None:
        # Beat: x moves; each cursor shows lib's F(x) and F′(x), the tangent drawn with it.
        self.x_tracker = ValueTracker(self.stops[0])
        self.cursors = [ChainPlotCursor(p, self.stops[0]) for p in self.plots]
        for cursor in self.cursors:
            cursor.readout.next_to(cursor.plot, DOWN, buff=0.3)
            cursor.add_updater(lambda c: c.set_x(self.x_tracker.get_value()))
        self.play(
            *(FadeIn(c) for c in self.cursors),
            *(FadeIn(c.readout) for c in self.cursors),
            run_time=1,
        )
        self._record()
        with self.narrating("sweep"):
            for x in self.stops[1:]:
                self.play(self.x_tracker.animate.set_value(x), run_time=2.0)
                self._record()
            self.wait(0.5)
        for cursor in self.cursors:
            cursor.clear_updaters()

    def _record(self) -> None:
        for i, cursor in enumerate(self.cursors):
            self.record("cursors", (i, cursor.x, cursor.slope))


class LongerChain(LectureScene):
    """Three factories, three factors; the kink of leaky ReLU at 0 claims no slope."""

    chains: ClassVar[tuple[tuple[Func, ...], ...]] = (
        (leaky_relu, square, sigmoid),
        (leaky_relu, sigmoid, square),
    )
    inputs: ClassVar[tuple[float, ...]] = (-1.0, 1.5, 0.0)
    x_range: ClassVar[tuple[float, float]] = (-3.0, 3.0)
    narration: ClassVar[dict[str, str]] = {
        "three": N_(
            "A longer chain: three factories, so the chain rule has three factors, each evaluated at its own factory's input."
        ),
        "values": N_(
            "Change the input, and every value and every multiplier is recomputed at its own factory."
        ),
        "kink": N_(
            "Where a factory's input sits on a kink, its slope jumps, so no multiplier is claimed there, and no derivative for the chain."
        ),
        "plots": N_(
            "Plotted over the whole range, each chain's derivative is drawn everywhere except within delta of the kink."
        ),
    }

    def setup(self) -> None:
        super().setup()
        self.nested = NestedFunction(self.chains[0])
        self.shown: list[dict[str, object]] = []

    def construct(self) -> None:
        self.show_three_factories()
        self.change_inputs()
        self.plot_both_chains()

    def show_three_factories(self) -> None:
        # Beat: the three-box diagram, the three-factor equation, lib's numbers.
        self.diagram = NestedFactories(self.nested, x=self.inputs[0], box_width=1.9)
        fit_width(self.diagram, config.frame_width - 0.8).to_edge(UP, buff=0.9)
        self.formula = MathTex(
            rf"F(x) = {compose_tex(self.chains[0])}", color=palette.OUTPUT, font_size=36
        ).to_edge(UP, buff=0.2)
        self.equation = chain_rule_equation(self.nested, font_size=38)
        self.equation.next_to(self.diagram, DOWN, buff=0.5)
        fit_width(self.equation, config.frame_width - 0.8)
        self.numbers = self._numbers(self.inputs[0])
        self.narrate(
            "three",
            Write(self.formula),
            FadeIn(self.diagram),
            Write(self.equation),
            FadeIn(self.numbers),
            run_time=2.5,
        )
        self._record()

    def _numbers(self, x: float) -> Mobject:
        """Return lib's numbers at ``x``, or, within Δ of a kink, the statement that none is claimed."""
        if bool(self.nested.kinks_crossed(x, DELTA)):
            kinked = [i + 1 for i, k in enumerate(self.nested.kink_mask(x, DELTA).reshape(-1)) if k]
            # NOTE: {f} is the kinked function, e.g. f_2; keep it where the sentence needs it.
            reason = _("no slope: {f} has a kink at its input")
            mob = math_words(
                rf"F'({number_tex(x)}):\ " + text_with_math(reason, f=f"f_{{{kinked[0]}}}"),
                color=palette.ERROR,
                font_size=38,
            )
            mob.derivative = None
        else:
            mob = chain_rule_numbers(self.nested, x, font_size=38)
        fit_width(mob, config.frame_width - 0.8)
        return mob.next_to(self.equation, DOWN, buff=0.4)

    def _record(self) -> None:
        self.shown.append(
            {
                "x": self.diagram.x,
                "values": [v.get_value() for v in self.diagram.values],
                "multipliers": [m.get_value() for m in self.diagram.multipliers],
                "claimed": list(self.diagram.claimed),
                "derivative": self.numbers.derivative,
            }
        )

    def change_inputs(self) -> None:
        # Beat: other inputs, including the kink: lib decides what may be claimed.
        for x in self.inputs[1:]:
            at_kink = bool(self.nested.kinks_crossed(x, DELTA))
            new_numbers = self._numbers(x)
            animations = (
                self.diagram.make_input_animation(x),
                ReplacementTransform(self.numbers, new_numbers),
            )
            self.numbers = new_numbers
            if at_kink and "kink" not in self.spoken:
                self.narrate("kink", *animations, run_time=1.5)
            elif "values" not in self.spoken:
                self.narrate("values", *animations, run_time=1.5)
            else:
                self.play(*animations, run_time=1.5)
                self.wait(1)
            self._record()
        for key in ("values", "kink"):
            if key not in self.spoken:
                self.narrate(key)

    def plot_both_chains(self) -> None:
        # Beat: both length-3 chains plotted from lib, the derivative gap at the kink.
        self.play(
            *(FadeOut(m) for m in (self.diagram, self.equation, self.numbers, self.formula)),
            run_time=0.8,
        )
        self.plots = side_by_side_plots(self.chains, self.x_range, height=3.6).move_to(UP * 0.3)
        note = label(
            _("no slope drawn within Δ = {delta} of a kink").format(delta=number_text(DELTA)),
            font_size=24,
            color=palette.MUTED,
        ).to_edge(DOWN, buff=0.4)
        self.narrate("plots", *(Create(p) for p in self.plots), FadeIn(note), run_time=3)


__all__ = [
    "ChainRuleInThreeViews",
    "ChainRulePlots",
    "FunctionOfAFunction",
    "LongerChain",
    "NudgeThroughCubeTanh",
    "NudgeThroughFactories",
]
