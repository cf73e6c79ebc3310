"""`ComputationalGraph`: lib's graph description drawn left to right, with arrays on its wires.

The diagram is built from a :class:`lib.graph.ComputationalGraphSpec` (default
:data:`lib.graph.GRAPH`, the graph of L = Σ σ(X · W)), never drawn by hand per
scene. Arrays are matrices of numbers (:class:`ArrayMobject`) whose entries are
lib's arrays, at a stated number of decimals: forward arrays ride above each
wire, gradients (in ``palette.GRADIENT``, each shaped like its array) below it.

Animation factories return animations; the scene owns the timing::

    graph = ComputationalGraph()
    self.play(Create(graph))
    self.play(make_forward_pass_animation(graph, matrix_function_forward_sum(X, W)))
    self.play(make_backward_pass_animation(graph, matrix_function_backward_sum_1(X, W)))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    Arrow,
    Circle,
    DecimalMatrix,
    FadeIn,
    Line,
    MathTex,
    RoundedRectangle,
    ShowPassingFlash,
    Succession,
    VGroup,
)
from numpy.typing import ArrayLike

from lib.graph import GRAPH, ComputationalGraphSpec, Edge, GraphBackward, GraphForward

from . import palette
from .numbers import LiveNumber, number_tex

EdgeKey = tuple[str, str]

NODE_SIZE = 0.9
"""Side (scene units) of an input node; diameter of an operation node."""


# ------------------------------------------------------------------------ arrays


class ArrayMobject(VGroup):
    """A 0-, 1- or 2-D array drawn as a matrix of numbers, keeping the array it shows.

    Parameters
    ----------
    array : array_like, shape (), (n,) or (rows, cols)
        The values (from lib). A 1-D array is drawn as one row; a 0-d array as
        a bare number.
    decimals : int
        Decimal places shown.
    color : ManimColor
        Colour of the numbers and brackets (a palette colour).
    font_size : float
        Size of the numbers in points.

    Attributes
    ----------
    array : ndarray
        A float64 copy of the array shown (its original shape).
    decimals : int
        Decimal places shown.
    entries : list of DecimalNumber
        The numbers, row-major; ``entries[k]`` shows ``array.flat[k]``.
    matrix : DecimalMatrix or None
        The bracketed matrix (None for a 0-d array).

    Raises
    ------
    ValueError
        If the array has more than 2 dimensions, or is empty.
    """

    def __init__(
        self,
        array: ArrayLike,
        decimals: int = 2,
        color: Any = palette.INK,
        font_size: float = 28,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.array = np.array(array, dtype=np.float64)
        if self.array.ndim > 2 or self.array.size == 0:
            raise ValueError(
                f"array has shape {self.array.shape}; expected a non-empty 0-, 1- or 2-D array"
            )
        self.decimals = int(decimals)
        if self.array.ndim == 0:
            self.matrix = None
            number = LiveNumber(
                float(self.array), num_decimal_places=self.decimals, font_size=font_size
            )
            self.entries = [number]
            self.add(number)
        else:
            rows = np.atleast_2d(self.array)
            self.matrix = DecimalMatrix(
                rows.tolist(),
                element_to_mobject_config={
                    "num_decimal_places": self.decimals,
                    "font_size": font_size,
                },
                v_buff=0.4 * font_size / 28,
                h_buff=0.9 * font_size / 28 * (1 + 0.25 * max(self.decimals - 2, 0)),
                bracket_h_buff=0.12,
            )
            self.entries = list(self.matrix.get_entries())
            self.add(self.matrix)
        self.set_color(color)

    def shown(self) -> list[str]:
        """Return each entry as displayed, row-major (:func:`~.numbers.number_tex`, no ``-0``)."""
        return [number_tex(e.get_value(), e.num_decimal_places) for e in self.entries]


def array_mobject(
    array: ArrayLike, decimals: int = 2, color: Any = palette.INK, font_size: float = 28
) -> ArrayMobject:
    """Build an :class:`ArrayMobject` (a matrix of lib's numbers that keeps its array).

    Parameters
    ----------
    array : array_like, shape (), (n,) or (rows, cols)
        The values.
    decimals : int
        Decimal places shown.
    color : ManimColor
        A palette colour.
    font_size : float
        Points.

    Returns
    -------
    ArrayMobject
        With ``.array``, ``.entries`` and ``.shown()``.
    """
    return ArrayMobject(array, decimals=decimals, color=color, font_size=font_size)


def fit_into(mobject: ArrayMobject, width: float, height: float) -> ArrayMobject:
    """Scale ``mobject`` down (never up) to fit a ``width`` × ``height`` box (scene units)."""
    scale = min(width / max(mobject.width, 1e-9), height / max(mobject.height, 1e-9), 1.0)
    return mobject.scale(scale)


# ------------------------------------------------------------------------ graph


class ComputationalGraph(VGroup):
    """The nodes and wires of a computational graph, laid out left to right by column.

    Inputs sit in column 0, spaced ``row_gap`` apart; every other node sits at
    the mean height of its sources, and a node with several inputs is drawn
    tall enough that each input wire is horizontal. Forward arrays are placed
    above a wire, gradients below it (see :meth:`forward_slot`).

    Parameters
    ----------
    spec : ComputationalGraphSpec
        The graph (default :data:`lib.graph.GRAPH`).
    column_gap : float or sequence of float
        Horizontal distance between column centres (scene units); a sequence
        gives each gap, left to right (one fewer than the columns), so that a
        wire carrying a wide array can be longer than the others.
    row_gap : float
        Vertical distance between the nodes of column 0 (scene units).
    node_size : float
        Size of a node (scene units).
    slot_height : float, optional
        Height an array on a wire may take (scene units, before any scaling of
        the graph); by default half the row gap, less a margin.

    Attributes
    ----------
    spec : ComputationalGraphSpec
        The graph drawn.
    nodes : dict of str to VGroup
        By node id; each has named parts ``shape`` and ``label`` and the
        attribute ``node`` (the :class:`lib.graph.Node`).
    edges : dict of (str, str) to Arrow
        By ``(source, target)``; each has the attribute ``edge`` (the
        :class:`lib.graph.Edge`).
    forward_arrays : dict
        Filled by :func:`make_forward_pass_animation`: the :class:`ArrayMobject`
        on each wire, by edge key, and the output's value by its node id.
    backward_arrays : dict of (str, str) to ArrayMobject
        Filled by :func:`make_backward_pass_animation`: the gradient on each
        wire, by edge key.
    """

    def __init__(
        self,
        spec: ComputationalGraphSpec = GRAPH,
        column_gap: float | Sequence[float] = 3.6,
        row_gap: float = 3.6,
        node_size: float = NODE_SIZE,
        slot_height: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.column_gap = column_gap
        n_gaps = len(spec.columns) - 1
        gaps = (
            [float(column_gap)] * n_gaps
            if np.isscalar(column_gap)
            else [float(g) for g in column_gap]  # type: ignore[union-attr]
        )
        if len(gaps) != n_gaps or min(gaps, default=1.0) <= 0:
            raise ValueError(
                f"column_gap {column_gap!r}: expected a positive number or "
                f"{n_gaps} positive gaps (the graph has {n_gaps + 1} columns)"
            )
        column_x = np.concatenate([[0.0], np.cumsum(gaps)])
        self.row_gap = row_gap
        self.node_size = node_size
        self.slot_height = slot_height
        self.nodes: dict[str, VGroup] = {}
        self.edges: dict[EdgeKey, Arrow] = {}
        self.forward_arrays: dict[Any, ArrayMobject] = {}
        self.backward_arrays: dict[EdgeKey, ArrayMobject] = {}
        heights: dict[str, float] = {}
        for node in spec.nodes:
            sources = [e.source for e in spec.incoming(node.id)]
            if node.column == 0 or not sources:
                column = next(c for c in spec.columns if node in c)
                i = column.index(node)
                heights[node.id] = ((len(column) - 1) / 2 - i) * row_gap
            else:
                heights[node.id] = float(np.mean([heights[s] for s in sources]))
            span = (
                max(heights[s] for s in sources) - min(heights[s] for s in sources)
                if len(sources) > 1
                else 0.0
            )
            group = self._make_node(node.kind, node.label, span)
            group.node = node
            group.move_to([column_x[node.column], heights[node.id], 0])
            self.nodes[node.id] = group
        for edge in spec.edges:
            src, dst = self.nodes[edge.source], self.nodes[edge.target]
            y = src.get_y() if len(spec.incoming(edge.target)) > 1 else dst.get_y()
            arrow = Arrow(
                [src.get_right()[0], y, 0],
                [dst.get_left()[0], y, 0],
                buff=0.05,
                color=palette.MUTED,
                stroke_width=3,
                max_tip_length_to_length_ratio=0.08,
            )
            arrow.edge = edge
            self.edges[(edge.source, edge.target)] = arrow
        self.add(*self.edges.values(), *self.nodes.values())
        self.move_to([0, 0, 0])

    def _make_node(self, kind: str, tex: str, span: float) -> VGroup:
        """Build one node: a rounded box (inputs, multi-input operations) or a circle."""
        s = self.node_size
        color = {"input": palette.INPUT, "output": palette.OUTPUT}.get(kind, palette.INK)
        if kind == "input" or span > 0:
            shape = RoundedRectangle(corner_radius=0.15, width=s, height=s + span, color=color)
        else:
            shape = Circle(radius=s / 2, color=color)
        shape.set_fill(palette.BACKGROUND, opacity=1)
        text = MathTex(tex, color=color).scale_to_fit_height(0.4 * s)
        if text.width > 0.8 * s:
            text.scale_to_fit_width(0.8 * s)
        group = VGroup(shape, text.move_to(shape))
        group.shape, group.label = shape, text
        return group

    # ------------------------------------------------------------ geometry

    def edge_key(self, edge: Edge | EdgeKey) -> EdgeKey:
        """Return ``(source, target)`` for an Edge or a key, checking it exists.

        Raises
        ------
        KeyError
            If the graph has no such edge; the message lists the edges.
        """
        key = (edge.source, edge.target) if isinstance(edge, Edge) else tuple(edge)
        if key not in self.edges:
            raise KeyError(f"no edge {key!r}; expected one of {list(self.edges)}")
        return key  # type: ignore[return-value]

    def slot_size(self, edge: Edge | EdgeKey | None = None) -> tuple[float, float]:
        """Width and height (scene units) an array on a wire may take, at the graph's current scale.

        The width is that of the wire ``edge`` (the shortest wire's if None).
        """
        scale = self.nodes[self.spec.nodes[0].id].shape.width / self.node_size
        if edge is None:
            length = min(a.get_length() for a in self.edges.values())
        else:
            length = self.edges[self.edge_key(edge)].get_length()
        height = self.slot_height or min(self.row_gap / 2 - 0.35, 1.6)
        return length - 0.15 * scale, scale * height

    def forward_slot(self, edge: Edge | EdgeKey, mobject: ArrayMobject) -> ArrayMobject:
        """Scale ``mobject`` to the slot size and place it above the wire ``edge``."""
        arrow = self.edges[self.edge_key(edge)]
        fit_into(mobject, *self.slot_size(edge))
        return mobject.next_to(arrow, UP, buff=0.12)

    def backward_slot(self, edge: Edge | EdgeKey, mobject: ArrayMobject) -> ArrayMobject:
        """Scale ``mobject`` to the slot size and place it below the wire ``edge``."""
        arrow = self.edges[self.edge_key(edge)]
        fit_into(mobject, *self.slot_size(edge))
        return mobject.next_to(arrow, DOWN, buff=0.12)

    def output_slot(self, node_id: str, mobject: ArrayMobject) -> ArrayMobject:
        """Place ``mobject`` to the right of node ``node_id`` (a graph output)."""
        return mobject.next_to(self.nodes[node_id], RIGHT, buff=0.25)

    def columns_of_edges(self) -> list[list[EdgeKey]]:
        """Edge keys grouped by their source's column, left to right."""
        out: list[list[EdgeKey]] = [[] for _ in self.spec.columns]
        for edge in self.spec.edges:
            out[self.spec.node(edge.source).column].append((edge.source, edge.target))
        return [keys for keys in out if keys]


# ------------------------------------------------------------------ animations


class _ShowArrays(AnimationGroup):
    """Animations that bring arrays onto a graph's wires; the graph records them as they begin.

    The factory that builds this changes nothing: the arrays join ``record``
    (``graph.forward_arrays`` or ``graph.backward_arrays``) when the scene plays it.

    Attributes
    ----------
    arrays : dict
        The arrays shown, by edge key (or output node id), placed on their wires.
    """

    def __init__(self, *animations: Animation, arrays: dict, record: dict, **kwargs: Any) -> None:
        super().__init__(*animations, **kwargs)
        self.arrays = arrays
        self._record = record

    def begin(self) -> None:
        self._record.update(self.arrays)
        super().begin()


def _succession(steps: list[_ShowArrays]) -> Succession:
    """Play the steps one after another; ``arrays`` holds every step's arrays."""
    animation = Succession(*steps)
    animation.arrays = {k: v for step in steps for k, v in step.arrays.items()}
    return animation


def _flash(arrow: Arrow, color: Any, reverse: bool = False) -> Animation:
    start, end = arrow.get_start(), arrow.get_end()
    if reverse:
        start, end = end, start
    return ShowPassingFlash(Line(start, end, color=color, stroke_width=8), time_width=0.6)


def make_forward_step_animations(
    graph: ComputationalGraph,
    forward: GraphForward,
    decimals: int = 2,
    font_size: float = 28,
) -> list[Animation]:
    """One animation per column: each node's output array travels along its wire(s).

    The arrays are lib's (``getattr(forward, edge.forward_field)``), placed on
    their wires; each step has them as ``step.arrays`` by edge key, and they join
    ``graph.forward_arrays`` when the step is played (building the steps changes
    nothing). The last step also shows each output node's value (by node id).

    Parameters
    ----------
    graph : ComputationalGraph
        The diagram.
    forward : lib.graph.GraphForward
        The forward pass whose arrays are shown (or any object with the
        fields the spec's ``forward_field`` names, e.g.
        :class:`lib.graph.TwoInputForward` for a two-input spec).
    decimals : int
        Decimal places shown.
    font_size : float
        Points, before fitting to the wire.

    Returns
    -------
    list of Animation
        One per column of sources, left to right.
    """
    steps: list[_ShowArrays] = []
    for keys in graph.columns_of_edges():
        parts: list[Animation] = []
        arrays: dict[Any, ArrayMobject] = {}
        for key in keys:
            arrow = graph.edges[key]
            edge = arrow.edge
            color = (
                palette.INPUT if graph.spec.node(edge.source).kind == "input" else palette.OUTPUT
            )
            token = graph.forward_slot(
                key, array_mobject(getattr(forward, edge.forward_field), decimals, color, font_size)
            )
            arrays[key] = token
            parts += [
                _flash(arrow, color),
                FadeIn(token, target_position=arrow.get_start(), scale=0.2),
            ]
        steps.append(_ShowArrays(*parts, arrays=arrays, record=graph.forward_arrays))
    outputs = [n for n in graph.spec.nodes if n.kind == "output"]
    if outputs:
        parts, arrays = [], {}
        for node in outputs:
            value = graph.output_slot(
                node.id,
                array_mobject(getattr(forward, node.forward_field), decimals, palette.OUTPUT, 36),
            )
            arrays[node.id] = value
            parts.append(FadeIn(value, target_position=graph.nodes[node.id], scale=0.2))
        steps.append(_ShowArrays(*parts, arrays=arrays, record=graph.forward_arrays))
    return steps


def make_forward_pass_animation(
    graph: ComputationalGraph,
    forward: GraphForward,
    decimals: int = 2,
    font_size: float = 28,
) -> Animation:
    """Animate the whole forward pass, column by column (see :func:`make_forward_step_animations`).

    Returns
    -------
    Animation
        A :class:`Succession`; the scene chooses its ``run_time``.
    """
    return _succession(make_forward_step_animations(graph, forward, decimals, font_size))


def make_backward_step_animations(
    graph: ComputationalGraph,
    backward: GraphBackward,
    decimals: int = 2,
    font_size: float = 28,
) -> list[Animation]:
    """One animation per column, right to left: each gradient travels back along its wire.

    Each gradient is lib's (``getattr(backward, edge.backward_field)``), has
    the shape of the array on the same wire, is drawn in ``palette.GRADIENT``
    below the wire, is in its step's ``arrays`` by edge key, and joins
    ``graph.backward_arrays`` when the step is played.

    Parameters
    ----------
    graph : ComputationalGraph
        The diagram.
    backward : lib.graph.GraphBackward
        The backward pass whose gradients are shown (or any object with the
        fields the spec's ``backward_field`` names).
    decimals : int
        Decimal places shown.
    font_size : float
        Points, before fitting to the wire.

    Returns
    -------
    list of Animation
        One per column of sources, right to left.
    """
    steps: list[_ShowArrays] = []
    for keys in reversed(graph.columns_of_edges()):
        parts: list[Animation] = []
        arrays: dict[Any, ArrayMobject] = {}
        for key in keys:
            arrow = graph.edges[key]
            token = graph.backward_slot(
                key,
                array_mobject(
                    getattr(backward, arrow.edge.backward_field),
                    decimals,
                    palette.GRADIENT,
                    font_size,
                ),
            )
            arrays[key] = token
            parts += [
                _flash(arrow, palette.GRADIENT, reverse=True),
                FadeIn(token, target_position=arrow.get_end(), scale=0.2),
            ]
        steps.append(_ShowArrays(*parts, arrays=arrays, record=graph.backward_arrays))
    return steps


def make_backward_pass_animation(
    graph: ComputationalGraph,
    backward: GraphBackward,
    decimals: int = 2,
    font_size: float = 28,
) -> Animation:
    """Animate the whole backward pass, right to left (see :func:`make_backward_step_animations`).

    Returns
    -------
    Animation
        A :class:`Succession`; the scene chooses its ``run_time``.
    """
    return _succession(make_backward_step_animations(graph, backward, decimals, font_size))


__all__ = [
    "ArrayMobject",
    "ComputationalGraph",
    "array_mobject",
    "fit_into",
    "make_backward_pass_animation",
    "make_backward_step_animations",
    "make_forward_pass_animation",
    "make_forward_step_animations",
]
