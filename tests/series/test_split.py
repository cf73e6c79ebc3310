"""One scene rendered by two worker processes (series.split) is the scene one worker renders."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest

from series import Quality, RenderSettings
from series import build as build_module
from series.assemble import read_sound
from series.build import Cancellation, render_scene, render_scenes, run_worker
from series.errors import SceneError
from series.split import DIVERGED, ENV_SPLIT, HELPER_FILE, PLAN_FILE, Splitter, claim
from series.tree import BuildTree
from series.worker import RenderRequest
from tests.series.tiny import write_series

FPS = 10

SCENES = """\
from manim import (
    LEFT, RIGHT, UP, Animation, Circle, Create, Dot, FadeIn, LaggedStart, Square, Succession,
    Transform, Triangle, there_and_back,
)

from scenes.lecture import LectureScene


class Busy(LectureScene):
    narration = {
        "intro": "Here is a box.",
        "spin": "Watch it turn while the dot drifts.",
    }

    def construct(self):
        box = Square()
        dot = Dot()
        # Per frame, not per play: a skipped play would step it once by the whole run time.
        dot.add_updater(lambda m, dt: m.shift(RIGHT * (0.3 * dt + 2.0 * dt * dt)))
        self.add(dot)
        with self.narrating("intro"):
            self.play(Create(box), run_time=0.55)  # not whole frames at 10 fps
            self.add_subcaption("a box", duration=0.3)
            self.play(box.animate.shift(UP * 0.5), run_time=0.35)
        self.narrate("spin", box.animate.rotate(1.0), run_time=1.25)
        self.next_section("hidden", skip_animations=True)
        self.play(FadeIn(Circle()), run_time=0.5)
        self.next_section("shown")
        self.play(box.animate.scale(0.5), run_time=0.45)
        self.wait(0.3)
        self.record("dot", float(dot.get_x()))


class Plain(LectureScene):
    # No updaters: dry plays step once to each play's end.
    narration = {"intro": "Shapes come and go."}

    def construct(self):
        box, ring = Square(), Circle()
        with self.narrating("intro"):
            self.play(Create(box), run_time=0.55)
            self.play(LaggedStart(FadeIn(ring), box.animate.shift(LEFT)), run_time=0.7)
            self.play(Succession(ring.animate.shift(UP), Transform(box, Triangle())), run_time=0.65)
            self.play(ring.animate.scale(0.5), rate_func=there_and_back, run_time=0.45)


class Nudge(Animation):
    # Moves its mobject a step per frame drawn: state a single step does not reproduce.
    def interpolate_mobject(self, alpha):
        self.mobject.shift(RIGHT * 0.05)


class Drift(LectureScene):
    narration = {"intro": "A dot drifts."}

    def construct(self):
        dot = Dot()
        with self.narrating("intro"):
            self.play(Nudge(dot), run_time=0.5)
            self.play(FadeIn(Circle()), run_time=0.5)
            self.play(FadeIn(Triangle()), run_time=0.5)


class Broken(LectureScene):
    narration = {"intro": "Nothing."}

    def construct(self):
        self.narrate("intro", FadeIn(Square()), run_time=0.3)
        self.play(FadeIn(Circle()), run_time=0.3)
        self.play(FadeIn(Dot()), run_time=0.3)
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("split")
    series = write_series(root, "busy.scenes", SCENES, ["Busy", "Plain", "Drift", "Broken"])
    return root, series


def _request(root, ref, media, **fields) -> RenderRequest:
    settings = RenderSettings(quality=Quality.parse("l", FPS), voice="joe")
    request = RenderRequest.for_scene(
        ref, settings, media, root, cache_dir=root / "cache", speech_cache=root / "speech"
    )
    return RenderRequest(**{**request.__dict__, **fields})


def _frames(path):
    with av.open(str(path)) as container:
        return [f.to_ndarray() for f in container.decode(video=0)]  # YUV planes, as encoded


def assert_same_video(a, b):
    """Every decoded frame equal. Not the bytes: x264 with sliced threads on a busy machine
    may code one frame differently (same size, same pixels) from run to run, serial or not."""
    x, y = _frames(a), _frames(b)
    assert len(x) == len(y) > 0
    assert [i for i, (f, g) in enumerate(zip(x, y, strict=True)) if not np.array_equal(f, g)] == []


def _serial_and_split(root, ref, name):
    """Render ``ref`` in one worker, then as a helper and a lead given alternate plays."""
    serial = run_worker(_request(root, ref, root / name / "serial"), root)
    folder = root / name / "pair"
    folder.mkdir()
    n = len(serial.plays)
    (folder / PLAN_FILE).write_text(
        json.dumps({"lead": list(range(0, n, 2)), "helper": list(range(1, n, 2))})
    )
    common = {"split": str(folder)}
    # The helper never waits: run it first, then the lead, which joins its partial movies.
    helper = run_worker(
        _request(root, ref, root / name / "helper", split_role="helper", **common), root
    )
    lead = run_worker(_request(root, ref, root / name / "lead", split_role="lead", **common), root)
    return serial, lead, helper, folder


@pytest.fixture(scope="module")
def serial_and_split(project):
    """Busy (a time-based updater: dry plays go frame by frame) by one worker and by two."""
    root, series = project
    return _serial_and_split(root, series.find_scene("Busy"), "busy")


def test_fast_forwarded_dry_plays_give_the_serial_clip(project):
    root, series = project
    serial, lead, _, _ = _serial_and_split(root, series.find_scene("Plain"), "plain")
    assert_same_video(lead.movie, serial.movie)
    assert lead.srt.read_text(encoding="utf-8") == serial.srt.read_text(encoding="utf-8")
    assert lead.plays == serial.plays


def test_hidden_state_is_caught_not_published(project):
    root, series = project
    with pytest.raises(SceneError, match=DIVERGED):
        _serial_and_split(root, series.find_scene("Drift"), "drift")


def test_splitter_falls_back_after_divergence(tmp_path):
    ran = []

    def run(request):
        ran.append(request.split_role)
        if request.split:
            raise RuntimeError(f"{DIVERGED}: the scene differs at the start of play 3")
        return "one-process result"

    splitter = Splitter(1, lambda request, cancel: None, Cancellation)
    request = RenderRequest("m", "C", 8, 8, 1, media_dir=str(tmp_path / "media"))
    assert splitter.run(request, run) == "one-process result"
    assert ran == ["lead", ""]
    assert splitter.diverged == 1


def test_helper_hands_over_its_plays_and_writes_no_clip(serial_and_split):
    serial, _, helper, folder = serial_and_split
    handed = json.loads((folder / HELPER_FILE).read_text())["files"]
    # The play in a section with skip_animations has no partial movie from anyone.
    skipped = [p["index"] for p in serial.plays if p["skipped"]]
    assert len(skipped) == 1
    odd = [i for i in range(1, len(serial.plays), 2) if i not in skipped]
    assert sorted(int(i) for i in handed) == odd
    assert helper.movie is None
    assert helper.srt is None


def test_split_clip_is_the_serial_clip_frame_for_frame(serial_and_split):
    serial, lead, _, _ = serial_and_split
    assert_same_video(lead.movie, serial.movie)


def test_split_sound_subtitles_and_timeline_are_the_serial_ones(serial_and_split):
    serial, lead, _, _ = serial_and_split
    sound = read_sound(serial.movie)
    assert sound.size > 0
    assert np.max(np.abs(sound)) > 0.05
    # The same samples through the same (single-threaded) AAC encoder: no tolerance needed.
    np.testing.assert_array_equal(read_sound(lead.movie), sound)
    text = serial.srt.read_text(encoding="utf-8")
    assert "a box" in text
    assert lead.srt.read_text(encoding="utf-8") == text
    assert lead.plays == serial.plays
    assert lead.beats == serial.beats


def test_a_failing_helper_fails_the_scene_and_publishes_nothing(project):
    root, series = project
    ref = series.find_scene("Broken")
    tree = BuildTree(root / "build-fail", RenderSettings(quality=Quality.parse("l", FPS)))

    def execute(request, cwd):
        if request.split_role == "helper":
            for index in range(100):  # it takes every play, then dies
                claim(Path(request.split), index)
            raise RuntimeError("helper died: out of memory")
        return run_worker(request, cwd)

    result = render_scene(ref, tree, root, execute=execute, split=True)
    assert result.status == "failed"
    assert "helper died: out of memory" in result.error
    clip = tree.clip(ref)
    assert not clip.exists()
    assert not tree.srt(clip).exists()
    assert not tree.record(clip).exists()
    assert not clip.parent.exists() or list(clip.parent.iterdir()) == []


@pytest.mark.slow  # its parts are checked in the default run: the pair's clip, the splitter
def test_split_build_of_one_scene_equals_a_one_job_build(project):
    root, series = project
    ref = series.find_scene("Busy")
    settings = RenderSettings(quality=Quality.parse("l", FPS))
    one = render_scenes([ref], BuildTree(root / "j1", settings), root, jobs=1)[0]
    two = render_scenes([ref], BuildTree(root / "j2", settings), root, jobs=2, split=True)[0]
    assert (one.status, two.status) == ("rendered", "rendered")
    assert_same_video(two.movie, one.movie)
    assert two.srt.read_text() == one.srt.read_text()
    timeline = BuildTree.timeline
    assert timeline(two.movie).read_text() == timeline(one.movie).read_text()


def test_jobs_1_dask_style_execute_and_series_split_0_never_split(project, monkeypatch):
    root, series = project
    ref = series.find_scene("Broken")
    settings = RenderSettings(quality=Quality.parse("l", FPS))

    def no_split(*args, **kwargs):
        raise AssertionError("split with jobs=1, an executor, or SERIES_SPLIT=0")

    monkeypatch.setattr(build_module, "splitter_for", no_split)
    monkeypatch.setenv(ENV_SPLIT, "0")
    r0 = render_scenes([ref], BuildTree(root / "n0", settings), root, jobs=2)
    monkeypatch.delenv(ENV_SPLIT)
    seen = []

    def execute(request, cwd):
        seen.append(request.split)
        return run_worker(request, cwd)

    r1 = render_scenes([ref], BuildTree(root / "n1", settings), root, jobs=1)
    r2 = render_scenes([ref], BuildTree(root / "n2", settings), root, jobs=2, execute=execute)
    assert [r.status for r in r0 + r1 + r2] == ["rendered"] * 3
    assert seen == [""]


def test_a_two_job_build_splits_by_default(project, monkeypatch):
    root, series = project
    ref = series.find_scene("Broken")
    made = []
    real = build_module.splitter_for

    def spy(*args, **kwargs):
        made.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(build_module, "splitter_for", spy)
    monkeypatch.delenv(ENV_SPLIT, raising=False)
    tree = BuildTree(root / "on", RenderSettings(quality=Quality.parse("l", FPS)))
    rows = render_scenes([ref], tree, root, jobs=2)
    assert [r.status for r in rows] == ["rendered"]
    assert made == [1]


def test_cancel_stops_a_split_render(project):
    root, series = project
    ref = series.find_scene("Busy")
    cancel = Cancellation()
    cancel.cancel()
    tree = BuildTree(root / "cancelled", RenderSettings(quality=Quality.parse("l", FPS)))
    rows = render_scenes([ref], tree, root, jobs=2, cancel=cancel, split=True)
    assert [r.status for r in rows] == ["cancelled"]
    assert not tree.clip(ref).exists()


def test_fast_forward_only_without_time_steps():
    from types import SimpleNamespace

    from manim import AnimationGroup, Dot, Square, UpdateFromAlphaFunc, Wait

    from series.split import fast_forward_safe

    def scene(*mobjects, animations=(), updaters=()):
        return SimpleNamespace(
            mobjects=list(mobjects),
            foreground_mobjects=[],
            animations=list(animations),
            updaters=list(updaters),
        )

    follows = Dot().add_updater(lambda m: m.set_x(1.0))
    drifts = Dot().add_updater(lambda m, dt: m.shift(dt * m.get_center()))
    assert fast_forward_safe(scene(Dot(), Square()))
    # Any updater may keep state between frames: frame by frame.
    assert not fast_forward_safe(scene(follows))
    assert not fast_forward_safe(scene(Dot(), drifts))
    assert not fast_forward_safe(scene(Dot(), updaters=[lambda dt: None]))
    assert not fast_forward_safe(
        scene(Dot(), animations=[AnimationGroup(UpdateFromAlphaFunc(Dot(), lambda m, a: None))])
    )
    assert fast_forward_safe(scene(Dot(), animations=[Wait(1.0)]))
    assert not fast_forward_safe(scene(Dot(), animations=[Wait(1.0, stop_condition=lambda: True)]))
    # A time-based updater inside an animated mobject's family counts too.
    group_anim = SimpleNamespace(mobject=Dot().add(Dot().add_updater(lambda m, dt: None)))
    assert not fast_forward_safe(scene(animations=[group_anim]))
