"""`render.py bench --voice`: the narration's figures, in every language asked for."""

from __future__ import annotations

from pathlib import Path

import pytest

from series.bench import voice as bench_voice
from series.bench.measure import BenchError

ROOT = Path(__file__).resolve().parents[2]


def test_each_language_synthesises_its_own_translated_lines(monkeypatch, tmp_path):
    from scenes import SERIES

    said: dict[str, list[str]] = {}

    def synthesis(lines, voice, cache, root):
        said[voice] = [text for _, _, text in lines]
        return {
            "voice": voice,
            "lines": len(lines),
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
        SERIES, ROOT, tmp_path, voices={"en": "joe", "ja": "jf_alpha"}
    )
    assert "synthesis ja jf_alpha" in report
    assert len(said["joe"]) == len(said["jf_alpha"]) > 50
    english = said["joe"][0]
    assert english.isascii()
    assert not said["jf_alpha"][0].isascii()  # the Japanese line, not the English one


def test_a_language_without_a_catalog_is_refused(tmp_path):
    from scenes import SERIES

    with pytest.raises(BenchError, match="'xx'"):
        bench_voice.run_voice_benchmark(SERIES, ROOT, tmp_path, voices={"xx": "joe"})
