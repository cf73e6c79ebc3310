"""Reading a rendered movie's sound back: track length, loudness per cue, speech onsets."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import srt

from series.assemble import AUDIO_RATE, probe, read_sound
from series.speech import SILENCE_DBFS, loudness

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

    The sound's envelope is the peak of each 5 ms frame; a frame is loud above
    :data:`ONSET_LEVEL`. Speech is *sustained* at a loud frame when at least 3
    of the next 4 frames are loud too (the click of a word's last consonant is
    not speech). An onset is a sustained frame with no sustained frame in the
    :data:`QUIET_BEFORE` seconds before it: a soft attack that flickers around
    the level (a frame at 0.0122, then two at 0.0098, then speech: Piper's "Here")
    starts where the speech holds, a few frames later. It is searched from
    0.1 s before the cue to the cue's end; speech running through the cue's
    start has no onset there, and gives ``inf``.
    """
    size = round(FRAME * rate)
    n = sound.size // size
    loud = np.abs(sound[: n * size]).reshape(n, size).max(axis=1) > ONSET_LEVEL
    held = np.zeros(n, dtype=bool)
    for i in range(n - 4):
        held[i] = loud[i] and loud[i + 1 : i + 5].sum() >= 3
    quiet = round(QUIET_BEFORE / FRAME)
    errors = []
    for start, end, _ in windows:
        a, b = max(1, round((start - 0.1) / FRAME)), min(n - 4, round(end / FRAME))
        found = float("inf")
        for i in range(a, b):
            if held[i] and not held[max(0, i - quiet) : i].any():
                found = abs(i * FRAME - start)
                break
        errors.append(found)
    return errors


def beat_loudness(sound: np.ndarray, windows, rate: int = AUDIO_RATE) -> list[float]:
    """Integrated loudness (LUFS) of the speech under each window, its silent ends cut.

    A beat often outlasts its line; the silence after it would pull the
    measure down through the partly silent 0.4 s gating blocks. The ends are
    cut where the leveller cuts a line (:data:`series.speech.SILENCE_DBFS`
    under the beat's peak): a beat is measured as its line was levelled, not
    by a stricter cut that drops a short line's soft tails and reads it louder.
    """
    levels = []
    for a, b, _ in windows:
        part = sound[round(a * rate) : round(b * rate)]
        peak = float(np.max(np.abs(part))) if part.size else 0.0
        loud = np.flatnonzero(np.abs(part) >= peak * 10 ** (SILENCE_DBFS / 20)) if peak else []
        levels.append(loudness(part[loud[0] : loud[-1] + 1], rate) if len(loud) else -np.inf)
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
