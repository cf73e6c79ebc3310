"""Episode 3, "Many inputs, matrices, and the backward pass": a computational graph in three views.

Functions of two inputs, a matrix product that makes new features, and the
graph L = Σ σ(X · W) with its forward and backward passes and a gradient check.
Every number on screen is an entry of an array computed by :mod:`lib.graph`
at render time; inputs are drawn from ``np.random.default_rng(seed)`` with the
seed a class attribute. Render one scene with
``manim -ql scenes/ep03_graphs.py BackwardThroughTheGraph`` or through
``python render.py render 03``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from manim import *

from lib import book
from lib.functions import sigmoid
from lib.graph import (
    GRAPH,
    TWO_INPUT_GRAPH,
    gradient_check,
    matmul_backward_first,
    matmul_forward,
    matrix_function_backward_sum_1,
    matrix_function_forward_sum,
    two_input_backward,
    two_input_forward,
)
from scenes.components import CodePanel, fit_width, palette
from scenes.components.graph import (
    NODE_SIZE,
    ArrayMobject,
    ComputationalGraph,
    array_mobject,
    make_backward_step_animations,
    make_forward_step_animations,
)
from scenes.components.math_words import math_words, text_with_math
from scenes.components.numbers import number_tex, product_tex, sci_tex
from scenes.lecture import LectureScene
from series.i18n import N_, _


def seeded_inputs(
    seed: int, x_shape: tuple[int, int], w_shape: tuple[int, int], decimals: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Draw X and W from ``default_rng(seed)``, rounded so the digits shown are exact.

    Parameters
    ----------
    seed : int
        The seed.
    x_shape : tuple of int
        ``(batch, features)``.
    w_shape : tuple of int
        ``(features, outputs)``.
    decimals : int
        Rounding of the inputs.

    Returns
    -------
    X, W : ndarray
        Float64 arrays of the given shapes.

    Raises
    ------
    lib.graph.ShapeError
        If the shapes do not chain (checked by lib).
    """
    rng = np.random.default_rng(seed)
    X = np.round(rng.normal(size=x_shape), decimals)
    W = np.round(rng.normal(size=w_shape), decimals)
    matmul_forward(X, W)  # lib checks the shapes, with a clear message
    return X, W


class GraphScene(LectureScene):
    """Shared knobs of the matrix scenes: the seed and the shapes of X and W."""

    seed: ClassVar[int] = 3
    x_shape: ClassVar[tuple[int, int]] = (3, 3)
    w_shape: ClassVar[tuple[int, int]] = (3, 2)
    decimals: ClassVar[int] = 2

    def setup(self) -> None:
        """Draw the seeded inputs and run lib's forward and backward passes."""
        super().setup()
        self.X, self.W = seeded_inputs(self.seed, self.x_shape, self.w_shape)
        self.forward = matrix_function_forward_sum(self.X, self.W)
        self.backward = matrix_function_backward_sum_1(self.X, self.W)

    def make_graph(self) -> ComputationalGraph:
        """Build the diagram of lib's graph (a factory hook a subclass may override).

        Each gap between columns fits the widest array that rides on a wire
        leaving that column (forward array or gradient) at its full size, so
        that no array is shrunk below a legible size to fit its wire.
        """
        widths: dict[int, float] = {}
        heights: dict[str, float] = {}
        for edge in GRAPH.edges:
            column = GRAPH.node(edge.source).column
            arrays = [
                array_mobject(getattr(self.forward, edge.forward_field), self.decimals),
                array_mobject(getattr(self.backward, edge.backward_field), self.decimals),
            ]
            widths[column] = max(widths.get(column, 0.0), *(a.width for a in arrays))
            heights[edge.source] = max(a.height for a in arrays)
        gaps = [NODE_SIZE + widths.get(c, 1.0) + 0.4 for c in range(len(GRAPH.columns) - 1)]
        # Between the two input wires: X's gradient (below X's wire) and W (above W's).
        x_id, w_id = (n.id for n in GRAPH.columns[0])
        return ComputationalGraph(
            GRAPH,
            column_gap=gaps,
            row_gap=heights[x_id] + heights[w_id] + 0.6,
            slot_height=max(heights.values()) + 0.02,
        )

    def layout_graph(self, below: Mobject, bottom_reserve: float = 0.3) -> ComputationalGraph:
        """Build the graph scaled and placed so that it and all its arrays fit under ``below``.

        The arrays of both passes are placed once to measure the diagram (the
        factories' steps carry them; the graph is not changed); the scene's own
        factory calls place them again at the final scale.
        """
        graph = self.make_graph()
        steps = [
            *make_forward_step_animations(graph, self.forward, self.decimals),
            *make_backward_step_animations(graph, self.backward, self.decimals),
        ]
        probe = VGroup(graph, *(a for step in steps for a in step.arrays.values()))
        height = below.get_bottom()[1] - 0.25 - (-config.frame_height / 2 + bottom_reserve)
        probe.scale(min(1.0, (config.frame_width - 0.8) / probe.width, height / probe.height))
        probe.next_to(below, DOWN, buff=0.25).set_x(0)
        return graph

    def displayed_arrays(self) -> list[ArrayMobject]:
        """Every array mobject the scene shows (tests compare each entry with lib)."""
        return list(self.shown_arrays)


class TwoInputsOneOutput(LectureScene):
    """x and y into a "+" factory, then σ; a nudge to either moves s by about σ′(a)·ε."""

    x: ClassVar[float] = 0.5
    y: ClassVar[float] = -1.3
    epsilon: ClassVar[float] = 0.01
    narration: ClassVar[dict[str, str]] = {
        "graph": N_(
            "A function can take more than one input. Here x and y go into an adding factory, and its output a goes into sigma."
        ),
        "forward": N_("Values flow forward: a is x plus y, and s is sigma of a."),
        "nudge_x": N_(
            "Nudge x by a small epsilon. The output moves by about sigma prime of a, times epsilon."
        ),
        "nudge_y": N_(
            "Nudge y instead, and the output moves by the same amount: addition passes a change through unchanged."
        ),
        "partials": N_(
            "So both partial derivatives are sigma prime of a, times one. Gradients flow back along the same wires."
        ),
    }

    def construct(self) -> None:
        self.show_graph()
        self.run_forward()
        self.nudge_inputs()
        self.show_partials()

    def show_graph(self) -> None:
        # Beat: the two-input graph, built from its description.
        self.forward = two_input_forward(self.x, self.y, sigmoid)
        self.backward = two_input_backward(self.x, self.y, sigmoid)
        self.title = MathTex(r"s = \sigma(x + y)", color=palette.OUTPUT).to_edge(UP)
        self.graph = ComputationalGraph(TWO_INPUT_GRAPH, column_gap=3.6, row_gap=1.9)
        self.graph.next_to(self.title, DOWN, buff=0.5)
        self.narrate("graph", Write(self.title), Create(self.graph), run_time=2)

    def run_forward(self) -> None:
        # Beat: the values on the wires, from lib.
        steps = make_forward_step_animations(self.graph, self.forward, decimals=3, font_size=34)
        self.narrate("forward", Succession(*steps), run_time=3)

    def _nudge_line(self, which: str) -> MathTex:
        eps = self.epsilon
        x, y = (self.x + eps, self.y) if which == "x" else (self.x, self.y + eps)
        s_new = float(two_input_forward(x, y, sigmoid).s)
        s = float(self.forward.s)
        ratio = (s_new - s) / eps
        tex = (
            rf"{which} + {number_tex(eps)}:\quad s = {number_tex(s_new, 5)},\quad "
            rf"\Delta s / \varepsilon = {number_tex(ratio, 4)}"
        )
        self.nudge_ratios[which] = ratio
        return MathTex(tex, color=palette.NUDGE, font_size=36)

    def nudge_inputs(self) -> None:
        # Beat: nudge x, then y; the output changes by ≈ σ′(a)·ε either way.
        self.nudge_ratios: dict[str, float] = {}
        lines = VGroup(self._nudge_line("x"), self._nudge_line("y"))
        lines.arrange(DOWN, aligned_edge=LEFT).next_to(self.graph, DOWN, buff=0.6)
        self.nudge_lines = lines
        self.narrate("nudge_x", FadeIn(lines[0]), Indicate(self.graph.nodes["x"]), run_time=1.5)
        self.narrate("nudge_y", FadeIn(lines[1]), Indicate(self.graph.nodes["y"]), run_time=1.5)

    def show_partials(self) -> None:
        # Beat: lib's partial derivatives, and the gradients on the wires.
        d = float(self.backward.ds_da)
        self.partials = (float(self.backward.ds_dx), float(self.backward.ds_dy))
        self.partials_tex = MathTex(
            rf"\partial s / \partial x = \sigma'(a)\cdot 1 = {number_tex(self.partials[0], 4)}"
            rf"\qquad \partial s / \partial y = \sigma'(a)\cdot 1 = {number_tex(self.partials[1], 4)}",
            color=palette.GRADIENT,
            font_size=36,
        ).next_to(self.nudge_lines, DOWN, buff=0.4)
        fit_width(self.partials_tex, config.frame_width - 1)
        self.sigma_prime = d
        steps = make_backward_step_animations(self.graph, self.backward, decimals=3, font_size=34)
        self.narrate("partials", Succession(*steps), Write(self.partials_tex), run_time=3)
        self.wait(0.5)


class DotProductMakesFeatures(GraphScene):
    """A row of X times W: each new feature is a weighted sum of the old ones; ∂N/∂X = Wᵀ."""

    row: ClassVar[int] = 0
    narration: ClassVar[dict[str, str]] = {
        "arrays": N_(
            "Now the inputs are arrays. Each row of X is one observation; each column of W makes one new feature."
        ),
        "row": N_(
            "Take one row of X. Multiply it, number by number, with a column of W, and add: that is one entry of N."
        ),
        "features": N_(
            "Each column of W gives another feature: N has a row per observation and a column per feature."
        ),
        "gradient": N_(
            "How does N change when X changes? By the weights: the derivative of N with respect to X is W transposed."
        ),
    }

    def construct(self) -> None:
        self.show_arrays()
        self.multiply_row()
        self.show_derivative()

    def show_arrays(self) -> None:
        # Beat: X · W = N with lib's numbers.
        self.N = matmul_forward(self.X, self.W)
        self.X_mob = array_mobject(self.X, self.decimals, palette.INPUT)
        self.W_mob = array_mobject(self.W, self.decimals, palette.INPUT)
        self.N_mob = array_mobject(self.N, self.decimals, palette.OUTPUT)
        product = VGroup(
            self.X_mob,
            MathTex(r"\cdot", color=palette.INK),
            self.W_mob,
            MathTex("=", color=palette.INK),
            self.N_mob,
        ).arrange(RIGHT, buff=0.25)
        # Each array named under it (X · W = N), not "X =" before the product.
        self.names = VGroup(
            *(
                MathTex(name, color=color, font_size=40).next_to(array, DOWN, buff=0.2)
                for name, color, array in (
                    ("X", palette.INPUT, self.X_mob),
                    ("W", palette.INPUT, self.W_mob),
                    ("N", palette.OUTPUT, self.N_mob),
                )
            )
        )
        self.equation = VGroup(product, self.names)
        fit_width(self.equation, config.frame_width - 1).to_edge(UP, buff=0.5)
        self.shown_arrays = [self.X_mob, self.W_mob, self.N_mob]
        self.narrate("arrays", FadeIn(self.equation), run_time=2)

    def _sum_line(self, j: int) -> MathTex:
        i, d = self.row, self.decimals
        terms = [
            "".join(product_tex((self.X[i, k], self.W[k, j]), 1)) for k in range(self.X.shape[1])
        ]
        value = float(self.N[i, j])
        self.record("feature_sums", (i, j, value))
        return MathTex(
            rf"N_{{{i + 1}{j + 1}}} = " + " + ".join(terms) + rf" = {number_tex(value, d)}",
            color=palette.OUTPUT,
            font_size=34,
        )

    def multiply_row(self) -> None:
        # Beat: one row times one column, then every column.
        cols = self.W.shape[1]
        lines = VGroup(*(self._sum_line(j) for j in range(cols))).arrange(
            DOWN, aligned_edge=LEFT, buff=0.3
        )
        fit_width(lines, config.frame_width - 1).next_to(self.equation, DOWN, buff=0.5)
        self.sum_lines = lines
        x_row = VGroup(*self.X_mob.matrix.get_rows()[self.row])
        # Boxes close around the entries, clear of the matrices' brackets.
        self.row_box = SurroundingRectangle(x_row, color=palette.NUDGE, buff=0.05)
        col_boxes = [
            SurroundingRectangle(VGroup(*c), color=palette.NUDGE, buff=0.05)
            for c in self.W_mob.matrix.get_columns()
        ]
        n_cells = [self.N_mob.matrix.get_rows()[self.row][j] for j in range(cols)]
        self.narrate(
            "row",
            Create(self.row_box),
            Create(col_boxes[0]),
            Indicate(n_cells[0], color=palette.NUDGE),
            FadeIn(lines[0]),
            run_time=2.5,
        )
        rest = [
            AnimationGroup(
                Transform(col_boxes[0], col_boxes[j]),
                Indicate(n_cells[j], color=palette.NUDGE),
                FadeIn(lines[j]),
            )
            for j in range(1, cols)
        ]
        self.narrate("features", *(rest or [Wait()]), run_time=2.5)
        self.play(FadeOut(col_boxes[0]), FadeOut(self.row_box), run_time=0.5)

    def show_derivative(self) -> None:
        # Beat: lib's ∂N/∂X, which is Wᵀ.
        self.dN_dX = matmul_backward_first(self.X, self.W)
        self.dN_dX_mob = array_mobject(self.dN_dX, self.decimals, palette.DERIVATIVE)
        self.derivative = VGroup(
            MathTex(
                r"\frac{\partial N}{\partial X} = W^{T} =",
                color=palette.DERIVATIVE,
            ),
            self.dN_dX_mob,
        ).arrange(RIGHT, buff=0.25)
        fit_width(self.derivative, config.frame_width - 1).next_to(self.sum_lines, DOWN, buff=0.5)
        if self.derivative.get_bottom()[1] < -config.frame_height / 2 + 0.2:
            self.derivative.to_edge(DOWN, buff=0.2)
        self.shown_arrays.append(self.dN_dX_mob)
        self.narrate("gradient", FadeIn(self.derivative), run_time=2)
        self.wait(0.5)


class ForwardThroughTheGraph(GraphScene):
    """L = Σ σ(X · W) for X 3×3 and a non-square W 3×2: the arrays flow forward node by node."""

    narration: ClassVar[dict[str, str]] = {
        "graph": N_(
            "Put it together: a computational graph. X and W go into nu, the matrix product; then sigma; then lambda, the sum."
        ),
        "inputs": N_("The inputs X and W travel along their wires into nu."),
        "matmul": N_("Nu multiplies them: N has a row per observation and a column per feature."),
        "sigma": N_("Sigma acts on each entry of N on its own, so S has the shape of N."),
        "sum": N_(
            "Lambda adds every entry of S: one number, L. Arrays flow forward through the graph."
        ),
    }

    def construct(self) -> None:
        self.show_graph()
        self.flow_forward()

    def show_graph(self) -> None:
        # Beat: the graph from lib's description, and the shapes of the inputs.
        self.title = MathTex(
            r"L = \Lambda(\sigma(\nu(X, W))) = \sum_{i,j} \sigma(X \cdot W)_{ij}",
            font_size=40,
        ).to_edge(UP, buff=0.3)
        (b, f), (_, o) = self.X.shape, self.W.shape
        self.shapes = MathTex(
            rf"X: {b}\times{f},\quad W: {f}\times{o}", color=palette.MUTED, font_size=30
        ).next_to(self.title, DOWN, buff=0.15)
        self.graph = self.layout_graph(self.shapes)
        self.narrate(
            "graph", Write(self.title), FadeIn(self.shapes), Create(self.graph), run_time=2.5
        )

    def flow_forward(self) -> None:
        # Beat: one narrated step per column, arrays from lib's forward pass.
        steps = make_forward_step_animations(self.graph, self.forward, self.decimals)
        for key, step in zip(("inputs", "matmul", "sigma", "sum"), steps, strict=True):
            self.narrate(key, step, run_time=2)
        self.shown_arrays = list(self.graph.forward_arrays.values())
        self.wait(0.5)


class BackwardThroughTheGraph(GraphScene):
    """The gradient flows back from L node by node, ending in ∂L/∂X and ∂L/∂W, with each chain-rule step."""

    chain_steps_tex: ClassVar[dict[str, tuple[str, ...]]] = {
        "L": (r"\partial L / \partial S = 1",),
        "S": (r"\partial L / \partial N = \partial L / \partial S \odot \sigma'(N)",),
        "N": (
            r"\partial L / \partial X = \partial L / \partial N \cdot W^{T}",
            r"\partial L / \partial W = X^{T} \cdot \partial L / \partial N",
        ),
    }
    narration: ClassVar[dict[str, str]] = {
        "recap": N_("Here is the forward pass again, with every array it computed."),
        "L": N_(
            "Start at the end. L is a sum, so nudging any entry of S moves L by the same amount: the gradient is all ones."
        ),
        "S": N_(
            "Through sigma, multiply entry by entry by sigma prime of N: the chain rule, one factory at a time."
        ),
        "N": N_("Through nu, multiply by W transposed to reach X, and by X transposed to reach W."),
        "shapes": N_(
            "Each gradient has exactly the shape of its array: the gradient of X is shaped like X, the gradient of W like W. Now we know which way to move every input."
        ),
    }

    def construct(self) -> None:
        self.recap_forward()
        self.flow_backward()
        self.compare_shapes()

    def recap_forward(self) -> None:
        # Beat: the graph with lib's forward arrays, dimmed to make room for the gradients.
        # NOTE: {L} is the formula L = sum sigma(X W).
        title = _("backward pass of {L}")
        self.title = math_words(
            text_with_math(title, L=r"L = \sum \sigma(X \cdot W)"), font_size=36
        ).to_edge(UP, buff=0.2)
        self.graph = self.layout_graph(self.title, bottom_reserve=1.2)
        # The factory places the arrays; the recap shows them without the flow, so the
        # scene records them on the graph itself.
        steps = make_forward_step_animations(self.graph, self.forward, self.decimals)
        for step in steps:
            self.graph.forward_arrays.update(step.arrays)
        forward_arrays = VGroup(*self.graph.forward_arrays.values())
        self.narrate(
            "recap", Write(self.title), FadeIn(self.graph), FadeIn(forward_arrays), run_time=2
        )
        self.play(forward_arrays.animate.set_opacity(0.45), run_time=0.5)

    def _chain_step(self, node_id: str, gradients: list[ArrayMobject]) -> VGroup:
        lines = VGroup(
            *(
                MathTex(t, color=palette.GRADIENT, font_size=28)
                for t in self.chain_steps_tex[node_id]
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        node = self.graph.nodes[node_id]
        bottom = min(m.get_bottom()[1] for m in gradients)
        lines.move_to([node.get_x(), bottom - 0.2 - lines.height / 2, 0])
        return lines

    def flow_backward(self) -> None:
        # Beat: one step per node, right to left, each with its chain-rule step beside it.
        steps = make_backward_step_animations(self.graph, self.backward, self.decimals)
        order = ("L", "S", "N")  # right to left, as the steps
        # The gradients as they will sit on their wires (they join the graph when played).
        gradients = [a for step in steps for a in step.arrays.values()]
        self.chain_steps = {n: self._chain_step(n, gradients) for n in order}
        row = VGroup(*(self.chain_steps[n] for n in reversed(order)))
        # Keep the steps under their nodes, but never overlapping or off-screen.
        for left, right in zip(row, row[1:], strict=False):
            overlap = left.get_right()[0] + 0.4 - right.get_left()[0]
            if overlap > 0:
                right.shift(RIGHT * overlap)
        half = config.frame_width / 2 - 0.3
        if row.get_right()[0] > half:
            row.shift(LEFT * (row.get_right()[0] - half))
        if row.get_left()[0] < -half:
            fit_width(row, 2 * half).set_x(0)
        for node_id, step in zip(order, steps, strict=True):
            self.narrate(
                node_id,
                step,
                FadeIn(self.chain_steps[node_id]),
                Indicate(self.graph.nodes[node_id], color=palette.GRADIENT),
                run_time=2,
            )

    def compare_shapes(self) -> None:
        # Beat: ∂L/∂X beside X, ∂L/∂W beside W: same shapes.
        grads = [self.graph.backward_arrays[("X", "N")], self.graph.backward_arrays[("W", "N")]]
        self.shown_arrays = [
            *self.graph.forward_arrays.values(),
            *self.graph.backward_arrays.values(),
        ]
        self.narrate(
            "shapes",
            *(Indicate(g, color=palette.GRADIENT, scale_factor=1.05) for g in grads),
            run_time=2,
        )
        self.wait(0.5)


class BackwardThroughAWiderGraph(BackwardThroughTheGraph):
    """The same backward pass with X 2×4 and W 4×3 (a variant, not in the manifest)."""

    seed = 11
    x_shape = (2, 4)
    w_shape = (4, 3)


class CheckingTheGradient(GraphScene):
    """Nudge one element of X, watch L change, and compare the finite difference with ∂L/∂X."""

    index: ClassVar[tuple[int, int]] = (1, 2)
    epsilon: ClassVar[float] = 1e-3
    check_decimals: ClassVar[int] = 6
    """Decimals of L, L± and the two estimates of ∂L/∂X_ij (the same for all five)."""
    narration: ClassVar[dict[str, str]] = {
        "setup": N_(
            "How do we know the backward pass is right? Pick one entry of X, and its entry in the gradient."
        ),
        "nudge": N_(
            "Nudge that entry up by epsilon and run the forward pass; then down by epsilon, and run it again."
        ),
        "estimate": N_(
            "The change in L, divided by two epsilon, estimates the partial derivative."
        ),
        "analytic": N_(
            "The backward pass computed it without any nudging: the upstream gradient times sigma prime, times W transposed."
        ),
        "agree": N_("They agree to many digits. That is a gradient check."),
    }

    @classmethod
    def listing(cls):
        """Return the book listing the code view shows: ``matrix_function_backward_sum_1``."""
        return book.matrix_function_backward_sum_1

    def construct(self) -> None:
        self.show_arrays()
        self.nudge_entry()
        self.compare()

    def show_arrays(self) -> None:
        # Beat: X and ∂L/∂X side by side, the checked entry boxed in both; lib's code below.
        i, j = self.index
        self.check = gradient_check(self.X, self.W, "X", self.index, self.epsilon)
        self.X_mob = array_mobject(self.X, self.decimals, palette.INPUT)
        self.grad_mob = array_mobject(self.backward.dL_dX, self.decimals, palette.GRADIENT)
        self.shown_arrays = [self.X_mob, self.grad_mob]
        x_group = VGroup(MathTex("X =", color=palette.INPUT), self.X_mob).arrange(RIGHT)
        g_group = VGroup(
            MathTex(r"\frac{\partial L}{\partial X} =", color=palette.GRADIENT), self.grad_mob
        ).arrange(RIGHT)
        self.arrays = VGroup(x_group, g_group).arrange(RIGHT, buff=0.8)
        cols = self.X.shape[1]
        # Close around the entry: clear of the bracket beside a last column's entry.
        self.x_box = SurroundingRectangle(
            self.X_mob.entries[i * cols + j], color=palette.NUDGE, buff=0.05
        )
        self.g_box = SurroundingRectangle(
            self.grad_mob.entries[i * cols + j], color=palette.NUDGE, buff=0.05
        )
        top = VGroup(self.arrays, self.x_box, self.g_box)
        top.scale(min(1.0, 1.9 / top.height, (config.frame_width - 1) / top.width))
        top.to_edge(UP, buff=0.3)
        # The read-outs of the later beats, laid out now so the listing gets the rest.
        self.make_readouts()
        self.nudge_tex.next_to(self.arrays, DOWN, buff=0.3).to_edge(LEFT, buff=0.8)
        self.comparison.next_to(self.nudge_tex, RIGHT, buff=0.9, aligned_edge=UP)
        # The book's listing, live: lib.graph's backward pass runs exactly this.
        self.code_panel = CodePanel(self.listing())
        room = self.nudge_tex.get_bottom()[1] - 0.3 - (-config.frame_height / 2 + 0.25)
        self.code_panel.fit(config.frame_width - 1, room).to_edge(DOWN, buff=0.25)
        self.narrate(
            "setup",
            FadeIn(self.arrays),
            Create(self.x_box),
            Create(self.g_box),
            FadeIn(self.code_panel),
            run_time=2,
        )

    def make_readouts(self) -> None:
        """Build L, L at X ± ε e_ij and the comparison, every number from lib."""
        i, j = self.index
        plus, minus = self.X.copy(), self.X.copy()
        plus[i, j] += self.epsilon
        minus[i, j] -= self.epsilon
        self.L_plus = float(matrix_function_forward_sum(plus, self.W).L)
        self.L_minus = float(matrix_function_forward_sum(minus, self.W).L)
        self.numeric = float(self.check.numeric)
        self.analytic = float(self.check.analytic)
        self.abs_error = float(self.check.abs_error)
        d = self.check_decimals
        x_ij = rf"X_{{{i + 1}{j + 1}}}"
        self.nudge_tex = VGroup(
            MathTex(rf"L = {number_tex(self.forward.L, d)}", font_size=30, color=palette.OUTPUT),
            MathTex(rf"{x_ij} + \varepsilon:\ L_+ = {number_tex(self.L_plus, d)}", font_size=30),
            MathTex(rf"{x_ij} - \varepsilon:\ L_- = {number_tex(self.L_minus, d)}", font_size=30),
        )
        self.nudge_tex[1:].set_color(palette.NUDGE)
        self.nudge_tex.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        estimate = MathTex(
            rf"(L_+ - L_-) / 2\varepsilon = {number_tex(self.numeric, d)}"
            rf"\quad(\varepsilon = {number_tex(self.epsilon)})",
            color=palette.NUDGE,
            font_size=30,
        )
        analytic = MathTex(
            rf"\partial L / \partial {x_ij} = {number_tex(self.analytic, d)}",
            color=palette.GRADIENT,
            font_size=30,
        )
        error = math_words(
            rf"|\text{{{_('difference')}}}| = {sci_tex(self.abs_error)}",
            color=palette.ERROR,
            font_size=30,
        )
        self.comparison = VGroup(estimate, analytic, error).arrange(
            DOWN, aligned_edge=LEFT, buff=0.12
        )

    def nudge_entry(self) -> None:
        # Beat: L at X ± ε e_ij, from lib's forward pass.
        self.narrate("nudge", FadeIn(self.nudge_tex, shift=DOWN * 0.2), run_time=2)

    def compare(self) -> None:
        # Beat: finite difference vs the backward pass's entry, with the code that computed it.
        estimate, analytic, error = self.comparison
        self.narrate("estimate", FadeIn(estimate), run_time=1.5)
        self.narrate(
            "analytic",
            self.code_panel.make_highlight_animation("dLdN = dLdS * dSdN"),
            FadeIn(analytic),
            run_time=1.5,
        )
        self.play(self.code_panel.make_highlight_animation("dLdX = np.dot"), run_time=0.8)
        self.narrate("agree", FadeIn(error), Indicate(self.g_box), run_time=1.5)
        self.wait(0.5)


__all__ = [
    "BackwardThroughAWiderGraph",
    "BackwardThroughTheGraph",
    "CheckingTheGradient",
    "DotProductMakesFeatures",
    "ForwardThroughTheGraph",
    "TwoInputsOneOutput",
    "seeded_inputs",
]
