"""Episode 1: the geometry on screen, read back from the scenes, equals lib's numbers."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from lib import book
from lib.calculus import deriv, estimate_error, exact_derivative, forward_difference
from lib.functions import cube, leaky_relu
from scenes import ep01_derivative as ep01
from tests.tolerances import SLOPE_ATOL


@pytest.fixture(scope="module")
def secant_scene(tmp_path_factory):
    from tests.scenes.conftest import dry_run

    return dry_run(ep01.SecantBecomesTangent, tmp_path_factory.mktemp("secant"))


def test_secant_slope_drawn_equals_central_difference_for_each_delta(secant_scene):
    scene = secant_scene
    drawn = scene.records["drawn_secant_slopes"]
    assert len(drawn) == len(scene.deltas)
    for (delta, slope), expected_delta in zip(drawn, scene.deltas, strict=True):
        np.testing.assert_allclose(delta, expected_delta, rtol=1e-12, atol=0)
        np.testing.assert_allclose(
            slope, deriv(scene.func, scene.a, delta), rtol=0, atol=SLOPE_ATOL
        )


def test_secant_actually_rotates(secant_scene):
    # x^3 at a=1: slope 3 + Δ², so the first secant is visibly steeper than the last.
    slopes = [s for _, s in secant_scene.records["drawn_secant_slopes"]]
    assert slopes[0] - slopes[-1] == pytest.approx(1.0 - 1e-6, abs=1e-9)
    assert all(a > b for a, b in zip(slopes, slopes[1:], strict=False))


def test_tangent_slope_at_start_middle_end_of_sweep(secant_scene):
    scene = secant_scene
    xs = [x for x, _ in scene.records["drawn_tangent_slopes"]]
    np.testing.assert_allclose(xs, np.linspace(*scene.x_range, scene.sweep_points), atol=1e-12)
    for x, slope in scene.records["drawn_tangent_slopes"]:
        np.testing.assert_allclose(slope, exact_derivative(cube, x), rtol=0, atol=SLOPE_ATOL)


def test_sweep_readout_shows_lib_slope_at_the_end(secant_scene):
    scene = secant_scene
    end = scene.x_range[1]
    # DecimalNumber keeps the full value; 3 decimals are displayed.
    assert scene.slope_value.get_value() == pytest.approx(
        float(exact_derivative(cube, end)), abs=1e-12
    )


class SecantOnLeakyRelu(ep01.SecantBecomesTangent):
    func = staticmethod(leaky_relu)
    a = 1.5  # farther than the largest Δ (1.0) from the kink at 0


def test_variant_on_sine_draws_lib_slopes(run_scene):
    scene = run_scene(ep01.SecantOnSine)
    for delta, slope in scene.records["drawn_secant_slopes"]:
        np.testing.assert_allclose(slope, deriv(np.sin, 1.0, delta), rtol=0, atol=SLOPE_ATOL)
    for x, slope in scene.records["drawn_tangent_slopes"]:
        np.testing.assert_allclose(slope, np.cos(x), rtol=0, atol=SLOPE_ATOL)


def test_kinked_variant_claims_no_slope_at_the_kink(run_scene):
    # The sweep passes x = 0, leaky_relu's kink: no tangent is drawn there.
    scene = run_scene(SecantOnLeakyRelu)
    xs = [x for x, _ in scene.records["drawn_tangent_slopes"]]
    assert 0.0 not in xs
    assert len(xs) == scene.sweep_points - 1
    for x, slope in scene.records["drawn_tangent_slopes"]:
        assert slope == pytest.approx(1.0 if x > 0 else 0.2, abs=SLOPE_ATOL)


def test_limit_table_shows_lib_estimates(run_scene):
    scene = run_scene(ep01.LimitShrinks)
    values = scene.records["table_values"]
    assert [v["delta"] for v in values[: len(scene.schedule)]] == list(scene.schedule)
    for v in values:
        assert v["shown"] == f"{float(deriv(cube, scene.a, v['delta'])):.9f}"
        assert v["error"] == float(estimate_error(cube, scene.a, v["delta"]))
    # The converging rows: cube's central error is exactly Δ², so each 10× step is 100× closer.
    errors = [v["error"] for v in values[: len(scene.schedule)]]
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    np.testing.assert_allclose(ratios, 100.0, rtol=1e-6)
    # The aside: round-off grows again, then a + Δ == a at Δ = 1e-17.
    tiny = values[len(scene.schedule) :]
    assert tiny[-1]["error"] > tiny[0]["error"]
    assert "1e-17" in scene.collapse_error
    # One notation per column: the first table in decimals, the round-off aside in powers of ten.
    assert [v["delta_shown"] for v in values[: len(scene.schedule)]] == [
        "1",
        "0.1",
        "0.01",
        "0.001",
    ]
    assert [v["delta_shown"] for v in tiny] == [f"10^{{{k}}}" for k in (-6, -9, -12, -15)]


def test_factory_ratio_equals_lib(run_scene):
    scene = run_scene(ep01.FactoryNudge)
    assert [eps for eps, _, _ in scene.records["shown_ratios"]] == list(scene.nudges)
    for eps, shown, from_wires in scene.records["shown_ratios"]:
        expected = float(forward_difference(cube, scene.a, eps))
        assert shown == pytest.approx(expected, abs=1e-12)
        # The ratio also follows from the numbers on the factory's wires.
        assert from_wires == pytest.approx(expected, rel=1e-9)
    assert scene.factory.fx == float(cube(scene.a))


def test_three_views_code_panel_is_live_source(run_scene):
    scene = run_scene(ep01.DerivativeInThreeViews)
    source = inspect.getsource(book.deriv)
    shown = scene.code_panel.lines
    assert shown[0] == source.splitlines()[0]
    assert all(line.strip() in source for line in shown)
    assert shown[-1].strip() == "return (f_plus - f_minus) / (2 * delta)"
    assert scene.code_panel.highlighted == len(shown) - 1
    assert scene.slope_shown == pytest.approx(float(deriv(cube, scene.a, scene.delta)), abs=1e-12)
    assert scene.deriv_shown == float(deriv(cube, scene.a))
