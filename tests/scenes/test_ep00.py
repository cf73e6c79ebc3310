"""Episode 0: every scene constructs, and what it shows equals lib's numbers."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from lib import book
from lib.functions import square
from lib.graph import matrix_function_backward_sum_1, matrix_function_forward_sum
from lib.network import DEMO_CHECKPOINTS, approximation_demo, forward, hidden_contributions
from scenes import ep00_what_is_a_network as ep00
from tests.scenes.conftest import dry_run
from tests.tolerances import CURVE_ATOL

SCENES = [
    ep00.WhatIsANeuralNetwork,
    ep00.ThreeViewsOfAFunction,
    ep00.AFunction,
    ep00.AComputationalGraph,
    ep00.LayersOfNeurons,
    ep00.UniversalApproximator,
]


@pytest.fixture(scope="module")
def scenes(tmp_path_factory):
    """Each Episode 0 scene, dry-run once for the whole module."""
    cache = {}

    def get(cls):
        if cls not in cache:
            cache[cls] = dry_run(cls, tmp_path_factory.mktemp(cls.__name__))
        return cache[cls]

    return get


@pytest.mark.parametrize("cls", SCENES, ids=[c.__name__ for c in SCENES])
def test_scene_constructs_and_lasts(scenes, cls):
    scene = scenes(cls)
    assert scene.renderer.time > 1.0


def test_quiz_has_four_statements_and_all_four_are_marked(scenes):
    scene = scenes(ep00.WhatIsANeuralNetwork)
    assert [letter for letter, _ in scene.statements] == ["A", "B", "C", "D"]
    assert len(scene.statement_rows) == 4
    assert scene.marked == ["A", "B", "C", "D"]
    assert len(scene.marks) == 4
    # Each check mark is on its statement's row, left of it.
    for mark, row in zip(scene.marks, scene.statement_rows, strict=True):
        assert mark.get_right()[0] < row.get_left()[0]
        assert abs(mark.get_y() - row.get_y()) < row.height / 2
    assert scene.answer == "ABCD"
    assert scene.answer_text.text == "ABCD"
    # The answer appears only after a silent pause of the stated length.
    assert scene.pause_seconds >= 2


def test_quiz_statements_are_the_articles():
    texts = dict(ep00.WhatIsANeuralNetwork.statements)
    assert texts["A"].startswith("A mathematical function")
    assert "computational graph" in texts["B"]
    assert "layers" in texts["C"]
    assert "neurons" in texts["C"]
    assert texts["D"] == "A universal function approximator."


def test_three_views_shows_square_live(scenes):
    scene = scenes(ep00.ThreeViewsOfAFunction)
    # The book's listing of square, the kernel lib's validated square calls.
    source = inspect.getsource(book.square)
    assert scene.code_panel.func is book.square
    assert "book.square(x)" in inspect.getsource(square)
    assert all(line.strip() in source for line in scene.code_panel.lines)
    assert scene.code_panel.lines[scene.code_panel.highlighted].strip().startswith("return")
    assert scene.shown_value == 9.0
    assert scene.factory.fx == float(square(scene.x))
    # The plotted parabola passes through lib's values.
    for point in ep00.corner_points(scene.curve):
        x, y = scene.axes.p2c(point)
        assert y == pytest.approx(float(square(x)), abs=CURVE_ATOL)


def test_a_function_shows_libs_outputs(scenes):
    scene = scenes(ep00.AFunction)
    net = ep00.example_network(scene.sizes, scene.seed)
    assert len(scene.records["shown_outputs"]) == len(scene.inputs)
    for (shown_in, shown_out), x in zip(scene.records["shown_outputs"], scene.inputs, strict=True):
        np.testing.assert_array_equal(shown_in, x)
        expected = forward(net, np.array([x])).output[0]
        np.testing.assert_allclose(shown_out, expected, rtol=0, atol=1e-15)
    assert len(scene.input_wires) == scene.sizes[0]
    assert len(scene.output_wires) == scene.sizes[-1]


def test_every_activation_shown_equals_libs(scenes):
    scene = scenes(ep00.LayersOfNeurons)
    net = ep00.example_network(scene.sizes, scene.seed)
    fwd = forward(net, np.array(scene.inputs))
    shown = scene.network.shown_activations
    assert [a.size for a in shown] == list(scene.sizes)
    for k, values in enumerate(shown):
        np.testing.assert_array_equal(values, fwd.A[k][scene.index])
        numbers = [n.get_value() for n in scene.network.values[k]]
        np.testing.assert_array_equal(numbers, fwd.A[k][scene.index])
    # The output layer shows what the box of scene A output for the same input.
    np.testing.assert_array_equal(shown[-1], fwd.output[scene.index])
    k, j = scene.focus
    assert scene.neuron_values["z"] == fwd.Z[k - 1][scene.index, j]
    assert scene.neuron_values["a"] == fwd.A[k][scene.index, j]
    assert scene.neuron_values["a"] == pytest.approx(np.tanh(scene.neuron_values["z"]), abs=1e-15)


def test_graph_arrays_are_libs(scenes):
    scene = scenes(ep00.AComputationalGraph)
    fwd = matrix_function_forward_sum(scene.X, scene.W)
    bwd = matrix_function_backward_sum_1(scene.X, scene.W)
    graph = scene.graph
    assert set(graph.forward_arrays) >= set(graph.edges)
    for key, arrow in graph.edges.items():
        np.testing.assert_array_equal(
            graph.forward_arrays[key].array, getattr(fwd, arrow.edge.forward_field)
        )
        np.testing.assert_array_equal(
            graph.backward_arrays[key].array, getattr(bwd, arrow.edge.backward_field)
        )
    assert float(graph.forward_arrays["L"].array) == float(fwd.L)
    # Inputs are rounded to the digits shown, so the numbers on screen are the inputs.
    assert graph.forward_arrays[("X", "N")].shown() == [f"{v:.2f}" for v in scene.X.ravel()]


@pytest.fixture(scope="module")
def demo():
    return approximation_demo()


def test_curves_drawn_equal_libs_outputs_at_every_checkpoint(scenes, demo):
    scene = scenes(ep00.UniversalApproximator)
    assert [step for step, _ in scene.records["drawn_outputs"]] == list(DEMO_CHECKPOINTS)
    for (step, points), checkpoint in zip(
        scene.records["drawn_outputs"], demo.checkpoints, strict=True
    ):
        assert checkpoint.step == step
        coords = np.array([scene.axes.p2c(p) for p in points])
        np.testing.assert_allclose(coords[:, 0], scene.xs, rtol=0, atol=CURVE_ATOL)
        expected = forward(checkpoint.net, scene.xs[:, None]).output[:, 0]
        np.testing.assert_allclose(coords[:, 1], expected, rtol=0, atol=CURVE_ATOL)
    # And the curve on screen at the end of training is the last checkpoint's.
    final = np.array([scene.axes.p2c(p) for p in ep00.corner_points(scene.curve)])
    np.testing.assert_allclose(
        final[:, 1], forward(demo.net, scene.xs[:, None]).output[:, 0], rtol=0, atol=CURVE_ATOL
    )


def test_the_fit_improves_toward_the_target(scenes):
    scene = scenes(ep00.UniversalApproximator)
    errors = []
    for _, points in scene.records["drawn_outputs"]:
        ys = np.array([scene.axes.p2c(p)[1] for p in points])
        errors.append(np.max(np.abs(ys - np.sin(scene.xs))))
    assert errors[-1] < 0.05 < errors[0]


def test_loss_shown_is_libs_and_falls(scenes, demo):
    scene = scenes(ep00.UniversalApproximator)
    steps = [s for s, _, _ in scene.records["shown_losses"]]
    assert steps == list(DEMO_CHECKPOINTS)
    losses = [loss for _, loss, _ in scene.records["shown_losses"]]
    assert losses == [c.loss for c in demo.checkpoints]
    assert all(a > b for a, b in zip(losses, losses[1:], strict=False))
    assert scene.records["shown_losses"][-1][2] == r"9.72\times10^{-5}"


def test_loss_plot_is_libs_loss_history(scenes, demo):
    scene = scenes(ep00.UniversalApproximator)
    coords = np.array([scene.loss_axes.p2c(p) for p in ep00.corner_points(scene.loss_curve)])
    np.testing.assert_allclose(coords[:, 0], np.arange(demo.training.losses.size), atol=1e-9)
    np.testing.assert_allclose(
        coords[:, 1], np.log10(demo.training.losses), rtol=0, atol=CURVE_ATOL
    )


def test_hidden_parts_are_libs_and_add_up_to_the_output(scenes, demo):
    scene = scenes(ep00.UniversalApproximator)
    parts = hidden_contributions(demo.net, scene.xs)
    assert sorted(scene.part_indices) == list(range(demo.net.sizes[1]))
    for j, points in zip(scene.part_indices, scene.drawn_parts, strict=True):
        ys = np.array([scene.axes.p2c(p)[1] for p in points])
        np.testing.assert_allclose(ys, parts[:, j], rtol=0, atol=CURVE_ATOL)
    assert scene.bias == demo.net.biases[1][0]
    total = np.array([scene.axes.p2c(p)[1] for p in scene.drawn_sum])
    # Summing 8 terms of size <= 1.1 in another order than forward's matmul adds
    # at most ~8 eps: still inside CURVE_ATOL.
    np.testing.assert_allclose(
        total, forward(demo.net, scene.xs[:, None]).output[:, 0], rtol=0, atol=CURVE_ATOL
    )


def test_three_views_marks_the_named_value_on_the_plotted_curve(scenes):
    from scenes.components import palette

    scene = scenes(ep00.ThreeViewsOfAFunction)
    lo, hi = scene.axes.x_range[:2]
    assert lo < scene.x < hi, "the point the math names lies inside the plotted range"
    x, y = scene.axes.p2c(scene.marker.dot.get_center())
    assert x == pytest.approx(scene.x, abs=CURVE_ATOL)
    assert y == pytest.approx(float(square(scene.x)), abs=CURVE_ATOL)
    assert scene.marker.x_number.get_tex_string() == "3"
    assert scene.marker.y_number.get_tex_string() == "9"
    assert scene.readout.result.text == repr(float(square(scene.x)))
    # One colour per quantity across the views: the input, then the output.
    inputs = [scene.evaluated[1], scene.marker.x_number]
    outputs = [scene.evaluated[4], scene.marker.y_number, scene.marker.dot, scene.readout.result]
    assert {m.get_color().to_hex() for m in inputs} == {palette.INPUT.to_hex()}
    assert {m.get_color().to_hex() for m in outputs} == {palette.OUTPUT.to_hex()}


def test_three_views_refuses_a_value_off_the_plot(tmp_path):
    from manim import tempconfig

    from .conftest import DRY_RUN

    class OffThePlot(ep00.ThreeViewsOfAFunction):
        x = 5.0

    with (
        tempconfig({**DRY_RUN, "media_dir": str(tmp_path)}),
        pytest.raises(ValueError, match=r"x = 5 is outside x_range"),
    ):
        OffThePlot().setup()
