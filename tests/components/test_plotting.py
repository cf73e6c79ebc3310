"""`FunctionPlot`: the axis numbers are kept clear of the curve."""

from __future__ import annotations

import numpy as np

from lib.functions import cube
from scenes.components.audit import touches_lines
from scenes.components.plotting import FunctionPlot


def test_a_number_the_curve_crosses_moves_to_the_other_side():
    # x³ on (-2, 2) at Episode 1's size: the curve runs through the "-1" under the x axis.
    plot = FunctionPlot(cube, (-2.0, 2.0), width=6.6, height=5.2, include=[1.0])
    numbers = {float(n.get_value()): n for n in plot.axes.x_numbers}
    assert set(numbers) == {-2.0, -1.0, 1.0, 2.0}
    axis_y = plot.axes.x_axis.get_start()[1]
    assert numbers[-1.0].get_y() > axis_y > numbers[1.0].get_y()  # -1 above, 1 below
    # Still at its tick (manim centres a negative number's digits, not its minus sign).
    np.testing.assert_allclose(numbers[-1.0].get_x(), plot.axes.c2p(-1.0, 0)[0], atol=0.1)
    for n in [*plot.axes.x_numbers, *plot.axes.y_numbers]:
        assert not touches_lines(n, plot.graph), n.get_value()
