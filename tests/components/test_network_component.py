"""Tier 2: the layered-network picture shows lib's network and lib's activations."""

from __future__ import annotations

import numpy as np
import pytest

from lib.network import forward, init_network
from scenes.components.network import ACTIVATION_RANGES, LayeredNetwork, brightness
from tests.tolerances import GEOMETRY_ATOL

SIZES = (3, 4, 4, 2)
X = np.array([[0.5, -1.2, 2.0], [-1.0, 0.8, 0.3]])


@pytest.fixture(scope="module")
def net():
    return init_network(SIZES, np.random.default_rng(20190601), activation="tanh")


@pytest.fixture(scope="module")
def picture(net):
    return LayeredNetwork(net)


def test_layers_and_connections_follow_sizes(picture, net):
    assert [len(layer) for layer in picture.layers] == list(SIZES)
    assert [len(group) for group in picture.connections] == [
        SIZES[k] * SIZES[k + 1] for k in range(len(SIZES) - 1)
    ]
    # Layers left to right, neurons top to bottom.
    xs = [layer.get_x() for layer in picture.layers]
    assert xs == sorted(xs)
    for layer in picture.layers:
        ys = [c.get_y() for c in layer]
        assert ys == sorted(ys, reverse=True)


def test_connection_joins_neuron_i_to_neuron_j(picture):
    k, i, j = 1, 2, 3
    line = picture.connections[k][i * SIZES[k + 1] + j]
    np.testing.assert_allclose(
        line.get_start(), picture.layers[k][i].get_right(), atol=GEOMETRY_ATOL
    )
    np.testing.assert_allclose(
        line.get_end(), picture.layers[k + 1][j].get_left(), atol=GEOMETRY_ATOL
    )


def test_connection_width_grows_with_weight_magnitude(picture, net):
    widths = np.array([line.get_stroke_width() for line in picture.connections[0]])
    magnitude = np.abs(net.weights[0]).ravel()
    assert np.argmax(widths) == np.argmax(magnitude)
    assert np.argmin(widths) == np.argmin(magnitude)


@pytest.mark.parametrize("index", [0, 1])
def test_activations_shown_are_libs(net, index):
    fwd = forward(net, X)
    picture = LayeredNetwork(net).set_activations(fwd, index)
    assert len(picture.shown_activations) == len(SIZES)
    for k, shown in enumerate(picture.shown_activations):
        # Exactly lib's numbers: the picture copies them, it computes nothing.
        np.testing.assert_array_equal(shown, fwd.A[k][index])
        numbers = [n.get_value() for n in picture.values[k]]
        np.testing.assert_array_equal(numbers, fwd.A[k][index])
        opacities = [c.get_fill_opacity() for c in picture.layers[k]]
        lo, hi = picture.ranges[k]
        np.testing.assert_allclose(
            opacities, np.clip((fwd.A[k][index] - lo) / (hi - lo), 0, 1), rtol=0, atol=1e-12
        )


def test_numbers_sit_in_hidden_neurons_and_beside_input_and_output(net):
    picture = LayeredNetwork(net).set_activations(forward(net, X), 0)
    for number, circle in zip(picture.values[1], picture.layers[1], strict=True):
        np.testing.assert_allclose(number.get_center(), circle.get_center(), atol=GEOMETRY_ATOL)
    for number, circle in zip(picture.values[0], picture.layers[0], strict=True):
        assert number.get_right()[0] < circle.get_left()[0]
    for number, circle in zip(picture.values[-1], picture.layers[-1], strict=True):
        assert number.get_left()[0] > circle.get_right()[0]


def test_animation_records_the_same_values(net):
    fwd = forward(net, X)
    picture = LayeredNetwork(net)
    animation = picture.make_activation_animation(fwd, 1)
    # Building the animation changes nothing; playing it shows and records the values.
    assert picture.shown_activations is None
    assert len(picture.values) == 0
    assert all(c.get_fill_opacity() == 0 for layer in picture.layers for c in layer)
    animation.begin()
    animation.finish()
    assert len(picture.values) == len(net.sizes)
    assert all(n.get_fill_opacity() == 1 for layer in picture.values for n in layer)
    for k, shown in enumerate(picture.shown_activations):
        np.testing.assert_array_equal(shown, fwd.A[k][1])


def test_hidden_range_follows_activation():
    sig = init_network((2, 3, 1), np.random.default_rng(0), activation="sigmoid")
    picture = LayeredNetwork(sig, show_values=False)
    assert picture.ranges[1] == ACTIVATION_RANGES["sigmoid"]
    picture.set_activations(forward(sig, [[0.3, -0.4]]))
    assert len(picture.values) == 0
    np.testing.assert_allclose(
        picture.shown_brightness[1], picture.shown_activations[1], rtol=0, atol=1e-15
    )


def test_brightness_clips_to_the_range():
    np.testing.assert_array_equal(
        brightness(np.array([-3.0, -1.0, 0.0, 1.0, 3.0]), (-1, 1)), [0.0, 0.0, 0.5, 1.0, 1.0]
    )


def test_mismatched_forward_or_index_is_refused(net, picture):
    other = init_network((3, 5, 2), np.random.default_rng(1))
    with pytest.raises(ValueError, match="sizes"):
        picture.set_activations(forward(other, X), 0)
    with pytest.raises(IndexError, match="batch of 2"):
        picture.set_activations(forward(net, X), 2)
