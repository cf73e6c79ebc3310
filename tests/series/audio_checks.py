"""Reading a rendered movie's sound back: track length, loudness per cue, speech onsets."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import srt

from series.assemble import AUDIO_RATE, probe, read_sound
from series.speech import loudness

ONSET_LEVEL = 0.01
"""Amplitude (-40 dBFS) above which a sample is speech: a soft "th" starts above it, while
the pauses between sentences (RMS below -50 dBFS) and AAC's noise stay below."""


def audio_stream(path: Path) -> tuple[str, int, int]:
    """Return the codec, sample rate and channels of a movie's audio track."""
    with av.open(str(path)) as container:
        (stream,) = container.streams.audio
        return stream.codec_context.name, stream.rate, stream.channels


def cues(path: Path) -> list[tuple[float, float, str]]:
    """Return an SRT's cues as (start, end, text) in seconds."""
    return [
        (s.start.total_seconds(), s.end.total_seconds(), s.content)
        for s in srt.parse(path.read_text(encoding="utf-8"))
    ]


QUIET_BEFORE = 0.05
"""Seconds of quiet that must precede an onset (the gap between two sentences is longer)."""

FRAME = 0.005
"""Seconds per envelope frame of the onset detector."""

CUE_ONSET = 0.1 + FRAME
"""How far speech may start from its cue: issue 13's 0.1 s, plus the detector's frame
(an onset is found to the nearest frame, so exactly 0.1 s can read as 0.1 + 8e-15)."""


def onset_errors(sound: np.ndarray, windows, rate: int = AUDIO_RATE) -> list[float]:
    """For each cue window, the seconds between the cue's start and the speech's onset.

    The sound's envelope is the peak of each 5 ms frame. An onset is a frame
    above :data:`ONSET_LEVEL` after :data:`QUIET_BEFORE` seconds of frames
    below it, and sustained: at least 3 of the next 4 frames above it too (the
    click of a word's last consonant is not the start of speech). It is
    searched from 0.1 s before the cue to the cue's end; speech running
    through the cue's start has no onset there, and gives ``inf``.
    """
    size = round(FRAME * rate)
    n = sound.size // size
    loud = np.abs(sound[: n * size]).reshape(n, size).max(axis=1) > ONSET_LEVEL
    quiet = round(QUIET_BEFORE / FRAME)
    errors = []
    for start, end, _ in windows:
        a, b = max(1, round((start - 0.1) / FRAME)), min(n - 4, round(end / FRAME))
        found = float("inf")
        for i in range(a, b):
            if loud[i] and not loud[max(0, i - quiet) : i].any() and loud[i + 1 : i + 5].sum() >= 3:
                found = abs(i * FRAME - start)
                break
        errors.append(found)
    return errors


def beat_loudness(sound: np.ndarray, windows, rate: int = AUDIO_RATE) -> list[float]:
    """Integrated loudness (LUFS) of the speech under each window, its silent ends cut.

    A beat often outlasts its line; the silence after it would pull the
    measure down through the partly silent 0.4 s gating blocks.
    """
    levels = []
    for a, b, _ in windows:
        part = sound[round(a * rate) : round(b * rate)]
        loud = np.flatnonzero(np.abs(part) > ONSET_LEVEL)
        levels.append(loudness(part[loud[0] : loud[-1] + 1], rate) if loud.size else -np.inf)
    return levels


def track_and_video(path: Path) -> tuple[float, float, np.ndarray]:
    """Return the audio track's and the video's durations (seconds) and the decoded sound."""
    sound = read_sound(path)
    return sound.size / AUDIO_RATE, probe(path).duration, sound


def beat_windows(timeline: Path) -> list[tuple[float, float, str]]:
    """Return each beat's (start, end, name) from a clip's timeline sidecar (plays by section)."""
    import json

    windows: dict[str, list[float]] = {}
    for play in json.loads(timeline.read_text(encoding="utf-8")):
        w = windows.setdefault(play["section"], [play["start"], play["end"]])
        w[0], w[1] = min(w[0], play["start"]), max(w[1], play["end"])
    return [(a, b, name) for name, (a, b) in windows.items() if b > a]
