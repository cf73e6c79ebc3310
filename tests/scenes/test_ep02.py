"""Episode 2: the numbers, curves and code on screen, read back from the scenes, equal lib."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from lib import book
from lib.calculus import DELTA, deriv
from lib.chain import NestedFunction
from lib.functions import cube, tanh
from scenes import ep02_chain_rule as ep02
from scenes.components.chain_plot import ChainPlot
from scenes.components.secant import slope_in_axes
from tests.scenes.conftest import assert_narrated
from tests.tolerances import POINT_ATOL, RATIO_ATOL_AT_SMALLEST_EPS, SLOPE_ATOL


def central_atol(nested: NestedFunction, x: float) -> float:
    """Tolerance of lib's central difference (Δ = 0.001) against the exact chain rule.

    Truncation Δ²/6·|F‴(ξ)| (F‴ estimated by a second difference of lib's F′,
    doubled for ξ ≠ x) plus round-off ε·|F|/Δ ≈ 1e-12: about 1e-7 for σ(x²) at 0.8
    and 6e-6 for tanh(x³) at 0.8.
    """
    h = 1e-2
    d = nested.derivative(np.array([x - h, x, x + h]))
    third = abs(d[0] - 2 * d[1] + d[2]) / h**2
    return DELTA**2 / 6 * 2 * third + 1e-12


def _scene(cls, tmp_path_factory):
    from tests.scenes.conftest import dry_run

    return dry_run(cls, tmp_path_factory.mktemp(cls.__name__))


@pytest.fixture(scope="module")
def function_scene(tmp_path_factory):
    return _scene(ep02.FunctionOfAFunction, tmp_path_factory)


@pytest.fixture(scope="module")
def nudge_scene(tmp_path_factory):
    return _scene(ep02.NudgeThroughFactories, tmp_path_factory)


@pytest.fixture(scope="module")
def views_scene(tmp_path_factory):
    return _scene(ep02.ChainRuleInThreeViews, tmp_path_factory)


@pytest.fixture(scope="module")
def plots_scene(tmp_path_factory):
    return _scene(ep02.ChainRulePlots, tmp_path_factory)


@pytest.fixture(scope="module")
def longer_scene(tmp_path_factory):
    return _scene(ep02.LongerChain, tmp_path_factory)


def test_all_scenes_last_longer_than_ten_seconds(
    function_scene, nudge_scene, views_scene, plots_scene, longer_scene
):
    for scene in (function_scene, nudge_scene, views_scene, plots_scene, longer_scene):
        assert scene.renderer.time > 10


def test_wire_values_are_lib_stages_for_every_input(function_scene):
    scene = function_scene
    nested = NestedFunction(scene.functions)
    assert [x for x, _ in scene.records["shown_stages"]] == list(scene.inputs)
    for x, shown in scene.records["shown_stages"]:
        assert shown == [float(v) for v in nested.stages(x)]
    for x, carried in zip(scene.inputs, scene.records["signal_stages"], strict=True):
        assert carried == [float(v) for v in nested.stages(x)]


def test_nudge_multipliers_and_product_are_lib(nudge_scene):
    scene = nudge_scene
    nested = NestedFunction(scene.functions)
    local = [float(d) for d in nested.local_derivatives(scene.x)]
    assert [m.get_value() for m in scene.diagram.multipliers] == local
    assert [v.get_value() for v in scene.diagram.values] == [
        float(v) for v in nested.stages(scene.x)
    ]
    # the nudge on each wire, in units of ε: 1, f1'(x), f2'(f1(x))·f1'(x)
    np.testing.assert_allclose(
        scene.nudge_animation.ratios, np.cumprod([1.0, *local]), rtol=1e-14, atol=0
    )
    assert scene.shown_derivative == float(nested.derivative(scene.x))
    assert scene.numbers.values == local


def test_ratio_converges_to_chain_rule_and_central_difference(nudge_scene):
    scene = nudge_scene
    nested = NestedFunction(scene.functions)
    assert [eps for eps, _ in scene.records["shown_ratios"]] == list(scene.epsilons)
    for eps, shown in scene.records["shown_ratios"]:
        assert shown == float(nested.nudge(scene.x, eps).ratio)
    errors = [abs(r - scene.shown_derivative) for _, r in scene.records["shown_ratios"]]
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] < RATIO_ATOL_AT_SMALLEST_EPS
    assert scene.shown_central == float(deriv(nested, scene.x))
    assert scene.shown_central == pytest.approx(
        scene.shown_derivative, abs=central_atol(nested, scene.x)
    )


def test_three_views_code_panel_is_live_source(views_scene):
    scene = views_scene
    panel = scene.code_panel
    assert panel.func is book.chain_deriv_2
    source = inspect.getsource(book.chain_deriv_2)
    assert panel.lines[0] == source.splitlines()[0]
    assert all(line.strip() in source for line in panel.lines)
    # the forward line, then each factor's line in order, then the product
    executed = [text.strip() for _, text in scene.records["highlights"]]
    assert executed == [
        "f1_of_x = f1(input_range)",
        "df1dx = derivative(f1)(input_range)",
        "df2du = derivative(f2)(f1_of_x)",
        "return df1dx * df2du",
    ]
    assert [m.get_value() for m in scene.diagram.multipliers] == [
        float(d) for d in NestedFunction(scene.functions).local_derivatives(scene.x)
    ]
    assert scene.diagram.multipliers_visible == [True] * len(scene.functions)


def test_plotted_derivative_curves_are_lib_chain_derivative(plots_scene):
    scene = plots_scene
    worst = 0.0
    for plot, chain in zip(scene.plots, scene.chains, strict=True):
        nested = NestedFunction(chain)
        f_pts = ChainPlot.sampled_points(plot.axes, plot.f_graph)
        df_pts = np.vstack([ChainPlot.sampled_points(plot.axes, g) for g in plot.df_graph])
        np.testing.assert_allclose(f_pts[:, 1], nested(f_pts[:, 0]), rtol=0, atol=POINT_ATOL)
        np.testing.assert_allclose(
            df_pts[:, 1], nested.derivative(df_pts[:, 0]), rtol=0, atol=POINT_ATOL
        )
        np.testing.assert_allclose(df_pts[:, 0], np.linspace(-3, 3, len(df_pts)), atol=1e-12)
        worst = max(worst, np.abs(df_pts[:, 1] - nested.derivative(df_pts[:, 0])).max())
    assert worst < POINT_ATOL


def test_cursor_shows_lib_value_and_slope(plots_scene):
    scene = plots_scene
    assert len(scene.records["cursors"]) == len(scene.stops) * len(scene.chains)
    for i, x, slope in scene.records["cursors"]:
        assert slope == float(NestedFunction(scene.chains[i]).derivative(x))
    for cursor, chain in zip(scene.cursors, scene.chains, strict=True):
        nested = NestedFunction(chain)
        assert cursor.x == scene.stops[-1]
        assert cursor.f_value.get_value() == float(nested(cursor.x))
        assert cursor.slope_value.get_value() == float(nested.derivative(cursor.x))
        drawn = slope_in_axes(cursor.plot.axes, cursor.tangent)
        assert drawn == pytest.approx(cursor.slope, abs=SLOPE_ATOL)


def test_longer_chain_is_honest_at_the_kink(longer_scene):
    scene = longer_scene
    nested = NestedFunction(scene.chains[0])
    assert [s["x"] for s in scene.shown] == list(scene.inputs)
    for shown in scene.shown:
        x = shown["x"]
        assert shown["values"] == [float(v) for v in nested.stages(x)]
        assert shown["multipliers"] == [float(d) for d in nested.local_derivatives(x)]
        kinked = bool(nested.kinks_crossed(x, DELTA))
        assert shown["claimed"] == [not k for k in nested.kink_mask(x, DELTA).reshape(-1)]
        if kinked:
            assert shown["derivative"] is None
        else:
            assert shown["derivative"] == float(nested.derivative(x))
    assert any(not all(s["claimed"]) for s in scene.shown), "the kink at 0 is visited"
    for plot in scene.plots:
        df_xs = np.concatenate(
            [ChainPlot.sampled_points(plot.axes, g)[:, 0] for g in plot.df_graph]
        )
        assert np.abs(df_xs).min() > DELTA
        assert len(plot.df_graph) == 2


def test_variant_swapping_functions_draws_lib_numbers(tmp_path_factory):
    assert ep02.NudgeThroughCubeTanh.functions == (cube, tanh)
    scene = _scene(ep02.NudgeThroughCubeTanh, tmp_path_factory)
    assert_narrated(scene)
    nested = NestedFunction((cube, tanh))
    assert [v.get_value() for v in scene.diagram.values] == [
        float(v) for v in nested.stages(scene.x)
    ]
    assert [m.get_value() for m in scene.diagram.multipliers] == [
        float(d) for d in nested.local_derivatives(scene.x)
    ]
    assert scene.shown_derivative == float(nested.derivative(scene.x))
    assert scene.shown_central == pytest.approx(
        scene.shown_derivative, abs=central_atol(nested, scene.x)
    )
