"""Assembly: scene clips concatenated into one MP4 with chapters and subtitles.

Clips whose encodings match are concatenated without re-encoding (packets
are copied with their timestamps shifted); otherwise the frames are decoded
and re-encoded with the render settings' encoder (:class:`series.settings.Encoder`).

Sound: when any clip has an audio track, the output gets one AAC track at
48 kHz built sample by sample on the video's clock: each clip's audio is
decoded and laid at its clip's video start, cut or padded with silence to
its clip's video length (a clip without sound is silence). Audio and video
thus cannot drift apart, however many clips are joined (the AAC encoder's
priming and last-frame padding stay below one video frame in total).
Uses PyAV: no ffmpeg binary is needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import srt

from .files import atomic_path
from .settings import Encoder


@dataclass(frozen=True)
class Clip:
    """One input of an assembly.

    Attributes
    ----------
    movie : Path
        An MP4 with one video stream.
    title : str
        The chapter title.
    srt : Path or None
        Its subtitles, times relative to the clip's start.
    """

    movie: Path
    title: str
    srt: Path | None = None


@dataclass(frozen=True)
class VideoInfo:
    """What a video file holds, read back with PyAV.

    Attributes
    ----------
    width, height : int
        Pixels.
    fps : Fraction
        Average frame rate.
    frames : int
        Number of video frames.
    duration : float
        Seconds (end of the last frame).
    chapters : tuple of (float, float, str)
        Start and end in seconds, and title.
    """

    width: int
    height: int
    fps: Fraction
    frames: int
    duration: float
    chapters: tuple[tuple[float, float, str], ...]


def probe(path: Path) -> VideoInfo:
    """Read a video's size, rate, frame count, duration and chapters.

    Raises
    ------
    ValueError
        If the file holds no video stream or cannot be opened.
    """
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as exc:
        raise ValueError(f"cannot read video {path}: {exc}") from exc
    with container:
        if not container.streams.video:
            raise ValueError(f"{path} holds no video stream")
        stream = container.streams.video[0]
        frames, end = 0, 0
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            frames += 1
            end = max(end, packet.pts + (packet.duration or 0))
        tb = stream.time_base
        chapters = tuple(
            (
                float(c["start"] * c["time_base"]),
                float(c["end"] * c["time_base"]),
                c["metadata"].get("title", ""),
            )
            for c in container.chapters()
        )
        return VideoInfo(
            width=stream.codec_context.width,
            height=stream.codec_context.height,
            fps=Fraction(stream.guessed_rate or stream.average_rate),
            frames=frames,
            duration=float(end * tb),
            chapters=chapters,
        )


def _signature(stream: av.video.stream.VideoStream) -> tuple[object, ...]:
    ctx = stream.codec_context
    return (
        ctx.name,
        ctx.width,
        ctx.height,
        ctx.pix_fmt,
        stream.time_base,
        bytes(ctx.extradata or b""),
    )


FASTSTART = {"movflags": "+faststart"}
"""The MP4 muxer's options of every assembled movie: the index first."""


def top_level_boxes(path: Path) -> list[str]:
    """Return the types of an MP4's top-level boxes in file order (``ftyp``, ``moov``, ``mdat``...).

    Raises
    ------
    ValueError
        If the file is not a sequence of ISO base media boxes.
    """
    boxes, size = [], path.stat().st_size
    with path.open("rb") as f:
        offset = 0
        while offset < size:
            f.seek(offset)
            header = f.read(16)
            if len(header) < 8:
                raise ValueError(f"{path}: truncated box header at byte {offset}")
            length, kind = int.from_bytes(header[:4], "big"), header[4:8].decode("latin-1")
            if length == 1:
                length = int.from_bytes(header[8:16], "big")
            elif length == 0:
                length = size - offset
            if length < 8:
                raise ValueError(f"{path}: box {kind!r} at byte {offset} has length {length}")
            boxes.append(kind)
            offset += length
    return boxes


def concat_movies(
    clips: Sequence[Clip], output: Path, encoder: Encoder | None = None, chapters: bool = True
) -> list[tuple[float, float]]:
    """Concatenate clips into ``output`` (written atomically), one chapter each.

    Parameters
    ----------
    clips : sequence of Clip
        In playing order; at least one.
    output : Path
        The MP4 to write.
    encoder : Encoder, optional
        Used only when the clips' encodings differ (default: :class:`Encoder`'s).
    chapters : bool
        Whether to write one chapter per clip.

    Returns
    -------
    list of (float, float)
        Each clip's start and end in the output, seconds (for its subtitles).

    Raises
    ------
    ValueError
        If ``clips`` is empty or a clip cannot be read.
    """
    if not clips:
        raise ValueError("nothing to assemble: no clips given")
    inputs = [av.open(str(c.movie)) for c in clips]
    try:
        streams = [c.streams.video[0] for c in inputs]
        same = all(_signature(s) == _signature(streams[0]) for s in streams)
        sound = any(c.streams.audio for c in inputs)
        lengths = [probe(c.movie).duration for c in clips] if sound else []
        with atomic_path(output) as tmp:
            # Fast start: the index (moov) before the media (mdat), so a browser or a
            # video platform plays the file before it has downloaded all of it.
            with av.open(str(tmp), "w", format="mp4", options=FASTSTART) as out:
                audio = _AudioTrack(out, clips, lengths) if sound else None
                if same:
                    bounds = _remux(inputs, streams, out, audio)
                else:
                    bounds = _reencode(inputs, streams, out, encoder or Encoder(), audio)
                if audio is not None:
                    audio.flush()
                tb = out.streams.video[0].time_base
                if chapters:
                    out.set_chapters(
                        [
                            {
                                "id": i + 1,
                                "start": int(start / tb),
                                "end": int(end / tb),
                                "time_base": tb,
                                "metadata": {"title": clip.title},
                            }
                            for i, (clip, (start, end)) in enumerate(
                                zip(clips, bounds, strict=True)
                            )
                        ]
                    )
    finally:
        for c in inputs:
            c.close()
    return [(float(start), float(end)) for start, end in bounds]


AUDIO_RATE = 48_000
"""Sample rate of an assembled movie's AAC track, Hz."""

AUDIO_BIT_RATE = 192_000
"""Bits per second of that track: transparent for speech. At 128 kb/s ffmpeg's AAC encoder
turned a speech onset at -2.8 dBFS into a +0.3 dBFS spike (Episode 3's first line); at 192 kb/s
every episode keeps its peaks under -2 dBFS."""


def read_sound(path: Path, rate: int = AUDIO_RATE) -> np.ndarray:
    """Decode a file's first audio track as mono float32 at ``rate`` (empty when it has none)."""
    return decode_sound(path, rate)[0]


def decode_sound(path: Path, rate: int | None = None) -> tuple[np.ndarray, int]:
    """Decode a file's first audio track as mono float32, and its sample rate.

    Parameters
    ----------
    path : Path
        Any file FFmpeg reads (MP4, WAV, FLAC...).
    rate : int, optional
        Resample to this rate, Hz; ``None``: the track's own.

    Returns
    -------
    samples : ndarray, shape (n,), float32
        Empty when the file has no audio track.
    rate : int
        Their sample rate, Hz.

    Raises
    ------
    av.error.FFmpegError
        If the file cannot be decoded.
    """
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return np.zeros(0, np.float32), rate or AUDIO_RATE
        stream = container.streams.audio[0]
        rate = rate or stream.rate
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        parts = [
            f.to_ndarray().reshape(-1)
            for frame in container.decode(stream)
            for f in resampler.resample(frame)
        ]
        parts += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return (np.concatenate(parts) if parts else np.zeros(0, np.float32)), rate


class _AudioTrack:
    """An assembly's AAC track: every clip's sound laid at its video start, encoded up front.

    The packets are muxed interleaved with the video (:meth:`until`), so
    the muxer never buffers a whole episode of video waiting for audio.
    """

    def __init__(self, out, clips: Sequence[Clip], lengths: Sequence[float]) -> None:
        starts = np.concatenate([[0.0], np.cumsum(lengths)])
        samples = np.zeros(round(starts[-1] * AUDIO_RATE), np.float32)
        for clip, start, length in zip(clips, starts, lengths, strict=False):
            sound = read_sound(clip.movie)[: round(length * AUDIO_RATE)]
            at = round(start * AUDIO_RATE)
            sound = sound[: samples.size - at]
            samples[at : at + sound.size] = sound
        self.stream = out.add_stream("aac", rate=AUDIO_RATE, layout="mono")
        self.stream.bit_rate = AUDIO_BIT_RATE
        self.out = out
        self.packets = []
        size = 1024
        for i in range(0, samples.size, size):
            frame = av.AudioFrame.from_ndarray(
                samples[None, i : i + size], format="flt", layout="mono"
            )
            frame.sample_rate = AUDIO_RATE
            frame.pts = i
            frame.time_base = Fraction(1, AUDIO_RATE)
            self.packets.extend(self._encode(frame))
        self.packets.extend(self._encode(None))
        self.packets.reverse()

    def _encode(self, frame):
        # aac wants planar float; the stream's encoder converts a packed frame itself.
        return list(self.stream.encode(frame))

    def until(self, seconds: float) -> None:
        """Mux the audio packets that start before ``seconds``."""
        while self.packets and (
            self.packets[-1].pts is None
            or self.packets[-1].pts * self.packets[-1].time_base <= seconds
        ):
            self.out.mux(self.packets.pop())

    def flush(self) -> None:
        """Mux what is left."""
        self.until(float("inf"))


def fit_sound(movie: Path) -> bool:
    """Rewrite a clip's sound as one AAC 48 kHz mono track exactly as long as its video.

    manim's writer ends the track where its last sound ends (plus the AAC
    encoder's padding) at the rate of its first sound; after this, clips join
    without drift. The video is copied, not re-encoded. Written atomically.

    Returns
    -------
    bool
        Whether the clip had sound (a clip without is left alone).
    """
    with av.open(str(movie)) as container:
        if not container.streams.audio:
            return False
    concat_movies([Clip(movie, "")], movie, chapters=False)
    return True


def _remux(inputs, streams, out, audio=None) -> list[tuple[Fraction, Fraction]]:
    out_stream = out.add_stream_from_template(streams[0])
    tb = streams[0].time_base
    offset, bounds = 0, []
    for container, stream in zip(inputs, streams, strict=True):
        end = 0
        for packet in container.demux(stream):
            if packet.dts is None:
                continue
            end = max(end, packet.pts + (packet.duration or 0))
            packet.pts += offset
            packet.dts += offset
            packet.stream = out_stream
            if audio is not None:
                audio.until(float(packet.dts * tb))
            out.mux(packet)
        bounds.append((offset * tb, (offset + end) * tb))
        offset += end
    return bounds


def _reencode(
    inputs, streams, out, encoder: Encoder, audio=None
) -> list[tuple[Fraction, Fraction]]:
    first = streams[0]
    rate = Fraction(first.average_rate)
    out_stream = out.add_stream(encoder.codec, rate=rate)
    out_stream.width = first.codec_context.width
    out_stream.height = first.codec_context.height
    out_stream.pix_fmt = encoder.pix_fmt
    out_stream.options = encoder.options()
    n, bounds = 0, []
    for container, stream in zip(inputs, streams, strict=True):
        start = Fraction(n) / rate
        for frame in container.decode(stream):
            frame = frame.reformat(out_stream.width, out_stream.height, encoder.pix_fmt)
            frame.pts = n
            frame.time_base = 1 / rate
            n += 1
            if audio is not None:
                audio.until(float(Fraction(n) / rate))
            out.mux(out_stream.encode(frame))
        bounds.append((start, Fraction(n) / rate))
    out.mux(out_stream.encode(None))
    return bounds


def concat_subtitles(
    parts: Sequence[tuple[Path | None, float] | tuple[Path | None, float, float]], output: Path
) -> int:
    """Merge SRT files, each shifted by its clip's start, into ``output`` (atomically).

    Parameters
    ----------
    parts : sequence of (Path or None, start) or (Path or None, start, end)
        Each clip's SRT (None or a missing file: no subtitles), its start in
        the output and, optionally, its end, seconds. An entry is cut at its
        clip's end (a line may be timed a fraction of a frame past the last
        frame) so it never runs into the next clip; an entry starting at or
        after the end is dropped.
    output : Path
        The SRT to write.

    Returns
    -------
    int
        The number of subtitle entries written.
    """
    merged: list[srt.Subtitle] = []
    for path, offset, *rest in parts:
        if path is None or not path.exists():
            continue
        shift = dt.timedelta(seconds=offset)
        end = dt.timedelta(seconds=rest[0]) if rest else None
        for sub in srt.parse(path.read_text(encoding="utf-8")):
            start, stop = sub.start + shift, sub.end + shift
            if end is not None:
                if start >= end:
                    continue
                stop = min(stop, end)
            merged.append(srt.Subtitle(index=0, start=start, end=stop, content=sub.content))
    with atomic_path(output) as tmp:
        tmp.write_text(srt.compose(merged, reindex=True), encoding="utf-8")
    return len(merged)


SRT_RESOLUTION = 0.001
"""Seconds: SRT writes times in whole milliseconds."""


def subtitle_problems(path: Path, duration: float) -> list[str]:
    """Return what is wrong with an SRT of a clip (or an assembly) lasting ``duration`` seconds.

    Checked: cues sorted by start, none ending before it starts, none
    overlapping the next, all inside ``[0, duration]`` up to SRT's resolution
    (whole milliseconds: a cue ending with the clip may be rounded 0.5 ms past
    it). Empty: all good.

    Raises
    ------
    ValueError
        If the file is not SRT.
    """
    try:
        subs = list(srt.parse(path.read_text(encoding="utf-8")))
    except srt.SRTParseError as exc:
        raise ValueError(f"{path} is not SRT: {exc}") from None
    found = []
    for i, sub in enumerate(subs, 1):
        start, end = sub.start.total_seconds(), sub.end.total_seconds()
        if end < start:
            found.append(
                f"{path.name} cue {i} ends at {end:.3f} s before it starts at {start:.3f} s"
            )
        if start < 0 or end > duration + SRT_RESOLUTION:
            found.append(
                f"{path.name} cue {i} [{start:.3f}, {end:.3f}] s lies outside the clip [0, {duration:.3f}]"
            )
    for i, (a, b) in enumerate(zip(subs, subs[1:], strict=False), 1):
        if b.start < a.start:
            found.append(f"{path.name} cue {i + 1} starts before cue {i}")
        elif a.end > b.start:
            overlap = (a.end - b.start).total_seconds()
            found.append(f"{path.name} cue {i} overlaps cue {i + 1} by {overlap:.3f} s")
    return found
