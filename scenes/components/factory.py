"""`FunctionFactory`: a function drawn as a factory with an input and an output wire.

The values on the wires are computed by the lib function the factory wraps,
at build time and whenever the input changes; nothing is typed by hand.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    AnimationGroup,
    Arrow,
    MathTex,
    RoundedRectangle,
    VGroup,
)

from lib.adapt import adapt

from . import palette
from .numbers import LiveNumber


def _value(func: Callable[..., object], x: float) -> float:
    """Return func(x) through :func:`lib.adapt.adapt` (a scalar-only function works too)."""
    return float(adapt(func)(np.float64(x)))


class FunctionFactory(VGroup):
    """A box that turns the value on its input wire into the value on its output wire.

    Parameters
    ----------
    func : callable
        The lib function inside the factory (array -> array).
    tex : str
        LaTeX of the function's name on the box, e.g. ``"f"`` or ``"x^3"``.
    x : float
        Initial input value (axis units of the function, not scene units).
    color : ManimColor
        Box outline colour (a palette colour; a chain uses ``stage_color``).
    width, height, wire_length : float
        Sizes in scene units.
    num_decimal_places : int
        Digits shown on the wires.

    Attributes
    ----------
    box : RoundedRectangle
    name : MathTex
        The function's name on the box.
    input_wire, output_wire : Arrow
    input_value, output_value : DecimalNumber
        Live numbers: ``input_value`` shows x, ``output_value`` shows func(x).
    x : float
        The current input; ``fx`` the current output, both from lib.
    """

    def __init__(
        self,
        func: Callable[..., object],
        tex: str = "f",
        x: float = 1.0,
        color=palette.INK,
        width: float = 1.6,
        height: float = 1.1,
        wire_length: float = 1.4,
        num_decimal_places: int = 3,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.func = func
        self.box = RoundedRectangle(corner_radius=0.15, width=width, height=height, color=color)
        self.name = (
            MathTex(tex, color=color).scale_to_fit_height(min(0.45, height * 0.4)).move_to(self.box)
        )
        if self.name.width > width * 0.85:
            self.name.scale_to_fit_width(width * 0.85)
        left, right = self.box.get_left(), self.box.get_right()
        self.input_wire = Arrow(
            left + LEFT * wire_length, left, buff=0, color=palette.INPUT, stroke_width=4
        )
        self.output_wire = Arrow(
            right, right + RIGHT * wire_length, buff=0, color=palette.OUTPUT, stroke_width=4
        )
        self.input_value = LiveNumber(
            0, num_decimal_places=num_decimal_places, color=palette.INPUT, font_size=30
        )
        self.output_value = LiveNumber(
            0, num_decimal_places=num_decimal_places, color=palette.OUTPUT, font_size=30
        )
        self.add(
            self.input_wire,
            self.box,
            self.name,
            self.output_wire,
            self.input_value,
            self.output_value,
        )
        self.set_input(x)

    def set_input(self, x: float) -> FunctionFactory:
        """Put ``x`` on the input wire and lib's ``func(x)`` on the output wire."""
        self.x = float(x)
        self.fx = _value(self.func, self.x)
        self.input_value.set_value(self.x).next_to(self.input_wire, UP, buff=0.1)
        self.output_value.set_value(self.fx).next_to(self.output_wire, UP, buff=0.1)
        return self

    def make_input_animation(self, x: float, **kwargs) -> AnimationGroup:
        """Animation of both wires' numbers changing to input ``x`` (from lib)."""
        target = self.copy().set_input(x)
        return _NewInput(
            self,
            target,
            self.input_value.animate(**kwargs).set_value(target.x).move_to(target.input_value),
            self.output_value.animate(**kwargs).set_value(target.fx).move_to(target.output_value),
        )

    def wire_label(self, tex: str, wire: str, color, direction=DOWN) -> MathTex:
        """Build a MathTex label under (or beside) the ``"input"`` or ``"output"`` wire."""
        target = {"input": self.input_wire, "output": self.output_wire}[wire]
        return MathTex(tex, color=color, font_size=30).next_to(target, direction, buff=0.12)


class _NewInput(AnimationGroup):
    """The wires' numbers moving to a new input; the factory's ``x`` and ``fx`` change when done.

    Building it changes nothing (an animation factory does not mutate what it animates).
    """

    def __init__(self, factory: FunctionFactory, target: FunctionFactory, *animations, **kwargs):
        super().__init__(*animations, **kwargs)
        self.factory, self.target = factory, target

    def finish(self) -> None:
        super().finish()
        self.factory.x, self.factory.fx = self.target.x, self.target.fx
