"""Tier 5: previews (a moment, a section, a storyboard) and watch mode on a tiny scene."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
from PIL import Image

from series import Quality
from series import preview as pv
from series.tree import BuildTree
from tests.series.tiny import write_series

SCENE = """\
from manim import Scene, Square, Circle, FadeIn, BLUE, RED
from .settings import SIDE


class Shapes(Scene):
    def construct(self):
        self.next_section("square")
        self.play(FadeIn(Square(SIDE, color=BLUE, fill_opacity=1)), run_time=1)
        self.next_section("circle")
        self.play(FadeIn(Circle(color=RED, fill_opacity=1).shift([3, 0, 0])), run_time=1)
        self.wait(0.5)
"""


@pytest.fixture
def project(tmp_path):
    files = {"settings.py": "SIDE = 2.0\n"}
    series = write_series(tmp_path, "shapes.scene", SCENE, ["Shapes"], slug="s", files=files)
    return (
        tmp_path,
        series.find_scene("Shapes"),
        BuildTree.at(tmp_path / "build", Quality.parse("l", 10)),
    )


def pixels(path):
    with Image.open(path) as img:
        return np.asarray(img.convert("RGB")).astype(int)


def red_share(img):
    return float(np.mean((img[..., 0] > 150) & (img[..., 2] < 100)))


def test_frame_at_a_time_and_section_end(project):
    root, ref, tree = project
    early = pixels(pv.frame_at(ref, tree, root, 0.9))
    late = pixels(pv.frame_at(ref, tree, root, 2.4))
    assert red_share(early) == 0.0, "the circle appears only in the second second"
    assert red_share(late) > 0.01
    square = pixels(pv.section_frame(ref, tree, root, "square"))
    assert red_share(square) == 0.0
    with pytest.raises(pv.PreviewError, match="lasts 2.50 s"):
        pv.frame_at(ref, tree, root, 9.0)
    with pytest.raises(pv.PreviewError, match="sections: .*square, circle"):
        pv.section_frame(ref, tree, root, "triangle")


BEAT_SCENE = """\
from manim import BLUE, FadeIn, FadeOut, Scene, Square


class Faded(Scene):
    beats = []  # what LectureScene records: each beat's name and end (scene time)

    def construct(self):
        self.next_section("square")
        square = Square(2.0, color=BLUE, fill_opacity=1)
        self.play(FadeIn(square), run_time=1)
        self.beats.append({"beat": "square", "end": self.renderer.time})
        self.play(FadeOut(square), run_time=1)  # after the beat, still in its section
        self.next_section("empty")
        self.wait(0.5)
"""


def blue_share(img):
    return float(np.mean((img[..., 2] > 150) & (img[..., 0] < 100)))


def test_a_section_frame_is_its_beats_end_not_the_fade_out_after_it(tmp_path):
    series = write_series(tmp_path, "faded.scene", BEAT_SCENE, ["Faded"], slug="f")
    ref, tree = series.find_scene("Faded"), BuildTree.at(tmp_path / "build", Quality.parse("l", 10))
    shown = pixels(pv.section_frame(ref, tree, tmp_path, "square"))
    assert blue_share(shown) > 0.01, "the square, as the beat ends; not the empty frame after"
    plays = pv.timeline(tree.clip(ref))
    assert [p.get("in_beat") for p in plays] == [True, False, None]


def test_storyboard_has_one_tile_per_animation(project):
    root, ref, tree = project
    sheet = pv.storyboard(ref, tree, root, columns=4)
    with Image.open(sheet) as img:
        # 3 plays (two FadeIns and a wait) on one row of 4 tiles of 320 px, 8 px padding.
        assert img.size == (4 * 328 + 8, 180 + 22 + 16)


def test_watch_reacts_to_a_touched_source_file(project):
    root, ref, _ = project
    made = []
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=pv.watch,
        args=(ref, root, lambda: root / "preview.png", made.append),
        kwargs={"stop": stop, "max_previews": 1, "debounce": 0.05, "ready": ready},
    )
    thread.start()
    assert ready.wait(30), "the watcher never started"
    (root / "shapes" / "unrelated.txt").write_text("not a source of the scene")
    time.sleep(0.5)
    assert made == [], "a file the scene does not import is ignored"
    (root / "shapes" / "settings.py").write_text("SIDE = 3.0\n")
    thread.join(timeout=60)
    stop.set()
    assert not thread.is_alive()
    assert made == [root / "preview.png"]


def test_watch_is_not_woken_by_its_own_reads(project):
    """A preview reads the sources it watches; only writes may trigger the next one."""
    root, ref, _ = project
    settings = root / "shapes" / "settings.py"
    made = []

    def preview_that_reads_sources():
        settings.read_text()
        (root / "shapes" / "scene.py").read_text()
        return root / "preview.png"

    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=pv.watch,
        args=(ref, root, preview_that_reads_sources, made.append),
        kwargs={"stop": stop, "debounce": 0.05, "ready": ready},
    )
    thread.start()
    assert ready.wait(30), "the watcher never started"
    settings.write_text("SIDE = 3.0\n")
    deadline = time.monotonic() + 60  # the first update may wait for a warm parent's imports
    while not made and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.5)  # time enough for a second, spurious update to show
    stop.set()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert made == [root / "preview.png"], f"{len(made)} previews for one save"


def test_watch_reports_what_changed_when_and_how_long(project):
    root, ref, _ = project
    updates = []
    stop, ready = threading.Event(), threading.Event()

    def slow_preview():
        time.sleep(0.2)
        return root / "preview.png"

    thread = threading.Thread(
        target=pv.watch,
        args=(ref, root, slow_preview, lambda result: None),
        kwargs={
            "stop": stop,
            "max_previews": 1,
            "debounce": 0.05,
            "on_update": updates.append,
            "ready": ready,
        },
    )
    thread.start()
    assert ready.wait(30), "the watcher never started"
    (root / "shapes" / "settings.py").write_text("SIDE = 3.0\n")
    thread.join(timeout=60)
    stop.set()
    (update,) = updates
    assert update.changed == ((root / "shapes" / "settings.py").resolve(),)
    assert 0.2 <= update.seconds < 2
    line = update.describe(root.resolve())
    assert line.startswith(f"{update.at:%H:%M:%S}  shapes/settings.py changed; 0.")
    assert line.endswith(f" s: {root / 'preview.png'}")
