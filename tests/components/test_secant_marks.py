"""SecantMarks and fitted axes: Episode 1's labels are where lib says, legible, never overlapping."""

from __future__ import annotations

import numpy as np
import pytest

from lib.calculus import delta_schedule
from lib.functions import cube
from scenes.components.plotting import FunctionPlot, aligned_ticks, fitted_axes
from scenes.components.secant import SecantMarks, SecantMobject, _overlap

PX_PER_UNIT = 1080 / 8  # 1080p: the frame is 8 units tall
MIN_PX = 22.0


def _visible(mob) -> bool:
    return mob.get_fill_opacity() > 0 or mob.get_stroke_opacity() > 0


def _capital_height_px(tex) -> float:
    """Height in pixels of the tallest glyph of a MathTex (digits and capitals ~ cap height)."""
    return max(g.height for g in tex.family_members_with_points()) * PX_PER_UNIT


@pytest.fixture(scope="module")
def plot():
    return FunctionPlot(cube, (-2.0, 2.0), width=6.6, height=5.2, include=[1.0])


@pytest.mark.parametrize("delta", list(delta_schedule(1.0, 1e-3, 7)))
def test_marks_sit_at_lib_points_and_never_overlap(plot, delta):
    secant = SecantMobject(plot.axes, cube, 1.0, delta)
    marks = SecantMarks(secant)
    axes = plot.axes
    # Ticks at a - delta, a, a + delta on the x axis (axis coordinates read back).
    for tick, x in zip(marks.ticks, (1.0 - delta, 1.0, 1.0 + delta), strict=True):
        assert axes.p2c(tick.get_center())[0] == pytest.approx(x, abs=1e-9)
    # The legs: run 2Δ along f(a - Δ), rise f(a + Δ) - f(a - Δ).
    if marks.run_leg in marks.submobjects:
        (x0, y0), (x1, y1) = axes.p2c(marks.run_leg.get_start()), axes.p2c(marks.run_leg.get_end())
        assert x1 - x0 == pytest.approx(2 * delta, abs=1e-9)
        assert y0 == pytest.approx(cube(1.0 - delta), abs=1e-9)
    if marks.rise_leg in marks.submobjects:
        (_, y0), (_, y1) = axes.p2c(marks.rise_leg.get_start()), axes.p2c(marks.rise_leg.get_end())
        assert y1 - y0 == pytest.approx(cube(1.0 + delta) - cube(1.0 - delta), abs=1e-9)
    labels = [*marks.shown, *(n for n in axes.x_numbers if _visible(n))]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not _overlap(a, b, pad=0.0), (a, b)
    for tex in marks.shown:
        assert _capital_height_px(tex) >= MIN_PX * 0.6  # lower-case a is x-height
    assert marks.label_a in marks.shown


def test_first_delta_shows_every_label(plot):
    marks = SecantMarks(SecantMobject(plot.axes, cube, 1.0, 1.0))
    for part in (marks.label_minus, marks.label_plus, marks.brace_label, marks.rise_label):
        assert part in marks.shown
    # Axis numbers under a label are hidden, the others stay.
    hidden = [n for n in plot.axes.x_numbers if not _visible(n)]
    assert hidden
    assert len(hidden) < len(plot.axes.x_numbers)
    marks.restore_numbers()
    assert all(_visible(n) for n in plot.axes.x_numbers)


def test_axis_numbers_are_round_and_legible():
    axes = fitted_axes((-3.14, 3.14), (-7.8, 7.8))
    np.testing.assert_array_equal(axes.x_ticks, [-2, 0, 2])
    np.testing.assert_array_equal(axes.y_ticks, [-5, 0, 5])
    for number in [*axes.x_numbers, *axes.y_numbers]:
        digits = [g for g in number.family_members_with_points() if g.height > 0.1]
        assert max(g.height for g in digits) * PX_PER_UNIT >= MIN_PX
    np.testing.assert_array_equal(aligned_ticks(0.0, 1.0, 0.25), [0, 0.25, 0.5, 0.75, 1.0])
