"""Episode 3: every array on screen is lib's, at the displayed precision; the graph is lib's graph."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from manim import config

from lib import book
from lib import graph as lib_graph
from lib.functions import sigmoid_deriv
from lib.graph import (
    GRAPH,
    gradient_check,
    matmul_forward,
    matrix_function_backward_sum_1,
    matrix_function_forward_sum,
    multiple_inputs_add_backward,
    two_input_forward,
)
from scenes import ep03_graphs as ep03
from scenes.components.code_panel import live_source
from tests.scenes.conftest import dry_run

SCENES = (
    ep03.TwoInputsOneOutput,
    ep03.DotProductMakesFeatures,
    ep03.ForwardThroughTheGraph,
    ep03.BackwardThroughTheGraph,
    ep03.CheckingTheGradient,
    ep03.BackwardThroughAWiderGraph,
)


@pytest.fixture(scope="module")
def scenes(tmp_path_factory):
    """Dry-run each scene once for the whole module (one media dir: the TeX cache is shared)."""
    media = tmp_path_factory.mktemp("ep03")
    return {cls: dry_run(cls, media) for cls in SCENES}


def lib_inputs(cls):
    """X and W drawn independently of the scene, from its seed and shapes."""
    rng = np.random.default_rng(cls.seed)
    return np.round(rng.normal(size=cls.x_shape), 1), np.round(rng.normal(size=cls.w_shape), 1)


def assert_shows(mob, expected, decimals=2):
    """Each displayed entry equals lib's entry at the displayed precision."""
    expected = np.asarray(expected, dtype=float)
    assert mob.array.shape == expected.shape
    np.testing.assert_allclose(mob.array, expected, rtol=0, atol=1e-12)
    assert mob.shown() == [f"{v:.{decimals}f}" for v in expected.ravel()]


def assert_on_screen(mob, margin=0.0):
    half_w, half_h = config.frame_width / 2 - margin, config.frame_height / 2 - margin
    assert mob.get_left()[0] >= -half_w, mob
    assert mob.get_right()[0] <= half_w, mob
    assert mob.get_bottom()[1] >= -half_h, mob
    assert mob.get_top()[1] <= half_h, mob


@pytest.mark.parametrize("cls", SCENES, ids=lambda c: c.__name__)
def test_everything_is_on_screen(scenes, cls):
    for mob in scenes[cls].mobjects:
        assert_on_screen(mob)


def test_two_inputs_shows_lib_values_and_partials(scenes):
    scene = scenes[ep03.TwoInputsOneOutput]
    fwd = two_input_forward(scene.x, scene.y)
    graph = scene.graph
    assert set(graph.nodes) == {n.id for n in lib_graph.TWO_INPUT_GRAPH.nodes}
    assert_shows(graph.forward_arrays[("x", "a")], fwd.x, 3)
    assert_shows(graph.forward_arrays[("y", "a")], fwd.y, 3)
    assert_shows(graph.forward_arrays[("a", "s")], fwd.a, 3)
    assert_shows(graph.forward_arrays["s"], fwd.s, 3)
    ds_dx, ds_dy = multiple_inputs_add_backward(scene.x, scene.y)
    assert_shows(graph.backward_arrays[("x", "a")], ds_dx, 3)
    assert_shows(graph.backward_arrays[("y", "a")], ds_dy, 3)
    assert_shows(graph.backward_arrays[("a", "s")], sigmoid_deriv(fwd.a), 3)
    assert scene.partials == (float(ds_dx), float(ds_dy))
    # A forward difference with step ε: error ≤ ε/2 · max|σ''| < ε/2 · 0.1.
    for ratio in scene.nudge_ratios.values():
        assert ratio == pytest.approx(float(ds_dx), abs=0.05 * scene.epsilon)


def test_dot_product_shows_lib_arrays_and_sums(scenes):
    scene = scenes[ep03.DotProductMakesFeatures]
    X, W = lib_inputs(ep03.DotProductMakesFeatures)
    N = matmul_forward(X, W)
    assert_shows(scene.X_mob, X)
    assert_shows(scene.W_mob, W)
    assert_shows(scene.N_mob, N)
    assert_shows(scene.dN_dX_mob, W.T)
    assert [(i, j) for i, j, _ in scene.records["feature_sums"]] == [
        (scene.row, j) for j in range(2)
    ]
    for i, j, value in scene.records["feature_sums"]:
        # The products written on screen (inputs have one exact decimal) add up to N.
        assert sum(X[i, k] * W[k, j] for k in range(3)) == pytest.approx(value, abs=1e-12)


def _assert_graph_is_lib_graph(graph):
    assert list(graph.nodes) == [n.id for n in GRAPH.nodes]
    assert set(graph.edges) == {(e.source, e.target) for e in GRAPH.edges}


def test_forward_scene_shows_lib_forward_pass(scenes):
    scene = scenes[ep03.ForwardThroughTheGraph]
    _assert_graph_is_lib_graph(scene.graph)
    X, W = lib_inputs(ep03.ForwardThroughTheGraph)
    assert X.shape == (3, 3)
    assert W.shape == (3, 2)
    fwd = matrix_function_forward_sum(X, W)
    for edge in GRAPH.edges:
        assert_shows(
            scene.graph.forward_arrays[(edge.source, edge.target)], getattr(fwd, edge.forward_field)
        )
    assert_shows(scene.graph.forward_arrays["L"], fwd.L)
    assert len(scene.shown_arrays) == len(GRAPH.edges) + 1


@pytest.mark.parametrize(
    "cls", [ep03.BackwardThroughTheGraph, ep03.BackwardThroughAWiderGraph], ids=lambda c: c.__name__
)
def test_backward_scene_shows_lib_gradients(scenes, cls):
    scene = scenes[cls]
    _assert_graph_is_lib_graph(scene.graph)
    X, W = lib_inputs(cls)
    fwd = matrix_function_forward_sum(X, W)
    bwd = matrix_function_backward_sum_1(X, W)
    for edge in GRAPH.edges:
        key = (edge.source, edge.target)
        assert_shows(scene.graph.forward_arrays[key], getattr(fwd, edge.forward_field))
        grad = scene.graph.backward_arrays[key]
        assert_shows(grad, getattr(bwd, edge.backward_field))
        assert grad.array.shape == getattr(fwd, edge.forward_field).shape
    assert scene.graph.backward_arrays[("X", "N")].array.shape == cls.x_shape
    assert scene.graph.backward_arrays[("W", "N")].array.shape == cls.w_shape


@pytest.mark.parametrize(
    "cls", [ep03.BackwardThroughTheGraph, ep03.BackwardThroughAWiderGraph], ids=lambda c: c.__name__
)
def test_chain_steps_sit_under_the_diagram_without_overlap(scenes, cls):
    scene = scenes[cls]
    assert set(scene.chain_steps) == {"L", "S", "N"}
    arrays = [*scene.graph.forward_arrays.values(), *scene.graph.backward_arrays.values()]
    lowest = min(m.get_bottom()[1] for m in [scene.graph, *arrays])
    steps = [scene.chain_steps[n] for n in ("N", "S", "L")]
    for step in steps:
        assert step.get_top()[1] < lowest
        assert_on_screen(step)
    for left, right in zip(steps, steps[1:], strict=False):
        assert left.get_right()[0] < right.get_left()[0]


def test_variant_has_other_shapes():
    assert ep03.BackwardThroughAWiderGraph.x_shape != ep03.BackwardThroughTheGraph.x_shape
    b, f = ep03.BackwardThroughAWiderGraph.x_shape
    assert len({b, f, ep03.BackwardThroughAWiderGraph.w_shape[1]}) == 3


def test_gradient_check_compares_lib_numbers(scenes):
    scene = scenes[ep03.CheckingTheGradient]
    X, W = lib_inputs(ep03.CheckingTheGradient)
    i, j = scene.index
    check = gradient_check(X, W, "X", scene.index, scene.epsilon)
    assert scene.numeric == float(check.numeric)
    assert scene.analytic == float(check.analytic)
    assert scene.analytic == float(matrix_function_backward_sum_1(X, W).dL_dX[i, j])
    # Central difference: error ≈ ε²/6 |L'''| + round-off; with ε = 1e-3 well under 1e-5.
    assert scene.abs_error < 1e-5
    plus, minus = X.copy(), X.copy()
    plus[i, j] += scene.epsilon
    minus[i, j] -= scene.epsilon
    assert scene.L_plus == float(matrix_function_forward_sum(plus, W).L)
    assert scene.L_minus == float(matrix_function_forward_sum(minus, W).L)
    assert_shows(scene.X_mob, X)
    assert_shows(scene.grad_mob, matrix_function_backward_sum_1(X, W).dL_dX)


def test_gradient_check_code_panel_is_lib_backward_live(scenes):
    scene = scenes[ep03.CheckingTheGradient]
    assert scene.code_panel.source == live_source(book.matrix_function_backward_sum_1)
    assert "book.matrix_function_backward_sum_1(" in inspect.getsource(lib_graph.backward_pass)
    assert "dLdX = np.dot" in scene.code_panel.lines[scene.code_panel.highlighted]
