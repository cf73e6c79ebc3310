"""`ComputationalGraph` and its arrays: built from lib's description, showing lib's numbers."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Animation

from lib.graph import (
    GRAPH,
    ComputationalGraphSpec,
    Edge,
    Node,
    matrix_function_backward_sum_1,
    matrix_function_forward_sum,
)
from scenes.components import palette
from scenes.components.graph import (
    ComputationalGraph,
    array_mobject,
    make_backward_pass_animation,
    make_forward_pass_animation,
)
from scenes.components.numbers import number_tex
from tests.tolerances import GEOMETRY_ATOL


def shown_equals(mob, expected, decimals=2):
    """Every displayed entry equals lib's entry at the displayed precision."""
    expected = np.asarray(expected, dtype=float)
    assert mob.array.shape == expected.shape
    np.testing.assert_array_equal(mob.array, expected)
    assert mob.shown() == [number_tex(v, decimals) for v in expected.ravel()]
    assert all(e.num_decimal_places == decimals for e in mob.entries)


@pytest.fixture(scope="module")
def passes():
    rng = np.random.default_rng(20190101)
    X, W = rng.normal(size=(3, 3)), rng.normal(size=(3, 2))
    return matrix_function_forward_sum(X, W), matrix_function_backward_sum_1(X, W)


@pytest.fixture(scope="module")
def animated_graph(passes):
    forward, backward = passes
    graph = ComputationalGraph()
    fwd_anim = make_forward_pass_animation(graph, forward)
    bwd_anim = make_backward_pass_animation(graph, backward)
    # Building the animations changes nothing; playing them records the arrays.
    assert graph.forward_arrays == {}
    assert graph.backward_arrays == {}
    for anim in (fwd_anim, bwd_anim):
        for step in anim.animations:  # as a Succession plays them
            step.begin()
            step.finish()
    assert graph.forward_arrays == fwd_anim.arrays
    assert graph.backward_arrays == bwd_anim.arrays
    return graph, fwd_anim, bwd_anim


def test_nodes_and_edges_match_lib_description():
    graph = ComputationalGraph()
    assert list(graph.nodes) == [n.id for n in GRAPH.nodes]
    assert set(graph.edges) == {(e.source, e.target) for e in GRAPH.edges}
    for key, arrow in graph.edges.items():
        assert (arrow.edge.source, arrow.edge.target) == key
        # Left to right: each wire starts at its source and ends at its target.
        assert arrow.get_start()[0] < arrow.get_end()[0]
        src, dst = graph.nodes[key[0]], graph.nodes[key[1]]
        assert src.get_right()[0] <= arrow.get_start()[0] + GEOMETRY_ATOL
        assert arrow.get_end()[0] <= dst.get_left()[0] + GEOMETRY_ATOL


def test_layout_follows_spec_columns():
    graph = ComputationalGraph()
    xs = [[graph.nodes[n.id].get_x() for n in col] for col in GRAPH.columns]
    for col in xs:
        np.testing.assert_allclose(col, col[0], atol=GEOMETRY_ATOL)
    assert all(a[0] < b[0] for a, b in zip(xs, xs[1:], strict=False))
    # Multi-input wires are horizontal.
    for arrow in graph.edges.values():
        assert arrow.get_start()[1] == pytest.approx(arrow.get_end()[1], abs=GEOMETRY_ATOL)


def test_array_mobject_keeps_its_array_and_shows_it():
    a = np.array([[1.234, -0.005], [10.0, 2.0 / 3.0]])
    mob = array_mobject(a, decimals=2)
    shown_equals(mob, a)
    assert mob.shown()[1] in ("-0.01", "0.00")  # rounding of an exact half; never -0.00
    scalar = array_mobject(np.float64(3.14159), decimals=3)
    assert scalar.matrix is None
    assert scalar.shown() == ["3.142"]
    row = array_mobject([1.0, 2.0, 3.0], decimals=1)
    assert row.shown() == ["1.0", "2.0", "3.0"]
    with pytest.raises(ValueError, match="0-, 1- or 2-D"):
        array_mobject(np.zeros((2, 2, 2)))


def test_factories_return_animations(animated_graph):
    _, fwd_anim, bwd_anim = animated_graph
    assert isinstance(fwd_anim, Animation)
    assert isinstance(bwd_anim, Animation)


def test_forward_arrays_are_lib_arrays_above_their_wires(animated_graph, passes):
    graph, _, _ = animated_graph
    forward, _ = passes
    for edge in GRAPH.edges:
        key = (edge.source, edge.target)
        mob = graph.forward_arrays[key]
        shown_equals(mob, getattr(forward, edge.forward_field))
        assert mob.get_bottom()[1] > graph.edges[key].get_y()
    shown_equals(graph.forward_arrays["L"], forward.L)


def test_gradients_are_lib_gradients_shaped_like_their_arrays(animated_graph, passes):
    graph, _, _ = animated_graph
    forward, backward = passes
    for edge in GRAPH.edges:
        key = (edge.source, edge.target)
        grad = graph.backward_arrays[key]
        shown_equals(grad, getattr(backward, edge.backward_field))
        assert grad.array.shape == graph.forward_arrays[key].array.shape
        assert grad.get_top()[1] < graph.edges[key].get_y()
        assert all(e.get_color() == palette.GRADIENT for e in grad.entries)
    np.testing.assert_allclose(graph.backward_arrays[("X", "N")].array, backward.dL_dX, atol=0)


def test_arrays_on_wires_do_not_overlap(animated_graph):
    graph, _, _ = animated_graph
    boxes = [
        (m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1])
        for m in [*graph.forward_arrays.values(), *graph.backward_arrays.values()]
    ]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            separate = a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]
            assert separate, (a, b)


def test_another_spec_draws_its_own_graph():
    spec = ComputationalGraphSpec(
        nodes=(
            Node("x", "x", "x", "input", "x", 0),
            Node("y", "y", "y", "input", "y", 0),
            Node("z", "w", "w", "input", "w", 0),
            Node("a", "+", "a", "operation", "a", 1),
            Node("s", r"\sigma", "s", "output", "s", 2),
        ),
        edges=(
            Edge("x", "a", "x", "dx"),
            Edge("y", "a", "y", "dy"),
            Edge("z", "a", "w", "dw"),
            Edge("a", "s", "a", "da"),
        ),
    )
    graph = ComputationalGraph(spec)
    assert set(graph.nodes) == {"x", "y", "z", "a", "s"}
    assert graph.nodes["a"].get_y() == pytest.approx(graph.nodes["y"].get_y(), abs=GEOMETRY_ATOL)
    with pytest.raises(KeyError, match="no edge"):
        graph.edge_key(("x", "s"))
