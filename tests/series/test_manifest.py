"""Tier 5: the manifest model, qualities and error lines (no rendering)."""

from __future__ import annotations

import pytest

from series import ManifestError, Quality, QualityError, Series, TargetError, episode
from series.build import first_error_line


def small_series() -> Series:
    return Series(
        "T",
        "t",
        (
            episode("01", "One", "ep01", [("m.a", "Alpha", "a"), ("m.a", "Beta", "b")]),
            episode("02", "Two", "ep02", [("m.b", "Gamma", "c")]),
        ),
    )


def test_resolve_episode_scene_id_and_class_name():
    s = small_series()
    assert [r.id for r in s.resolve([])] == ["01.1", "01.2", "02.1"]
    assert [r.class_name for r in s.resolve(["1"])] == ["Alpha", "Beta"]
    assert [r.class_name for r in s.resolve(["02.1", "alpha"])] == ["Alpha", "Gamma"]
    assert s.find_scene("beta").id == "01.2"


def test_unknown_target_lists_what_exists():
    with pytest.raises(TargetError, match=r"unknown target 'Zeta'(?s:.*)01\.2 +Beta"):
        small_series().resolve(["Zeta"])
    with pytest.raises(TargetError, match="is an episode"):
        small_series().find_scene("01")


def test_manifest_rejects_duplicates_and_bad_names():
    with pytest.raises(ManifestError, match="'Alpha' appears twice"):
        Series(
            "T",
            "t",
            (
                episode("01", "One", "a", [("m", "Alpha", "")]),
                episode("02", "Two", "b", [("m", "Alpha", "")]),
            ),
        )
    with pytest.raises(ManifestError, match="two digits"):
        episode("1", "x", "x", [("m", "A", "")])
    with pytest.raises(ManifestError, match="bad class name"):
        episode("01", "x", "x", [("m", "1A", "")])
    with pytest.raises(ManifestError, match="no scenes"):
        episode("01", "x", "x", [])


def test_quality_letters_match_manim():
    assert Quality.parse("l") == Quality("l", 854, 480, 15)
    assert Quality.parse("h").name == "1080p60"
    assert Quality.parse("h", 30).name == "1080p30"
    with pytest.raises(QualityError, match="unknown quality 'x'.*l = 854x480@15"):
        Quality.parse("x")
    with pytest.raises(QualityError, match="frame rate 0"):
        Quality.parse("l", 0)


def test_first_error_line_prefers_latex_then_exception():
    tex = "Traceback\n...\nValueError: latex failed\nLaTeX compilation error: undefined control sequence\n! Undefined control sequence."
    assert first_error_line(tex).startswith("LaTeX compilation error")
    assert first_error_line(
        "Traceback\n  File 'x'\nlib.calculus.StepError: delta=0 must be > 0"
    ) == ("lib.calculus.StepError: delta=0 must be > 0")
    assert first_error_line("") == "worker failed with no output"
