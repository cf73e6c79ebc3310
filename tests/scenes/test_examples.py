"""The teacher's variants in examples/ and issue 11's scene rows, each with the right value.

Every example class is constructed under a dry run by the default test run (and
rendered to an MP4 by a slow test); the rows of issue 11's first table are asserted
on the scenes or components they concern.
"""

from __future__ import annotations

import inspect
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lib.adapt import LabelError, RangeError
from lib.calculus import deriv
from lib.chain import NestedFunction
from lib.functions import reciprocal, square
from scenes.components.chain_plot import ChainPlot, ChainPlotCursor
from scenes.components.nested import compose_tex
from scenes.components.plotting import function_label
from scenes.ep00_what_is_a_network import UniversalApproximator, number_words
from scenes.ep01_derivative import SecantBecomesTangent
from scenes.lecture import LectureScene
from tests.scenes.conftest import assert_narrated, dry_run, load_example
from tests.tolerances import SLOPE_ATOL

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def example_classes() -> list[tuple[str, type]]:
    """(file:Class, class) of every scene class defined in examples/."""
    found = []
    for path in EXAMPLES:
        module = load_example(path)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, LectureScene)
                and obj.__module__ == module.__name__
            ):
                found.append((f"{path.name}:{name}", obj))
    return found


CLASSES = example_classes()


def _played(cls, tmp_path_factory):
    return dry_run(cls, tmp_path_factory.mktemp(cls.__name__))


@pytest.mark.parametrize(("target", "cls"), CLASSES, ids=[t for t, _ in CLASSES])
def test_example_constructs_and_narrates(target, cls, tmp_path_factory):
    scene = _played(cls, tmp_path_factory)
    assert_narrated(scene)


def test_every_example_file_has_a_scene():
    files = {t.split(":")[0] for t, _ in CLASSES}
    assert files == {p.name for p in EXAMPLES}
    assert len(CLASSES) >= 8


def _by_name(name):
    return next(cls for t, cls in CLASSES if t.endswith(f":{name}"))


# ------------------------------------------------------------- issue 11, first table


def test_variant_title_follows_the_function():
    class V(SecantBecomesTangent):
        func = staticmethod(np.sin)

    assert function_label(V) == r"\sin(x)"  # not the parent's x^3

    class W(V):
        func_tex = r"\sin x"

    assert function_label(W) == r"\sin x"

    class Unknown(SecantBecomesTangent):
        func = staticmethod(lambda x: x / 2)

    with pytest.raises(LabelError, match="func_tex"):
        function_label(Unknown)


def test_tan_variant_has_gaps_and_no_secant_across_a_pole(tmp_path_factory):
    scene = _played(_by_name("SecantOnTan"), tmp_path_factory)
    curve = scene.plot.curve
    np.testing.assert_allclose(curve.breaks, [-np.pi / 2, np.pi / 2], atol=1e-12)
    assert len(scene.graph) == 3
    assert curve.y_range[1] < 10  # not the +-141 of the samples beside the poles
    # Every secant's points fit inside the plot, and none straddles a pole.
    for delta in scene.deltas:
        assert np.all(np.abs(scene.a - np.pi / 2 * np.array([-1, 1])) > delta)
    for delta, slope in scene.records["drawn_secant_slopes"]:
        assert slope == pytest.approx(float(deriv(np.tan, scene.a, delta)), abs=SLOPE_ATOL)
    # The sweep's tangents: lib's slope 1/cos^2, none at a pole.
    for x, slope in scene.records["drawn_tangent_slopes"]:
        assert slope == pytest.approx(1 / np.cos(x) ** 2, rel=1e-9)


def test_log_variant_draws_the_finite_part(tmp_path_factory):
    scene = _played(_by_name("SecantOnLog"), tmp_path_factory)
    assert scene.func_label == r"\log(x)"
    xs, _ = scene.plot.curve.runs[0]
    assert xs[0] < 0.1  # reaches towards 0 (clipped at the plot's bottom)
    assert xs[-1] == 4.0
    assert scene.deltas[0] == 1.0  # a = 2: a ± 1 is inside (0, 4) and on the plot
    tangents = scene.records.get("drawn_tangent_slopes", [])
    assert all(slope == pytest.approx(1 / x, rel=1e-9) for x, slope in tangents)


def test_math_sin_variant_is_vectorised(tmp_path_factory):
    scene = _played(_by_name("SecantOnMathSin"), tmp_path_factory)
    assert scene.func_label == r"\sin(x)"
    for delta, slope in scene.records["drawn_secant_slopes"]:
        assert slope == pytest.approx(float(deriv(np.sin, 1.0, delta)), abs=SLOPE_ATOL)


def test_fast_sine_drawn_within_a_pixel(tmp_path_factory):
    scene = _played(_by_name("SecantOnFastSine"), tmp_path_factory)
    curve = scene.plot.curve
    height_px = scene.plot.axes.y_length * 135
    py = height_px / (curve.y_range[1] - curve.y_range[0])
    for xs, ys in curve.runs:
        dense = np.linspace(xs[0], xs[-1], 20001)
        drawn = np.interp(dense, xs, ys)
        assert np.max(np.abs(drawn - np.sin(3 * dense))) * py < 1.0


def test_x_range_needs_lo_below_hi_and_a_inside(tmp_path_factory):
    class Empty(SecantBecomesTangent):
        x_range = (1.0, 1.0)

    class Outside(SecantBecomesTangent):
        a = 3.0

    with pytest.raises(RangeError, match=r"x_range needs finite lo < hi"):
        _played(Empty, tmp_path_factory)
    with pytest.raises(RangeError, match=r"a=3.0 is outside x_range=\(-2, 2\)"):
        _played(Outside, tmp_path_factory)


def test_schedule_starts_where_both_points_fit(tmp_path_factory):
    scene = _played(_by_name("SecantNearTheEdge"), tmp_path_factory)
    assert scene.deltas[0] == 0.5
    assert scene.deltas[-1] == scene.schedule[-1]
    assert len(scene.deltas) == len(scene.schedule)
    lo, hi = scene.x_range
    for delta, _ in scene.records["drawn_secant_slopes"]:
        assert lo <= scene.a - delta
        assert scene.a + delta <= hi


def test_chain_with_a_pole_has_a_gap_at_zero():
    plot = ChainPlot((square, reciprocal), x_range=(-3.0, 3.0))
    np.testing.assert_allclose(plot.f_curve.breaks, [0.0], atol=1e-12)
    assert len(plot.f_graph) == 2
    assert len(plot.df_graph) == 2
    nested = NestedFunction((square, reciprocal))
    points = ChainPlot.sampled_points(plot.axes, plot.df_graph)
    inside = (points[:, 1] > plot.axes.y_range[0]) & (points[:, 1] < plot.axes.y_range[1])
    np.testing.assert_allclose(
        points[inside, 1], nested.derivative(points[inside, 0]), rtol=1e-9, atol=1e-9
    )
    assert plot.axes.y_range[1] < 100
    cursor = ChainPlotCursor(plot, 0.0)  # at the pole: nothing drawn, no slope claimed
    assert cursor.slope is None
    assert cursor.f_dot.get_fill_opacity() == 0


def test_chain_with_a_pole_scene(tmp_path_factory):
    scene = _played(_by_name("ChainRulePlotsWithPole"), tmp_path_factory)
    assert compose_tex(scene.chains[0]) == r"\frac{1}{x^2}"
    for _, x, slope in scene.records["cursors"]:
        assert slope == pytest.approx(-2 / x**3, rel=1e-12)


def test_labelled_function_in_the_boxes(tmp_path_factory):
    scene = _played(_by_name("NudgeThroughHalveSine"), tmp_path_factory)
    names = [f.name.tex_string for f in scene.diagram.factories]
    assert names == [r"\tfrac{x}{2}", r"\sin(x)"]


def test_universal_approximator_narration_follows_the_knobs(tmp_path_factory):
    scene = _played(_by_name("ApproximateCosine"), tmp_path_factory)
    assert "cosine of x, sampled at forty points" in scene.narration["target"]
    assert "six hidden neurons" in scene.narration["initial"]
    assert "sine" not in scene.narration["target"].replace("cosine", "")
    assert scene.demo.net.sizes == (1, 6, 1)
    assert scene.demo.x.shape == (40,)
    assert scene.target_tex == r"\cos(x)"


def test_default_approximator_narration_is_unchanged():
    # The knobs' values fill the template's slots in setup() (in words in English).
    assert UniversalApproximator.narration["target"].endswith("{points} points.")
    assert UniversalApproximator.n_points == 64
    assert number_words(64) == "sixty-four"
    assert number_words(2000) == "two thousand"
    assert number_words(8) == "eight"
    assert number_words(101) == "one hundred and one"


def test_kinked_chain_plot_still_claims_no_slope_at_the_kink():
    from lib.functions import leaky_relu, sigmoid

    plot = ChainPlot((leaky_relu, square, sigmoid))
    assert np.abs(plot.df_xs).min() > 1e-3
    assert len(plot.df_graph) == 2


def test_python_if_function_plots_and_differentiates():
    def ramp(x):
        return x * x if x > 0 else 0.0

    assert float(deriv(ramp, 1.0)) == pytest.approx(2.0, abs=1e-6)
    plot = ChainPlot((ramp, math.sin), x_range=(-1.0, 1.0))
    assert len(plot.f_graph) == 1


@pytest.mark.slow
@pytest.mark.parametrize(("target", "cls"), CLASSES, ids=[t for t, _ in CLASSES])
def test_example_renders_to_mp4(target, cls, tmp_path):
    path, name = target.split(":")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "manim",
            "render",
            "-ql",
            "--media_dir",
            str(tmp_path),
            str(ROOT / "examples" / path),
            name,
        ],
        check=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    videos = list(tmp_path.rglob(f"{name}.mp4"))
    assert len(videos) == 1
    import av

    with av.open(str(videos[0])) as container:
        stream = container.streams.video[0]
        assert stream.height == 480
        assert float(container.duration) / 1e6 > 5.0
