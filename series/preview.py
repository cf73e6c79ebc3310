"""Previews: a still of a chosen moment, a storyboard sheet, and a watch mode.

- the last frame: the worker renders in manim's still mode (no animation is
  rasterised but the last), so it takes a few seconds;
- ``at`` a time or the end of a named section: the scene's clip at preview
  quality is built through the cache (rendered only when stale) and the frame
  is decoded from it with PyAV;
- a storyboard: the last frame of every animation, labelled, on one sheet;
  for a whole episode, one large-tile sheet per scene (a code line of a
  1080p frame stays readable), several scenes at once;
- watch: re-run a preview whenever one of the scene's source files changes
  (watchdog's observer, not a polling loop).
"""

from __future__ import annotations

import datetime
import json
import math
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import warm
from .files import atomic_path, publish
from .manifest import SceneRef
from .quality import Quality
from .tree import BuildTree
from .worker import RenderRequest, WorkerResult

if TYPE_CHECKING:
    from PIL import Image, ImageFont

# PyAV, Pillow and the build (with the assembly) are imported where they are used:
# a still through the preview server needs none of them, and its command starts sooner.

DEFAULT_PREVIEW = Quality.parse("l")
"""A still's default quality: manim's ``-q l``, 854x480 at 15 fps."""

WRITE_EVENTS = frozenset({"modified", "created", "moved", "deleted", "closed"})
"""watchdog event types that mean a file's content changed ("closed" is close-after-write)."""


class PreviewError(ValueError):
    """A preview request that cannot be met (time past the end, unknown section)."""


class StoryboardError(RuntimeError):
    """Some scenes of an episode's storyboards failed; ``sheets`` holds those written."""

    def __init__(self, message: str, sheets: list[Path]) -> None:
        super().__init__(message)
        self.sheets = sheets


def _request(ref: SceneRef, tree: BuildTree, work: Path, root: Path, output: str) -> RenderRequest:
    # The build's TeX/Text cache: safe to share with a build running beside (series.texcache).
    return RenderRequest.for_scene(ref, tree.settings, work, root, output, cache_dir=tree.cache)


def render_still(request: RenderRequest, root: Path) -> WorkerResult:
    """Render a still request in a child of the preview server, or else of a warm parent.

    The preview server (:func:`series.warm.server_run`) stays between
    commands, so a still pays neither the imports of manim nor the start of a
    process; without one (``SERIES_PREVIEW_SERVER=0``, or unreachable) the
    request runs as a build's does (:func:`series.build.run_worker`).

    Raises
    ------
    SceneError
        A RuntimeError whose ``failure`` says what went wrong and where.
    """
    if warm.server_enabled():
        try:
            code, out, err = warm.server_run(root, request.to_json())
        except OSError:
            pass  # no server to be had: as a build renders
        else:
            if code != 0:
                from .build import worker_failure
                from .errors import SceneError

                raise SceneError(worker_failure(out, err))
            # As build.worker_result reads it (the last line), without importing the
            # build and the assembly (PyAV) into a command that only wants a PNG.
            return WorkerResult.from_json(out.strip().splitlines()[-1])
    from .build import run_worker

    return run_worker(request, cwd=root)


def last_frame(ref: SceneRef, tree: BuildTree, root: Path) -> Path:
    """Render ``ref``'s last frame as a PNG; return its published path.

    Raises
    ------
    RuntimeError
        With the first useful error line if the scene fails.
    """
    with tree.scratch(f"preview-{ref.id}") as work:
        result = render_still(_request(ref, tree, work, root, "png"), root)
        return publish(result.png, tree.preview(ref))


def _clip(ref: SceneRef, tree: BuildTree, root: Path):
    from .build import render_scene

    result = render_scene(ref, tree, root)
    if result.status == "failed":
        raise RuntimeError(result.error)
    return result


def timeline(movie: Path) -> list[dict]:
    """Return the plays recorded beside a published clip: index, start, end, section."""
    path = BuildTree.timeline(movie)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def _decode_at(movie: Path, seconds: float, final: Path) -> Path:
    import av

    with av.open(str(movie)) as container:
        stream = container.streams.video[0]
        chosen = None
        for frame in container.decode(stream):
            if frame.time is not None and frame.time > seconds + 1e-9:
                break
            chosen = frame
        if chosen is None:
            raise PreviewError(f"no frame at {seconds} s in {movie.name}")
        with atomic_path(final) as tmp:
            chosen.to_image().save(tmp, format="PNG")
    return final


def frame_at(ref: SceneRef, tree: BuildTree, root: Path, seconds: float) -> Path:
    """Return the frame shown at ``seconds`` into the scene, as a PNG.

    Raises
    ------
    PreviewError
        If ``seconds`` is negative, not finite (nan, inf) or past the end (the
        message gives the duration).
    RuntimeError
        If the scene fails to render.
    """
    from .assemble import probe

    if not math.isfinite(seconds) or seconds < 0:
        raise PreviewError(f"--at {seconds}: expected a finite time >= 0 seconds")
    clip = _clip(ref, tree, root)
    duration = probe(clip.movie).duration
    if seconds > duration:
        raise PreviewError(f"--at {seconds}: {ref.class_name} lasts {duration:.2f} s")
    return _decode_at(clip.movie, seconds, tree.preview(ref, f"_at_{seconds:g}s"))


def section_frame(ref: SceneRef, tree: BuildTree, root: Path, name: str) -> Path:
    """Return the last frame of the beat ``name`` (its section up to the beat's end), as a PNG.

    Raises
    ------
    PreviewError
        If the scene has no section of that name (the message lists them), or
        the section is skipped (``skip_animations=True``: no frame of it).
    """
    clip = _clip(ref, tree, root)
    plays = [p for p in timeline(clip.movie) if p["section"] == name]
    if not plays:
        names = list(dict.fromkeys(p["section"] for p in timeline(clip.movie)))
        raise PreviewError(
            f"{ref.class_name} has no section {name!r}; sections: {', '.join(names)}"
        )
    shown = [p for p in plays if not p.get("skipped")]
    if not shown:
        raise PreviewError(
            f"section {name!r} of {ref.class_name} is skipped "
            "(next_section(..., skip_animations=True)): the video has no frame of it"
        )
    # The end of the beat: not the plays after its narration block (a fade-out
    # leading to the next beat), which belong to its section too.
    shown = [p for p in shown if p.get("in_beat", True)] or shown
    end = max(p["end"] for p in shown) - 0.5 / tree.quality.fps
    return _decode_at(clip.movie, max(end, 0.0), tree.preview(ref, f"_{name}"))


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    """Pillow's built-in font at ``size`` pixels (its bitmap font for the small sheets)."""
    from PIL import ImageFont

    return ImageFont.load_default() if size <= 11 else ImageFont.load_default(size=size)


def contact_sheet(
    plays: Sequence[dict],
    quality: Quality,
    columns: int = 4,
    tile_width: int = 320,
    heading: str = "",
) -> Image.Image:
    """Lay out the frames of ``plays`` (each with ``png``, ``index``, ``end``, ``section``).

    Tiles are ``tile_width`` pixels wide (never wider than the frames, so
    nothing is upscaled), in ``columns`` columns, each under a label with the
    animation's number, its end time in seconds and its section; ``heading``
    is a line above them all.

    Raises
    ------
    ValueError
        If ``columns`` or ``tile_width`` is less than 1.
    """
    from PIL import Image, ImageDraw

    if columns < 1 or tile_width < 1:
        raise ValueError(f"columns and tile_width must be >= 1, got {columns} and {tile_width}")
    tile_w = min(tile_width, quality.width)
    tile_h = round(tile_w * quality.height / quality.width)
    small = tile_w <= 480
    font = _font(10 if small else 24)
    label_h, pad = (22, 8) if small else (36, 12)
    head_h = (label_h + pad) if heading else 0
    rows = -(-len(plays) // columns)
    sheet = Image.new(
        "RGB",
        (columns * (tile_w + pad) + pad, head_h + rows * (tile_h + label_h + pad) + pad),
        (24, 24, 28),
    )
    draw = ImageDraw.Draw(sheet)
    if heading:
        draw.text((pad, pad + 4), heading, fill=(255, 255, 255), font=_font(10 if small else 28))
    for i, play in enumerate(plays):
        x = pad + (i % columns) * (tile_w + pad)
        y = head_h + pad + (i // columns) * (tile_h + label_h + pad)
        with Image.open(play["png"]) as img:
            tile = img.convert("RGB")
            if tile.size != (tile_w, tile_h):
                tile = tile.resize((tile_w, tile_h), Image.Resampling.LANCZOS)
            sheet.paste(tile, (x, y + label_h))
        draw.text(
            (x, y + 4),
            f"#{play['index']}  {play['end']:.1f} s  {play['section']}",
            fill=(230, 230, 230),
            font=font,
        )
    return sheet


def _storyboard_plays(ref: SceneRef, tree: BuildTree, work: Path, root: Path):
    from .build import run_worker

    return run_worker(_request(ref, tree, work, root, "storyboard"), cwd=root).plays


def storyboard(ref: SceneRef, tree: BuildTree, root: Path, columns: int = 4) -> Path:
    """One contact sheet with the last frame of every animation of ``ref``, labelled.

    Each tile is labelled with the animation's number, its end time and its
    section. Returns the sheet's path, ``previews/<Class>_storyboard.png``.
    """
    with tree.scratch(f"storyboard-{ref.id}") as work:
        sheet = contact_sheet(_storyboard_plays(ref, tree, work, root), tree.quality, columns)
        final = tree.preview(ref, "_storyboard")
        with atomic_path(final) as tmp:
            sheet.save(tmp, format="PNG")
    return final


def episode_storyboards(
    refs: Sequence[SceneRef],
    tree: BuildTree,
    root: Path,
    folder: str,
    columns: int = 2,
    tile_width: int = 960,
    jobs: int | None = None,
    on_sheet: Callable[[SceneRef, Path], None] | None = None,
) -> list[Path]:
    """One storyboard sheet per scene of ``refs`` (an episode), with large tiles.

    At 1080p the default tiles are 960 x 540, half the frame's size, so a
    line of code on screen stays readable on the sheet. Sheets go to
    ``previews/storyboards/<folder>/<id>_<Class>.png``, each headed with the
    scene's id, class and title.

    Parameters
    ----------
    refs : sequence of SceneRef
        The scenes, in order.
    tree : BuildTree
        Where the sheets go, and the quality the frames are rendered at.
    root : Path
        Project root.
    folder : str
        Name of the sheets' folder (e.g. the episode's id).
    columns, tile_width : int
        Layout of each sheet (see :func:`contact_sheet`).
    jobs : int, optional
        Scenes rendered at once (default: the number of cores), each in its
        own process; they share the build's TeX cache.
    on_sheet : callable, optional
        Called with each scene and its sheet's path as soon as it is written.

    Returns
    -------
    list of Path
        The sheets, in the order of ``refs``.

    Raises
    ------
    StoryboardError
        Naming the scenes whose storyboard failed, with their first error
        line; the other sheets are written (its ``sheets``).
    """
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(refs)))
    quality = tree.quality

    def one(ref: SceneRef) -> Path:
        heading = f"{ref.id}  {ref.class_name}: {ref.title}  ({quality.width}x{quality.height})"
        final = tree.episode_sheet(folder, ref)
        with tree.scratch(f"storyboard-{ref.id}") as work:  # the frames the sheet reads
            plays = _storyboard_plays(ref, tree, work, root)
            sheet = contact_sheet(plays, quality, columns, tile_width, heading)
            with atomic_path(final) as tmp:
                sheet.save(tmp, format="PNG")
        if on_sheet is not None:
            on_sheet(ref, final)
        return final

    def attempt(ref: SceneRef) -> Path | str:
        try:
            return one(ref)
        except RuntimeError as exc:
            return f"{ref.class_name}: {exc}"

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        outcomes = list(pool.map(attempt, refs))
    sheets = [o for o in outcomes if isinstance(o, Path)]
    failed = [o for o in outcomes if isinstance(o, str)]
    if failed:
        raise StoryboardError("storyboard failed for " + "; ".join(failed), sheets)
    return sheets


@dataclass(frozen=True)
class WatchUpdate:
    """One preview made by :func:`watch`: what changed, when, how long it took.

    Attributes
    ----------
    result : Path or Exception
        The preview's PNG, or why it failed.
    changed : tuple of Path
        The source files written since the last preview.
    at : datetime.datetime
        When the preview was done (local time).
    seconds : float
        Wall time of the preview.
    """

    result: Path | Exception
    changed: tuple[Path, ...]
    at: datetime.datetime
    seconds: float

    def describe(self, root: Path) -> str:
        """Return one line: time, changed files (relative to ``root``), render time, result."""
        names = ", ".join(
            str(p.relative_to(root)) if p.is_relative_to(root) else str(p) for p in self.changed
        )
        outcome = (
            f"failed: {self.result}" if isinstance(self.result, Exception) else str(self.result)
        )
        return f"{self.at:%H:%M:%S}  {names or '?'} changed; {self.seconds:.1f} s: {outcome}"


def watch(
    ref: SceneRef,
    root: Path,
    make_preview: Callable[[], Path],
    on_preview: Callable[[Path | Exception], None],
    stop: threading.Event | None = None,
    max_previews: int | None = None,
    debounce: float = 0.3,
    on_update: Callable[[WatchUpdate], None] | None = None,
    still: bool = False,
    ready: threading.Event | None = None,
) -> int:
    """Re-run ``make_preview`` whenever a source file of ``ref`` changes.

    The watched files are the scene's module and every project module it
    imports (as for its content key). Runs until ``stop`` is set or
    ``max_previews`` previews were made (Ctrl-C also stops it). After each
    preview ``on_preview`` gets its PNG (or the exception), and ``on_update``
    a :class:`WatchUpdate` (what changed, the time, the render time). With
    ``still`` (``make_preview`` renders a last frame through
    :func:`render_still`), the preview server is started at once, so the
    first update finds manim imported. ``ready``, if given, is set once the
    files are watched: a save from then on is seen.

    Returns
    -------
    int
        The number of previews made.
    """
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    from .cache import source_files

    own = Path(ref.path) if ref.path else None
    watched = {p.resolve() for p in source_files(root, ref.module, own)}
    changed = threading.Event()
    written: set[Path] = set()
    lock = threading.Lock()

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event) -> None:
            # Writes only: watchdog also reports a file opened or closed without
            # writing, which every preview does to the sources it reads.
            if event.event_type not in WRITE_EVENTS:
                return
            paths = {getattr(event, "src_path", ""), getattr(event, "dest_path", "")}
            hits = {Path(p).resolve() for p in paths if p} & watched
            if hits:
                with lock:
                    written.update(hits)
                changed.set()

    observer = Observer()
    for folder in {p.parent for p in watched}:
        observer.schedule(Handler(), str(folder), recursive=False)
    observer.start()
    if ready is not None:
        ready.set()
    if still and warm.server_enabled():
        # The preview server waits for the first change: every update forks a child of it.
        try:
            warm.start_server(root)
        except OSError:
            pass  # each update then starts its own warm parent
    elif warm.enabled():
        # A warm parent waits for the first change: every update forks a child of it.
        warm.POOL.prime(root)
    stop = stop or threading.Event()
    made = 0
    try:
        while not stop.is_set() and (max_previews is None or made < max_previews):
            if not changed.wait(timeout=0.2):
                continue
            time.sleep(debounce)
            changed.clear()
            with lock:
                paths = tuple(sorted(written))
                written.clear()
            start = time.perf_counter()
            try:
                result: Path | Exception = make_preview()
            except Exception as exc:  # noqa: BLE001 - reported, and watching goes on
                result = exc
            seconds = time.perf_counter() - start
            on_preview(result)
            if on_update is not None:
                on_update(WatchUpdate(result, paths, datetime.datetime.now(), seconds))
            made += 1
    finally:
        observer.stop()
        observer.join()
    return made
