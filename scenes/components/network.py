"""`LayeredNetwork`: the classic layers-of-neurons picture of a ``lib.network.Network``.

Every circle is one neuron (one column of a layer's activations in
:class:`lib.network.Forward`), every line one weight. The picture is built from
the network's ``sizes`` and ``weights``; :meth:`LayeredNetwork.set_activations`
lights each neuron from lib's activations for one input, and keeps the values
it shows on the mobject so tests can compare them with lib.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Animation,
    AnimationGroup,
    Circle,
    DecimalNumber,
    LaggedStart,
    Line,
    VGroup,
)

from lib.network import Forward, Network

from . import palette
from .numbers import LiveNumber

ACTIVATION_RANGES: dict[str, tuple[float, float]] = {
    "tanh": (-1.0, 1.0),
    "sigmoid": (0.0, 1.0),
}
"""Range of each hidden activation, mapped to brightness 0 (dark) .. 1 (bright)."""


def brightness(values: np.ndarray, value_range: tuple[float, float]) -> np.ndarray:
    """Map activations to brightness in [0, 1], linearly over ``value_range``, clipped.

    Parameters
    ----------
    values : ndarray, shape (n,)
        Activations of one layer for one input.
    value_range : tuple of float
        ``(low, high)``: ``low`` is dark (0), ``high`` is fully bright (1).

    Returns
    -------
    ndarray, shape (n,)
        Brightness, the fill opacity of each neuron.
    """
    lo, hi = value_range
    return np.clip((np.asarray(values, dtype=np.float64) - lo) / (hi - lo), 0.0, 1.0)


class LayeredNetwork(VGroup):
    """Layers of neurons joined by weights, built from a lib network.

    Parameters
    ----------
    net : lib.network.Network
        The network drawn: ``net.sizes[k]`` neurons in layer ``k``.
    layer_spacing : float
        Horizontal distance between layers, scene units.
    neuron_spacing : float
        Vertical distance between neurons of a layer, scene units.
    radius : float
        Neuron radius, scene units.
    show_values : bool
        Add a number to each neuron (inside hidden neurons, outside the input
        and output ones) when :meth:`set_activations` is called.
    io_range : tuple of float
        Value range mapped to brightness for the (linear) input and output
        layers; hidden layers use their activation's range
        (:data:`ACTIVATION_RANGES`).
    num_decimal_places : int
        Digits of the numbers shown.

    Attributes
    ----------
    net : lib.network.Network
    layers : VGroup of VGroup of Circle
        ``layers[k][j]`` is neuron ``j`` of layer ``k`` (named part).
    connections : VGroup of VGroup of Line
        ``connections[k][i * sizes[k+1] + j]`` joins neuron ``i`` of layer
        ``k`` to neuron ``j`` of layer ``k+1``; its opacity and width grow
        with ``|weights[k][i, j]|`` (named part).
    values : VGroup of VGroup of DecimalNumber
        The numbers shown (empty until :meth:`set_activations`).
    shown_activations : list of ndarray or None
        ``shown_activations[k]`` is exactly ``forward_result.A[k][index]``,
        what the layer shows; ``None`` before :meth:`set_activations`.
    shown_brightness : list of ndarray or None
        The fill opacity given to each neuron of layer ``k``.
    """

    def __init__(
        self,
        net: Network,
        layer_spacing: float = 2.2,
        neuron_spacing: float = 0.8,
        radius: float = 0.26,
        show_values: bool = True,
        io_range: tuple[float, float] = (-1.0, 1.0),
        num_decimal_places: int = 2,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.net = net
        self.radius = radius
        self.show_values = show_values
        self.num_decimal_places = num_decimal_places
        self.ranges = [
            io_range if k in (0, len(net.sizes) - 1) else ACTIVATION_RANGES[net.activation]
            for k in range(len(net.sizes))
        ]
        self.layers = VGroup()
        for k, size in enumerate(net.sizes):
            layer = VGroup(
                *(
                    Circle(
                        radius=radius,
                        stroke_color=palette.INK,
                        stroke_width=2,
                        fill_color=self._fill_color(k),
                        fill_opacity=0.0,
                    )
                    for _ in range(size)
                )
            ).arrange(DOWN, buff=neuron_spacing - 2 * radius)
            layer.move_to(RIGHT * (k - (len(net.sizes) - 1) / 2) * layer_spacing)
            self.layers.add(layer)
        self.connections = VGroup()
        for k, w in enumerate(net.weights):
            scale = float(np.max(np.abs(w))) or 1.0
            group = VGroup()
            for i, src in enumerate(self.layers[k]):
                for j, dst in enumerate(self.layers[k + 1]):
                    strength = abs(float(w[i, j])) / scale
                    group.add(
                        Line(
                            src.get_right(),
                            dst.get_left(),
                            stroke_color=palette.MUTED,
                            stroke_width=0.5 + 2.5 * strength,
                            stroke_opacity=0.25 + 0.6 * strength,
                        )
                    )
            self.connections.add(group)
        self.values = VGroup()
        self.shown_activations: list[np.ndarray] | None = None
        self.shown_brightness: list[np.ndarray] | None = None
        self.add(self.connections, self.layers, self.values)

    def _fill_color(self, k: int):
        if k == 0:
            return palette.INPUT
        if k == len(self.net.sizes) - 1:
            return palette.OUTPUT
        return palette.INK

    def _check(self, forward_result: Forward, index: int) -> list[np.ndarray]:
        shapes = [a.shape[1] for a in forward_result.A]
        if tuple(shapes) != self.net.sizes:
            raise ValueError(
                f"forward_result has layer widths {tuple(shapes)}; "
                f"this picture is of a network of sizes {self.net.sizes}"
            )
        batch = forward_result.A[0].shape[0]
        if not -batch <= index < batch:
            raise IndexError(f"index {index} out of range for a batch of {batch}")
        return [np.array(a[index], dtype=np.float64) for a in forward_result.A]

    def _number(self, k: int, j: int, value: float, level: float) -> DecimalNumber:
        number = LiveNumber(value, num_decimal_places=self.num_decimal_places, font_size=24)
        circle = self.layers[k][j]
        if k == 0:
            number.set_color(palette.INPUT).next_to(circle, LEFT, buff=0.12)
        elif k == len(self.net.sizes) - 1:
            number.set_color(palette.OUTPUT).next_to(circle, RIGHT, buff=0.12)
        else:
            # Dark ink on a bright neuron, light ink on a dark one.
            number.set_color(palette.BACKGROUND if level > 0.5 else palette.INK)
            if number.width > 1.8 * self.radius:
                number.scale_to_fit_width(1.8 * self.radius)
            number.move_to(circle)
        return number

    def set_activations(self, forward_result: Forward, index: int = 0) -> LayeredNetwork:
        """Light every neuron from lib's activations of example ``index``.

        Parameters
        ----------
        forward_result : lib.network.Forward
            ``forward(net, X)`` for this picture's network.
        index : int
            Row of ``X`` whose activations are shown.

        Returns
        -------
        LayeredNetwork
            ``self``, with ``shown_activations[k] == forward_result.A[k][index]``.

        Raises
        ------
        ValueError
            If ``forward_result`` has other layer widths than the network.
        IndexError
            If ``index`` is outside the batch.
        """
        acts = self._check(forward_result, index)
        self.shown_activations = acts
        self.shown_brightness = [brightness(a, r) for a, r in zip(acts, self.ranges, strict=True)]
        for layer, levels in zip(self.layers, self.shown_brightness, strict=True):
            for circle, level in zip(layer, levels, strict=True):
                circle.set_fill(opacity=float(level))
        self.remove(self.values)
        self.values = VGroup()
        if self.show_values:
            for k, a in enumerate(acts):
                self.values.add(
                    VGroup(
                        *(
                            self._number(k, j, float(v), float(level))
                            for j, (v, level) in enumerate(
                                zip(a, self.shown_brightness[k], strict=True)
                            )
                        )
                    )
                )
        self.add(self.values)
        return self

    def make_activation_animation(
        self, forward_result: Forward, index: int = 0, lag_ratio: float = 0.6
    ) -> Animation:
        """Animation lighting the layers one after another, input to output.

        The values are those of :meth:`set_activations`, computed on a copy:
        building the animation changes nothing (it raises as
        :meth:`set_activations` does). When it plays, the new numbers replace
        the old and ``shown_activations`` records them; the animation fades each
        layer's brightness and numbers in, left to right.
        """
        target = self.copy().set_activations(forward_result, index)
        for number_layer in target.values:
            number_layer.set_opacity(0)
        steps = []
        for k, (layer, lit) in enumerate(zip(self.layers, target.layers, strict=True)):
            parts = [
                c.animate.set_fill(opacity=float(t.get_fill_opacity()))
                for c, t in zip(layer, lit, strict=True)
            ]
            if self.show_values:
                parts += [n.animate.set_opacity(1) for n in target.values[k]]
            steps.append(AnimationGroup(*parts))
        return _Activate(self, target, *steps, lag_ratio=lag_ratio)


class _Activate(LaggedStart):
    """The layers lighting up; the picture takes the new numbers when it starts playing."""

    def __init__(self, picture: LayeredNetwork, target: LayeredNetwork, *steps, **kwargs) -> None:
        super().__init__(*steps, **kwargs)
        self.picture, self.target = picture, target

    def begin(self) -> None:
        picture, target = self.picture, self.target
        picture.remove(picture.values)
        picture.values = target.values
        picture.add(picture.values)
        picture.shown_activations = target.shown_activations
        picture.shown_brightness = target.shown_brightness
        super().begin()


__all__ = ["ACTIVATION_RANGES", "LayeredNetwork", "brightness"]
