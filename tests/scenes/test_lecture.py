"""LectureScene.narrating: a beat lasts max(plays, line), and its cues cover exactly the beat."""

from __future__ import annotations

import pytest
from manim import FadeIn, FadeOut, Square

from scenes.lecture import LectureScene
from scenes.narration import ReadingTime, Speech
from tests.scenes.conftest import DRY_RUN, assert_narrated, dry_run

FRAME = 1 / DRY_RUN["frame_rate"]
"""A wait is played in whole frames: a beat may run up to one frame past its line."""

TEN_WORDS = "One two three four five six seven eight nine ten."


class TwoBeats(LectureScene):
    narration = {"long": TEN_WORDS, "short": "Short. Very short."}

    def construct(self):
        square = Square()
        with self.narrating("long") as tracker:
            self.play(FadeIn(square), run_time=1)
            self.record("tracker", (tracker.duration, tracker.elapsed, tracker.remaining))
        self.narrate("short", FadeOut(square), run_time=3)


class Nested(LectureScene):
    narration = {"a": "A.", "b": "B."}

    def construct(self):
        with self.narrating("a"), self.narrating("b"):
            pass


class Unknown(LectureScene):
    narration = {"a": "A."}

    def construct(self):
        self.narrate("typo")


class Twice(LectureScene):
    narration = {"a": "A."}

    def construct(self):
        self.narrate("a")
        self.narrate("a")


def test_a_beat_lasts_the_longer_of_its_plays_and_its_line(tmp_path):
    scene = dry_run(TwoBeats, tmp_path)
    assert_narrated(scene)
    reading = ReadingTime().speak(TEN_WORDS).duration
    assert reading == pytest.approx(10 / 2.6)
    assert scene.records["tracker"] == [(pytest.approx(reading), 1.0, pytest.approx(reading - 1))]
    long_cue, *short = scene.renderer.file_writer.subcaptions
    # One sentence of 49 characters: one cue on two balanced lines.
    assert long_cue.content == "One two three four five\nsix seven eight nine ten."
    long_end = long_cue.end.total_seconds()
    assert reading <= long_end < reading + FRAME, "the line outlasts the 1 s play: the beat waits"
    assert [c.content for c in short] == ["Short.", "Very short."]
    assert short[0].start.total_seconds() == pytest.approx(long_end, abs=1e-6)
    # The 3 s play outlasts the 1.5 s line: the beat is the play, no wait.
    assert scene.renderer.time == pytest.approx(long_end + 3, abs=1e-6)
    assert short[-1].end.total_seconds() == pytest.approx(scene.renderer.time, abs=1e-6)
    assert [s.beat for s in scene.layout_snapshots] == ["long", "short"]


def test_beats_do_not_nest(tmp_path):
    with pytest.raises(RuntimeError, match=r"Nested: beat 'b' opened inside beat 'a'"):
        dry_run(Nested, tmp_path)


def test_an_unknown_beat_names_the_known_ones(tmp_path):
    with pytest.raises(KeyError, match=r"Unknown has no narration line 'typo'; it has \['a'\]"):
        dry_run(Unknown, tmp_path)


def test_a_beat_is_spoken_once(tmp_path):
    with pytest.raises(RuntimeError, match=r"Twice: beat 'a' is spoken twice"):
        dry_run(Twice, tmp_path)


class TextOnlyVoice:
    """A teacher's speech service in manim-voiceover's shape: ``speak(text)`` and nothing more."""

    name, version = "teacher", "1"

    def __init__(self, duration):
        self.duration, self.heard = duration, []

    def key(self, scene=""):
        return f"{self.name}/{self.version}"

    def speak(self, text):
        self.heard.append(text)
        return self.duration if self.duration is None else Speech(text=text, duration=self.duration)


class TeacherVoiced(LectureScene):
    narration = {"only": "First sentence. Second one."}
    speech = TextOnlyVoice(2.5)

    def construct(self):
        self.narrate("only", FadeIn(Square()), run_time=1)


class TeacherUnvoiced(TeacherVoiced):
    speech = TextOnlyVoice(None)  # its speak returns None: no Speech


def test_a_teachers_voice_with_speak_text_only_times_the_beat(tmp_path):
    scene = dry_run(TeacherVoiced, tmp_path)
    assert TeacherVoiced.speech.heard == ["First sentence. Second one."]
    assert scene.renderer.time == pytest.approx(2.5, abs=FRAME)
    cues = scene.renderer.file_writer.subcaptions
    assert [c.content for c in cues] == ["First sentence.", "Second one."]
    assert cues[-1].end.total_seconds() == pytest.approx(scene.renderer.time, abs=1e-6)


def test_a_voice_that_returns_no_speech_is_named(tmp_path):
    with pytest.raises(
        TypeError,
        match=r"TextOnlyVoice.speak\('First sentence. Second one.'\) "
        r"returned NoneType; expected series.speech.Speech",
    ):
        dry_run(TeacherUnvoiced, tmp_path)
