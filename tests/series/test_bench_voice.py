"""`render.py bench --voice`: the narration's figures, in every language asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenes.narration import cues_for
from series.bench import voice as bench_voice
from series.bench.measure import BenchError

ROOT = Path(__file__).resolve().parents[2]


def test_each_language_synthesises_its_own_translated_lines(monkeypatch, tmp_path):
    from scenes import SERIES

    said: dict[str, list[str]] = {}
    cut: dict[str, list[str]] = {}

    def synthesis(lines, voice, cache, root, cues=None):
        said[voice] = [text for _, _, text in lines]
        cut[voice] = cues(said[voice][0])
        return {
            "voice": voice,
            "lines": len(lines),
            "cues": len(lines),
            "speech_s": 1.0,
            "wall_s": 1.0,
            "cpu_s": 1.0,
            "speech_per_cpu_s": 1.0,
        }

    def render(ref, root, out, voice, runs):
        return {
            "scene": ref.class_name,
            "silent_s": 1.0,
            "voiced_s": 1.0,
            "cold_s": 2.0,
            "ratio": 1.0,
        }

    monkeypatch.setattr(bench_voice, "synthesis_figures", synthesis)
    monkeypatch.setattr(bench_voice, "render_figures", render)
    report = bench_voice.run_voice_benchmark(
        SERIES, ROOT, tmp_path, voices={"en": "joe", "ja": "jf_alpha"}, cues=cues_for
    )
    assert "synthesis ja jf_alpha" in report
    assert len(said["joe"]) == len(said["jf_alpha"]) > 50
    english = said["joe"][0]
    assert english.isascii()
    assert not said["jf_alpha"][0].isascii()  # the Japanese line, not the English one
    # Each language's lines are cut into cues by that language's rule.
    assert cut["joe"] == cues_for(said["joe"][0], "en")
    assert cut["jf_alpha"] == cues_for(said["jf_alpha"][0], "ja")
    assert "".join(cut["jf_alpha"]).replace("\n", "") == said["jf_alpha"][0]


def test_lines_are_said_cue_by_cue_as_a_build_says_them(monkeypatch, tmp_path):
    from series import speech

    heard: list[tuple[str, list[str]]] = []

    class Speaker:
        def speak(self, text, scene="", beat="", cues=()):
            heard.append((text, list(cues)))
            return speech.Speech(text=text, duration=float(len(text)))

    monkeypatch.setattr(speech, "service", lambda voice, cache, root: Speaker())
    lines = [("S", "a", "One. Two."), ("S", "b", "Three.")]
    figures = bench_voice.synthesis_figures(
        lines, "joe", tmp_path, ROOT, cues=lambda text: cues_for(text, "en")
    )
    assert heard == [("One. Two.", ["One.", "Two."]), ("Three.", ["Three."])]
    assert figures["lines"] == 2
    assert figures["cues"] == 3
    assert figures["speech_s"] == len("One. Two.") + len("Three.")


def test_a_language_without_a_catalog_is_refused(tmp_path):
    from scenes import SERIES

    with pytest.raises(BenchError, match="'xx'"):
        bench_voice.run_voice_benchmark(SERIES, ROOT, tmp_path, voices={"xx": "joe"})
