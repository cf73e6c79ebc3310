"""Build: render scenes in worker processes, publish them, assemble episodes.

Output layout, under ``<out>/<quality name>/`` (e.g. ``build/1080p30/``)::

    scenes/<scene id>_<ClassName>.mp4 and .srt   one per scene
    episodes/<episode slug>.mp4 and .srt          the scenes in manifest order
    previews/<ClassName>.png                      last frames
    .work/                                        private media dirs (removed on success)
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .assemble import Clip, concat_movies, concat_subtitles
from .cache import content_key, is_fresh, write_record
from .files import publish
from .manifest import Episode, SceneRef, Series
from .quality import Quality
from .worker import RenderRequest

log = logging.getLogger(__name__)

_ERROR_LINE = re.compile(
    r"^(\w+(\.\w+)*(Error|Exception)\b.*|.*LaTeX compilation error.*|! .*|.*Error: .*)$"
)


@dataclass(frozen=True)
class SceneResult:
    """The outcome of one scene.

    Attributes
    ----------
    ref : SceneRef
        The scene.
    status : str
        ``"rendered"``, ``"cached"`` (content key unchanged) or ``"failed"``.
    seconds : float
        Wall time of its worker.
    movie, srt : Path or None
        Published outputs (None when failed).
    error : str or None
        The first useful error line when failed.
    """

    ref: SceneRef
    status: str
    seconds: float
    movie: Path | None = None
    srt: Path | None = None
    error: str | None = None


@dataclass(frozen=True)
class EpisodeResult:
    """An assembled episode: its MP4, SRT and scene count, or why it was skipped."""

    episode: Episode
    movie: Path | None
    srt: Path | None
    error: str | None = None


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


def quality_dir(out: Path, quality: Quality) -> Path:
    """``<out>/<quality name>``, e.g. ``build/1080p30``."""
    return out / quality.name


def run_worker(request: RenderRequest, cwd: Path, timeout: float | None = None) -> dict:
    """Run one worker process; return its JSON result.

    Raises
    ------
    RuntimeError
        With the first useful error line when the worker fails.
    """
    proc = subprocess.run(
        [sys.executable, "-m", "series.worker", request.to_json()],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(first_error_line(proc.stderr))
    return json.loads(proc.stdout.strip().splitlines()[-1])


def render_scene(
    ref: SceneRef, quality: Quality, out: Path, root: Path, force: bool = False
) -> SceneResult:
    """Render one scene in a worker process and publish its MP4 and SRT atomically.

    A scene whose content key matches its published clip is not rendered
    (status ``"cached"``) unless ``force``.
    """
    qdir = quality_dir(out, quality)
    stem = f"{ref.id}_{ref.class_name}"
    movie_path, srt_path = qdir / "scenes" / f"{stem}.mp4", qdir / "scenes" / f"{stem}.srt"
    key = content_key(ref, quality, root)
    if not force and is_fresh(movie_path, srt_path, key):
        return SceneResult(ref, "cached", 0.0, movie_path, srt_path)
    work = qdir / ".work" / ref.id
    shutil.rmtree(work, ignore_errors=True)
    request = RenderRequest(
        module=ref.module,
        class_name=ref.class_name,
        width=quality.width,
        height=quality.height,
        fps=quality.fps,
        media_dir=str(work.resolve()),
        output="mp4",
        sys_path=str(root.resolve()),
    )
    start = time.perf_counter()
    try:
        result = run_worker(request, cwd=root)
    except RuntimeError as exc:
        return SceneResult(ref, "failed", time.perf_counter() - start, error=str(exc))
    movie = publish(Path(result["movie"]), movie_path)
    srt_src = Path(result["srt"])
    if srt_src.exists():
        publish(srt_src, srt_path)
    else:
        srt_path.write_text("", encoding="utf-8")
    write_record(movie, srt_path, key)
    shutil.rmtree(work, ignore_errors=True)
    return SceneResult(ref, "rendered", time.perf_counter() - start, movie, srt_path)


def render_scenes(
    refs: Sequence[SceneRef],
    quality: Quality,
    out: Path,
    root: Path,
    jobs: int | None = None,
    on_done: Callable[[SceneResult], None] | None = None,
    force: bool = False,
) -> list[SceneResult]:
    """Render scenes in parallel worker processes; results in the order given.

    Parameters
    ----------
    refs : sequence of SceneRef
        What to render.
    quality : Quality
        Resolution and frame rate.
    out : Path
        Build root (``build``).
    root : Path
        Project root: the workers' working directory and import path.
    jobs : int, optional
        Worker processes at once; default the number of cores.
    on_done : callable, optional
        Called with each result as it completes.
    force : bool
        Render even scenes whose content key matches their published clip.
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")

    def task(ref: SceneRef) -> SceneResult:
        result = render_scene(ref, quality, out, root, force=force)
        if on_done is not None:
            on_done(result)
        return result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(task, refs))


def assemble_episode(
    episode: Episode, results: dict[str, SceneResult], quality: Quality, out: Path
) -> EpisodeResult:
    """Concatenate an episode's scene clips into ``episodes/<slug>.mp4`` and ``.srt``.

    The episode is assembled only when every one of its scenes has a movie.
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
    clips = [Clip(results[r.id].movie, r.title, results[r.id].srt) for r in episode.scenes]
    qdir = quality_dir(out, quality) / "episodes"
    movie = qdir / f"{episode.slug}.mp4"
    offsets = concat_movies(clips, movie)
    srt_path = qdir / f"{episode.slug}.srt"
    concat_subtitles([(c.srt, o) for c, o in zip(clips, offsets, strict=True)], srt_path)
    return EpisodeResult(episode, movie, srt_path)


def scene_outputs(ref: SceneRef, quality: Quality, out: Path) -> SceneResult | None:
    """Return an already published scene clip, if one exists (for assembling partial builds)."""
    stem = quality_dir(out, quality) / "scenes" / f"{ref.id}_{ref.class_name}"
    movie, srt_path = stem.with_suffix(".mp4"), stem.with_suffix(".srt")
    if movie.exists():
        return SceneResult(ref, "existing", 0.0, movie, srt_path if srt_path.exists() else None)
    return None


def build(
    series: Series,
    refs: Sequence[SceneRef],
    quality: Quality,
    out: Path,
    root: Path,
    jobs: int | None = None,
    on_done: Callable[[SceneResult], None] | None = None,
    force: bool = False,
) -> tuple[list[SceneResult], list[EpisodeResult]]:
    """Render ``refs`` and assemble every episode they touch.

    An episode whose other scenes were rendered earlier (same quality) is
    assembled from those clips too.
    """
    results = render_scenes(refs, quality, out, root, jobs=jobs, on_done=on_done, force=force)
    by_id: dict[str, SceneResult] = {}
    touched = [ep for ep in series.episodes if any(r.episode_id == ep.id for r in refs)]
    for ep in touched:
        for ref in ep.scenes:
            existing = scene_outputs(ref, quality, out)
            if existing is not None:
                by_id[ref.id] = existing
    for r in results:
        by_id[r.ref.id] = r
    episodes = [assemble_episode(ep, by_id, quality, out) for ep in touched]
    return results, episodes


def preview(ref: SceneRef, out: Path, root: Path, quality: Quality) -> Path:
    """Render ``ref``'s last frame as a PNG; return its published path.

    Raises
    ------
    RuntimeError
        With the first useful error line if the scene fails.
    """
    qdir = quality_dir(out, quality)
    work = qdir / ".work" / f"preview-{ref.id}"
    shutil.rmtree(work, ignore_errors=True)
    request = RenderRequest(
        module=ref.module,
        class_name=ref.class_name,
        width=quality.width,
        height=quality.height,
        fps=quality.fps,
        media_dir=str(work.resolve()),
        output="png",
        sys_path=str(root.resolve()),
    )
    result = run_worker(request, cwd=root)
    final = publish(Path(result["png"]), qdir / "previews" / f"{ref.class_name}.png")
    shutil.rmtree(work, ignore_errors=True)
    return final
