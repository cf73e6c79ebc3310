"""Tier 3: the layout audit of every beat of every scene, at 1920×1080.

At the end of every narration beat (:meth:`scenes.lecture.LectureScene.narrating`), every
text, math, number and code mobject on screen must lie inside the frame with a
margin, collide with no other text (parts of one label excepted), have capitals
and digits at least 22 px tall, and every code listing must keep a 36 px line
pitch with its highlight on its own line only. Scenes: the manifest, the variant
classes of the episode modules, and the examples.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from pathlib import Path

import numpy as np
import pytest
from manim import DOWN, UP, MathTex, Text, VGroup

from scenes import SERIES
from scenes.components.audit import (
    LayoutSnapshot,
    audit_layout,
    audit_snapshot,
    one_label,
    snapshot_layout,
)
from scenes.lecture import LectureScene

from .conftest import DRY_RUN, load_example

ROOT = Path(__file__).resolve().parents[2]


def _manifest_classes() -> list[type]:
    return [getattr(importlib.import_module(r.module), r.class_name) for r in SERIES.scenes()]


def _variant_classes(known: set[type]) -> list[type]:
    """Scene classes of the episode modules that the manifest does not list (variants)."""
    modules = sorted({r.module for r in SERIES.scenes()})
    found = []
    for name in modules:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, LectureScene)
                and cls.__module__ == name
                and cls not in known
                and cls.narration
                and "construct" in {k for c in cls.__mro__[:-1] for k in vars(c)}
            ):
                found.append(cls)
    return found


def _example_classes() -> list[type]:
    found = []
    for path in sorted((ROOT / "examples").glob("*.py")):
        module = load_example(path)
        found += [
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, LectureScene) and cls.__module__ == module.__name__
        ]
    return found


MANIFEST = _manifest_classes()
SCENES = MANIFEST + _variant_classes(set(MANIFEST)) + _example_classes()


def test_dry_run_frame_is_1080p_shaped():
    """The audit's pixel rules assume the 16:9 frame, 8 units tall (135 px per unit)."""
    assert DRY_RUN["pixel_width"] * 9 == DRY_RUN["pixel_height"] * 16


@pytest.mark.parametrize("scene_class", SCENES, ids=[c.__name__ for c in SCENES])
def test_every_beat_passes_the_layout_audit(scene_class, run_scene):
    scene = run_scene(scene_class)
    snapshots = scene.layout_snapshots
    assert [s.beat for s in snapshots] == list(scene.spoken), "one snapshot per beat's end"
    assert sum(len(s.texts) for s in snapshots) > 0, "the audit saw no text at all"
    violations = audit_layout(snapshots)
    report = "\n".join(str(v) for v in violations)
    assert not violations, f"{scene_class.__name__}: {len(violations)} violation(s)\n{report}"


# ------------------------------------------------------------- the audit itself bites


def _snap(*mobjects) -> LayoutSnapshot:
    return snapshot_layout("beat", mobjects)


def test_audit_finds_overlap_and_names_both():
    a = MathTex("f(3) = 9", font_size=36)
    b = Text("nine", font_size=28).move_to(a)
    rules = [v.rule for v in audit_snapshot(_snap(a, b))]
    assert rules == ["overlap"]
    assert "f(3) = 9" in str(audit_snapshot(_snap(a, b))[0])
    assert "nine" in str(audit_snapshot(_snap(a, b))[0])


def test_one_label_allows_overlap_of_its_parts_only():
    a = MathTex("x", font_size=36)
    b = MathTex("2", font_size=36).move_to(a)
    assert [v.rule for v in audit_snapshot(_snap(one_label(VGroup(a, b))))] == []
    c = MathTex("y", font_size=36).move_to(a)
    assert len(audit_snapshot(_snap(one_label(VGroup(a, b)), c))) == 2


def test_audit_finds_small_text_at_the_threshold():
    # A MathTex at 24 pt has 23 px digits (passes); at 22 pt, 21 px (fails).
    assert audit_snapshot(_snap(MathTex("0", font_size=24))) == []
    small = audit_snapshot(_snap(MathTex("0", font_size=22)))
    assert [v.rule for v in small] == ["too small"]
    # Scaling counts: 48 pt scaled by 0.4 is 19.2 pt.
    assert [v.rule for v in audit_snapshot(_snap(MathTex("0", font_size=48).scale(0.4)))] == [
        "too small"
    ]


def test_audit_measures_text_capitals():
    t = Text("A1 x", font_size=24)
    cap = snapshot_layout("b", [t]).texts[0].cap_px
    np.testing.assert_allclose(cap, 33.0, atol=1.5)


def test_audit_finds_text_outside_the_frame():
    t = Text("edge", font_size=30).to_edge(LEFT_EDGE := np.array([-1.0, 0, 0]), buff=0.01)
    assert LEFT_EDGE[0] == -1
    assert [v.rule for v in audit_snapshot(_snap(t))] == ["outside the frame"]
    t.shift(np.array([0.2, 0, 0]))
    assert audit_snapshot(_snap(t)) == []


def test_invisible_text_is_not_audited():
    a = MathTex("a", font_size=36)
    b = MathTex("b", font_size=36).move_to(a).set_opacity(0)
    assert audit_snapshot(_snap(a, b)) == []


def _two_line_panel():
    from scenes.components import CodePanel

    def kernel(x):
        y = x * 2
        return y + 1

    return CodePanel(kernel, font_size=24)


def test_audit_measures_code_line_pitch():
    panel = _two_line_panel()
    (listing,) = snapshot_layout("b", [panel]).listings
    caps = [t.cap_px for t in snapshot_layout("b", [panel]).texts]
    # A line pitch is more than a capital's height and less than three.
    assert max(caps) < listing.pitch_px < 3 * min(caps)
    panel.scale(0.5)
    (half,) = snapshot_layout("b", [panel]).listings
    np.testing.assert_allclose(half.pitch_px, listing.pitch_px / 2, rtol=1e-9)
    rules = {v.rule for v in audit_snapshot(snapshot_layout("b", [panel]))}
    assert rules == {"code line pitch", "too small"}


def test_audit_finds_a_highlight_that_covers_another_line():
    panel = _two_line_panel().scale(1.6).move_to(np.zeros(3))
    line = panel.code.code_lines[1]
    panel.highlighted = 1
    panel.highlight.set_fill(opacity=0.3).set_stroke(opacity=1)
    # On its own line only: clean.
    panel.highlight.stretch_to_fit_height(line.height + 0.04).move_to(line)
    assert audit_snapshot(snapshot_layout("b", [panel])) == []
    # Three lines tall on the middle line: it covers the lines above and below.
    panel.highlight.stretch_to_fit_height(3 * line.height).move_to(line)
    found = audit_snapshot(snapshot_layout("b", [panel]))
    assert [v.rule for v in found] == ["highlight", "highlight"]
    assert "code line 1 'def kernel(x):'" in found[0].detail
    assert "code line 3 'return y + 1'" in found[1].detail


def _axes():
    from manim import Axes

    return Axes(x_range=[-2, 2, 1], y_range=[-2, 2, 1], x_length=4, y_length=4, tips=False)


def test_audit_finds_a_label_touching_an_axis():
    """The defect of DerivativeInThreeViews' a − Δ: a point label on the x axis."""
    axes = _axes()
    on_axis = MathTex(r"a-\Delta", font_size=28).move_to(axes.c2p(1, 0))
    found = audit_snapshot(_snap(axes, on_axis))
    assert {v.rule for v in found} == {"touches a line"}
    assert any(r"a-\\Delta" in v.detail and "Axes/NumberLine" in v.detail for v in found)
    # Under the axis, clear of it by more than the clearance: clean.
    on_axis.next_to(axes.c2p(1, 0), DOWN, buff=0.1)
    assert audit_snapshot(_snap(axes, on_axis)) == []


def test_clearance_is_measured_from_the_stroke_edge():
    """3 px (0.022 units) beyond the half width of the line: a 4-wide stroke is 0.02 half wide."""
    from manim import DOWN, LEFT, RIGHT, Line

    line = Line(LEFT * 2, RIGHT * 2, stroke_width=4)
    text = MathTex("x", font_size=36)
    text.next_to(line, DOWN, buff=0.02 + 0.022 + 0.005)
    assert audit_snapshot(_snap(line, text)) == []
    text.next_to(line, DOWN, buff=0.02 + 0.022 - 0.005)
    assert [v.rule for v in audit_snapshot(_snap(line, text))] == ["touches a line"]


def test_a_curve_through_a_label_is_found_and_one_label_may_touch():
    from manim import VMobject

    curve = VMobject().set_points_smoothly(
        [np.array([x, x**3 / 4, 0]) for x in np.linspace(-2, 2, 9)]
    )
    crossed = MathTex("-1", font_size=24).move_to(curve.point_from_proportion(0.3))
    assert [v.rule for v in audit_snapshot(_snap(curve, crossed))] == ["touches a line"]
    # A label's own parts (a fraction bar built beside its words) may touch.
    assert audit_snapshot(_snap(one_label(VGroup(curve, crossed)))) == []
    # An invisible line is not drawn.
    curve.set_stroke(opacity=0)
    assert audit_snapshot(_snap(curve, crossed)) == []


def test_touches_lines_is_the_audit_rule():
    from scenes.components.audit import touches_lines

    axes = _axes()
    label = MathTex("a", font_size=28).move_to(axes.c2p(1, 0))
    assert touches_lines(label, [axes])
    label.next_to(axes.c2p(1, 0), UP, buff=0.3)
    assert not touches_lines(label, [axes])
    # Text in the way counts too, by its glyphs.
    assert touches_lines(label, [MathTex("b", font_size=28).move_to(label)])


def test_a_mathtex_part_on_its_own_is_audited():
    """Parts faded in one by one (FadeIn(rest) of a MathTex's parts) are text, measured by their digits."""
    tex = MathTex("F'(0.8)", "=", "0.362", font_size=36)
    texts = snapshot_layout("b", [VGroup(*tex.submobjects)]).texts
    assert [t.name for t in texts] == [
        'MathTexPart("F\'(0.8)")',
        "MathTexPart('=')",
        "MathTexPart('0.362')",
    ]
    np.testing.assert_allclose(texts[2].cap_px, 36 * 23.1 / 24, rtol=0.08)
    assert texts[1].cap_px == float("inf")  # no digit: not measured
    small = VGroup(*MathTex("0.362", font_size=20).submobjects)
    assert [v.rule for v in audit_snapshot(_snap(small))] == ["too small"]


def test_audit_finds_a_line_leaving_the_frame():
    from manim import LEFT, RIGHT, Line

    inside = Line(LEFT * 7.0, RIGHT * 7.0)
    assert audit_snapshot(_snap(inside)) == []
    outside = Line(LEFT * 7.0, RIGHT * 7.3)
    found = audit_snapshot(_snap(outside))
    assert [v.rule for v in found] == ["line outside the frame"]
    assert "7.30" in found[0].detail
