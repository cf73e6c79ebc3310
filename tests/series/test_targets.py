"""Tier 5: scenes outside the manifest (variants, FILE.py:Class) and an episode's storyboards."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest
from PIL import Image

import render
from series import Quality, TargetError
from series import preview as pv
from series import targets as tg
from series.build import build
from series.cache import content_key, source_files
from series.distributed import DaskExecutor
from series.settings import RenderSettings
from series.tree import BuildTree
from series.worker import RenderRequest, _scene_class
from tests.series.tiny import write_series

SCENES = """\
from manim import *


class Base(Scene):
    def setup(self):
        self.side = 1.0


class Box(Base):
    def construct(self):
        self.add_subcaption("a box", duration=0.4)
        self.play(FadeIn(Square(self.side, color=BLUE, fill_opacity=1)), run_time=0.4)


class RedBox(Box):
    \"\"\"The box, red: a variant outside the manifest.\"\"\"

    def construct(self):
        self.play(FadeIn(Square(2.0, color=RED, fill_opacity=1)), run_time=0.4)


class Helper:
    def construct(self):
        pass
"""

EXAMPLE = """\
from manim import Scene as ManimScene, Circle, FadeIn, RED
from tiny.scenes import Box
from tiny import scenes


class CircleBox(Box):
    def construct(self):
        self.play(FadeIn(Circle(color=RED, fill_opacity=1)), run_time=0.4)


class Plain(ManimScene):
    def construct(self):
        self.wait(0.2)


class Dotted(scenes.Box):
    pass


class Table:
    pass
"""

OUTSIDE = """\
from manim import Circle, FadeIn, GREEN
from tiny.scenes import Box
from side import RADIUS


class Teacher(Box):
    def construct(self):
        self.add_subcaption("mine", duration=0.4)
        self.play(FadeIn(Circle(RADIUS, color=GREEN, fill_opacity=1)), run_time=0.4)
"""

PATTERNS = ("tiny/*.py", "examples/*.py")


@pytest.fixture
def project(tmp_path):
    """A tiny project (one manifest scene, variants) and a teacher's folder outside it."""
    root = tmp_path / "project"
    root.mkdir()
    series = write_series(root, "tiny.scenes", SCENES, ["Box"])
    (root / "examples").mkdir()
    (root / "examples" / "more.py").write_text(EXAMPLE)
    teacher = tmp_path / "teacher"
    teacher.mkdir()
    (teacher / "my_file.py").write_text(OUTSIDE)
    (teacher / "side.py").write_text("RADIUS = 1.5\n")
    (teacher / "notes.py").write_text("X = 1\n")
    return root, series, teacher


def one(project, target, cwd=None):
    root, series, _ = project
    return tg.resolve_one(series, target, root, PATTERNS, cwd or root)


def test_variants_are_found_by_reading_the_source(project):
    root, series, _ = project
    found = tg.variants(series, root, PATTERNS)
    # Base only sets up (no construct on its way), Helper and Table reach no Scene,
    # Box is in the manifest; an alias and a module attribute are followed.
    assert [r.id for r in found] == [
        "tiny.scenes.RedBox",
        "examples.more.CircleBox",
        "examples.more.Plain",
        "examples.more.Dotted",
    ]
    assert not any(r.in_manifest for r in found)
    assert found[0].title == "The box, red: a variant outside the manifest."
    listing = tg.describe_variants(found, root)
    assert "RedBox" in listing
    assert "(tiny/scenes.py)" in listing


def test_bare_names_manifest_first_then_variants(project):
    assert [r.id for r in one(project, "box")] == ["01.1"]
    assert one(project, "redbox")[0].id == "tiny.scenes.RedBox"
    with pytest.raises(TargetError, match=r"unknown target 'RedBx'; closest: RedBox"):
        one(project, "RedBx")
    root = project[0]
    (root / "examples" / "again.py").write_text(SCENES)
    with pytest.raises(
        TargetError,
        match=r"ambiguous target 'RedBox': name one of tiny/scenes.py:RedBox, examples/again.py:RedBox",
    ):
        one(project, "RedBox")


def test_file_targets(project):
    root, series, teacher = project
    assert one(project, "examples/more.py:Plain")[0].module == "examples.more"
    assert one(project, "tiny/scenes.py:Box")[0].id == "01.1", "the manifest's own scene"
    outside = one(project, "my_file.py:Teacher", cwd=teacher)[0]
    assert (outside.id, outside.module, outside.path) == (
        "my_file.Teacher",
        "my_file",
        str(teacher / "my_file.py"),
    )
    for target, message in [
        ("nope.py:Box", "nope.py: no such file"),
        (
            "examples/more.py:CircleBx",
            "examples/more.py defines no class 'CircleBx'; closest: CircleBox",
        ),
        ("examples/more.py:Table", "examples/more.py:Table is not a manim Scene subclass"),
        ("examples/more.py", "examples/more.py: name a class, e.g. examples/more.py:CircleBox"),
    ]:
        with pytest.raises(TargetError) as err:
            one(project, target)
        assert str(err.value) == message
        assert "\n" not in message


def test_resolve_keeps_series_order_then_the_others(project):
    root, series, teacher = project
    refs = tg.resolve(series, ["RedBox", "01", "redbox", "Plain"], root, PATTERNS, root)
    assert [r.id for r in refs] == ["01.1", "tiny.scenes.RedBox", "examples.more.Plain"]
    assert tg.episode_named(series, "1").id == "01"
    assert tg.episode_named(series, "RedBox") is None
    with pytest.raises(TargetError, match=r"'01' is an episode; name one of its scenes \(Box\)"):
        tg.find_scene(series, "01", root, PATTERNS, root)


def test_keys_and_sources_of_scenes_outside_the_manifest(project):
    root, series, teacher = project
    q = RenderSettings.at(Quality.parse("l", 5))
    variant = one(project, "RedBox")[0]
    outside = one(project, "my_file.py:Teacher", cwd=teacher)[0]
    names = {p.name for p in source_files(root, outside.module, teacher / "my_file.py")}
    assert names == {"my_file.py", "side.py", "__init__.py", "scenes.py"}
    keys = {r.id: content_key(r, q, root) for r in (variant, outside)}
    (teacher / "notes.py").write_text("X = 2\n")
    assert content_key(outside, q, root) == keys[outside.id], "a file it does not import"
    (teacher / "side.py").write_text("RADIUS = 1.0\n")
    assert content_key(outside, q, root) != keys[outside.id], "its own sibling module"
    scenes = root / "tiny" / "scenes.py"
    scenes.write_text(scenes.read_text().replace("Helper:", "Helper2:"))
    assert content_key(variant, q, root) == keys[variant.id], "another class of its module"
    assert BuildTree(root / "build", q).clip(variant) == (
        root / "build" / "480p5" / "variants" / "tiny.scenes.RedBox.mp4"
    )


def test_build_renders_variants_apart_and_caches_them(project):
    """A manifest scene, a variant and a teacher's file: three clips, one episode of one."""
    root, series, teacher = project
    out = root / "build"
    tree = BuildTree.at(out, Quality.parse("l", 5))
    refs = tg.resolve(series, ["Box", "RedBox", "my_file.py:Teacher"], root, PATTERNS, teacher)
    results, episodes = build(series, refs, tree, root, jobs=2)
    assert [r.status for r in results] == ["rendered"] * 3, [r.error for r in results]
    assert [r.movie.parent.name for r in results] == ["scenes", "variants", "variants"]
    assert len(episodes) == 1
    assert len(list((out / "480p5" / "episodes").glob("*.mp4"))) == 1
    again, _ = build(series, refs, tree, root, jobs=2)
    assert [r.status for r in again] == ["cached"] * 3
    # A preview of a moment comes from the cached variant clip.
    frame = pv.frame_at(refs[2], tree, root, 0.35)
    with Image.open(frame) as img:
        rgb = np.asarray(img.convert("RGB")).astype(int)
    greenish = (rgb[..., 1] > rgb[..., 0] + 30) & (rgb[..., 1] > rgb[..., 2] + 30)
    assert np.mean(greenish) > 0.03, "the green circle, radius 1.5 of the frame's 8 units"


def test_episode_storyboards_one_sheet_per_scene(project, monkeypatch, capsys):
    root, series, _ = project
    monkeypatch.setattr(render, "ROOT", root)
    monkeypatch.setattr(render, "_series", lambda: series)
    out = root / "build"
    status = render.main(
        ["preview", "--storyboard", "01", "-q", "l", "--fps", "5", "--out", str(out)]
    )
    assert status == 0, capsys.readouterr().err
    printed = capsys.readouterr().out.split()
    sheet = out / "480p5" / "previews" / "storyboards" / "01_tiny_ep" / "01.1_Box.png"
    assert printed == [str(sheet)]
    with Image.open(sheet) as img:
        # One play, at most 960 px wide and never upscaled: one 854x480 tile
        # under a 36 px label, under a heading line, 12 px padding.
        assert img.size == (2 * (854 + 12) + 12, (36 + 12) + 480 + 36 + 12 + 12)
        tile = np.asarray(img.convert("RGB"))[48 + 12 + 36 :][:480, 12 : 12 + 854].astype(int)
    blue = (tile[..., 2] > 150) & (tile[..., 0] < 100)
    # The box: 1 x 1 units of the 14.2 x 8 frame, at its centre (the tile is in place).
    assert np.mean(blue) == pytest.approx(1 / (8 * 854 / 480 * 8), rel=0.2)
    rows, cols = np.nonzero(blue)
    assert abs(rows.mean() - 239.5) < 2
    assert abs(cols.mean() - 426.5) < 2


def test_a_file_outside_the_project_is_not_sent_to_dask(tmp_path):
    executor = DaskExecutor.__new__(DaskExecutor)  # no cluster: refused before submitting
    request = RenderRequest("my_file", "Teacher", 854, 480, 5, str(tmp_path), path="/t/my_file.py")
    with pytest.raises(RuntimeError, match="/t/my_file.py lies outside the project"):
        executor(request, tmp_path)


def test_a_file_named_like_a_loaded_module_does_not_replace_it(tmp_path, monkeypatch):
    """A teacher's ``json.py`` is imported from its path; the json module stays json."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    (tmp_path / "json.py").write_text(
        "from manim import Scene\nclass Mine(Scene):\n    def construct(self):\n        pass\n"
    )
    request = RenderRequest(
        "json", "Mine", 854, 480, 5, str(tmp_path), path=str(tmp_path / "json.py")
    )
    try:
        assert _scene_class(request).__module__ == "_file_json"
        assert sys.modules["json"] is json
    finally:
        sys.modules.pop("_file_json", None)


def test_episode_storyboards_report_a_failed_scene_and_keep_the_others(tmp_path, capsys):
    broken = "class Bad(Box):\n    def construct(self):\n        raise ValueError('delta=0 is not a step')\n"
    series = write_series(tmp_path, "tiny.scenes", SCENES + broken, ["Bad", "Box"])
    with pytest.raises(pv.StoryboardError, match=r"Bad: ValueError: delta=0 is not a step") as err:
        pv.episode_storyboards(
            list(series.scenes()),
            BuildTree.at(tmp_path / "b", Quality.parse("l", 5)),
            tmp_path,
            "01",
            jobs=1,
        )
    assert [p.name for p in err.value.sheets] == ["01.2_Box.png"]
    assert err.value.sheets[0].is_file()
