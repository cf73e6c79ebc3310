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
from manim import MathTex, Text, VGroup

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
