"""The floor of a 1080p render: rasterisation alone plus encoding alone, same frames.

- Rasterisation alone: the scene runs in a worker-like subprocess
  (``python -m series.bench raster``) with the worker's configuration but
  output format ``none``, which draws every frame and encodes nothing; the
  time spent inside the Cairo renderer's ``update_frame`` and ``get_frame``
  (clear, draw every mobject, copy the pixels) is summed. Scene logic,
  updaters, Text and TeX construction and imports are *not* part of the floor.
- Encoding alone: the frames of our MP4 are decoded to RGBA arrays in memory
  and encoded with PyAV as manim 0.22 encodes a segment (one MP4 per play,
  RGBA frames in) with the render settings' encoder. Only the encoder calls
  (open, encode, mux, flush, close) are timed, not the decoding.
"""

from __future__ import annotations

import itertools
import json
import shutil
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..build import first_error_line
from ..manifest import SceneRef
from ..settings import RenderSettings
from ..tree import BuildTree
from ..worker import RenderRequest, import_scene, manim_options
from .measure import BenchError, Run, run_measured

FRAME_BUDGET = 1 << 30
"""Bytes of decoded RGBA frames held in memory at once by the encoding floor."""


def segment_lengths(timeline: list[dict], fps: int, total: int) -> list[int]:
    """Frames per play (manim writes one segment per play); one segment if unclear."""
    if not timeline:
        return [total]
    bounds = [round(p["start"] * fps) for p in timeline] + [round(timeline[-1]["end"] * fps)]
    lengths = [b - a for a, b in itertools.pairwise(bounds) if b > a]
    return lengths if sum(lengths) == total else [total]


def encode_floor(
    movie: Path, settings: RenderSettings, work: Path, frame_budget: int = FRAME_BUDGET
) -> tuple[float, int]:
    """Time encoding the frames of ``movie`` as our worker does; return (seconds, frames).

    The frames are decoded to RGBA arrays (at most ``frame_budget`` bytes at a
    time; decoding is not timed) and encoded with PyAV into one MP4 per play
    of the clip's timeline (its ``.timeline.json`` sidecar), as manim's segment
    encoder does, with ``settings``' encoder (codec, pixel format, crf,
    preset: those the worker gives manim).
    """
    import av
    import numpy as np

    try:
        timeline = json.loads(BuildTree.timeline(movie).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        timeline = []
    work.mkdir(parents=True, exist_ok=True)
    quality, encoder = settings.quality, settings.encoder
    per_chunk = max(1, frame_budget // (quality.width * quality.height * 4))
    rate = Fraction(quality.fps)
    seconds, count = 0.0, 0
    with av.open(str(movie)) as src:
        total = src.streams.video[0].frames or sum(1 for _ in src.demux(video=0))
    with av.open(str(movie)) as src:
        frames = (np.ascontiguousarray(f.to_ndarray(format="rgba")) for f in src.decode(video=0))
        for n, length in enumerate(segment_lengths(timeline, quality.fps, total)):
            target = work / f"segment_{n:04d}.mp4"
            t = time.perf_counter()
            container = av.open(str(target), mode="w", format="mp4")
            stream = container.add_stream(encoder.codec, rate=rate, options=encoder.options())
            stream.pix_fmt = encoder.pix_fmt
            stream.width, stream.height = quality.width, quality.height
            seconds += time.perf_counter() - t
            remaining = length
            while remaining > 0:
                chunk = list(itertools.islice(frames, min(per_chunk, remaining)))
                if not chunk:
                    break
                t = time.perf_counter()
                for pixels in chunk:
                    frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
                    frame.pts, frame.time_base = count, 1 / rate
                    count += 1
                    for packet in stream.encode(frame):
                        container.mux(packet)
                seconds += time.perf_counter() - t
                remaining -= len(chunk)
            t = time.perf_counter()
            for packet in stream.encode():
                container.mux(packet)
            container.close()
            seconds += time.perf_counter() - t
            target.unlink()
    return seconds, count


def rasterise(request: RenderRequest) -> dict[str, Any]:
    """Render a scene with output format ``none``; time the Cairo renderer's drawing.

    Returns
    -------
    dict
        ``raster_seconds`` (inside ``update_frame`` and ``get_frame``),
        ``frames`` (frames the scene emitted), ``render_seconds`` (the whole
        ``scene.render()``) and ``seconds`` (this call, imports included).
    """
    start = time.perf_counter()
    from manim import tempconfig

    # The worker's own import and configuration; only the output format differs.
    scene_class = import_scene(request)
    options = manim_options(request, output_format="none")
    spent = {"raster": 0.0, "frames": 0}
    with tempconfig(options):
        scene = scene_class()
        renderer = scene.renderer

        def timed(method: Callable[..., Any]) -> Callable[..., Any]:
            def call(*args: Any, **kwargs: Any) -> Any:
                t = time.perf_counter()
                try:
                    return method(*args, **kwargs)
                finally:
                    spent["raster"] += time.perf_counter() - t

            return call

        add_frame = renderer.add_frame

        def counted(frame: Any, num_frames: int = 1) -> None:
            if not renderer.skip_animations:
                spent["frames"] += num_frames
            add_frame(frame, num_frames)

        renderer.update_frame = timed(renderer.update_frame)
        renderer.get_frame = timed(renderer.get_frame)
        renderer.add_frame = counted
        t = time.perf_counter()
        scene.render()
        render_seconds = time.perf_counter() - t
    return {
        "raster_seconds": spent["raster"],
        "frames": spent["frames"],
        "render_seconds": render_seconds,
        "seconds": time.perf_counter() - start,
    }


def run_rasterise(
    ref: SceneRef, settings: RenderSettings, root: Path, media_dir: Path
) -> tuple[dict, Run]:
    """Run :func:`rasterise` in a fresh process (``python -m series.bench raster``).

    Raises
    ------
    BenchError
        If the scene fails.
    """
    request = RenderRequest.for_scene(ref, settings, media_dir, root, output="none")
    run, _ = run_measured([sys.executable, "-m", "series.bench", "raster", request.to_json()], root)
    shutil.rmtree(media_dir, ignore_errors=True)
    if run.returncode != 0:
        raise BenchError(f"rasterising {ref.class_name}: {first_error_line(run.stderr)}")
    return json.loads(run.stdout.strip().splitlines()[-1]), run


def main(argv: list[str] | None = None) -> int:
    """``python -m series.bench raster REQUEST_JSON``: the rasterisation-only run."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "raster":
        sys.stderr.write("usage: python -m series.bench raster REQUEST_JSON\n")
        return 2
    result = rasterise(RenderRequest.from_json(args[1]))
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    return 0
