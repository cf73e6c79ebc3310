"""The benchmark's orchestration: which builds run, in which order, and the JSON record."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .. import warm as warm_workers
from ..build import build, first_error_line, render_scene
from ..cache import scene_file
from ..files import atomic_path
from ..manifest import Episode, SceneRef, Series
from ..quality import Quality
from ..settings import RenderSettings
from ..split import enabled as split_enabled
from ..tree import BuildTree
from .edit import class_edit, inserted_line
from .floor import FRAME_BUDGET, encode_floor, run_rasterise
from .measure import BenchError, MeasuredWorker, plain_manim, run_measured
from .report import Figure, environment, format_table

log = logging.getLogger(__name__)

SECTIONS = ("cold", "nochange", "edit", "hd", "memory", "preview", "watch", "series", "tests")
"""Every section of the benchmark, in the order they run and print."""

DEFAULT_SECTIONS = ("cold", "nochange", "edit", "hd", "memory", "preview", "watch", "tests")
"""What ``render.py bench`` runs unless told: all but ``series`` (the whole series at
1080p30 takes minutes per run)."""

SERIES_QUALITY = "h30"
"""The whole-series figure's quality: 1080p30, as ``render.py render`` builds by default."""

REPRESENTATIVE = "SecantBecomesTangent"
"""Default scene of the 1080p, memory and preview figures (if the series has it)."""

ORDER = (
    "cold.ours", "cold.plain", "cold.speedup", "nochange", "edit",
    "hd.ours", "hd.plain", "hd.raster", "hd.encode", "hd.floor", "hd.no_encode",
    "hd.over_floor", "hd.speedup", "hd.other", "hd.split_gain", "memory.ours", "memory.plain",
    "preview.first", "preview", "watch",
    "series.wall", "series.video", "series.realtime", "tests",
)  # fmt: skip
"""The figures' keys in the order the table prints them."""


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


class _Benchmark:
    """One benchmark run: its settings, scratch folder, figures and notes."""

    def __init__(
        self,
        series: Series,
        root: Path,
        quick: bool,
        scene: str | None,
        out: Path,
        jobs: int | None,
        low: RenderSettings,
        high: RenderSettings,
        preview_command: Sequence[str],
        frame_budget: int,
        progress: Callable[[str], None],
        test_command: Sequence[str] = (),
    ) -> None:
        self.series = quick_series(series) if quick else series
        self.refs = list(self.series.scenes())
        self.rep = _representative(series, scene)
        self.edit_ref = next((r for r in self.refs if r.id == self.rep.id), None) or next(
            ep.scenes[0] for ep in self.series.episodes if ep.id == self.rep.episode_id
        )
        self.edit_episode = self.series.episode_of(self.edit_ref)
        self.root, self.jobs, self.low, self.high = root, jobs, low, high
        self.preview_command = list(preview_command)
        self.frame_budget, self.progress = frame_budget, progress
        self.test_command = list(test_command) or [sys.executable, "-m", "pytest", "-q"]
        self.bench_dir = BuildTree(out).bench
        self.bench_dir.mkdir(parents=True, exist_ok=True)
        self.stamp = _timestamp(self.bench_dir)
        self.work = self.bench_dir / f".work-{self.stamp}"
        self.figs: dict[str, Figure] = {}
        self.notes: list[str] = []
        self.shared_warm: BuildTree | None = None
        n = len(self.refs)
        self.n_scenes = f"{n} scene{'s' if n != 1 else ''}"
        self.n_jobs = jobs or os.cpu_count() or 1

    def add(self, key: str, label: str, unit: str, value: float) -> None:
        """Add one sample to figure ``key``."""
        self.figs.setdefault(key, Figure(key, label, unit)).samples.append(value)

    def tree(self, name: str, settings: RenderSettings | None = None) -> BuildTree:
        """Return a scratch build tree under the benchmark's work folder."""
        return BuildTree(self.work / name, settings or self.low)

    def build(self, tree: BuildTree, refs: Sequence[SceneRef], what: str):
        """Build ``refs`` into ``tree`` with the benchmark's jobs; raise if anything failed."""
        results, episodes = build(self.series, refs, tree, self.root, jobs=self.jobs)
        _check_build(results, episodes, what)
        return results, episodes

    # ------------------------------------------------------------------ sections

    def cold(self, i: int, tag: str) -> BuildTree:
        """Our cold build against plain manim scene by scene; return the warm tree."""
        letter = self.low.quality.letter
        # As from the command line: no warm parent left by an earlier figure.
        warm_workers.POOL.close()
        self.progress(f"{tag}: cold build, ours ({self.n_scenes})")
        warm = self.tree(f"cold-{i}")
        t = time.perf_counter()
        results, episodes = build(self.series, self.refs, warm, self.root, jobs=self.jobs)
        ours = time.perf_counter() - t
        _check_build(results, episodes, "cold build")
        self.progress(f"{tag}: cold build, plain manim -q{letter} ({self.n_scenes})")
        t = time.perf_counter()
        for ref in self.refs:
            plain_manim(ref, letter, self.root, self.work / "plain-media")
        plain = time.perf_counter() - t
        self.add(
            "cold.ours",
            f"cold build -q {letter}, ours ({self.n_scenes}, {self.n_jobs} jobs)",
            "s",
            ours,
        )
        self.add("cold.plain", f"cold build -q {letter}, plain manim one by one", "s", plain)
        self.add("cold.speedup", "  cold build: plain / ours", "x", plain / ours)
        return warm

    def warm_up(self, tag: str) -> BuildTree:
        """Return a build tree with everything built (once per benchmark, not timed)."""
        if self.shared_warm is None:
            self.progress(f"{tag}: warm-up build (not timed)")
            self.shared_warm = self.tree("warm")
            self.build(self.shared_warm, self.refs, "warm-up build")
        return self.shared_warm

    def nochange(self, i: int, tag: str, warm: BuildTree) -> None:
        """Time the same build again on a warm tree: everything cached."""
        self.progress(f"{tag}: no-change rebuild")
        t = time.perf_counter()
        results, episodes = build(self.series, self.refs, warm, self.root, jobs=self.jobs)
        self.add("nochange", f"no-change rebuild ({self.n_scenes})", "s", time.perf_counter() - t)
        _check_build(results, episodes, "no-change rebuild")
        stale = [r.ref.class_name for r in results if r.status != "cached"]
        if stale:
            self.notes.append(f"note: no-change rebuild of run {i + 1} rendered {', '.join(stale)}")

    def edit(self, i: int, tag: str, warm: BuildTree) -> None:
        """Edit one scene class (only it); build its episode in a copy of the warm tree.

        The edit (a class attribute) changes the class's source and so its
        content key, but no frame, so the re-rendered clip is byte-identical
        and the episode would count as up to date; a real edit changes the
        clip, so the episode's assembly record is dropped and it is assembled
        again. The file is restored byte for byte (:func:`.edit.inserted_line`).
        """
        ref, episode = self.edit_ref, self.edit_episode
        self.progress(f"{tag}: one-scene edit of {ref.class_name}")
        edited = self.tree(f"edit-{i}")
        shutil.rmtree(edited.out, ignore_errors=True)
        shutil.copytree(warm.out, edited.out)
        edited.record(edited.episode(episode)).unlink(missing_ok=True)
        path = scene_file(self.root, ref)
        if path is None:
            raise BenchError(f"no source file for module {ref.module!r} under {self.root}")
        index, line = class_edit(path, ref.class_name, f"edit {i + 1} ({time.time_ns()})")
        try:
            with inserted_line(path, index, line):
                t = time.perf_counter()
                results, episodes = build(
                    self.series, list(episode.scenes), edited, self.root, jobs=self.jobs
                )
                seconds = time.perf_counter() - t
            _check_build(results, episodes, "edit build")
            rendered = sum(r.status == "rendered" for r in results)
            if episodes[0].cached or not rendered:
                raise BenchError(f"edit build: episode {episode.id} was not rebuilt")
        finally:
            shutil.rmtree(edited.out, ignore_errors=True)
        self.add(
            "edit",
            f"edit {ref.class_name} -> episode {episode.id} MP4 ({rendered} scene(s) re-rendered)",
            "s",
            seconds,
        )

    def hd(self, i: int, tag: str, with_floor: bool) -> None:
        """One run of the 1080p figures (ours, plain, floor) and the peak-memory figures."""
        rep, high = self.rep, self.high
        letter, res = high.quality.letter, high.quality.name
        self.progress(f"{tag}: {rep.class_name} at {res}, ours")
        # As a build of one scene: with 2 jobs or more (and not SERIES_SPLIT=0), two workers
        # share its plays.
        split = self.n_jobs >= 2 and split_enabled()
        worker = MeasuredWorker()
        # As in a build, where parents import while keys are computed.
        worker.prime(self.root, 2 if split else 1)
        tree = self.tree("hd", high)
        t = time.perf_counter()
        result = render_scene(rep, tree, self.root, force=True, execute=worker, split=split)
        ours = time.perf_counter() - t
        if result.status == "failed" or result.movie is None:
            raise BenchError(f"{rep.class_name} at {res}: {result.error}")
        rss = max(run.max_rss_kib for run in worker.runs[-(2 if split else 1) :]) / 1024
        self.add("memory.ours", f"peak memory, our {res} worker", "MiB", rss)
        self.progress(f"{tag}: {rep.class_name} at {res}, plain manim -q{letter}")
        plain = plain_manim(rep, letter, self.root, self.work / "plain-hd-media")
        self.add(
            "memory.plain", f"peak memory, plain manim -q{letter}", "MiB", plain.max_rss_kib / 1024
        )
        if not with_floor:
            return
        self.progress(f"{tag}: {rep.class_name} at {res}, rasterisation alone")
        raster, raster_run = run_rasterise(rep, high, self.root, self.work / "raster-media")
        self.progress(f"{tag}: {rep.class_name} at {res}, encoding alone")
        encode, frames = encode_floor(result.movie, high, self.work / "encode", self.frame_budget)
        if raster["frames"] != frames:
            log.warning("rasterised %d frames, encoded %d", raster["frames"], frames)
        floor = raster["raster_seconds"] + encode
        label = f"{rep.class_name} {res}"
        enc = high.encoder
        how = "2 warm workers sharing its plays" if split else "warm worker"
        self.add("hd.ours", f"{label}, ours ({frames} frames, {how})", "s", ours)
        self.add("hd.plain", f"{label}, plain manim -q{letter}", "s", plain.seconds)
        self.add("hd.raster", "  rasterisation alone (Cairo)", "s", raster["raster_seconds"])
        self.add(
            "hd.encode", f"  encoding alone ({enc.codec} crf {enc.crf} {enc.preset})", "s", encode
        )
        self.add("hd.floor", "  floor = rasterisation + encoding", "s", floor)
        self.add("hd.no_encode", "  whole render, output format none", "s", raster_run.seconds)
        self.add("hd.over_floor", f"  {res}: ours / floor", "x", ours / floor)
        self.add("hd.speedup", f"  {res}: plain / ours", "x", plain.seconds / ours)
        if self.n_jobs >= 2:  # the same render the other way: what sharing the plays gains
            other = "in one worker" if split else "in 2 workers sharing its plays"
            self.progress(f"{tag}: {rep.class_name} at {res}, ours {other}")
            worker.prime(self.root, 1 if split else 2)
            other_tree = self.tree("hd-other", high)
            t = time.perf_counter()
            render_scene(rep, other_tree, self.root, force=True, execute=worker, split=not split)
            seconds = time.perf_counter() - t
            self.add("hd.other", f"{label}, ours {other} (series.split)", "s", seconds)
            one, two = (seconds, ours) if split else (ours, seconds)
            self.add(
                "hd.split_gain", f"  {res}: one worker / two sharing its plays", "x", one / two
            )
            shutil.rmtree(other_tree.out, ignore_errors=True)
        shutil.rmtree(tree.out, ignore_errors=True)

    def preview(self) -> None:
        """Time the preview command, from its start to the PNG's path on stdout.

        With the preview server (:func:`series.warm.server_enabled`), twice:
        first with no server running (the command starts one: ``preview.first``),
        then with it up, as every later still finds it (``preview``).
        """
        rep, root = self.rep, self.root

        def is_png(line: str) -> bool:
            return line.endswith(".png") and (root / line).is_file()

        def once() -> float:
            command = [*self.preview_command, rep.class_name, "--out", str(self.work / "preview")]
            run, seconds = run_measured(command, root, until_line=is_png)
            printed = [ln for ln in run.stdout.splitlines() if is_png(ln.strip())]
            if run.returncode != 0 or not printed:
                raise BenchError(f"preview {rep.class_name}: {first_error_line(run.stderr)}")
            return seconds

        if not warm_workers.server_enabled():
            self.add("preview", f"preview {rep.class_name} (command line to PNG)", "s", once())
            return
        warm_workers.stop_server(root)
        self.add("preview.first", f"preview {rep.class_name}, first (starts the server)", "s",
                 once())  # fmt: skip
        self.add("preview", f"preview {rep.class_name} (command line to PNG, server up)", "s",
                 once())  # fmt: skip

    def watch(self) -> None:
        """Time one ``--watch`` update: the still again in this process, its warm parent idle.

        What :func:`series.preview.watch` does after a change, less its
        debounce (0.3 s by default, a wait for the editor to finish writing):
        the first still (not timed) leaves the TeX cache and an idle warm
        parent (:mod:`series.warm`: the preview server, unless it is off), as
        the first preview of a watch does.
        """
        from ..preview import last_frame

        tree = self.tree("watch")
        last_frame(self.rep, tree, self.root)
        t = time.perf_counter()
        last_frame(self.rep, tree, self.root)
        self.add("watch", f"--watch update of {self.rep.class_name} (after debounce)", "s",
                 time.perf_counter() - t)  # fmt: skip

    def whole_series(self) -> None:
        """Build the whole series at 1080p30 from a cold tree; wall time over video duration."""
        from ..assemble import probe

        settings = RenderSettings.at(Quality.parse(SERIES_QUALITY[0], int(SERIES_QUALITY[1:])))
        warm_workers.POOL.close()
        tree = self.tree("series", settings)
        shutil.rmtree(tree.out, ignore_errors=True)
        refs = list(self.series.scenes())
        self.progress(f"whole series at {settings.quality.name} ({len(refs)} scenes)")
        t = time.perf_counter()
        results, episodes = build(self.series, refs, tree, self.root, jobs=self.jobs)
        wall = time.perf_counter() - t
        _check_build(results, episodes, "whole series")
        video = sum(probe(r.movie).duration for r in results)
        name = settings.quality.name
        self.add("series.wall", f"whole series {name}, cold build ({len(refs)} scenes)", "s", wall)
        self.add("series.video", f"  its video ({name})", "s", video)
        self.add("series.realtime", "  build wall / video duration", "x", wall / video)
        shutil.rmtree(tree.out, ignore_errors=True)

    def tests(self) -> None:
        """Time the default test run (``python -m pytest -q``, as ``make test`` runs it)."""
        self.progress("the default test run (pytest -q)")
        run, seconds = run_measured(self.test_command, self.root)
        if run.returncode != 0:
            tail = run.stdout.strip().splitlines()[-1:] or ["no output"]
            raise BenchError(f"the test run failed: {tail[0]}")
        self.add("tests", "default test run (make test's pytest)", "s", seconds)

    # ------------------------------------------------------------------ the whole

    def run(self, runs: int, wanted: set[str]) -> None:
        """Run the wanted sections ``runs`` times, interleaved; remove the scratch folder."""
        try:
            for i in range(runs):
                tag = f"run {i + 1}/{runs}"
                warm = self.cold(i, tag) if "cold" in wanted else None
                if wanted & {"nochange", "edit"} and warm is None:
                    warm = self.warm_up(tag)
                if "nochange" in wanted:
                    self.nochange(i, tag, warm)
                if "edit" in wanted:
                    self.edit(i, tag, warm)
                if warm is not None and warm != self.shared_warm:
                    shutil.rmtree(warm.out, ignore_errors=True)
                if wanted & {"hd", "memory"}:
                    self.hd(i, tag, with_floor="hd" in wanted)
                if "preview" in wanted:
                    self.progress(f"{tag}: preview {self.rep.class_name}")
                    self.preview()
                if "watch" in wanted:
                    self.progress(f"{tag}: --watch update of {self.rep.class_name}")
                    self.watch()
            # Minutes each: once per benchmark.
            if "series" in wanted:
                self.whole_series()
            if "tests" in wanted:
                self.tests()
        finally:
            if wanted & {"preview", "watch"} and warm_workers.server_enabled():
                warm_workers.stop_server(self.root)  # none left behind by the benchmark
            shutil.rmtree(self.work, ignore_errors=True)

    def record(self, runs: int, quick: bool, wanted: set[str]) -> str:
        """Write the figures as JSON; return the table."""
        env = environment()
        figures = [self.figs[k] for k in ORDER if k in self.figs]
        notes = list(self.notes)
        if "hd.raster" in self.figs:
            enc = self.high.encoder
            notes.append(
                "floor = rasterisation alone (time inside Cairo update_frame/get_frame, "
                f"output format none) + encoding alone (PyAV {enc.codec} crf {enc.crf} "
                f"preset {enc.preset} {enc.pix_fmt}, as our worker encodes, one segment per "
                "play, frames decoded from our MP4, decoding not timed)"
            )
        path = self.bench_dir / f"{self.stamp}.json"
        record = {
            "timestamp": self.stamp,
            "environment": env,
            "config": {
                "runs": runs,
                "quick": quick,
                "sections": [s for s in SECTIONS if s in wanted],
                "scenes": [r.class_name for r in self.refs],
                "representative": self.rep.class_name,
                "edit_scene": self.edit_ref.class_name,
                "low": self.low.quality.name,
                "high": self.high.quality.name,
                "encoder": dataclasses.asdict(self.high.encoder),
                "jobs": self.n_jobs,
            },
            "figures": {f.key: f.as_dict() for f in figures},
            "notes": notes,
        }
        with atomic_path(path) as tmp:
            tmp.write_text(json.dumps(record, indent=2), encoding="utf-8")
        return format_table(env, figures, [*notes, f"figures written to {path}"])


def run_benchmark(
    series: Series,
    root: Path,
    runs: int = 3,
    quick: bool = False,
    *,
    sections: Sequence[str] = DEFAULT_SECTIONS,
    scene: str | None = None,
    out: Path | None = None,
    jobs: int | None = None,
    low: Quality | None = None,
    high: Quality | None = None,
    preview_command: Sequence[str] | None = None,
    frame_budget: int = FRAME_BUDGET,
    on_progress: Callable[[str], None] | None = None,
    test_command: Sequence[str] | None = None,
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
        Which of :data:`SECTIONS` to run (default :data:`DEFAULT_SECTIONS`).
        ``series`` and ``tests`` run once, after the interleaved runs.
    scene : str, optional
        Scene (id or class name) of the ``hd``, ``memory``, ``preview`` and
        ``edit`` figures; default ``SecantBecomesTangent`` if the series has
        it, else the first scene. With ``quick``, the edit touches the first
        scene of that scene's episode.
    out : Path, optional
        Build root; JSON goes to ``BuildTree(out).bench``, scratch to
        ``.work-<timestamp>`` beside it (removed at the end). Default
        ``<root>/build``.
    jobs : int, optional
        Our build's workers (default: cores, as ``render.py`` does).
    low, high : Quality, optional
        The ``-q l`` and ``-q h`` qualities (default manim's: 480p15 and
        1080p60); the plain runs use their letters. Both render with the
        default :class:`~series.settings.RenderSettings` encoder, as a build does.
    preview_command : sequence of str, optional
        The preview command before ``CLASS --out DIR``; default
        ``python <root>/render.py preview``.
    frame_budget : int
        Bytes of decoded frames the encoding floor holds at once.
    on_progress : callable, optional
        Called with a line before each step (default: to stderr on a terminal).
    test_command : sequence of str, optional
        The ``tests`` section's command (default ``python -m pytest -q`` in ``root``).

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
    bench = _Benchmark(
        series,
        root,
        quick,
        scene,
        Path(out) if out is not None else root / "build",
        jobs,
        RenderSettings.at(low or Quality.parse("l")),
        RenderSettings.at(high or Quality.parse("h")),
        preview_command or [sys.executable, str(root / "render.py"), "preview"],
        frame_budget,
        on_progress or _progress_to_terminal,
        test_command or (),
    )
    wanted = set(sections)
    bench.run(runs, wanted)
    return bench.record(runs, quick, wanted)
