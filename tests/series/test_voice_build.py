"""A voiced build of a tiny series: every clip and the episode carry speech aligned with their cues."""

from __future__ import annotations

import numpy as np
import pytest

from series import Quality, RenderSettings
from series.assemble import subtitle_problems
from series.build import build
from series.script import to_csv, write_script
from series.speech import PEAK_DBFS, TARGET_LUFS
from series.tree import BuildTree
from tests.series.audio_checks import (
    CUE_ONSET,
    audio_stream,
    beat_loudness,
    beat_windows,
    cues,
    onset_errors,
    track_and_video,
)
from tests.series.tiny import write_series

FPS = 10
FRAME = 1 / FPS

SCENES = """\
from manim import Circle, Create, FadeIn, FadeOut, Square

from scenes.lecture import LectureScene


class Box(LectureScene):
    narration = {
        "intro": "Here is a box. It has four equal sides.",
        "spin": "Watch it turn.",
    }

    def construct(self):
        box = Square()
        with self.narrating("intro"):
            self.play(Create(box), run_time=0.5)
        self.narrate("spin", box.animate.rotate(1.0), run_time=2.5)


class Ring(LectureScene):
    narration = {"intro": "And here is a ring.", "outro": "That is all."}

    def construct(self):
        ring = Circle()
        self.narrate("intro", FadeIn(ring), run_time=0.5)
        self.narrate("outro", FadeOut(ring), run_time=0.5)
"""


@pytest.fixture(scope="module")
def voiced_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("voiced")
    series = write_series(root, "talk.scenes", SCENES, ["Box", "Ring"])
    tree = BuildTree(root / "build", RenderSettings(quality=Quality.parse("l", FPS), voice="joe"))
    results, episodes = build(series, list(series.scenes()), tree, root, jobs=2)
    assert [r.status for r in results] == ["rendered", "rendered"], [r.error for r in results]
    return root, series, tree, results, episodes[0]


def test_every_clip_carries_its_speech_as_long_as_its_video(voiced_build):
    _, _, _, results, _ = voiced_build
    for r in results:
        assert audio_stream(r.movie) == ("aac", 48_000, 1)
        track, video, sound = track_and_video(r.movie)
        assert abs(track - video) <= FRAME, r.ref.class_name
        windows = cues(r.srt)
        assert max(onset_errors(sound, windows)) <= CUE_ONSET, r.ref.class_name
        assert 20 * np.log10(np.max(np.abs(sound))) <= PEAK_DBFS


def test_the_episode_joins_sound_without_drift(voiced_build):
    _, _, _, results, episode = voiced_build
    track, video, sound = track_and_video(episode.movie)
    assert abs(track - video) <= FRAME * len(results)
    assert video == pytest.approx(sum(track_and_video(r.movie)[1] for r in results), abs=1e-6)
    windows = cues(episode.srt)
    assert len(windows) == sum(len(cues(r.srt)) for r in results)
    errors = onset_errors(sound, windows)
    assert max(errors) <= CUE_ONSET, list(zip([w[2] for w in windows], errors, strict=True))


def test_every_beat_is_as_loud_as_the_target(voiced_build):
    _, _, tree, results, episode = voiced_build
    _, _, sound = track_and_video(episode.movie)
    offset, levels = 0.0, []
    for r in results:
        beats = beat_windows(tree.timeline(r.movie))
        assert [b[2] for b in beats] == (
            ["intro", "spin"] if r.ref.class_name == "Box" else ["intro", "outro"]
        )
        shifted = [(a + offset, b + offset, name) for a, b, name in beats]
        levels += beat_loudness(sound, shifted)
        offset += track_and_video(r.movie)[1]
    assert all(abs(level - TARGET_LUFS) <= 1.0 for level in levels), levels


def test_every_subtitle_file_the_build_writes_is_well_formed(voiced_build):
    _, _, tree, _, _ = voiced_build
    files = sorted(tree.base.rglob("*.srt"))
    assert len(files) == 3, "two clips and the episode"
    from series.assemble import probe

    for path in files:
        assert subtitle_problems(path, probe(path.with_suffix(".mp4")).duration) == []


def test_changing_one_line_resynthesises_one_line_and_rerenders_one_scene(voiced_build):
    root, series, tree, _, _ = voiced_build
    lines = set(tree.speech_cache.rglob("*.wav"))
    # Four lines; one has two cues, said one by one: its two cues and the joined line.
    assert len(lines) == 6
    source = root / "talk" / "scenes.py"
    source.write_text(source.read_text().replace("That is all.", "That is all for now."))
    results, _ = build(series, list(series.scenes()), tree, root, jobs=1)
    assert [r.status for r in results] == ["cached", "rendered"]
    assert len(set(tree.speech_cache.rglob("*.wav")) - lines) == 1


def test_the_recording_script_lists_every_beat_with_its_time(voiced_build):
    root, series, tree, _, _ = voiced_build
    csv_path, md_path, count = write_script(
        series.episodes[0], root, tree.out / "scripts", "en", "joe"
    )
    assert count == 4
    rows = csv_path.read_text().splitlines()
    assert rows[0] == "scene,beat,line,animations_s,beat_s,take"
    box_intro = rows[1].split(",")
    assert box_intro[:2] == ["Box", "intro"]
    assert rows[1].endswith("assets/voice/en/Box/intro.wav")
    # The intro's line outlasts its 0.5 s of animation: the beat is the line.
    animations, beat = float(box_intro[-3]), float(box_intro[-2])
    # manim plays whole frames: 0.5 s at the script's 15 fps is 8 frames.
    assert animations == pytest.approx(0.5, abs=1 / 15)
    assert beat > 1.5
    # Timed by the voice, as the build was (each side rounds to its own frames).
    built = next(r for r in voiced_build[3] if r.ref.class_name == "Box")
    window = next(
        w for w in beat_windows(built.movie.with_suffix(".timeline.json")) if w[2] == "intro"
    )
    assert beat == pytest.approx(window[1] - window[0], abs=1 / 15 + 1 / FPS)
    assert "| `spin` | Watch it turn. | 2.5 s |" in md_path.read_text()
    assert to_csv([]) == "scene,beat,line,animations_s,beat_s,take\n"
