"""Every on-screen listing is executed, on its scene's inputs, and agrees with the screen.

For each manifest scene with a code panel, the exact text on screen
(``CodePanel.source``) is ``exec``-ed in a fresh namespace (numpy and the public
``derivative`` helper the chain listings call), run on the scene's own inputs, and
its result (and, traced at its ``return``, its local variables) compared with the
numbers the dry-run scene shows. The panels' line pitch and highlight geometry
are checked at the scene's end: pitch ≥ 36 px at 1080p, the highlight on its own
line only.
"""

from __future__ import annotations

import importlib
import inspect
import sys

import numpy as np
import pytest
from manim import SingleStringMathTex
from numpy.testing import assert_array_equal

from lib import book
from lib.functions import sigmoid
from lib.graph import matrix_function_backward_sum_1
from scenes import SERIES
from scenes.components.code_panel import MIN_LINE_PITCH, CodePanel
from scenes.components.numbers import number_tex

from .conftest import dry_run

REFS = list(SERIES.scenes())


def load(ref):
    return getattr(importlib.import_module(ref.module), ref.class_name)


def shows_code(cls) -> bool:
    """Whether a scene class (or a project base of it) builds a code panel."""
    return any(
        k.__module__.startswith("scenes.") and "CodePanel(" in inspect.getsource(k)
        for k in cls.__mro__
        if k.__module__.startswith("scenes.")
    )


WITH_CODE = [ref for ref in REFS if shows_code(load(ref))]


def panels(scene) -> list[CodePanel]:
    return [v for v in vars(scene).values() if isinstance(v, CodePanel)]


def run_listing(panel: CodePanel, *args):
    """Exec the panel's exact text; call the function it defines; return (result, locals)."""
    namespace = {"np": np, "derivative": book.derivative}
    exec(compile(panel.source, f"<{panel.func.__name__} on screen>", "exec"), namespace)  # noqa: S102
    func = namespace[panel.func.__name__]
    seen = {}

    def trace(frame, event, arg):
        if frame.f_code is func.__code__ and event == "return":
            seen.update(frame.f_locals)
        return trace

    sys.setprofile(trace)
    try:
        result = func(*args)
    finally:
        sys.setprofile(None)
    return result, seen


def tex(mob) -> str:
    """The LaTeX of every MathTex in ``mob``, joined."""
    return " ".join(m.tex_string for m in mob.get_family() if isinstance(m, SingleStringMathTex))


# ------------------------------------------------------------- one check per scene


def check_three_views_of_a_function(scene):
    (panel,) = panels(scene)
    value, _ = run_listing(panel, np.float64(scene.x))
    assert float(value) == scene.shown_value
    assert f"= {number_tex(value, scene.decimals)}" in tex(scene.evaluated)
    # The same decimals for x and f(x) on the factory's wires as in the math view.
    assert scene.factory.input_value.num_decimal_places == scene.decimals


def check_derivative_in_three_views(scene):
    (panel,) = panels(scene)
    slope, seen = run_listing(panel, scene.func, scene.a, scene.delta)
    assert float(slope) == scene.slope_shown
    assert seen["f_plus"] == float(scene.func(scene.a + scene.delta))
    estimate, _ = run_listing(panel, scene.func, scene.a)  # the listing's default Δ
    assert float(estimate) == scene.deriv_shown
    shown = tex(scene.result)
    assert number_tex(slope, scene.decimals) in shown
    assert number_tex(estimate, scene.decimals) in shown


def check_chain_rule_in_three_views(scene):
    (panel,) = panels(scene)
    result, seen = run_listing(panel, list(scene.functions), np.float64(scene.x))
    assert float(result) == scene.numbers.derivative
    factors = [seen["df1dx"], seen["df2du"], *([seen["df3du"]] if "df3du" in seen else [])]
    assert [float(f) for f in factors] == scene.numbers.values
    assert [m.get_value() for m in scene.diagram.multipliers] == scene.numbers.values
    shown = tex(scene.numbers)
    for f in (*factors, result):
        assert number_tex(f, 3) in shown


def check_checking_the_gradient(scene):
    (panel,) = panels(scene)
    dLdS = np.ones((scene.X.shape[0], scene.W.shape[1]))
    (dLdX, dLdW), seen = run_listing(panel, scene.X, scene.W, sigmoid, dLdS)
    assert_array_equal(dLdX, scene.backward.dL_dX)
    assert_array_equal(dLdW, scene.backward.dL_dW)
    assert_array_equal(seen["dLdN"], scene.backward.dL_dN)
    i, j = scene.index
    assert dLdX[i, j] == scene.analytic
    assert [e.get_value() for e in scene.grad_mob.entries] == list(np.ravel(dLdX))
    assert scene.grad_mob.shown() == [number_tex(v, scene.decimals) for v in np.ravel(dLdX)]
    assert f"= {number_tex(dLdX[i, j], scene.check_decimals)}" in tex(scene.comparison)


def check_recap00(scene):
    (panel,) = panels(scene)
    s = scene.views_scene
    value, _ = run_listing(panel, np.float64(s.x))
    assert float(value) == scene.shown_value
    assert number_tex(value) in tex(scene.math)


def check_recap01(scene):
    (panel,) = panels(scene)
    s = scene.views_scene
    slope, _ = run_listing(panel, s.func, np.float64(s.a))
    assert float(slope) == scene.slope
    assert number_tex(slope, 3) in tex(scene.math)


def check_recap02(scene):
    (panel,) = panels(scene)
    s = scene.views_scene
    result, _ = run_listing(panel, list(s.functions), np.float64(s.x))
    assert float(result) == scene.derivative
    assert number_tex(result, 3) in tex(scene.math)


def check_recap03(scene):
    # The recap shows the formulas, not numbers: its listing must still be lib's backward pass.
    (panel,) = panels(scene)
    rng = np.random.default_rng(3)
    X, W = rng.normal(size=(2, 3)), rng.normal(size=(3, 2))
    (dLdX, dLdW), _ = run_listing(panel, X, W, sigmoid, np.ones((2, 2)))
    backward = matrix_function_backward_sum_1(X, W)
    assert_array_equal(dLdX, backward.dL_dX)
    assert_array_equal(dLdW, backward.dL_dW)


CHECKS = {
    "Recap00": check_recap00,
    "Recap01": check_recap01,
    "Recap02": check_recap02,
    "Recap03": check_recap03,
    "ThreeViewsOfAFunction": check_three_views_of_a_function,
    "DerivativeInThreeViews": check_derivative_in_three_views,
    "ChainRuleInThreeViews": check_chain_rule_in_three_views,
    "CheckingTheGradient": check_checking_the_gradient,
}


def test_every_scene_with_a_code_panel_has_a_listing_check():
    assert sorted(r.class_name for r in WITH_CODE) == sorted(CHECKS)


@pytest.mark.parametrize("ref", WITH_CODE, ids=[r.class_name for r in WITH_CODE])
def test_listing_on_screen_computes_the_numbers_on_screen(ref, tmp_path):
    scene = dry_run(load(ref), tmp_path)
    for panel in panels(scene):
        # A teaching listing: the book's kernel, short, no annotations, no private helpers.
        assert panel.func is type(scene).listing()
        assert panel.func.__module__ == "lib.book"
        assert len(panel.lines) <= 12
        assert "->" not in panel.source
        assert ": " not in panel.lines[0]  # no annotated parameter
        words = panel.source.replace("(", " ").replace(".", " ").split()
        assert not [w for w in words if w.startswith("_")]  # no private helper
    CHECKS[ref.class_name](scene)


@pytest.mark.parametrize("ref", WITH_CODE, ids=[r.class_name for r in WITH_CODE])
def test_listing_is_legible_and_highlight_covers_its_own_line(ref, tmp_path):
    scene = dry_run(load(ref), tmp_path)
    for panel in panels(scene):
        assert panel.line_pitch >= MIN_LINE_PITCH, (
            f"{ref.class_name}: {panel.func.__name__} at {panel.line_pitch * 135:.1f} px"
        )
        assert panel.highlighted is not None
        assert_highlight_on_line(panel, panel.highlighted, panel.highlight)


def assert_highlight_on_line(panel: CodePanel, index: int, box) -> None:
    """``box`` holds every glyph of line ``index`` and touches no glyph of another line."""
    bottom, top = box.get_bottom()[1], box.get_top()[1]
    for i, line in enumerate(panel.code.code_lines):
        for glyph in line:
            g_bottom, g_top = glyph.get_bottom()[1], glyph.get_top()[1]
            if i == index:
                assert bottom <= g_bottom, f"line {i} sticks out of its box"
                assert g_top <= top, f"line {i} sticks out of its box"
            else:
                assert g_top <= bottom or g_bottom >= top, (
                    f"the box of line {index} covers a glyph of line {i} ({panel.lines[i]!r})"
                )


@pytest.mark.parametrize(
    "kernel",
    [
        book.square,
        book.leaky_relu,
        book.deriv,
        book.chain_deriv_2,
        book.chain_deriv_3,
        book.matrix_function_backward_sum_1,
    ],
    ids=lambda k: k.__name__,
)
@pytest.mark.parametrize("width", [4.0, 9.0])
def test_every_line_highlight_stays_on_its_line(kernel, width):
    panel = CodePanel(kernel).fit(width)
    assert panel.code.width == pytest.approx(width)
    for i in range(len(panel.lines)):
        if panel.lines[i].strip():
            assert_highlight_on_line(panel, i, panel._box(i))
