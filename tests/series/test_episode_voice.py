"""Slow: Episode 1 rendered with the English voice, its sound read back (issue 13's done-means)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from scenes import SERIES
from series.assemble import subtitle_problems
from series.speech import PEAK_DBFS, TARGET_LUFS
from tests.series.audio_checks import (
    CUE_ONSET,
    audio_stream,
    beat_loudness,
    beat_windows,
    cues,
    onset_errors,
    track_and_video,
)

ROOT = Path(__file__).resolve().parents[2]
FPS = 15


@pytest.mark.slow
def test_episode_1_with_joe_is_heard_in_step_with_its_cues(tmp_path):
    proc = subprocess.run(
        [sys.executable, "render.py", "render", "01", "-q", "l", "--voice", "joe"]
        + ["--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    base = tmp_path / "480p15"
    ep = next(e for e in SERIES.episodes if e.id == "01")
    movie = base / "episodes" / f"{ep.slug}.mp4"
    assert audio_stream(movie) == ("aac", 48_000, 1)
    track, video, sound = track_and_video(movie)
    # Audio as long as video, within one frame per scene boundary.
    assert abs(track - video) <= len(ep.scenes) / FPS
    assert 20 * np.log10(np.max(np.abs(sound))) <= PEAK_DBFS
    windows = cues(movie.with_suffix(".srt"))
    errors = onset_errors(sound, windows)
    late = [(w[2], e) for w, e in zip(windows, errors, strict=True) if e > CUE_ONSET]
    assert not late, f"speech starts more than 0.1 s from its cue: {late}"
    # Every SRT the build wrote: sorted, no overlap, inside its clip.
    for path in sorted(base.rglob("*.srt")):
        assert subtitle_problems(path, track_and_video(path.with_suffix(".mp4"))[1]) == []
    # Every beat at the same loudness (within 1 dB of the target).
    offset, levels = 0.0, []
    for ref in ep.scenes:
        clip = base / "scenes" / f"{ref.id}_{ref.class_name}.mp4"
        assert audio_stream(clip) == ("aac", 48_000, 1)
        clip_track, clip_video, _ = track_and_video(clip)
        assert abs(clip_track - clip_video) <= 1 / FPS, ref.class_name
        narration = getattr(importlib.import_module(ref.module), ref.class_name).narration
        beats = [b for b in beat_windows(clip.with_suffix(".timeline.json")) if b[2] in narration]
        assert len(beats) == len(narration), ref.class_name
        levels += [
            (ref.class_name, name, level)
            for (_, _, name), level in zip(
                beats,
                beat_loudness(sound, [(a + offset, b + offset, n) for a, b, n in beats]),
                strict=True,
            )
        ]
        offset += clip_video
    off = [x for x in levels if not abs(x[2] - TARGET_LUFS) <= 1.0]
    assert not off, off
