"""Render benchmark: our build against plain ``manim render`` and against the floor.

``python render.py bench`` runs :func:`run_benchmark` and prints its table. It
measures, in one run (each figure the median of ``runs`` samples, with min and
max; ours and the baseline interleaved A B A B so that drift hits both):

``cold``
    A cold build at ``-q l`` (the whole series, or with ``quick`` the first
    scene of each episode): :func:`series.build.build` with the default jobs
    into a fresh build directory, against plain ``manim render -ql FILE CLASS``
    of each scene one after another, each with a fresh ``--media_dir``.
    Ratio plain / ours (per pair of runs).
``nochange``
    The same build again on the warm build directory (everything cached).
``edit``
    A comment line appended to one scene's module file, then the build of its
    episode up to the updated episode MP4 (in a copy of the warm build
    directory). Every scene of that module is stale (the content key covers
    the module's source) and re-renders; a comment changes no frame, so the
    episode's assembly record is dropped to make it assemble as after a real
    edit. The file is restored byte for byte (and its modification time)
    in a ``finally``, also on Ctrl-C or SIGTERM; if someone else changed the
    file meanwhile, only the benchmark's line is removed.
``hd``
    One representative scene at 1080p60: ours (:func:`series.build.render_scene`,
    ``force=True``), plain ``manim render -qh``, and the floor measured in the
    same run on the same frames: rasterisation alone plus encoding alone.

    - Rasterisation alone: the scene runs in a worker-like subprocess
      (``python -m series.bench raster``) with manim's output format ``none``,
      which draws every frame and encodes nothing; the time spent inside the
      Cairo renderer's ``update_frame`` and ``get_frame`` (clear, draw every
      mobject, copy the pixels) is summed. Scene logic, updaters, Text and TeX
      construction and imports are *not* part of the floor. That process's
      whole wall time is reported as well ("render, no encoding").
    - Encoding alone: the frames of our 1080p MP4 are decoded to RGBA arrays
      in memory (at most ``frame_budget`` bytes at a time) and encoded with
      PyAV exactly as manim 0.22 encodes a segment: one MP4 per play (from the
      clip's timeline), libx264, ``crf 23`` (x264's default preset, medium),
      yuv420p, RGBA frames in. Only the encoder calls (open, encode, mux,
      flush, close) are timed, not the decoding.

    Ratios: ours / floor and plain / ours (per run).
``memory``
    Peak resident memory (``ru_maxrss`` of the one child process, from
    ``os.wait4``; KiB on Linux) of our 1080p worker and of plain
    ``manim render -qh`` (taken from the ``hd`` runs when they run).
``preview``
    ``render.py preview CLASS`` as a subprocess, from its start to the PNG's
    path printed on stdout.

The figures are also written as JSON to ``<out>/bench/<timestamp>.json`` so
that runs can be compared. Nothing here asserts anything about time.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import io
import itertools
import json
import logging
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import metadata
from pathlib import Path
from typing import Any

from .build import build, first_error_line, quality_dir, render_scene
from .cache import record_path
from .files import atomic_path
from .manifest import Episode, SceneRef, Series
from .quality import Quality
from .worker import RenderRequest

log = logging.getLogger(__name__)

SECTIONS = ("cold", "nochange", "edit", "hd", "memory", "preview")
"""Every section of the benchmark, in the order they run and print."""

REPRESENTATIVE = "SecantBecomesTangent"
"""Default scene of the 1080p, memory and preview figures (if the series has it)."""

FRAME_BUDGET = 1 << 30
"""Bytes of decoded RGBA frames held in memory at once by the encoding floor."""

# manim 0.22's segment encoder for MP4 (manim/_config/video_encoder.py).
ENCODER_CODEC = "libx264"
ENCODER_PIX_FMT = "yuv420p"
ENCODER_OPTIONS = {"crf": "23"}


class BenchError(RuntimeError):
    """A render the benchmark depends on failed (its first useful error line)."""


# --------------------------------------------------------------------------- figures


@dataclass
class Figure:
    """One measured figure: its samples (one per run) and how to show them.

    Attributes
    ----------
    key : str
        Stable name, used in the JSON (``"cold.ours"``).
    label : str
        What the table shows.
    unit : str
        ``"s"``, ``"x"`` (a ratio) or ``"MiB"``.
    samples : list of float
        One value per run, in run order.
    """

    key: str
    label: str
    unit: str
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median of the samples."""
        return statistics.median(self.samples)

    def as_dict(self) -> dict[str, Any]:
        """Return the figure as plain JSON data (median, min, max, samples)."""
        return {
            "label": self.label,
            "unit": self.unit,
            "median": self.median,
            "min": min(self.samples),
            "max": max(self.samples),
            "samples": self.samples,
        }


def _format(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def environment() -> dict[str, Any]:
    """Return the machine and versions that the figures depend on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "cores": os.cpu_count() or 1,
        "usable_cores": usable,
        "python": platform.python_version(),
        "manim": version("manim"),
        "av": version("av"),
        "numpy": version("numpy"),
        "platform": platform.platform(),
    }


def format_table(env: dict[str, Any], figures: Sequence[Figure], notes: Sequence[str]) -> str:
    """Return the header and a plain-text table of the figures (no colour codes)."""
    from rich.console import Console
    from rich.table import Table

    header = [
        f"render benchmark, {time.strftime('%Y-%m-%d %H:%M')}",
        f"machine: {env['cores']} cores ({env['usable_cores']} usable), {env['platform']}",
        f"versions: Python {env['python']}, manim {env['manim']}, PyAV {env['av']}, "
        f"numpy {env['numpy']}",
    ]
    table = Table(box=None, pad_edge=False)
    table.add_column("figure")
    for column in ("median", "min", "max"):
        table.add_column(column, justify="right")
    table.add_column("runs", justify="right")
    for fig in figures:
        table.add_row(
            fig.label,
            _format(fig.median, fig.unit),
            _format(min(fig.samples), fig.unit),
            _format(max(fig.samples), fig.unit),
            str(len(fig.samples)),
        )
    console = Console(
        file=io.StringIO(),
        width=120,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
    )
    for line in header:
        console.print(line, soft_wrap=True)
    console.print(table)
    for note in notes:
        console.print(note, soft_wrap=True)
    return console.file.getvalue().rstrip() + "\n"


# --------------------------------------------------------------------------- processes


@dataclass(frozen=True)
class Run:
    """A finished child process: wall time, peak memory and output.

    Attributes
    ----------
    seconds : float
        Wall time from start to exit.
    max_rss_kib : int
        Peak resident set size of the child itself, KiB: its ``VmHWM`` read
        from ``/proc`` while it runs (``ru_maxrss`` would include the forked
        copy of this process before ``exec``, which is large once the
        benchmark holds frames in memory); elsewhere ``ru_maxrss``. Its own
        children, such as LaTeX, are not included.
    returncode : int
        Exit status.
    stdout, stderr : str
        What it wrote.
    """

    seconds: float
    max_rss_kib: int
    returncode: int
    stdout: str
    stderr: str


class _HighWaterMark:
    """Poll a process's ``VmHWM`` (peak resident memory of its own image, KiB)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.path = Path(f"/proc/{pid}/status")
        self.kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, args=(interval,), daemon=True)
        if self.path.exists():
            self._thread.start()

    def sample(self) -> bool:
        """Read VmHWM now; False once the process is gone."""
        try:
            for line in self.path.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.kib = max(self.kib, int(line.split()[1]))
            return True
        except (OSError, ValueError, IndexError):
            return False

    def _poll(self, interval: float) -> None:
        while not self._stop.is_set() and self.sample():
            self._stop.wait(interval)

    def stop(self) -> None:
        """Stop polling (the last reading stands)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def run_measured(
    command: Sequence[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    until_line: Callable[[str], bool] | None = None,
) -> tuple[Run, float]:
    """Run ``command``; return its :class:`Run` and the time to ``until_line``.

    The child is reaped with ``os.wait4`` so its own peak memory is known
    (``resource.getrusage(RUSAGE_CHILDREN)`` only gives the largest child so
    far). With ``until_line``, the second value is the time from start to the
    first stdout line for which it returns True (else the wall time).
    """
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(command),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
        peak = _HighWaterMark(proc.pid)
        try:
            lines, at = [], None
            assert proc.stdout is not None
            for line in proc.stdout:
                # The child is alive while it writes: a reading now cannot miss a
                # peak that came before its last line, however short it ran.
                peak.sample()
                lines.append(line)
                if at is None and until_line is not None and until_line(line.strip()):
                    at = time.perf_counter() - start
            proc.stdout.close()
            peak.stop()
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            peak.stop()
            proc.kill()
            proc.wait()
            raise
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
        rss = peak.kib or rss
        run = Run(seconds, int(rss), proc.returncode, "".join(lines), err.read())
    return run, (seconds if at is None else at)


class MeasuredWorker:
    """An ``execute`` for :func:`series.build.render_scene` that records each worker's run.

    It runs ``python -m series.worker`` exactly as :func:`series.build.run_worker`
    does and keeps the :class:`Run` (wall time and peak memory) in ``runs``.
    """

    def __init__(self) -> None:
        self.runs: list[Run] = []

    def __call__(self, request: RenderRequest, cwd: Path) -> dict:
        """Run the worker; return its JSON result or raise RuntimeError."""
        run, _ = run_measured([sys.executable, "-m", "series.worker", request.to_json()], cwd)
        self.runs.append(run)
        if run.returncode != 0:
            raise RuntimeError(first_error_line(run.stderr))
        return json.loads(run.stdout.strip().splitlines()[-1])


def module_file(root: Path, module: str) -> Path:
    """Return the source file of a dotted module under ``root``.

    Raises
    ------
    FileNotFoundError
        If neither ``a/b.py`` nor ``a/b/__init__.py`` exists.
    """
    base = root.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no source file for module {module!r} under {root}")


def manim_command() -> list[str]:
    """Return how a user runs manim from this environment (its ``manim`` script)."""
    script = Path(sys.executable).with_name("manim")
    return [str(script)] if script.exists() else [sys.executable, "-m", "manim"]


def plain_manim(ref: SceneRef, letter: str, root: Path, media_dir: Path) -> Run:
    """Run plain ``manim render -q<letter> FILE CLASS`` with a fresh media directory.

    Raises
    ------
    BenchError
        If manim fails.
    """
    shutil.rmtree(media_dir, ignore_errors=True)
    command = [
        *manim_command(),
        "render",
        f"-q{letter}",
        str(module_file(root, ref.module)),
        ref.class_name,
        "--media_dir",
        str(media_dir),
    ]
    run, _ = run_measured(command, root)
    if run.returncode != 0:
        raise BenchError(f"plain manim {ref.class_name}: {first_error_line(run.stderr)}")
    shutil.rmtree(media_dir, ignore_errors=True)
    return run


# --------------------------------------------------------------------------- edit


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt while the body runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def class_edit(path: Path, class_name: str, stamp: str) -> tuple[int, str]:
    """Return where and what to insert to edit scene class ``class_name`` (and only it).

    Returns the 0-based line index of the class body's first statement and a
    class attribute line, indented like it, that changes the class's AST (and
    so its content key) but nothing it draws.

    Raises
    ------
    BenchError
        If the module defines no such class.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == class_name:
            first = node.body[0]
            return first.lineno - 1, " " * first.col_offset + f"_render_benchmark_edit = {stamp!r}"
    raise BenchError(f"{path.name} defines no class {class_name!r}")


@contextlib.contextmanager
def inserted_line(path: Path, index: int, line: str) -> Iterator[bytes]:
    """Insert ``line`` before line ``index`` of ``path``; restore the file byte for byte after.

    As :func:`appended_line`, for an edit inside the file.
    """
    original = path.read_bytes()
    lines = original.splitlines(keepends=True)
    added = line.encode("utf-8") + b"\n"
    edited = b"".join(lines[:index]) + added + b"".join(lines[index:])
    with _restoring(path, original, edited, added):
        yield edited


@contextlib.contextmanager
def _restoring(path: Path, original: bytes, edited: bytes, added: bytes) -> Iterator[None]:
    stat = path.stat()
    with _sigterm_as_interrupt():
        try:
            path.write_bytes(edited)
            yield
        finally:
            current = path.read_bytes()
            if current == edited or current == original:
                restored = original
            elif added in current:
                log.warning("%s changed during the benchmark: removing only its line", path)
                restored = current.replace(added, b"", 1)
            else:
                log.warning("%s changed during the benchmark: left as it is", path)
                restored = current
            if restored != current:
                with atomic_path(path) as tmp:
                    tmp.write_bytes(restored)
                    os.chmod(tmp, stat.st_mode)
            if restored == original:
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@contextlib.contextmanager
def appended_line(path: Path, line: str) -> Iterator[bytes]:
    """Append ``line`` to ``path`` for the body; restore the file byte for byte after.

    The original bytes, permissions and modification time come back in a
    ``finally``: after an exception, Ctrl-C or SIGTERM too. If the file was
    changed by someone else meanwhile, only the appended line is removed (and
    a warning logged), so their change survives.

    Yields
    ------
    bytes
        The edited content.
    """
    original = path.read_bytes()
    sep = b"" if not original or original.endswith(b"\n") else b"\n"
    added = sep + line.encode("utf-8") + b"\n"
    edited = original + added
    with _restoring(path, original, edited, added):
        yield edited


# --------------------------------------------------------------------------- the floor


def _segment_lengths(timeline: list[dict], fps: int, total: int) -> list[int]:
    """Frames per play (manim writes one segment per play); one segment if unclear."""
    if not timeline:
        return [total]
    bounds = [round(p["start"] * fps) for p in timeline] + [round(timeline[-1]["end"] * fps)]
    lengths = [b - a for a, b in itertools.pairwise(bounds) if b > a]
    return lengths if sum(lengths) == total else [total]


def encode_floor(
    movie: Path, quality: Quality, work: Path, frame_budget: int = FRAME_BUDGET
) -> tuple[float, int]:
    """Time encoding the frames of ``movie`` as manim does; return (seconds, frames).

    The frames are decoded to RGBA arrays (at most ``frame_budget`` bytes at a
    time; decoding is not timed) and encoded with PyAV into one MP4 per play
    of the clip's timeline (``<movie>.timeline.json``), libx264, crf 23,
    yuv420p, as manim's segment encoder does.
    """
    import av
    import numpy as np

    try:
        timeline = json.loads(movie.with_suffix(".timeline.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        timeline = []
    work.mkdir(parents=True, exist_ok=True)
    per_chunk = max(1, frame_budget // (quality.width * quality.height * 4))
    rate = Fraction(quality.fps)
    seconds, count = 0.0, 0
    with av.open(str(movie)) as src:
        total = src.streams.video[0].frames or sum(1 for _ in src.demux(video=0))
    with av.open(str(movie)) as src:
        frames = (np.ascontiguousarray(f.to_ndarray(format="rgba")) for f in src.decode(video=0))
        for n, length in enumerate(_segment_lengths(timeline, quality.fps, total)):
            target = work / f"segment_{n:04d}.mp4"
            t = time.perf_counter()
            container = av.open(str(target), mode="w", format="mp4")
            stream = container.add_stream(ENCODER_CODEC, rate=rate, options=dict(ENCODER_OPTIONS))
            stream.pix_fmt = ENCODER_PIX_FMT
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
    import importlib

    start = time.perf_counter()
    if request.sys_path and request.sys_path not in sys.path:
        sys.path.insert(0, request.sys_path)
    from manim import tempconfig

    scene_class = getattr(importlib.import_module(request.module), request.class_name)
    options = {
        "media_dir": request.media_dir,
        "pixel_width": request.width,
        "pixel_height": request.height,
        "frame_rate": request.fps,
        "format": "none",
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
        "notify_outdated_version": False,
    }
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


def run_rasterise(ref: SceneRef, quality: Quality, root: Path, media_dir: Path) -> tuple[dict, Run]:
    """Run :func:`rasterise` in a fresh process (``python -m series.bench raster``).

    Raises
    ------
    BenchError
        If the scene fails.
    """
    request = RenderRequest.for_scene(ref, quality, media_dir, root, output="none")
    run, _ = run_measured([sys.executable, "-m", "series.bench", "raster", request.to_json()], root)
    shutil.rmtree(media_dir, ignore_errors=True)
    if run.returncode != 0:
        raise BenchError(f"rasterising {ref.class_name}: {first_error_line(run.stderr)}")
    return json.loads(run.stdout.strip().splitlines()[-1]), run


# --------------------------------------------------------------------------- the benchmark


def quick_series(series: Series) -> Series:
    """Return the series reduced to the first scene of each episode."""
    episodes = tuple(Episode(ep.id, ep.title, ep.slug, ep.scenes[:1]) for ep in series.episodes)
    return dataclasses.replace(series, episodes=episodes)


def _check_build(results: list, episodes: list, what: str) -> None:
    failed = [r for r in results if r.status == "failed"]
    if failed:
        r = failed[0]
        raise BenchError(f"{what}: {r.ref.id} {r.ref.class_name} failed: {r.error}")
    broken = [e for e in episodes if e.movie is None]
    if broken:
        raise BenchError(f"{what}: episode {broken[0].episode.id} {broken[0].error}")


def _progress_to_terminal(message: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"bench: {message}\n")
        sys.stderr.flush()


def _representative(series: Series, scene: str | None) -> SceneRef:
    if scene is not None:
        return series.find_scene(scene)
    refs = list(series.scenes())
    return next((r for r in refs if r.class_name == REPRESENTATIVE), refs[0])


def _timestamp(folder: Path) -> str:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    n, name = 1, stamp
    while (folder / f"{name}.json").exists():
        n += 1
        name = f"{stamp}-{n}"
    return name


def run_benchmark(
    series: Series,
    root: Path,
    runs: int = 3,
    quick: bool = False,
    *,
    sections: Sequence[str] = SECTIONS,
    scene: str | None = None,
    out: Path | None = None,
    jobs: int | None = None,
    low: Quality | None = None,
    high: Quality | None = None,
    preview_command: Sequence[str] | None = None,
    frame_budget: int = FRAME_BUDGET,
    on_progress: Callable[[str], None] | None = None,
) -> str:
    """Run the render benchmark; return its table and write its figures as JSON.

    Parameters
    ----------
    series : Series
        What to build.
    root : Path
        Project root: the workers' working directory and import path.
    runs : int
        Samples per figure (median, min and max are reported).
    quick : bool
        Build only the first scene of each episode (``cold``, ``nochange``,
        ``edit``); the 1080p and preview figures are one scene anyway.
    sections : sequence of str
        Which of :data:`SECTIONS` to run.
    scene : str, optional
        Scene (id or class name) of the ``hd``, ``memory``, ``preview`` and
        ``edit`` figures; default ``SecantBecomesTangent`` if the series has
        it, else the first scene. With ``quick``, the edit touches the first
        scene of that scene's episode.
    out : Path, optional
        Build root; JSON goes to ``<out>/bench/``, scratch to
        ``<out>/bench/.work-<timestamp>`` (removed at the end). Default
        ``<root>/build``.
    jobs : int, optional
        Our build's workers (default: cores, as ``render.py`` does).
    low, high : Quality, optional
        The ``-q l`` and ``-q h`` qualities (default manim's: 480p15 and
        1080p60); the plain runs use their letters.
    preview_command : sequence of str, optional
        The preview command before ``CLASS --out DIR``; default
        ``python <root>/render.py preview``.
    frame_budget : int
        Bytes of decoded frames the encoding floor holds at once.
    on_progress : callable, optional
        Called with a line before each step (default: to stderr on a terminal).

    Returns
    -------
    str
        A header, the table of figures, notes and the JSON path.

    Raises
    ------
    ValueError
        For an unknown section or ``runs`` below 1.
    BenchError
        If a render it measures fails.
    """
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section(s) {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs}")
    wanted = set(sections)
    low = low or Quality.parse("l")
    high = high or Quality.parse("h")
    out = Path(out) if out is not None else root / "build"
    progress = on_progress or _progress_to_terminal
    bench_series = quick_series(series) if quick else series
    refs = list(bench_series.scenes())
    rep = _representative(series, scene)
    edit_ref = next((r for r in refs if r.id == rep.id), None) or next(
        ep.scenes[0] for ep in bench_series.episodes if ep.id == rep.episode_id
    )
    edit_episode = bench_series.episode_of(edit_ref)
    preview_prefix = list(preview_command or [sys.executable, str(root / "render.py"), "preview"])

    bench_dir = out / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    stamp = _timestamp(bench_dir)
    work = bench_dir / f".work-{stamp}"
    env = environment()
    figs: dict[str, Figure] = {}
    notes: list[str] = []

    def add(key: str, label: str, unit: str, value: float) -> None:
        figs.setdefault(key, Figure(key, label, unit)).samples.append(value)

    n_scenes = f"{len(refs)} scene{'s' if len(refs) != 1 else ''}"
    n_jobs = jobs or os.cpu_count() or 1
    shared_warm: Path | None = None
    try:
        for i in range(runs):
            tag = f"run {i + 1}/{runs}"
            warm: Path | None = None
            if "cold" in wanted:
                progress(f"{tag}: cold build, ours ({n_scenes})")
                warm = work / f"cold-{i}"
                t = time.perf_counter()
                results, episodes = build(bench_series, refs, low, warm, root, jobs=jobs)
                ours = time.perf_counter() - t
                _check_build(results, episodes, "cold build")
                progress(f"{tag}: cold build, plain manim -q{low.letter} ({n_scenes})")
                t = time.perf_counter()
                for ref in refs:
                    plain_manim(ref, low.letter, root, work / "plain-media")
                plain = time.perf_counter() - t
                add(
                    "cold.ours",
                    f"cold build -q {low.letter}, ours ({n_scenes}, {n_jobs} jobs)",
                    "s",
                    ours,
                )
                add("cold.plain", f"cold build -q {low.letter}, plain manim one by one", "s", plain)
                add("cold.speedup", "  cold build: plain / ours", "x", plain / ours)
            if wanted & {"nochange", "edit"} and warm is None:
                if shared_warm is None:
                    progress(f"{tag}: warm-up build (not timed)")
                    shared_warm = work / "warm"
                    results, episodes = build(bench_series, refs, low, shared_warm, root, jobs=jobs)
                    _check_build(results, episodes, "warm-up build")
                warm = shared_warm
            if "nochange" in wanted:
                progress(f"{tag}: no-change rebuild")
                t = time.perf_counter()
                results, episodes = build(bench_series, refs, low, warm, root, jobs=jobs)
                add("nochange", f"no-change rebuild ({n_scenes})", "s", time.perf_counter() - t)
                _check_build(results, episodes, "no-change rebuild")
                stale = [r.ref.class_name for r in results if r.status != "cached"]
                if stale:
                    notes.append(
                        f"note: no-change rebuild of run {i + 1} rendered {', '.join(stale)}"
                    )
            if "edit" in wanted:
                progress(f"{tag}: one-scene edit of {edit_ref.class_name}")
                seconds, rendered = _edit_once(
                    bench_series, edit_ref, edit_episode, low, warm, root, work / f"edit-{i}", i
                )
                add(
                    "edit",
                    f"edit {edit_ref.class_name} -> episode {edit_episode.id} MP4 "
                    f"({rendered} scene(s) re-rendered)",
                    "s",
                    seconds,
                )
            if warm is not None and warm != shared_warm:
                shutil.rmtree(warm, ignore_errors=True)
            if wanted & {"hd", "memory"}:
                _hd_once(rep, high, root, work, i, wanted, add, progress, tag, frame_budget)
            if "preview" in wanted:
                progress(f"{tag}: preview {rep.class_name}")
                add(
                    "preview",
                    f"preview {rep.class_name} (command line to PNG)",
                    "s",
                    _preview_once(preview_prefix, rep, root, work / "preview"),
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    order = [
        "cold.ours", "cold.plain", "cold.speedup", "nochange", "edit",
        "hd.ours", "hd.plain", "hd.raster", "hd.encode", "hd.floor", "hd.no_encode",
        "hd.over_floor", "hd.speedup", "memory.ours", "memory.plain", "preview",
    ]  # fmt: skip
    figures = [figs[k] for k in order if k in figs]
    if "hd.raster" in figs:
        notes.append(
            "floor = rasterisation alone (time inside Cairo update_frame/get_frame, "
            "output format none) + encoding alone (PyAV libx264 crf 23 yuv420p, one "
            "segment per play, frames decoded from our MP4, decoding not timed)"
        )
    path = bench_dir / f"{stamp}.json"
    record = {
        "timestamp": stamp,
        "environment": env,
        "config": {
            "runs": runs,
            "quick": quick,
            "sections": [s for s in SECTIONS if s in wanted],
            "scenes": [r.class_name for r in refs],
            "representative": rep.class_name,
            "edit_scene": edit_ref.class_name,
            "low": low.name,
            "high": high.name,
            "jobs": n_jobs,
        },
        "figures": {f.key: f.as_dict() for f in figures},
        "notes": notes,
    }
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(record, indent=2), encoding="utf-8")
    return format_table(env, figures, [*notes, f"figures written to {path}"])


def _edit_once(
    series: Series,
    ref: SceneRef,
    episode: Episode,
    quality: Quality,
    warm: Path,
    root: Path,
    edit_out: Path,
    run: int,
) -> tuple[float, int]:
    """Edit ``ref``'s scene class (only it), build its episode in a copy of ``warm``."""
    shutil.rmtree(edit_out, ignore_errors=True)
    shutil.copytree(warm, edit_out)
    # The edit (a class attribute) changes no frame, so the re-rendered clip is
    # byte-identical and the episode would count as up to date; a real edit changes
    # the clip, so the episode's assembly record is dropped and it is assembled again.
    record_path(quality_dir(edit_out, quality) / "episodes" / f"{episode.slug}.mp4").unlink(
        missing_ok=True
    )
    path = module_file(root, ref.module)
    index, line = class_edit(path, ref.class_name, f"edit {run + 1} ({time.time_ns()})")
    try:
        with inserted_line(path, index, line):
            t = time.perf_counter()
            results, episodes = build(series, list(episode.scenes), quality, edit_out, root)
            seconds = time.perf_counter() - t
        _check_build(results, episodes, "edit build")
        rendered = sum(r.status == "rendered" for r in results)
        if episodes[0].cached or not rendered:
            raise BenchError(f"edit build: episode {episode.id} was not rebuilt")
        return seconds, rendered
    finally:
        shutil.rmtree(edit_out, ignore_errors=True)


def _hd_once(
    rep: SceneRef,
    high: Quality,
    root: Path,
    work: Path,
    i: int,
    wanted: set[str],
    add: Callable[[str, str, str, float], None],
    progress: Callable[[str], None],
    tag: str,
    frame_budget: int,
) -> None:
    """One run of the 1080p figures (ours, plain, floor) and the peak-memory figures."""
    res = f"{high.height}p{high.fps}"
    progress(f"{tag}: {rep.class_name} at {res}, ours")
    worker = MeasuredWorker()
    out = work / "hd"
    t = time.perf_counter()
    result = render_scene(rep, high, out, root, force=True, execute=worker)
    ours = time.perf_counter() - t
    if result.status == "failed" or result.movie is None:
        raise BenchError(f"{rep.class_name} at {res}: {result.error}")
    add("memory.ours", f"peak memory, our {res} worker", "MiB", worker.runs[-1].max_rss_kib / 1024)
    progress(f"{tag}: {rep.class_name} at {res}, plain manim -q{high.letter}")
    plain = plain_manim(rep, high.letter, root, work / "plain-hd-media")
    add(
        "memory.plain", f"peak memory, plain manim -q{high.letter}", "MiB", plain.max_rss_kib / 1024
    )
    if "hd" not in wanted:
        return
    progress(f"{tag}: {rep.class_name} at {res}, rasterisation alone")
    raster, raster_run = run_rasterise(rep, high, root, work / "raster-media")
    progress(f"{tag}: {rep.class_name} at {res}, encoding alone")
    encode, frames = encode_floor(result.movie, high, work / "encode", frame_budget)
    if raster["frames"] != frames:
        log.warning("rasterised %d frames, encoded %d", raster["frames"], frames)
    floor = raster["raster_seconds"] + encode
    label = f"{rep.class_name} {res}"
    add("hd.ours", f"{label}, ours ({frames} frames)", "s", ours)
    add("hd.plain", f"{label}, plain manim -q{high.letter}", "s", plain.seconds)
    add("hd.raster", "  rasterisation alone (Cairo)", "s", raster["raster_seconds"])
    add("hd.encode", "  encoding alone (libx264 crf 23)", "s", encode)
    add("hd.floor", "  floor = rasterisation + encoding", "s", floor)
    add("hd.no_encode", "  whole render, output format none", "s", raster_run.seconds)
    add("hd.over_floor", f"  {res}: ours / floor", "x", ours / floor)
    add("hd.speedup", f"  {res}: plain / ours", "x", plain.seconds / ours)
    shutil.rmtree(out, ignore_errors=True)


def _preview_once(prefix: list[str], rep: SceneRef, root: Path, out: Path) -> float:
    """Run the preview command; return the time until it prints the PNG's path."""

    def is_png(line: str) -> bool:
        return line.endswith(".png") and (root / line).is_file()

    run, seconds = run_measured(
        [*prefix, rep.class_name, "--out", str(out)], root, until_line=is_png
    )
    printed = [ln for ln in run.stdout.splitlines() if is_png(ln.strip())]
    if run.returncode != 0 or not printed:
        raise BenchError(f"preview {rep.class_name}: {first_error_line(run.stderr)}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    """``python -m series.bench raster REQUEST_JSON``: the rasterisation-only run."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "raster":
        sys.stderr.write("usage: python -m series.bench raster REQUEST_JSON\n")
        return 2
    result = rasterise(RenderRequest.from_json(args[1]))
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
