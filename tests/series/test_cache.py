"""Tier 5: content keys change when (and only when) an input changes; cache hits and misses."""

from __future__ import annotations

import pytest

from series import Quality, Series, episode
from series.build import render_scene
from series.cache import content_key, source_files
from series.settings import RenderSettings
from series.tree import BuildTree


@pytest.fixture
def project(tmp_path):
    pkg = tmp_path / "demo"
    (pkg / "lib").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "lib" / "__init__.py").write_text("")
    (pkg / "lib" / "numbers.py").write_text("SIDE = 1.5\n")
    (pkg / "lib" / "unused.py").write_text("X = 1\n")
    (pkg / "scene.py").write_text(
        "from manim import Scene, Square, FadeIn\n"
        "from .lib.numbers import SIDE\n"
        "class Box(Scene):\n"
        "    def construct(self):\n"
        "        self.add_subcaption('a box', duration=0.4)\n"
        "        self.play(FadeIn(Square(SIDE)), run_time=0.4)\n"
    )
    series = Series("d", "d", (episode("01", "D", "d", [("demo.scene", "Box", "box")]),))
    return tmp_path, series.find_scene("Box")


def test_source_files_follow_project_imports_only(project):
    root, ref = project
    names = [p.relative_to(root).as_posix() for p in source_files(root, ref.module)]
    assert names == [
        "demo/__init__.py",
        "demo/lib/__init__.py",
        "demo/lib/numbers.py",
        "demo/scene.py",
    ]


def test_key_changes_when_and_only_when_an_input_changes(project):
    root, ref = project
    q = RenderSettings.at(Quality.parse("l", 5))
    key = content_key(ref, q, root)
    assert content_key(ref, q, root) == key
    (root / "demo" / "lib" / "unused.py").write_text("X = 2\n")
    assert content_key(ref, q, root) == key, "a file the scene does not import"
    assert content_key(ref, RenderSettings.at(Quality.parse("l", 6)), root) != key, "frame rate"
    (root / "demo" / "lib" / "numbers.py").write_text("SIDE = 2.0\n")
    assert content_key(ref, q, root) != key, "an imported lib module"


def test_second_build_is_cached_and_damage_is_rebuilt(project):
    root, ref = project
    tree = BuildTree.at(root / "build", Quality.parse("l", 5))
    first = render_scene(ref, tree, root)
    assert first.status == "rendered"
    assert render_scene(ref, tree, root).status == "cached"
    assert render_scene(ref, tree, root, force=True).status == "rendered"
    # A damaged clip is detected and rebuilt, not reused.
    first.movie.write_bytes(first.movie.read_bytes()[:100])
    again = render_scene(ref, tree, root)
    assert again.status == "rendered"
    assert again.movie.stat().st_size > 100
    # An edit to an imported module invalidates the cache.
    (root / "demo" / "lib" / "numbers.py").write_text("SIDE = 2.0\n")
    assert render_scene(ref, tree, root).status == "rendered"


TWO_CLASSES = """\
from manim import Scene, Square, Circle, FadeIn

SIDE = 1.0


class First(Scene):
    def construct(self):
        self.play(FadeIn(Square(SIDE)), run_time=0.2)


class Second(Scene):
    def construct(self):
        self.play(FadeIn(Circle()), run_time=0.2)


class SecondVariant(Second):
    pass
"""


def test_editing_one_scene_class_changes_only_its_key(tmp_path):
    pkg = tmp_path / "two"
    pkg.mkdir()
    # The package __init__ holds a manifest-like import: not followed.
    (pkg / "__init__.py").write_text("from .catalog import SERIES\n")
    (pkg / "catalog.py").write_text("SERIES = 1\n")
    (pkg / "scenes.py").write_text(TWO_CLASSES)
    series = Series(
        "t",
        "t",
        (
            episode(
                "01", "T", "t", [("two.scenes", c, c) for c in ("First", "Second", "SecondVariant")]
            ),
        ),
    )
    q = RenderSettings.at(Quality.parse("l", 5))
    refs = list(series.scenes())

    def keys():
        return [content_key(r, q, tmp_path) for r in refs]

    first, second, variant = keys()
    (pkg / "catalog.py").write_text("SERIES = 2\n")
    assert keys() == [first, second, variant], "a manifest edit re-renders nothing"
    (pkg / "scenes.py").write_text(TWO_CLASSES.replace("Circle()", "Circle(radius=2)"))
    new = keys()
    assert new[0] == first, "First does not use Second"
    assert new[1] != second
    assert new[2] != variant, "the variant inherits Second's construct"
    (pkg / "scenes.py").write_text(TWO_CLASSES.replace("SIDE = 1.0", "SIDE = 2.0"))
    assert all(a != b for a, b in zip(keys(), (first, second, variant), strict=True)), (
        "module-level code"
    )
