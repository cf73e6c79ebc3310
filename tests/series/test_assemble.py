"""Tier 5: assembling clips (PyAV, tiny synthetic MP4s) and atomic writes."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction

import av
import numpy as np
import pytest
import srt

from series.assemble import Clip, concat_movies, concat_subtitles, probe
from series.files import atomic_path


def write_clip(path, frames: int, fps: int = 10, size=(64, 48), shade: int = 0):
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for i in range(frames):
            img = np.full((size[1], size[0], 3), (shade + 10 * i) % 256, dtype=np.uint8)
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def write_srt(path, entries):
    subs = [
        srt.Subtitle(i + 1, srt.timedelta(seconds=a), srt.timedelta(seconds=b), t)
        for i, (a, b, t) in enumerate(entries)
    ]
    path.write_text(srt.compose(subs), encoding="utf-8")
    return path


def test_concat_two_clips_duration_chapters_and_offsets(tmp_path):
    a = write_clip(tmp_path / "a.mp4", 15)
    b = write_clip(tmp_path / "b.mp4", 25, shade=100)
    out = tmp_path / "ep.mp4"
    bounds = concat_movies([Clip(a, "First"), Clip(b, "Second")], out)
    info = probe(out)
    assert (info.width, info.height, info.fps) == (64, 48, Fraction(10))
    assert info.frames == 40
    assert info.duration == pytest.approx(4.0, abs=1e-9)
    assert bounds == [pytest.approx((0.0, 1.5)), pytest.approx((1.5, 4.0))]
    assert [c[2] for c in info.chapters] == ["First", "Second"]
    assert info.chapters[0][:2] == pytest.approx((0.0, 1.5))
    assert info.chapters[1][:2] == pytest.approx((1.5, 4.0))
    # No temporary file is left beside the output.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.mp4", "b.mp4", "ep.mp4"]


def test_concat_reencodes_when_encodings_differ(tmp_path):
    a = write_clip(tmp_path / "a.mp4", 10, size=(64, 48))
    b = write_clip(tmp_path / "b.mp4", 10, size=(32, 24))
    info_out = tmp_path / "ep.mp4"
    bounds = concat_movies([Clip(a, "A"), Clip(b, "B")], info_out)
    info = probe(info_out)
    assert (info.width, info.height, info.frames) == (64, 48, 20)
    assert bounds == [pytest.approx((0.0, 1.0)), pytest.approx((1.0, 2.0))]


def test_subtitles_are_shifted_by_offsets(tmp_path):
    s1 = write_srt(tmp_path / "a.srt", [(0.0, 1.0, "one"), (1.0, 1.5, "two")])
    s2 = write_srt(tmp_path / "b.srt", [(0.25, 1.0, "three")])
    out = tmp_path / "ep.srt"
    n = concat_subtitles([(s1, 0.0), (None, 1.5), (s2, 2.5)], out)
    subs = list(srt.parse(out.read_text(encoding="utf-8")))
    assert n == 3
    assert [s.index for s in subs] == [1, 2, 3]
    assert [s.content for s in subs] == ["one", "two", "three"]
    assert subs[2].start.total_seconds() == pytest.approx(2.75)
    assert subs[2].end.total_seconds() == pytest.approx(3.5)


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    final = tmp_path / "out.mp4"
    final.write_bytes(b"old")

    def write_half_then_fail():
        with atomic_path(final) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("encoder died")

    with pytest.raises(RuntimeError, match="encoder died"):
        write_half_then_fail()
    assert final.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.mp4"]


def test_atomic_path_threads_writing_one_file_never_share_a_temporary(tmp_path):
    # Eight threads of one process write the same final path, each in several chunks
    # with a pause between, so that shared temporary files would interleave or vanish.
    final = tmp_path / "entry.bin"
    bodies = [bytes([i]) * 4096 for i in range(8)]
    start = threading.Barrier(len(bodies))

    def write(body: bytes) -> None:
        start.wait()
        with atomic_path(final) as tmp, tmp.open("wb") as fh:
            for k in range(0, len(body), 512):
                fh.write(body[k : k + 512])
                fh.flush()

    with ThreadPoolExecutor(len(bodies)) as pool:
        results = list(pool.map(write, bodies))
    assert len(results) == len(bodies)  # every writer finished without an error
    assert final.read_bytes() in bodies  # one writer's bytes, whole
    assert [p.name for p in tmp_path.iterdir()] == ["entry.bin"]


def test_concat_of_nothing_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="no clips"):
        concat_movies([], tmp_path / "x.mp4")


def test_subtitles_are_cut_at_their_clip_end(tmp_path):
    s1 = write_srt(
        tmp_path / "a.srt", [(0.0, 1.04, "runs a little past the last frame"), (1.2, 1.5, "after")]
    )
    s2 = write_srt(tmp_path / "b.srt", [(0.0, 0.5, "next")])
    out = tmp_path / "ep.srt"
    assert concat_subtitles([(s1, 0.0, 1.0), (s2, 1.0, 2.0)], out) == 2
    subs = list(srt.parse(out.read_text(encoding="utf-8")))
    assert [s.content for s in subs] == ["runs a little past the last frame", "next"]
    assert subs[0].end.total_seconds() == pytest.approx(1.0)
    assert subs[1].start.total_seconds() == pytest.approx(1.0)


def write_clip_with_sound(path, frames: int, tone_at: float, fps: int = 10, rate: int = 44_100):
    """A clip whose AAC track is silence with a 0.2 s, 440 Hz tone at ``tone_at`` seconds.

    The track runs 0.05 s past the video's end (as an encoder's padding may):
    the assembly must cut it.
    """
    seconds = frames / fps + 0.05
    t = np.arange(round(seconds * rate)) / rate
    sound = np.where((t >= tone_at) & (t < tone_at + 0.2), 0.5 * np.sin(2 * np.pi * 440 * t), 0)
    with av.open(str(path), "w") as out:
        video = out.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        audio = out.add_stream("aac", rate=rate, layout="mono")
        for i in range(frames):
            img = np.full((48, 64, 3), 10 * i % 256, dtype=np.uint8)
            out.mux(video.encode(av.VideoFrame.from_ndarray(img, format="rgb24")))
        out.mux(video.encode(None))
        for i in range(0, t.size, 1024):
            frame = av.AudioFrame.from_ndarray(
                sound[None, i : i + 1024].astype(np.float32), format="flt", layout="mono"
            )
            frame.sample_rate, frame.pts = rate, i
            out.mux(audio.encode(frame))
        out.mux(audio.encode(None))
    return path


def onsets(samples, rate, threshold=0.05):
    """Seconds at which the sound rises above ``threshold`` after at least 0.1 s below it."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size == 0:
        return []
    starts = [loud[0]] + [b for a, b in zip(loud[:-1], loud[1:], strict=True) if b - a > rate // 10]
    return [s / rate for s in starts]


def test_concat_lays_each_clips_sound_at_its_start_without_drift(tmp_path):
    from series.assemble import AUDIO_RATE, read_sound

    # Three sounded clips of odd lengths (the track longer than the video) and a silent one.
    clips = [
        Clip(write_clip_with_sound(tmp_path / "a.mp4", 13, tone_at=0.3), "A"),
        Clip(write_clip(tmp_path / "b.mp4", 7), "B"),
        Clip(write_clip_with_sound(tmp_path / "c.mp4", 11, tone_at=0.5), "C"),
        Clip(write_clip_with_sound(tmp_path / "d.mp4", 9, tone_at=0.1), "D"),
    ]
    out = tmp_path / "ep.mp4"
    bounds = concat_movies(clips, out)
    info = probe(out)
    with av.open(str(out)) as container:
        (stream,) = container.streams.audio
        assert (stream.codec_context.name, stream.rate) == ("aac", AUDIO_RATE)
    sound = read_sound(out)
    # The track lasts as long as the video, within one frame (0.1 s at 10 fps).
    assert abs(sound.size / AUDIO_RATE - info.duration) < 1 / 10
    starts = [bounds[0][0] + 0.3, bounds[2][0] + 0.5, bounds[3][0] + 0.1]
    # AAC's encoder delay shifts a tone by about 1024 samples (21 ms); 10 ms of detection slack.
    assert onsets(sound, AUDIO_RATE) == pytest.approx(starts, abs=0.035)


def test_concat_of_silent_clips_has_no_audio_track(tmp_path):
    a = write_clip(tmp_path / "a.mp4", 5)
    out = tmp_path / "ep.mp4"
    concat_movies([Clip(a, "A")], out)
    with av.open(str(out)) as container:
        assert not container.streams.audio
