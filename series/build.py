"""Build: render scenes in worker processes, publish them, assemble episodes.

Where every file goes is :class:`series.tree.BuildTree`'s business, how it is
encoded :class:`series.settings.RenderSettings`'. Every file at a final path
is written beside it and moved into place, and a clip's key record is written
last: an interrupted build leaves nothing that a later build mistakes for
finished work.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import warm
from .assemble import Clip, concat_movies, concat_subtitles
from .cache import (
    content_key,
    inputs_key,
    is_fresh,
    last_render_seconds,
    outputs_fresh,
    scene_file,
    write_outputs_record,
    write_record,
)
from .errors import SceneError, SceneFailure, failure_from_exception
from .files import atomic_path, publish
from .i18n import translate
from .manifest import Episode, SceneRef, Series
from .settings import Encoder
from .split import Splitter
from .split import enabled as split_enabled
from .tree import BuildTree
from .worker import RenderRequest, WorkerResult

log = logging.getLogger(__name__)

_ERROR_LINE = re.compile(
    r"^(\w+(\.\w+)*(Error|Exception)\b.*|.*LaTeX compilation error.*|! .*|.*Error: .*)$"
)

Execute = Callable[[RenderRequest, Path], WorkerResult]
"""Runs one render request (working directory given) and returns the worker's result."""


@dataclass(frozen=True)
class SceneResult:
    """The outcome of one scene.

    Attributes
    ----------
    ref : SceneRef
        The scene.
    status : str
        ``"rendered"``, ``"cached"`` (content key unchanged), ``"existing"``
        (published earlier, not part of this build), ``"failed"`` or
        ``"cancelled"`` (the build was interrupted before it finished).
    seconds : float
        Wall time spent on it in this build.
    movie, srt : Path or None
        Published outputs (None when failed).
    error : str or None
        When failed: kind, message (cut to a readable length) and ``file:line``.
    log : Path or None
        When failed: the log file with the full text (traceback, LaTeX's log).
    warnings : tuple of str
        manim's warnings while rendering it.
    """

    ref: SceneRef
    status: str
    seconds: float
    movie: Path | None = None
    srt: Path | None = None
    error: str | None = None
    log: Path | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class EpisodeResult:
    """An assembled episode: its MP4 and SRT, whether it was up to date, or why it was skipped."""

    episode: Episode
    movie: Path | None
    srt: Path | None
    error: str | None = None
    cached: bool = False


def first_error_line(stderr: str) -> str:
    r"""Return the most useful line of a worker's stderr: the exception, or a LaTeX error.

    Examples
    --------
    >>> first_error_line("Traceback...\n  File x\nValueError: bad delta 0")
    'ValueError: bad delta 0'
    """
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    latex = [ln for ln in lines if "LaTeX compilation error" in ln or ln.startswith("! ")]
    if latex:
        return " | ".join(latex[:2])
    for line in reversed(lines):
        if _ERROR_LINE.match(line):
            return line
    return lines[-1] if lines else "worker failed with no output"


class Cancelled(Exception):
    """The build was interrupted (:meth:`Cancellation.cancel`)."""


class Cancellation:
    """Stops a build at once: no new scene starts, running worker processes are killed.

    :meth:`cancel` is safe to call from a signal handler; ``render.py`` calls
    it on Ctrl-C (SIGINT) and SIGTERM.
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._procs: set = set()  # Popen, or a warm worker (series.warm): anything with kill()
        self._hooks: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        """Whether :meth:`cancel` was called."""
        return self._event.is_set()

    def on_cancel(self, hook: Callable[[], None]) -> None:
        """Call ``hook`` when cancelled (e.g. to cancel Dask futures)."""
        self._hooks.append(hook)

    def cancel(self) -> None:
        """Stop: kill every running worker process, start no more."""
        self._event.set()
        with self._lock:
            procs = list(self._procs)
        for proc in procs:
            try:
                proc.kill()
            except OSError:
                pass
        for hook in self._hooks:
            try:
                hook()
            except Exception:  # a hook must not stop the others
                log.debug("cancel hook failed", exc_info=True)

    @contextlib.contextmanager
    def track(self, process) -> Iterator[None]:
        """Kill ``process`` (anything with a ``kill()``) if cancelled while in this block.

        Raises
        ------
        Cancelled
            If cancelled before the block or while it ran.
        """
        if self.cancelled:
            raise Cancelled()
        with self._lock:
            self._procs.add(process)
        try:
            if self.cancelled:
                process.kill()
            yield
        finally:
            with self._lock:
                self._procs.discard(process)
        if self.cancelled:
            raise Cancelled()

    def run(self, command: list[str], **kwargs) -> subprocess.CompletedProcess:
        """Run ``command`` like :func:`subprocess.run` (output captured), killable by :meth:`cancel`.

        Raises
        ------
        Cancelled
            If cancelled before or while it runs.
        """
        if self.cancelled:
            raise Cancelled()
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs
        )
        with self._lock:
            self._procs.add(proc)
        try:
            if self.cancelled:
                proc.kill()
            stdout, stderr = proc.communicate()
        finally:
            with self._lock:
                self._procs.discard(proc)
        if self.cancelled:
            raise Cancelled()
        return subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def worker_command(request: RenderRequest) -> list[str]:
    """Return the command line of a worker process for ``request``."""
    return [sys.executable, "-m", "series.worker", request.to_json()]


def worker_result(stdout: str) -> WorkerResult:
    """Read the worker's result from its stdout (its last line)."""
    return WorkerResult.from_json(stdout.strip().splitlines()[-1])


def worker_failure(stdout: str, stderr: str) -> SceneFailure:
    """Return the failure a worker reported (its JSON line), or one read from its stderr."""
    for line in reversed(stdout.strip().splitlines()):
        failure = SceneFailure.from_json(line)
        if failure is not None:
            return failure
    # The worker died before it could report (killed, out of memory, broken interpreter).
    return SceneFailure("worker failed", first_error_line(stderr), "", stderr)


def run_worker(
    request: RenderRequest,
    cwd: Path,
    timeout: float | None = None,
    cancel: Cancellation | None = None,
) -> WorkerResult:
    """Run one worker process; return its result.

    The process is forked from a warm parent (:mod:`series.warm`) that has
    already imported manim, or, with ``SERIES_COLD_WORKERS=1``, started cold
    as ``python -m series.worker``: the result is the same.

    Raises
    ------
    SceneError
        A RuntimeError whose ``failure`` says what went wrong and where.
    Cancelled
        If ``cancel`` was cancelled (the process is killed at once).
    """
    if warm.enabled():
        returncode, stdout, stderr = _run_warm(request, cwd, timeout, cancel)
        if returncode != 0:
            raise SceneError(worker_failure(stdout, stderr))
        return worker_result(stdout)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if cancel is not None:
        proc = cancel.run(worker_command(request), cwd=cwd, env=env)
    else:
        proc = subprocess.run(
            worker_command(request),
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    if proc.returncode != 0:
        raise SceneError(worker_failure(proc.stdout, proc.stderr))
    return worker_result(proc.stdout)


def _run_warm(
    request: RenderRequest, cwd: Path, timeout: float | None, cancel: Cancellation | None
) -> tuple[int, str, str]:
    """Run ``request`` in a child of a warm parent from :data:`series.warm.POOL`."""
    worker = warm.POOL.acquire(cwd)
    try:
        with cancel.track(worker) if cancel is not None else contextlib.nullcontext():
            try:
                return worker.run(request.to_json(), cwd, timeout)
            except OSError as exc:
                if cancel is not None and cancel.cancelled:
                    raise Cancelled() from None
                return 1, "", f"{exc}\n"
    finally:
        warm.POOL.release(worker)


def failed(
    ref: SceneRef,
    tree: BuildTree,
    failure: SceneFailure,
    seconds: float,
    root: Path | None = None,
) -> SceneResult:
    """Write ``failure``'s full text to the scene's log file; return its summary row.

    The row's location is relative to the project ``root`` when it lies inside.
    """
    if root is not None:
        failure = failure.relative_to(root.resolve())
    path = tree.log(ref)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = f"{ref.id} {ref.module}.{ref.class_name}\n{failure.kind}: {failure.message}\n"
    where = f"at {failure.location}\n" if failure.location else ""
    warned = "".join(f"warning: {w}\n" for w in failure.warnings)
    with atomic_path(path) as tmp:
        tmp.write_text(f"{header}{where}{warned}\n{failure.detail}\n", encoding="utf-8")
    return SceneResult(
        ref, "failed", seconds, error=failure.summary(), log=path, warnings=failure.warnings
    )


def render_scene(
    ref: SceneRef,
    tree: BuildTree,
    root: Path,
    force: bool = False,
    execute: Execute | None = None,
    cache_dir: Path | None = None,
    cancel: Cancellation | None = None,
    split: bool | Splitter = False,
) -> SceneResult:
    """Render one scene in a worker and publish its MP4 and SRT atomically.

    A scene whose content key matches its published clip is not rendered
    (status ``"cached"``) unless ``force``. ``execute`` runs the worker
    (default: a local process; :mod:`series.distributed` sends it to Dask).
    ``cache_dir`` keeps manim's TeX and Text caches between renders (default:
    ``tree.cache``, shared safely by concurrent renders: :mod:`series.texcache`).
    Any failure of the scene becomes a ``"failed"`` row (:func:`failed`).
    ``split``: ``True`` renders the scene in two worker processes that share
    its plays (:mod:`series.split`; the clip is the one a single worker
    writes); a :class:`series.split.Splitter` (from :func:`render_scenes`)
    lets a free slot of a build join it.

    Raises
    ------
    Cancelled
        If ``cancel`` is cancelled while the scene renders (nothing is published).
    """
    movie_path = tree.clip(ref)
    srt_path = tree.srt(movie_path)
    try:
        key = content_key(ref, tree.settings, root)
    except Exception as exc:  # the scene's file does not parse, lacks the class, is not UTF-8
        return failed(ref, tree, failure_from_exception(exc, scene_file(root, ref)), 0.0, root)
    if not force and is_fresh(movie_path, srt_path, key):
        return SceneResult(ref, "cached", 0.0, movie_path, srt_path)
    if not force and adopt(ref, tree, key):
        return SceneResult(ref, "cached", 0.0, movie_path, srt_path)
    with tree.scratch(ref.id) as work:  # removed also when the scene fails or is cancelled
        return _render_in(ref, tree, root, key, work, execute, cache_dir, cancel, split)


def _render_in(
    ref: SceneRef,
    tree: BuildTree,
    root: Path,
    key: str,
    work: Path,
    execute: Execute | None,
    cache_dir: Path | None,
    cancel: Cancellation | None,
    split: bool | Splitter = False,
) -> SceneResult:
    """:func:`render_scene` in the private media directory ``work``, once the key is known."""
    movie_path = tree.clip(ref)
    srt_path = tree.srt(movie_path)
    request = RenderRequest.for_scene(
        ref,
        tree.settings,
        work,
        root,
        cache_dir=cache_dir or tree.cache,
        speech_cache=tree.speech_cache,
    )
    start = time.perf_counter()

    def run(request: RenderRequest) -> WorkerResult:
        if execute is None:
            return run_worker(request, root, cancel=cancel)
        return execute(request, root)

    try:
        if split is True:
            splitter = splitter_for(1, root, execute, cancel)
            helper = threading.Thread(target=splitter.help, args=(cancel,), daemon=True)
            helper.start()
            try:
                result = splitter.run(request, run, last_render_seconds(movie_path))
            finally:
                splitter.settle()  # ends the help loop had the lead not started
                helper.join()
        elif isinstance(split, Splitter):
            result = split.run(request, run, last_render_seconds(movie_path))
        else:
            result = run(request)
    except SceneError as exc:
        return failed(ref, tree, exc.failure, time.perf_counter() - start, root)
    except RuntimeError as exc:
        failure = SceneFailure(type(exc).__name__, str(exc), "", repr(exc))
        return failed(ref, tree, failure, time.perf_counter() - start, root)
    if cancel is not None and cancel.cancelled:
        raise Cancelled()
    movie = publish(result.movie, movie_path)
    if result.srt is not None and result.srt.exists():
        publish(result.srt, srt_path)
    else:
        with atomic_path(srt_path) as tmp:
            tmp.write_text("", encoding="utf-8")
    with atomic_path(tree.timeline(movie)) as tmp:
        tmp.write_text(json.dumps(list(result.plays)), encoding="utf-8")
    seconds = time.perf_counter() - start
    write_record(movie, srt_path, key, seconds)
    tree.log(ref).unlink(missing_ok=True)
    return SceneResult(ref, "rendered", seconds, movie, srt_path, warnings=result.warnings)


def splitter_for(
    scenes: int, root: Path, execute: Execute | None, cancel: Cancellation | None
) -> Splitter:
    """Return a :class:`series.split.Splitter` whose helpers run like the build's workers.

    Local helpers are killed when their lead no longer needs them, or when
    ``cancel`` is cancelled; helpers run by ``execute`` are waited for.
    """

    def run_helper(request: RenderRequest, child: Cancellation) -> None:
        if execute is None:
            run_worker(request, root, cancel=child)
        else:
            execute(request, root)

    def new_cancellation() -> Cancellation:
        child = Cancellation()
        if cancel is not None:
            cancel.on_cancel(child.cancel)
            if cancel.cancelled:
                child.cancel()
        return child

    return Splitter(scenes, run_helper, new_cancellation)


def adopt(ref: SceneRef, tree: BuildTree, key: str) -> bool:
    """Move a fresh clip of ``ref``'s class published under another scene id to ``ref``'s id.

    The content key does not depend on a scene's position in its episode:
    when a manifest edit shifts the ids, an unchanged scene's clip is renamed,
    not rendered again. The key record moves last, so an interruption leaves
    no record that matches a clip it does not describe.

    Returns
    -------
    bool
        Whether a clip was adopted.
    """
    for old in tree.clips_of_class(ref):
        if not is_fresh(old, tree.srt(old), key):
            continue
        new = tree.clip(ref)
        for source, target in zip(tree.sidecars(old), tree.sidecars(new), strict=True):
            if source.exists():
                os.replace(source, target)
        log.info("adopted %s as %s", old.name, new.name)
        return True
    return False


def prune(series: Series, tree: BuildTree) -> list[Path]:
    """Remove the outputs no scene of ``series`` owns any more (:meth:`BuildTree.orphans`)."""
    removed = tree.orphans(series)
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def render_scenes(
    refs: Sequence[SceneRef],
    tree: BuildTree,
    root: Path,
    jobs: int | None = None,
    on_start: Callable[[SceneRef], None] | None = None,
    on_done: Callable[[SceneResult], None] | None = None,
    force: bool = False,
    execute: Execute | None = None,
    cancel: Cancellation | None = None,
    split: bool | None = None,
) -> list[SceneResult]:
    """Render scenes in parallel workers, longest first; results in the order given.

    Parameters
    ----------
    refs : sequence of SceneRef
        What to render.
    tree : BuildTree
        Where outputs go, and the render settings (quality, encoder).
    root : Path
        Project root: the workers' working directory and import path.
    jobs : int, optional
        Scenes at once; default the number of cores.
    on_start, on_done : callable, optional
        Called when a scene starts, and with each result as it completes.
    force : bool
        Render even scenes whose content key matches their published clip.
    execute : callable, optional
        How a worker runs (default: a local process).
    cancel : Cancellation, optional
        Once cancelled, running scenes are stopped and the rest not started:
        their rows say ``"cancelled"``.
    split : bool, optional
        Whether a slot with no scene left to start joins a running scene as a
        second worker (:mod:`series.split`): one scene renders in two
        processes, and the end of a build leaves no slot idle. Default: with
        2 jobs or more and local workers, unless ``SERIES_SPLIT=0``
        (:func:`series.split.enabled`); never with ``jobs=1`` or ``execute``.

    Raises
    ------
    ValueError
        If ``jobs`` is less than 1.
    """
    jobs = (os.cpu_count() or 1) if jobs is None else jobs
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    # Longest first (by the last recorded render time) so that the slowest
    # scene does not start last and leave the other workers idle.
    order = sorted(refs, key=lambda r: -last_render_seconds(tree.clip(r)))
    if split is None:
        split = jobs >= 2 and execute is None and split_enabled()
    splitter = splitter_for(len(order), root, execute, cancel) if split and jobs >= 2 else None
    if execute is None and warm.enabled():
        # The warm parents import manim while the content keys are computed.
        warm.POOL.prime(root, min(jobs, len(order) * (2 if splitter else 1)))

    def task(ref: SceneRef) -> SceneResult:
        try:
            return scene_task(ref)
        finally:
            if splitter is not None:
                splitter.settle()

    def scene_task(ref: SceneRef) -> SceneResult:
        if cancel is not None and cancel.cancelled:
            return SceneResult(ref, "cancelled", 0.0)
        if on_start is not None:
            on_start(ref)
        start = time.perf_counter()
        try:
            result = render_scene(
                ref,
                tree,
                root,
                force=force,
                execute=execute,
                cancel=cancel,
                split=splitter if splitter is not None else False,
            )
        except Cancelled:
            result = SceneResult(ref, "cancelled", time.perf_counter() - start)
        except Exception as exc:  # with Dask after cancel, or a bug: a row, not a traceback
            if cancel is not None and cancel.cancelled:
                result = SceneResult(ref, "cancelled", time.perf_counter() - start)
            else:
                failure = failure_from_exception(exc)
                result = failed(ref, tree, failure, time.perf_counter() - start, root)
        if on_done is not None:
            on_done(result)
        return result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(task, ref) for ref in order]
        if splitter is not None:  # after the scenes: a slot with none left to start helps one
            for _ in range(jobs):
                pool.submit(splitter.help, cancel)
        done = {r.id: f.result() for r, f in zip(order, futures, strict=True)}
    return [done[r.id] for r in refs]


def assemble(
    clips: Sequence[Clip], movie: Path, encoder: Encoder | None = None
) -> tuple[Path, Path, bool]:
    """Concatenate clips into ``movie`` and a matching ``.srt``, unless already up to date.

    ``encoder`` re-encodes clips whose encodings differ (default: :class:`Encoder`'s).

    Returns
    -------
    (Path, Path, bool)
        The MP4, the SRT, and whether they were up to date (nothing written).
    """
    srt_path = BuildTree.srt(movie)
    inputs = [c.movie for c in clips] + [c.srt for c in clips if c.srt is not None]
    key = inputs_key(inputs, [c.title for c in clips])
    if outputs_fresh([movie, srt_path], key):
        return movie, srt_path, True
    bounds = concat_movies(clips, movie, encoder)
    concat_subtitles([(c.srt, a, b) for c, (a, b) in zip(clips, bounds, strict=True)], srt_path)
    write_outputs_record([movie, srt_path], key)
    return movie, srt_path, False


def assemble_episode(
    episode: Episode, results: dict[str, SceneResult], tree: BuildTree
) -> EpisodeResult:
    """Concatenate an episode's clips into ``episodes/<slug>.mp4`` and ``.srt``.

    The episode is assembled only when every one of its scenes has a clip; it
    is left alone when its clips have not changed since it was last assembled.
    """
    missing = [
        r.class_name
        for r in episode.scenes
        if results.get(r.id) is None or results[r.id].movie is None
    ]
    if missing:
        return EpisodeResult(
            episode, None, None, error=f"not assembled: missing {', '.join(missing)}"
        )
    lang = tree.settings.lang
    clips = [
        Clip(results[r.id].movie, translate(r.title, lang), results[r.id].srt)
        for r in episode.scenes
    ]
    movie, srt_path, cached = assemble(clips, tree.episode(episode), tree.settings.encoder)
    return EpisodeResult(episode, movie, srt_path, cached=cached)


def published(ref: SceneRef, tree: BuildTree) -> SceneResult | None:
    """Return a scene clip published by an earlier build, if one exists."""
    movie = tree.clip(ref)
    srt_path = tree.srt(movie)
    if movie.exists():
        return SceneResult(ref, "existing", 0.0, movie, srt_path if srt_path.exists() else None)
    return None


def assemble_series(series: Series, tree: BuildTree) -> Path:
    """Concatenate every scene of the series into ``<slug>.mp4`` (one chapter per scene).

    Raises
    ------
    ValueError
        Naming the scenes that have no clip yet at this quality.
    """
    results = [published(r, tree) for r in series.scenes()]
    missing = [r.class_name for r, res in zip(series.scenes(), results, strict=True) if res is None]
    if missing:
        raise ValueError(f"cannot assemble the series: no clip yet for {', '.join(missing)}")
    lang = tree.settings.lang
    clips = [
        Clip(res.movie, f"{res.ref.id} {translate(res.ref.title, lang)}", res.srt)
        for res in results
    ]
    movie, _, _ = assemble(clips, tree.series_movie(series), tree.settings.encoder)
    return movie


def build(
    series: Series,
    refs: Sequence[SceneRef],
    tree: BuildTree,
    root: Path,
    jobs: int | None = None,
    on_start: Callable[[SceneRef], None] | None = None,
    on_done: Callable[[SceneResult], None] | None = None,
    force: bool = False,
    execute: Execute | None = None,
    cancel: Cancellation | None = None,
) -> tuple[list[SceneResult], list[EpisodeResult]]:
    """Render ``refs`` and assemble every episode they touch.

    An episode whose other scenes were rendered earlier (same quality) is
    assembled from those clips too. Scenes outside the manifest are rendered
    and cached like the others, and touch no episode. Once ``cancel`` is
    cancelled nothing more is rendered or assembled.
    """
    results = render_scenes(
        refs,
        tree,
        root,
        jobs=jobs,
        on_start=on_start,
        on_done=on_done,
        force=force,
        execute=execute,
        cancel=cancel,
    )
    if cancel is not None and cancel.cancelled:
        return results, []
    by_id: dict[str, SceneResult] = {}
    touched = [ep for ep in series.episodes if any(r.episode_id == ep.id for r in refs)]
    for ep in touched:
        for ref in ep.scenes:
            earlier = published(ref, tree)
            if earlier is not None:
                by_id[ref.id] = earlier
    for r in results:
        by_id[r.ref.id] = r
    episodes = [assemble_episode(ep, by_id, tree) for ep in touched]
    return results, episodes
