"""Episode 0, "What is a neural network?": the quiz, three views, and four mental models.

The article's quiz has four answers, and all four are right: a neural network is
(A) a function, (B) a computational graph, (C) layers of neurons and (D) a
universal function approximator. Every number, curve and activation on screen
is computed by ``lib`` at render time. Render one scene with
``manim -ql scenes/ep00_what_is_a_network.py UniversalApproximator`` or the
whole episode with ``python render.py render 00``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import *

from lib.adapt import adapt
from lib.book import listing_for
from lib.functions import square
from lib.graph import GRAPH, matrix_function_backward_sum_1, matrix_function_forward_sum
from lib.network import (
    DEMO_CHECKPOINTS,
    DEMO_HIDDEN,
    DEMO_N_POINTS,
    DEMO_SEED,
    DEMO_STEPS,
    DEMO_X_RANGE,
    Approximation,
    Network,
    approximation_demo,
    forward,
    hidden_contributions,
    init_network,
)
from scenes.components import (
    CODE_FONT,
    CodePanel,
    FunctionFactory,
    ThreeViews,
    fit_width,
    label,
    palette,
)
from scenes.components.graph import (
    ComputationalGraph,
    make_backward_pass_animation,
    make_forward_pass_animation,
)
from scenes.components.math_words import math_words
from scenes.components.network import LayeredNetwork
from scenes.components.numbers import LiveNumber, decimals_for, number_tex, sci_tex
from scenes.components.plotting import fitted_axes, function_label, sampled_polyline
from scenes.components.text import align_baselines
from scenes.fonts import text_canvas
from scenes.lecture import LectureScene
from series.i18n import N_, _, language

EXAMPLE_SIZES: tuple[int, ...] = (3, 4, 4, 2)
"""Layer widths of the small network shown as a box (A) and as layers (C)."""
EXAMPLE_SEED: int = DEMO_SEED
"""Seed of that network's weights (``np.random.default_rng``)."""
EXAMPLE_INPUTS: tuple[tuple[float, ...], ...] = ((0.5, -1.2, 2.0), (-1.0, 0.8, 0.3))
"""Inputs fed to it, one per row."""


def example_network(sizes: tuple[int, ...] = EXAMPLE_SIZES, seed: int = EXAMPLE_SEED) -> Network:
    """Return the episode's small untrained tanh network, drawn from ``default_rng(seed)``."""
    return init_network(sizes, np.random.default_rng(seed), activation="tanh")


def polyline(
    axes: Axes, xs: np.ndarray, ys: np.ndarray, color, stroke_width: float = 4
) -> VMobject:
    """Build a curve through lib's sampled points ``(xs[i], ys[i])`` exactly (straight segments)."""
    return sampled_polyline(axes, xs, ys, color, stroke_width)


def corner_points(curve: VMobject) -> np.ndarray:
    """Return the points a :func:`polyline` passes through, in scene units, shape ``(n, 3)``."""
    return np.vstack([curve.get_start_anchors(), curve.get_end_anchors()[-1:]]).copy()


def column_tex(values: np.ndarray, digits: int = 2) -> str:
    """LaTeX of a column vector with ``digits`` decimals."""
    body = r" \\ ".join(number_tex(v, digits) for v in values)
    return r"\begin{pmatrix}" + body + r"\end{pmatrix}"


def x_tex(x: float) -> str:
    r"""LaTeX of an axis end: a multiple of π as such (``-\pi``), else the number."""
    ratio = x / np.pi
    if ratio != 0 and abs(ratio - round(ratio)) < 1e-12:
        k = round(ratio)
        return {1: r"\pi", -1: r"-\pi"}.get(k, rf"{k}\pi")
    return number_tex(x)


class WhatIsANeuralNetwork(LectureScene):
    """The article's quiz: four statements, a pause, and the answer ABCD."""

    question: ClassVar[str] = N_("What is a neural network?")
    instruction: ClassVar[str] = N_("Choose all that apply.")
    statements: ClassVar[tuple[tuple[str, str], ...]] = (
        ("A", N_("A mathematical function that takes inputs and produces outputs.")),
        ("B", N_("A computational graph through which multidimensional arrays flow.")),
        ("C", N_("Something made of layers, each containing “neurons”.")),
        ("D", N_("A universal function approximator.")),
    )
    answer: ClassVar[str] = "ABCD"
    pause_seconds: ClassVar[float] = 3.0
    narration: ClassVar[dict[str, str]] = {
        "question": N_("What is a neural network? Choose all that apply."),
        "statements": N_(
            "A: a mathematical function. B: a computational graph through which arrays flow. C: layers of neurons. D: a universal function approximator."
        ),
        "blank": N_("Your answer is... Pause the video, and decide."),
        "reveal": N_("The answer is all four: A, B, C and D."),
        "why": N_(
            "No single description is complete. Each one is a different mental model, and each explains something important. This episode takes them one at a time."
        ),
    }

    def construct(self) -> None:
        self.ask_question()
        self.show_statements()
        self.leave_blank()
        self.reveal_answer()

    def ask_question(self) -> None:
        # Beat: the question, and the instruction.
        self.title = label(_(self.question), font_size=44).to_edge(UP, buff=0.5)
        self.subtitle = label(_(self.instruction), font_size=28, color=palette.MUTED).next_to(
            self.title, DOWN, buff=0.2
        )
        self.narrate("question", Write(self.title), FadeIn(self.subtitle), run_time=1.5)

    def show_statements(self) -> None:
        # Beat: the four statements A–D, one per row.
        rows = []
        for letter, text in self.statements:
            rows.append(
                VGroup(
                    label(f"{letter}.", font_size=30, color=palette.OUTPUT),
                    label(_(text), font_size=28),
                ).arrange(RIGHT, buff=0.25, aligned_edge=UP)
            )
        self.statement_rows = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.38)
        fit_width(self.statement_rows, config.frame_width - 2.0)
        self.statement_rows.next_to(self.subtitle, DOWN, buff=0.6)
        self.narrate(
            "statements",
            LaggedStart(*(FadeIn(r, shift=RIGHT * 0.3) for r in rows), lag_ratio=0.5),
            run_time=4,
        )

    def leave_blank(self) -> None:
        # Beat: "Your answer is ____", and a pause for the viewer.
        self.prompt = label(_("Your answer is"), font_size=32)
        self.blank = Line(ORIGIN, RIGHT * 1.8, color=palette.INK, stroke_width=3)
        VGroup(self.prompt, self.blank).arrange(RIGHT, buff=0.25, aligned_edge=DOWN).next_to(
            self.statement_rows, DOWN, buff=0.7
        )
        self.narrate("blank", FadeIn(self.prompt), Create(self.blank), run_time=1)
        self.wait(self.pause_seconds)

    def reveal_answer(self) -> None:
        # Beat: ABCD on the blank, and a check mark at every statement.
        self.answer_text = label(self.answer, font_size=36, color=palette.OUTPUT).next_to(
            self.blank, UP, buff=0.08
        )
        self.marks = VGroup()
        self.marked: list[str] = []
        for (letter, _statement), row in zip(self.statements, self.statement_rows, strict=True):
            if letter in self.answer:
                self.marks.add(
                    MathTex(r"\checkmark", color=palette.OUTPUT).next_to(row, LEFT, buff=0.3)
                )
                self.marked.append(letter)
        self.narrate(
            "reveal",
            Write(self.answer_text),
            LaggedStart(*(FadeIn(m, scale=1.5) for m in self.marks), lag_ratio=0.3),
            run_time=2,
        )
        self.narrate(
            "why",
            *(Indicate(row[0], color=palette.OUTPUT) for row in self.statement_rows),
            run_time=2,
        )


class ThreeViewsOfAFunction(LectureScene):
    """The series' method: f(x) = x² as an equation, a diagram and lib's live code.

    The value the math view names, f(x) at ``x``, is a marked point of the
    plotted curve, and the same colours tie it across the views: the input in
    ``palette.INPUT``, the output in ``palette.OUTPUT``.

    (Named so, not ``ThreeViews``, to keep apart from the layout component
    :class:`scenes.components.ThreeViews` that every episode imports.)
    """

    func = staticmethod(square)
    func_tex: ClassVar[str] = "x^2"
    x: ClassVar[float] = 3.0
    x_range: ClassVar[tuple[float, float]] = (-3.5, 3.5)
    samples: ClassVar[int] = 141
    narration: ClassVar[dict[str, str]] = {
        "idea": N_("Every idea in this series is shown three ways at once."),
        "views": N_(
            "As math, an equation. As a diagram, the picture you would draw on a whiteboard. And as code, the Python that computes it."
        ),
        "evaluate": N_(
            "Feed in three: the equation says nine, the factory outputs nine, and the code returns nine."
        ),
        "why": N_(
            "Math alone, or code alone, gives a partial picture. Understanding needs all three views at once."
        ),
    }

    @classmethod
    def listing(cls):
        """Return the book listing the code view shows: the kernel that computes ``func`` (the recaps may show it too)."""
        return listing_for(cls.func)

    def setup(self) -> None:
        super().setup()
        lo, hi = self.x_range
        if not lo < self.x < hi:
            raise ValueError(
                f"{type(self).__name__}: x = {self.x:g} is outside x_range {self.x_range}; "
                "the point the math view names must be on the plotted curve"
            )
        self.shown_value = float(np.asarray(self.func(np.float64(self.x))))
        # One count of decimals for x and f(x) in every view (factory, math, diagram).
        self.decimals = decimals_for(self.x, self.shown_value)

    def construct(self) -> None:
        self.introduce()
        self.show_views()
        self.evaluate()
        self.conclude()

    def introduce(self) -> None:
        # Beat: the idea of the series.
        self.heading = label(_("One idea, three views"), font_size=36).to_edge(UP, buff=0.25)
        self.narrate("idea", FadeIn(self.heading), run_time=1)

    def make_axes(self, ys: np.ndarray) -> Axes:
        """Axes over ``x_range`` fitted to the sampled values ``ys`` (a hook to override)."""
        lo, hi = float(min(ys.min(), 0.0)), float(max(ys.max(), 0.0))
        pad = 0.08 * (hi - lo)
        return fitted_axes(
            self.x_range,
            (lo - pad, hi + pad),
            3.9,
            2.6,
            numbers=False,
            x_step=1.0,
            y_step=max(1.0, float(np.ceil((hi - lo) / 5))),
        )

    def show_views(self) -> None:
        # Beat: the three panels filled from lib: equation, factory + curve, live code.
        self.views = ThreeViews(widths=(0.25, 0.33, 0.42), height=5.8)
        self.math = MathTex(rf"f(x) = {self.func_tex}", font_size=48, color=palette.OUTPUT)
        self.views.place(self.math, "math")
        self.factory = FunctionFactory(
            self.func,
            tex=self.func_tex,
            x=0.0,
            width=1.4,
            height=1.0,
            num_decimal_places=self.decimals,
        )
        xs = np.linspace(*self.x_range, self.samples)
        ys = np.asarray(self.func(xs), dtype=float)
        self.axes = self.make_axes(ys)
        self.curve = polyline(self.axes, xs, ys, palette.OUTPUT)
        self.diagram = VGroup(self.factory, VGroup(self.axes, self.curve)).arrange(DOWN, buff=0.7)
        self.views.place(self.diagram, "diagram")
        # The book's listing of the function (a teacher's own function: its source).
        self.code_panel = CodePanel(self.listing())
        self.code_panel.fit(self.views.code.width - 0.4).move_to(self.views.code)
        self.narrate(
            "views",
            FadeIn(self.views),
            Write(self.math),
            FadeIn(self.diagram),
            FadeIn(self.code_panel),
            run_time=2.5,
        )

    def _point_marker(self) -> VGroup:
        """Mark the point (x, f(x)) on the curve, with guides to the axes and its coordinates."""
        x, y = self.x, self.shown_value
        point = self.axes.c2p(x, y)
        foot_x, foot_y = self.axes.c2p(x, 0), self.axes.c2p(self.axes.x_range[0], y)
        dot = Dot(point, radius=0.07, color=palette.OUTPUT)
        to_x = DashedLine(foot_x, point, color=palette.INPUT, stroke_width=2.5)
        to_y = DashedLine(foot_y, point, color=palette.OUTPUT, stroke_width=2.5)
        # Past the axes' ticks (0.1 long), so the numbers clear them.
        x_num = MathTex(number_tex(x, self.decimals), font_size=26, color=palette.INPUT).next_to(
            foot_x, DOWN, buff=0.2
        )
        y_num = MathTex(number_tex(y, self.decimals), font_size=26, color=palette.OUTPUT).next_to(
            foot_y, LEFT, buff=0.2
        )
        marker = VGroup(to_x, to_y, dot, x_num, y_num)
        marker.dot, marker.x_number, marker.y_number = dot, x_num, y_num
        return marker

    def _call_readout(self) -> VGroup:
        """Build the call in the code view, ``square(3.0)``, and lib's result, in code font."""
        name = getattr(self.listing(), "__name__", "f")
        arg, result = f"{self.x!r}", f"{self.shown_value!r}"
        with text_canvas():
            call = Text(
                f">>> {name}({arg})", font=CODE_FONT, font_size=22, t2c={arg: palette.INPUT}
            )
            out = Text(result, font=CODE_FONT, font_size=22, color=palette.OUTPUT)
        readout = VGroup(call, out).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        readout.call, readout.result = call, out
        return readout

    def evaluate(self) -> None:
        # Beat: one input, three answers, all from lib, in the same colours.
        x_tex, y_tex = (
            number_tex(self.x, self.decimals),
            number_tex(self.shown_value, self.decimals),
        )
        self.evaluated = MathTex("f(", x_tex, ")", "=", y_tex, font_size=40)
        self.evaluated.set_color(palette.INK)
        self.evaluated[1].set_color(palette.INPUT)
        self.evaluated[4].set_color(palette.OUTPUT)
        self.evaluated.next_to(self.math, DOWN, buff=0.5)
        fit_width(self.evaluated, self.views.math.width - 0.4)
        self.marker = self._point_marker()
        self.readout = self._call_readout()
        fit_width(self.readout, self.views.code.width - 0.5)
        self.readout.next_to(self.code_panel, DOWN, buff=0.35).align_to(self.code_panel, LEFT)
        self.narrate(
            "evaluate",
            Write(self.evaluated),
            self.factory.make_input_animation(self.x),
            Create(self.marker),
            self.code_panel.make_highlight_animation("return"),
            FadeIn(self.readout),
            run_time=2,
        )

    def conclude(self) -> None:
        # Beat: all three at once.
        self.narrate(
            "why",
            Indicate(self.views.titles, color=palette.INK),
            run_time=1.5,
        )


class AFunction(LectureScene):
    """(A) A network is a function: numbers in, numbers out (lib's forward pass)."""

    sizes: ClassVar[tuple[int, ...]] = EXAMPLE_SIZES
    seed: ClassVar[int] = EXAMPLE_SEED
    inputs: ClassVar[tuple[tuple[float, ...], ...]] = EXAMPLE_INPUTS
    narration: ClassVar[dict[str, str]] = {
        "box": N_(
            "Answer A: a neural network is a mathematical function. Forget what is inside: it is a box."
        ),
        "first": N_("Put three numbers in, and two numbers come out, computed by the network."),
        "second": N_(
            "Different inputs, different outputs; the same input always gives the same output."
        ),
        "math": N_("In symbols, y equals f of x: a function from three numbers to two."),
    }

    def setup(self) -> None:
        super().setup()
        self.net = example_network(self.sizes, self.seed)

    def construct(self) -> None:
        self.show_box()
        self.feed(0, "first")
        self.feed(1, "second")
        self.write_math()

    def show_box(self) -> None:
        # Beat: the closed box with input and output wires.
        n_in, n_out = self.sizes[0], self.sizes[-1]
        self.box_name = label(_("neural network"), font_size=28)
        # Wide enough for its name in any language (Japanese: ニューラルネットワーク).
        width = max(3.4, self.box_name.width + 0.7)
        self.box = RoundedRectangle(corner_radius=0.2, width=width, height=3.0, color=palette.INK)
        self.box_name.move_to(self.box)
        self.input_wires = VGroup(
            *(
                Arrow(LEFT * 2.4, ORIGIN, buff=0, color=palette.INPUT, stroke_width=4)
                for _ in range(n_in)
            )
        ).arrange(DOWN, buff=0.55)
        self.input_wires.next_to(self.box, LEFT, buff=0)
        self.output_wires = VGroup(
            *(
                Arrow(ORIGIN, RIGHT * 2.4, buff=0, color=palette.OUTPUT, stroke_width=4)
                for _ in range(n_out)
            )
        ).arrange(DOWN, buff=0.9)
        self.output_wires.next_to(self.box, RIGHT, buff=0)
        self.machine = VGroup(self.input_wires, self.box, self.box_name, self.output_wires)
        self.machine.move_to(DOWN * 0.3)
        self.heading = label(_("A. a function"), font_size=36, color=palette.OUTPUT).to_edge(UP)
        self.input_numbers = VGroup(
            *(
                LiveNumber(0, num_decimal_places=2, color=palette.INPUT, font_size=34)
                for _ in range(n_in)
            )
        )
        self.output_numbers = VGroup(
            *(
                LiveNumber(0, num_decimal_places=3, color=palette.OUTPUT, font_size=34)
                for _ in range(n_out)
            )
        )
        self.narrate("box", FadeIn(self.heading), Create(self.machine), run_time=2)

    def _place_numbers(self) -> None:
        for number, wire in zip(self.input_numbers, self.input_wires, strict=True):
            number.next_to(wire, UP, buff=0.05)
        for number, wire in zip(self.output_numbers, self.output_wires, strict=True):
            number.next_to(wire, UP, buff=0.05)

    def feed(self, index: int, key: str) -> None:
        # Beat: input row `index` goes in; lib's forward pass comes out.
        x = np.asarray(self.inputs[index], dtype=np.float64).reshape(1, -1)
        y = forward(self.net, x).output[0]
        for number, value in zip(self.input_numbers, x[0], strict=True):
            number.set_value(float(value))
        for number, value in zip(self.output_numbers, y, strict=True):
            number.set_value(float(value))
        self._place_numbers()
        shown_in = np.array([n.get_value() for n in self.input_numbers])
        shown_out = np.array([n.get_value() for n in self.output_numbers])
        self.record("shown_outputs", (shown_in, shown_out))
        if index == 0:
            self.narrate(
                key,
                LaggedStart(
                    FadeIn(self.input_numbers, shift=RIGHT * 0.5),
                    Indicate(self.box, color=palette.INK),
                    FadeIn(self.output_numbers, shift=RIGHT * 0.5),
                    lag_ratio=0.7,
                ),
                run_time=2.5,
            )
        else:
            self.narrate(
                key,
                LaggedStart(
                    *(FadeIn(n, shift=RIGHT * 0.3) for n in self.input_numbers),
                    Indicate(self.box, color=palette.INK),
                    *(FadeIn(n, shift=RIGHT * 0.3) for n in self.output_numbers),
                    lag_ratio=0.3,
                ),
                run_time=2.5,
            )

    def write_math(self) -> None:
        # Beat: y = f(x), f: R^3 -> R^2.
        n_in, n_out = self.sizes[0], self.sizes[-1]
        self.equation = MathTex(
            r"y = f(x),\qquad f:\ \mathbb{R}^{"
            + str(n_in)
            + r"} \to \mathbb{R}^{"
            + str(n_out)
            + "}",
            font_size=40,
        ).to_edge(DOWN, buff=0.6)
        self.narrate("math", Write(self.equation), run_time=1.5)


class AComputationalGraph(LectureScene):
    """(B) Arrays flow forward through a graph of operations, and gradients flow back.

    The graph is lib's :data:`lib.graph.GRAPH`, L = Σ σ(X · W), drawn by
    Episode 3's component; the arrays are lib's forward and backward passes.
    """

    seed: ClassVar[int] = EXAMPLE_SEED
    x_shape: ClassVar[tuple[int, int]] = (2, 3)
    w_shape: ClassVar[tuple[int, int]] = (3, 2)
    decimals: ClassVar[int] = 2
    narration: ClassVar[dict[str, str]] = {
        "graph": N_(
            "Answer B: a computational graph. Inputs on the left, operations in the middle, a single number on the right."
        ),
        "forward": N_(
            "Whole arrays flow through it: X times W, then sigma of every entry, then the sum of them all."
        ),
        "backward": N_(
            "And when it learns, gradients of the same shapes flow back along the same wires. Episode three takes this apart."
        ),
    }

    def setup(self) -> None:
        super().setup()
        rng = np.random.default_rng(self.seed)
        # Rounded to the digits shown, so that the numbers on screen are the inputs exactly.
        self.X = np.round(rng.normal(size=self.x_shape), self.decimals)
        self.W = np.round(rng.normal(size=self.w_shape), self.decimals)
        self.forward_result = matrix_function_forward_sum(self.X, self.W)
        self.backward_result = matrix_function_backward_sum_1(self.X, self.W)

    def construct(self) -> None:
        self.show_graph()
        self.flow_forward()
        self.flow_backward()

    def show_graph(self) -> None:
        # Beat: the graph of L = sum(sigma(X . W)), from lib's description.
        self.heading = label(
            _("B. a computational graph"), font_size=36, color=palette.OUTPUT
        ).to_edge(UP, buff=0.3)
        self.equation = MathTex(r"L = \sum_{i,j} \sigma(X \cdot W)_{ij}", font_size=36).next_to(
            self.heading, DOWN, buff=0.2
        )
        # Wide wires: the arrays on them keep digits of at least 22 px at 1080p.
        self.graph = ComputationalGraph(GRAPH, column_gap=3.6, row_gap=3.5)
        fit_width(self.graph, config.frame_width - 1.9)
        self.graph.next_to(self.equation, DOWN, buff=0.4).set_x(-0.5)
        self.narrate(
            "graph", FadeIn(self.heading), Write(self.equation), Create(self.graph), run_time=2
        )

    def flow_forward(self) -> None:
        # Beat: lib's arrays travel left to right.
        self.narrate(
            "forward",
            make_forward_pass_animation(self.graph, self.forward_result, self.decimals),
            run_time=4,
        )

    def flow_backward(self) -> None:
        # Beat: lib's gradients travel right to left.
        self.narrate(
            "backward",
            make_backward_pass_animation(self.graph, self.backward_result, self.decimals),
            run_time=4,
        )


class LayersOfNeurons(LectureScene):
    """(C) Inside the box: layers of neurons, each lit by its activation from lib."""

    sizes: ClassVar[tuple[int, ...]] = EXAMPLE_SIZES
    seed: ClassVar[int] = EXAMPLE_SEED
    inputs: ClassVar[tuple[tuple[float, ...], ...]] = EXAMPLE_INPUTS
    index: ClassVar[int] = 0
    focus: ClassVar[tuple[int, int]] = (1, 0)
    """Layer and neuron whose computation is written out (a hidden neuron)."""
    narration: ClassVar[dict[str, str]] = {
        "layers": N_(
            "Answer C: open the box, and you find layers. Each layer is a column of neurons, and every neuron is connected to every neuron of the next layer."
        ),
        "activate": N_(
            "Feed in the same three numbers. Each layer lights up in turn: a neuron's brightness is its activation."
        ),
        "neuron": N_(
            "One neuron multiplies its inputs by its weights, adds a bias, and squashes the sum with tanh."
        ),
        "output": N_("The last layer is the output: the same two numbers the box gave."),
    }

    def setup(self) -> None:
        super().setup()
        self.net = example_network(self.sizes, self.seed)
        self.forward_result = forward(self.net, np.asarray(self.inputs, dtype=np.float64))

    def construct(self) -> None:
        self.show_layers()
        self.activate()
        self.explain_neuron()
        self.point_at_output()

    def show_layers(self) -> None:
        # Beat: the layered picture built from lib's network, with layer captions.
        self.heading = label(_("C. layers of neurons"), font_size=36, color=palette.OUTPUT).to_edge(
            UP
        )
        self.network = LayeredNetwork(self.net, layer_spacing=2.0, neuron_spacing=1.0, radius=0.4)
        self.network.to_edge(LEFT, buff=0.9).shift(DOWN * 0.3)
        last = len(self.sizes) - 1
        names = [_("input")] + [_("hidden")] * (last - 1) + [_("output")]
        self.captions = VGroup(
            *(
                label(name, font_size=22, color=palette.MUTED).next_to(layer, DOWN, buff=0.3)
                for name, layer in zip(names, self.network.layers, strict=True)
            )
        )
        # One baseline for all captions, under the lowest neuron.
        lowest = min(layer.get_bottom()[1] for layer in self.network.layers)
        align_baselines(list(self.captions), lowest - 0.55)
        self.narrate(
            "layers",
            FadeIn(self.heading),
            Create(self.network.connections),
            FadeIn(self.network.layers),
            FadeIn(self.captions),
            run_time=2.5,
        )

    def activate(self) -> None:
        # Beat: lib's activations for one input, layer by layer.
        self.narrate(
            "activate",
            self.network.make_activation_animation(self.forward_result, self.index),
            run_time=3,
        )

    def explain_neuron(self) -> None:
        # Beat: one hidden neuron's sum and tanh, with lib's numbers.
        k, j = self.focus
        a_prev = self.forward_result.A[k - 1][self.index]
        w = self.net.weights[k - 1][:, j]
        b = float(self.net.biases[k - 1][j])
        z = float(self.forward_result.Z[k - 1][self.index, j])
        a = float(self.forward_result.A[k][self.index, j])
        self.neuron_values = {"z": z, "a": a}
        self.neuron_math = VGroup(
            MathTex(r"z = w \cdot x + b", font_size=36),
            MathTex(
                rf"w = {column_tex(w)},\ x = {column_tex(a_prev)},\ b = {number_tex(b, 2)}",
                font_size=28,
            ),
            MathTex(rf"z = {number_tex(z, 2)}", font_size=36),
            MathTex(rf"a = \tanh(z) = {number_tex(a, 2)}", font_size=36, color=palette.OUTPUT),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        room = config.frame_x_radius - self.network.get_right()[0] - 0.9
        fit_width(self.neuron_math, room).next_to(self.network, RIGHT, buff=0.5)
        self.focus_ring = Circle(
            radius=self.network.radius + 0.1, color=palette.OUTPUT, stroke_width=4
        ).move_to(self.network.layers[k][j])
        incoming = VGroup(
            *(
                self.network.connections[k - 1][i * self.sizes[k] + j]
                for i in range(self.sizes[k - 1])
            )
        )
        self.narrate(
            "neuron",
            Create(self.focus_ring),
            incoming.animate.set_stroke(color=palette.OUTPUT, opacity=1),
            Write(self.neuron_math),
            run_time=2.5,
        )

    def point_at_output(self) -> None:
        # Beat: the output layer holds the box's outputs.
        out = self.network.layers[-1]
        self.narrate(
            "output",
            Indicate(out, color=palette.OUTPUT),
            Indicate(self.network.values[-1], color=palette.OUTPUT),
            run_time=1.5,
        )


_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()

SPOKEN_FUNCTIONS: dict[str, str] = {
    "sin": N_("sine of x"),
    "cos": N_("cosine of x"),
    "tan": N_("tangent of x"),
    "tanh": N_("tanh of x"),
    "exp": N_("e to the x"),
    "square": N_("x squared"),
    "cube": N_("x cubed"),
    "sigmoid": N_("the sigmoid of x"),
    "arctan": N_("arctan of x"),
    "abs": N_("the absolute value of x"),
}
"""How the narration says a registered function's name."""


def spoken_number(n: int) -> str:
    """Say a whole number in English words (:func:`number_words`), else its digits."""
    return number_words(n) if 0 <= n < 1_000_000 and int(n) == n else str(n)


def number_words(n: int) -> str:
    """Say a whole number 0 ≤ n < 1 000 000 in English words (``64`` → ``sixty-four``).

    Raises
    ------
    ValueError
        If ``n`` is negative, too large, or not a whole number.
    """
    if int(n) != n or not 0 <= n < 1_000_000:
        raise ValueError(f"number_words needs a whole number in [0, 1e6); got {n!r}")
    n = int(n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else "-" + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return f"{_ONES[n // 100]} hundred" + ("" if rest == 0 else f" and {number_words(rest)}")
    rest = n % 1000
    head = f"{number_words(n // 1000)} thousand"
    if rest == 0:
        return head
    return head + (" and " if rest < 100 else " ") + number_words(rest)


class UniversalApproximator(LectureScene):
    r"""(D) A network learns a curve: output morphs toward the target, then splits into parts.

    The network and its checkpoints come from :func:`lib.network.approximation_demo`
    with this class's knobs (``target``, ``x_range``, ``n_points``, ``hidden``,
    ``steps``); every curve is drawn through lib's values at ``samples`` points.
    A variant is two lines: ``target = staticmethod(np.cos)``; its label comes
    from lib's registry (or ``target_tex``), and the narration names the knobs'
    values (``target_words``, else the registry's spoken name, e.g. "cosine of x").
    """

    target = staticmethod(np.sin)
    target_tex: ClassVar[str | None] = None
    target_words: ClassVar[str | None] = None
    x_range: ClassVar[tuple[float, float]] = DEMO_X_RANGE
    n_points: ClassVar[int] = DEMO_N_POINTS
    hidden: ClassVar[int] = DEMO_HIDDEN
    steps: ClassVar[int] = DEMO_STEPS
    samples: ClassVar[int] = 161
    narration: ClassVar[dict[str, str]] = {
        # The knobs' values are filled in by setup(): {target}, {points}, {hidden}, {steps}.
        "target": N_(
            "Answer D: a universal function approximator. Here is a target curve, {target}, sampled at {points} points."
        ),
        "initial": N_(
            "A small network, one input, {hidden} hidden neurons, one output, starts with random weights. Its output is a poor guess."
        ),
        "train": N_(
            "Gradient descent adjusts the weights, step by step. The output bends toward the target, and the loss falls."
        ),
        "trained": N_("After {steps} steps the curves are almost indistinguishable."),
        "apart": N_(
            "How does the network do it? Take its output apart: each hidden neuron contributes one scaled, shifted tanh curve."
        ),
        "sum": N_(
            "Add them up, plus a constant, and you get back the output exactly. With enough neurons, such sums can approximate any continuous curve."
        ),
    }

    def spoken_target(self) -> str:
        """How the narration names the target: ``target_words``, else the registry's name."""
        if self.target_words is not None:
            return _(self.target_words)
        spec = adapt(self.target).spec
        return (
            _(SPOKEN_FUNCTIONS.get(spec.name, N_("the target function")))
            if spec
            else _("the target function")
        )

    def setup(self) -> None:
        super().setup()
        self.target_tex = function_label(type(self), "target", "target_tex")
        # Every value the narration names comes from a knob.
        said = spoken_number if language() == "en" else str
        values = {
            "target": self.spoken_target(),
            "points": said(self.n_points),
            "hidden": said(self.hidden),
            "steps": said(self.steps),
        }
        self.narration = {
            key: _(line).format(**values) if "{" in line else line
            for key, line in type(self).narration.items()
        }
        checkpoints = tuple(c for c in DEMO_CHECKPOINTS if c < self.steps) + (self.steps,)
        self.demo: Approximation = approximation_demo(
            target=adapt(self.target),
            x_range=self.x_range,
            n_points=self.n_points,
            hidden=self.hidden,
            steps=self.steps,
            checkpoints=checkpoints,
        )
        self.xs = np.linspace(*self.x_range, self.samples)
        self.checkpoint_outputs = [
            forward(c.net, self.xs[:, None]).output[:, 0] for c in self.demo.checkpoints
        ]
        self.contributions = hidden_contributions(self.demo.net, self.xs)

    def make_axes(self) -> Axes:
        """Build the main axes, y range fitted to every curve shown (a hook to override)."""
        values = np.concatenate(
            [
                np.ravel(adapt(self.target)(self.xs)),
                *self.checkpoint_outputs,
                self.contributions.ravel(),
            ]
        )
        lo, hi = float(values.min()), float(values.max())
        pad = 0.12 * (hi - lo)
        axes = (
            Axes(
                x_range=[self.x_range[0], self.x_range[1], (self.x_range[1] - self.x_range[0]) / 4],
                y_range=[lo - pad, hi + pad, 0.5],
                x_length=7.0,  # with its numbers at the left edge (as wide as before)
                y_length=5.4,
                tips=False,
                axis_config={"color": palette.MUTED},
            )
            .to_edge(LEFT, buff=0.5)
            .shift(DOWN * 0.35)
        )
        x_lo, x_hi = self.x_range
        y_bottom = axes.y_range[0]
        # Numbers on the frame's edges (left and bottom), where no curve crosses them:
        # the axes cross in the middle of the plot, among the neurons' curves.
        axes.y_labels = VGroup(
            *(
                MathTex(str(t), font_size=28, color=palette.MUTED).next_to(
                    axes.c2p(x_lo, t), LEFT, buff=0.15
                )
                for t in (-1, 1)
                if lo - pad < t < hi + pad
            )
        )
        axes.add(axes.y_labels)
        axes.x_labels = VGroup(
            *(
                MathTex(x_tex(x), font_size=28, color=palette.MUTED).next_to(
                    axes.c2p(x, y_bottom), DOWN, buff=0.15
                )
                for x in (x_lo, 0.0, x_hi)
            )
        )
        axes.add(axes.x_labels)
        return axes.to_edge(LEFT, buff=0.5)  # with its numbers, inside the frame

    def construct(self) -> None:
        self.show_target()
        self.show_initial()
        self.train_network()
        self.take_apart()
        self.add_up()

    def show_target(self) -> None:
        # Beat: the target curve and the training points.
        self.axes = self.make_axes()
        self.heading = label(
            _("D. a universal function approximator"), font_size=32, color=palette.OUTPUT
        ).to_edge(UP, buff=0.25)
        self.target_curve = polyline(
            self.axes, self.xs, adapt(self.target)(self.xs), palette.INPUT, 3
        ).set_stroke(opacity=0.6)
        self.points = VGroup(
            *(
                Dot(self.axes.c2p(float(x), float(y)), radius=0.035, color=palette.INPUT)
                for x, y in zip(self.demo.x, self.demo.y, strict=True)
            )
        )
        self.target_label = math_words(
            rf"\text{{{_('target')}}}\ {self.target_tex}", color=palette.INPUT, font_size=32
        )
        self.output_label = math_words(
            rf"\text{{{_('network output')}}}", color=palette.OUTPUT, font_size=32
        )
        self.legend = (
            VGroup(self.target_label, self.output_label)
            .arrange(DOWN, aligned_edge=LEFT, buff=0.15)
            .next_to(self.axes, RIGHT, buff=0.7)
            .align_to(self.axes, UP)
        )
        self.narrate(
            "target",
            FadeIn(self.heading),
            Create(self.axes),
            Create(self.target_curve),
            FadeIn(self.points),
            FadeIn(self.target_label),
            run_time=2,
        )

    def _loss_readout(self, index: int) -> VGroup:
        c = self.demo.checkpoints[index]
        shown = sci_tex(c.loss, 2)  # one form for every checkpoint: 1 down to 1e-4
        self.record("shown_losses", (c.step, c.loss, shown))
        return (
            VGroup(
                math_words(rf"\text{{{_('step')}}}\ {c.step}", font_size=32),
                math_words(rf"\text{{{_('loss')}}} = {shown}", font_size=32, color=palette.ERROR),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.15)
            .next_to(self.legend, DOWN, buff=0.4, aligned_edge=LEFT)
        )

    def _make_loss_plot(self) -> VGroup:
        losses = np.asarray(self.demo.training.losses)
        steps = np.arange(losses.size)
        logs = np.log10(losses)
        lo, hi = np.floor(logs.min()), np.ceil(logs.max())
        self.loss_axes = Axes(
            x_range=[0, steps[-1], max(1, steps[-1] // 4)],
            y_range=[lo, hi, 1],
            x_length=4.6,
            y_length=2.2,
            tips=False,
            axis_config={"color": palette.MUTED, "stroke_width": 2},
        )
        self.loss_curve = polyline(self.loss_axes, steps, logs, palette.ERROR, 2.5)
        # The powers of ten past the axis' ticks (0.1 long), clear of them.
        ticks = VGroup(
            *(
                MathTex(rf"10^{{{int(k)}}}", font_size=24, color=palette.MUTED).next_to(
                    self.loss_axes.c2p(0, k), LEFT, buff=0.22
                )
                for k in np.arange(lo, hi + 1)
            )
        )
        caption = label(_("loss (log scale) by step"), font_size=20, color=palette.MUTED)
        caption.next_to(self.loss_axes, UP, buff=0.15)
        first = self.demo.checkpoints[0]
        self.loss_dot = Dot(
            self.loss_axes.c2p(first.step, np.log10(first.loss)), color=palette.ERROR, radius=0.07
        )
        group = VGroup(self.loss_axes, ticks, self.loss_curve, caption, self.loss_dot)
        return group.next_to(self.readout, DOWN, buff=0.5, aligned_edge=LEFT)

    def _record_output(self, index: int) -> None:
        self.record("drawn_outputs", (self.demo.checkpoints[index].step, corner_points(self.curve)))

    def show_initial(self) -> None:
        # Beat: the untrained network's output (checkpoint 0), the loss and its plot.
        self.curve = polyline(self.axes, self.xs, self.checkpoint_outputs[0], palette.OUTPUT)
        self.readout = self._loss_readout(0)
        self.loss_plot = self._make_loss_plot()
        self.narrate(
            "initial",
            Create(self.curve),
            FadeIn(self.output_label),
            FadeIn(self.readout),
            FadeIn(self.loss_plot),
            run_time=2,
        )
        self._record_output(0)

    def train_network(self) -> None:
        # Beat: each checkpoint's output replaces the last; the loss falls.
        checkpoints = self.demo.checkpoints
        with self.narrating("train"):
            for i in range(1, len(checkpoints) - 1):
                self._show_checkpoint(i)
        self._show_checkpoint(len(checkpoints) - 1)
        self.narrate("trained", Indicate(self.readout[1], color=palette.ERROR), run_time=1)

    def _show_checkpoint(self, i: int) -> None:
        target = polyline(self.axes, self.xs, self.checkpoint_outputs[i], palette.OUTPUT)
        readout = self._loss_readout(i)
        c = self.demo.checkpoints[i]
        # Cross-fade the read-out: morphing one number's glyphs into another's
        # draws unreadable shapes half-way.
        old_readout, self.readout = self.readout, readout
        self.play(
            Transform(self.curve, target),
            FadeOut(old_readout),
            FadeIn(readout),
            self.loss_dot.animate.move_to(self.loss_axes.c2p(c.step, np.log10(c.loss))),
            run_time=1.2,
        )
        self._record_output(i)

    def take_apart(self) -> None:
        # Beat: the output splits into w2[j]·tanh(w1[j] x + b1[j]) curves from lib.
        order = np.argsort(-np.abs(self.contributions).max(axis=0))
        self.part_indices = [int(j) for j in order]
        self.parts = VGroup(
            *(
                polyline(self.axes, self.xs, self.contributions[:, j], palette.stage_color(n), 3)
                for n, j in enumerate(self.part_indices)
            )
        )
        self.bias = float(self.demo.net.biases[1][0])
        self.bias_line = DashedLine(
            self.axes.c2p(self.x_range[0], self.bias),
            self.axes.c2p(self.x_range[1], self.bias),
            color=palette.MUTED,
        )
        self.drawn_parts = [corner_points(p) for p in self.parts]
        self.sum_tex = MathTex(
            r"y(x) = \sum_{j=1}^{" + str(self.demo.net.sizes[1]) + r"} w_j \tanh(a_j x + b_j) + c",
            font_size=30,
        )
        fit_width(self.sum_tex, config.frame_x_radius - self.legend.get_left()[0] - 0.4)
        self.sum_tex.next_to(self.readout, DOWN, buff=0.6, aligned_edge=LEFT)
        self.narrate(
            "apart",
            FadeOut(self.target_curve),
            FadeOut(self.target_label),
            FadeOut(self.points),
            FadeOut(self.loss_plot),
            *(TransformFromCopy(self.curve, p) for p in self.parts),
            Create(self.bias_line),
            self.curve.animate.set_stroke(opacity=0.25),
            Write(self.sum_tex),
            run_time=2.5,
        )

    def add_up(self) -> None:
        # Beat: the parts (and the constant) sum back to the output, exactly.
        total = self.contributions.sum(axis=1) + self.bias
        self.sum_curve = polyline(self.axes, self.xs, total, palette.OUTPUT)
        self.drawn_sum = corner_points(self.sum_curve)
        self.narrate(
            "sum",
            ReplacementTransform(VGroup(self.parts.copy(), self.bias_line.copy()), self.sum_curve),
            self.parts.animate.set_stroke(opacity=0.35),
            run_time=2.5,
        )


__all__ = [
    "AComputationalGraph",
    "AFunction",
    "LayersOfNeurons",
    "ThreeViewsOfAFunction",
    "UniversalApproximator",
    "WhatIsANeuralNetwork",
]
