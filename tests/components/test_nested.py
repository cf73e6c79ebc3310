"""Components of Episode 2: what the factories, nudges and plots show equals lib.chain."""

from __future__ import annotations

import numpy as np
import pytest

from lib.calculus import DELTA
from lib.chain import NestedFunction
from lib.functions import leaky_relu, sigmoid, square
from scenes.components import palette
from scenes.components.chain_plot import ChainPlot, ChainPlotCursor
from scenes.components.nested import (
    NestedFactories,
    chain_rule_equation,
    chain_rule_numbers,
    compose_tex,
    make_nudge_animation,
    make_signal_animation,
)
from scenes.components.secant import slope_in_axes
from tests.tolerances import POINT_ATOL, SLOPE_ATOL

CHAIN_3 = (leaky_relu, square, sigmoid)


@pytest.fixture(scope="module", autouse=True)
def _private_media(tmp_path_factory):
    """Build TeX in a private media directory (never the shared ./media)."""
    from manim import tempconfig

    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media")), "verbosity": "ERROR"}):
        yield


@pytest.fixture(scope="module")
def factories():
    return NestedFactories(CHAIN_3, x=-1.0)


def test_wire_values_are_lib_stages(factories):
    nested = NestedFunction(CHAIN_3)
    for x in (-1.0, 0.7, 2.5):
        factories.set_input(x)
        shown = [v.get_value() for v in factories.values]
        assert shown == [float(s) for s in nested.stages(x)]
        assert len(factories.wires) == len(CHAIN_3) + 1


def test_multipliers_are_lib_local_derivatives(factories):
    nested = NestedFunction(CHAIN_3)
    for x in (-1.0, 0.7, 2.5):
        factories.set_input(x)
        shown = [m.get_value() for m in factories.multipliers]
        assert shown == [float(d) for d in nested.local_derivatives(x)]
        assert factories.claimed == [True, True, True]


def test_boxes_are_stage_coloured_and_wired_in_a_row(factories):
    for i, factory in enumerate(factories.factories):
        assert factory.box.get_color() == palette.stage_color(i)
        # the output wire of box i starts at the box's right edge; box i+1 starts where it ends
        np.testing.assert_allclose(factory.output_wire.get_start(), factory.box.get_right())
        if i + 1 < len(factories.factories):
            nxt = factories.factories[i + 1].box.get_left()
            np.testing.assert_allclose(factory.output_wire.get_end(), nxt, atol=1e-9)


def test_no_multiplier_claimed_at_the_kink(factories):
    factories.set_input(0.0)
    assert factories.claimed == [False, True, True]
    assert factories.multipliers[0].get_fill_opacity() == 0
    assert factories.kink_labels[0].get_fill_opacity() == 1
    factories.set_input(DELTA * 1.5)
    assert factories.claimed == [True, True, True]


def test_hidden_multipliers_are_revealed_by_animation():
    diagram = NestedFactories((square, sigmoid), x=0.8, show_multipliers=False)
    assert all(m.get_fill_opacity() == 0 for m in diagram.multipliers)
    animation = diagram.make_reveal_animation([1])
    animation.begin()
    animation.interpolate(1.0)
    assert diagram.multipliers_visible == [False, True]
    assert diagram.multipliers[1].get_fill_opacity() == 1
    assert diagram.multipliers[0].get_fill_opacity() == 0


def test_multipliers_move_with_the_diagram():
    diagram = NestedFactories((square, sigmoid), x=0.8).scale(0.5).to_corner([-1, 1, 0])
    for group, factory in zip(diagram.multiplier_group, diagram.factories, strict=True):
        assert group.get_bottom()[1] > factory.box.get_top()[1]
        assert abs(group[1].get_x() - factory.box.get_x()) < factory.box.width


def test_signal_carries_lib_stage_values():
    diagram = NestedFactories((square, sigmoid), x=0.8)
    animation = make_signal_animation(diagram, 0.8)
    animation.begin()
    seen = []
    for alpha in np.linspace(0, 1, 41):
        animation.interpolate(alpha)
        value = animation.signal.value.get_value()
        if not seen or seen[-1] != value:
            seen.append(value)
    assert seen == [float(s) for s in NestedFunction((square, sigmoid)).stages(0.8)]
    np.testing.assert_allclose(animation.signal.dot.get_center(), diagram.wires[-1].get_end())


def test_nudge_grows_by_each_local_derivative():
    nested = NestedFunction((square, sigmoid))
    diagram = NestedFactories(nested, x=0.8)
    animation = make_nudge_animation(diagram, 0.8, 0.01)
    local = [float(d) for d in nested.local_derivatives(0.8)]
    np.testing.assert_allclose(animation.ratios, [1.0, local[0], local[0] * local[1]], rtol=1e-14)
    lengths = animation.bar_lengths
    np.testing.assert_allclose(lengths[1] / lengths[0], local[0], rtol=1e-12)
    np.testing.assert_allclose(lengths[2] / lengths[1], local[1], rtol=1e-12)
    animation.begin()
    animation.interpolate(1.0)
    assert animation.nudge_mobject.value.get_value() == animation.ratios[-1]
    np.testing.assert_allclose(animation.nudge_mobject.bar.get_length(), lengths[-1], rtol=1e-9)


def test_nudge_refuses_a_kink():
    diagram = NestedFactories(CHAIN_3, x=0.0)
    with pytest.raises(ValueError, match="kink"):
        make_nudge_animation(diagram, 0.0, 0.01)


def test_equation_factors_coloured_like_their_boxes():
    equation = chain_rule_equation(NestedFunction(CHAIN_3))
    assert len(equation.factors) == 3
    for i, factor in enumerate(equation.factors):
        assert factor.get_color() == palette.stage_color(i)
    assert equation.factors[0].tex_string == "f_{1}'(x)"
    assert equation.factors[2].tex_string == "f_{3}'(f_{2}(f_{1}(x)))"


def test_numbers_equation_is_lib():
    nested = NestedFunction((square, sigmoid))
    numbers = chain_rule_numbers(nested, 0.8)
    assert numbers.values == [float(d) for d in nested.local_derivatives(0.8)]
    assert numbers.derivative == float(nested.derivative(0.8))
    assert numbers.result.tex_string == f"{numbers.derivative:.3f}"
    with pytest.raises(ValueError, match="kink"):
        chain_rule_numbers(NestedFunction(CHAIN_3), 0.0)


def test_compose_tex():
    assert compose_tex((square, sigmoid)) == r"\sigma(x^2)"


@pytest.mark.parametrize("chain", [(square, sigmoid), (sigmoid, square), CHAIN_3])
def test_plot_curves_are_lib_samples(chain):
    plot = ChainPlot(chain, x_range=(-3.0, 3.0), num_samples=121)
    nested = NestedFunction(chain)
    f_points = ChainPlot.sampled_points(plot.axes, plot.f_graph)
    np.testing.assert_allclose(f_points[:, 0], plot.xs, rtol=0, atol=POINT_ATOL)
    np.testing.assert_allclose(f_points[:, 1], nested(plot.xs), rtol=0, atol=POINT_ATOL)
    df_points = np.vstack([ChainPlot.sampled_points(plot.axes, g) for g in plot.df_graph])
    np.testing.assert_allclose(df_points[:, 0], plot.df_xs, rtol=0, atol=POINT_ATOL)
    np.testing.assert_allclose(
        df_points[:, 1], nested.derivative(df_points[:, 0]), rtol=0, atol=POINT_ATOL
    )
    # never a derivative sample within Δ of a kink
    assert not nested.kinks_crossed(df_points[:, 0], DELTA).any()


def test_plot_of_kinked_chain_has_a_gap_at_the_kink():
    plot = ChainPlot(CHAIN_3, num_samples=121)
    assert len(plot.df_graph) == 2
    assert 0.0 in plot.xs
    assert 0.0 not in plot.df_xs


def test_cursor_tangent_has_lib_slope_and_none_at_kink():
    plot = ChainPlot(CHAIN_3)
    nested = NestedFunction(CHAIN_3)
    cursor = ChainPlotCursor(plot, 1.2)
    assert cursor.slope == float(nested.derivative(1.2))
    assert slope_in_axes(plot.axes, cursor.tangent) == pytest.approx(cursor.slope, abs=SLOPE_ATOL)
    assert cursor.slope_value.get_value() == cursor.slope
    cursor.set_x(0.0)
    assert cursor.slope is None
    assert cursor.tangent.get_stroke_opacity() == 0


def test_stack_at_equals_breaks_rows_and_keeps_parts_and_size():
    from scenes.components.nested import stack_at_equals

    nested = NestedFunction((square, sigmoid))
    numbers = chain_rule_numbers(nested, 0.8, font_size=36)
    factors, result = list(numbers.factors), numbers.result
    width = numbers.width
    stack_at_equals(numbers, indent=0.35)
    lhs, eq1, *_ = numbers
    eq2 = numbers[-2]
    # F'(0.8) on top, then "= 0.226 · 1.600", then "= 0.362", each = under the left side.
    assert lhs.get_bottom()[1] > eq1.get_top()[1] > eq2.get_top()[1]
    np.testing.assert_allclose(eq1.get_left()[0], lhs.get_left()[0] + 0.35, atol=1e-9)
    np.testing.assert_allclose(eq2.get_left()[0], eq1.get_left()[0], atol=1e-9)
    assert numbers.width < width
    assert list(numbers.factors) == factors
    assert numbers.result is result
    assert numbers.font_size == pytest.approx(36)
