"""Render one scene in this process: ``python -m series.worker REQUEST_JSON``.

Each scene renders in its own process with its own media directory, because
manim's configuration is global; the TeX and Text caches are shared by all
processes (:mod:`series.texcache` makes manim's writes to them atomic). The worker prints one JSON
line on stdout describing what it wrote (a :class:`WorkerResult`); a failure
exits non-zero with the traceback on stderr.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import json
import sys
import time
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .manifest import SceneRef
    from .settings import RenderSettings


SPOKEN_OUTPUTS = ("mp4", "script")
"""The outputs timed by the request's voice; stills and storyboards stay silent."""


@dataclass(frozen=True)
class RenderRequest:
    """What one worker renders.

    Attributes
    ----------
    module, class_name : str
        The scene to import and render.
    width, height, fps : int
        Pixels and frames per second.
    media_dir : str
        A directory private to this render.
    output : str
        ``"mp4"`` for the movie and its subtitles, ``"png"`` for the last
        frame, ``"storyboard"`` for the last frame of every play,
        ``"script"`` for the narration timeline only (a dry run, nothing drawn).
    sys_path : str
        Prepended to ``sys.path`` so the scene's module imports.
    cache_dir : str
        Where manim keeps compiled TeX and Text SVGs (keyed by content), kept
        across renders and shared by concurrent workers (:mod:`series.texcache`).
        Empty: inside ``media_dir``.
    encoder_options : tuple of (str, str)
        libx264 options (:meth:`series.settings.Encoder.options`); empty:
        manim's own (crf 23).
    path : str
        The module's source file when it lies outside the project: imported
        from that file under the name ``module``, with its folder on the
        import path after ``sys_path``. Empty: ``module`` is imported by name.
    voice : str
        The narration's speech service (:func:`series.speech.service`);
        ``"none"``: silent. Stills and storyboards are always silent.
    speech_cache : str
        The speech cache's folder (:attr:`series.tree.BuildTree.speech_cache`);
        empty: the service's default.
    lang : str
        The language of the scene's words (:func:`series.i18n.set_language`),
        its catalogs under ``<sys_path>/assets/locale``.
    split : str
        A folder shared with another worker rendering the same scene
        (:mod:`series.split`); empty: this worker rasterises every play.
    split_role : str
        With ``split``: ``"lead"`` (writes the clip) or ``"helper"`` (hands its
        partial movies to the lead; its result has no movie).
    """

    module: str
    class_name: str
    width: int
    height: int
    fps: int
    media_dir: str
    output: str = "mp4"
    sys_path: str = ""
    cache_dir: str = ""
    encoder_options: tuple[tuple[str, str], ...] = ()
    path: str = ""
    voice: str = "none"
    speech_cache: str = ""
    lang: str = "en"
    split: str = ""
    split_role: str = ""

    def to_json(self) -> str:
        """Serialise for the command line."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> RenderRequest:
        """Read back what :meth:`to_json` wrote."""
        fields = json.loads(text)
        fields["encoder_options"] = tuple(tuple(kv) for kv in fields.get("encoder_options", ()))
        return cls(**fields)

    @classmethod
    def for_scene(
        cls,
        ref: SceneRef,
        settings: RenderSettings,
        media_dir: Path,
        root: Path,
        output: str = "mp4",
        cache_dir: Path | None = None,
        speech_cache: Path | None = None,
    ) -> RenderRequest:
        """Build the request for scene ``ref`` with ``settings`` (quality, encoder, voice)."""
        quality = settings.quality
        return cls(
            module=ref.module,
            class_name=ref.class_name,
            width=quality.width,
            height=quality.height,
            fps=quality.fps,
            media_dir=str(media_dir.resolve()),
            output=output,
            sys_path=str(root.resolve()),
            cache_dir=str(cache_dir.resolve()) if cache_dir is not None else "",
            encoder_options=tuple(settings.encoder.options().items()),
            path=ref.path,
            voice=settings.voice if output in SPOKEN_OUTPUTS else "none",
            speech_cache=str(speech_cache.resolve()) if speech_cache is not None else "",
            lang=settings.lang,
        )


@dataclass(frozen=True)
class WorkerResult:
    """What a worker wrote, the same from a local process and from a Dask worker.

    Attributes
    ----------
    seconds : float
        Wall time of the render, imports included.
    plays : tuple of dict
        The timeline: per play (and wait) its ``index``, ``start`` and ``end``
        in seconds and its ``section``; for a storyboard also its frame's ``png``.
    movie, srt : Path or None
        The MP4 and its subtitles (output ``"mp4"``).
    png : Path or None
        The last frame (output ``"png"``).
    frames : tuple of Path
        One PNG per play (output ``"storyboard"``).
    warnings : tuple of str
        manim's warnings during the render (:func:`series.errors.collect_warnings`).
    beats : tuple of dict
        The scene's narration timeline (its ``beats`` attribute, when it has
        one): per beat its ``scene``, ``beat``, ``text``, ``start``, ``end``,
        ``animations`` and ``line`` seconds and ``audio`` file.
    """

    seconds: float
    plays: tuple[dict[str, Any], ...] = ()
    movie: Path | None = None
    srt: Path | None = None
    png: Path | None = None
    frames: tuple[Path, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())
    beats: tuple[dict[str, Any], ...] = field(default=())

    def to_json(self) -> str:
        """Serialise as one JSON line."""
        fields = asdict(self)
        for name in ("movie", "srt", "png"):
            fields[name] = None if fields[name] is None else str(fields[name])
        fields["frames"] = [str(p) for p in self.frames]
        fields["plays"] = list(self.plays)
        fields["warnings"] = list(self.warnings)
        fields["beats"] = list(self.beats)
        return json.dumps(fields)

    @classmethod
    def from_json(cls, text: str) -> WorkerResult:
        """Read back what :meth:`to_json` wrote.

        Raises
        ------
        ValueError
            If ``text`` is not a worker result (the message quotes its start).
        """
        try:
            fields = json.loads(text)
            return cls(
                seconds=float(fields["seconds"]),
                plays=tuple(fields.get("plays", ())),
                movie=Path(fields["movie"]) if fields.get("movie") else None,
                srt=Path(fields["srt"]) if fields.get("srt") else None,
                png=Path(fields["png"]) if fields.get("png") else None,
                frames=tuple(Path(p) for p in fields.get("frames", ())),
                warnings=tuple(fields.get("warnings", ())),
                beats=tuple(fields.get("beats", ())),
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"not a worker result: {text[:80]!r} ({exc})") from None

    def moved(self, media_dir: Path) -> WorkerResult:
        """Return this result with its movie and subtitles renamed into ``media_dir``."""
        return dataclasses.replace(
            self,
            movie=media_dir / self.movie.name if self.movie else None,
            srt=media_dir / self.srt.name if self.srt else None,
        )


def _scene_class(request: RenderRequest) -> type:
    """Import the requested module (by name, or from its file): :func:`import_scene` without the path set-up."""
    from manim import Scene

    if request.path:
        folder = str(Path(request.path).parent)
        if folder not in sys.path:
            sys.path.insert(1 if request.sys_path else 0, folder)
        # A file named like a module already loaded (json.py) must not replace it.
        name = request.module if request.module not in sys.modules else f"_file_{request.module}"
        spec = importlib.util.spec_from_file_location(name, request.path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import {request.path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    else:
        module = importlib.import_module(request.module)
    scene_class = getattr(module, request.class_name)
    if not (isinstance(scene_class, type) and issubclass(scene_class, Scene)):
        raise TypeError(f"{request.class_name} in {module.__file__} is not a manim Scene subclass")
    return scene_class


PLAY_KEYWORDS = (
    "run_time",
    "rate_func",
    "lag_ratio",
    "subcaption",
    "subcaption_duration",
    "subcaption_offset",
)
"""Keywords ``Scene.play`` knows; manim sets any other one on the animations, silently."""


def _check_play_keywords(args: tuple, kwargs: dict[str, Any]) -> None:
    """Warn (on manim's logger) about a ``play`` keyword no animation has, e.g. ``runtime``."""
    import difflib
    import logging

    for key in kwargs:
        if key in PLAY_KEYWORDS or any(hasattr(a, key) for a in args):
            continue
        close = difflib.get_close_matches(key, PLAY_KEYWORDS, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else " (ignored)"
        logging.getLogger("manim").warning(f"play() got an unknown keyword {key!r}{hint}")


def _record_plays(scene, frames_dir: Path | None) -> list[dict[str, Any]]:
    """Wrap the scene's renderer so that every play (and wait) is recorded.

    Each entry holds the play's index, its start and end in seconds of the
    video, the manim section it belongs to and whether it was ``skipped``
    (``next_section(..., skip_animations=True)``: no frames in the video, so
    start equals end and later plays move earlier by its duration); with
    ``frames_dir``, also the path of a PNG of the frame at the play's end
    (rasterised once, even when manim skips the animation's frames).
    Entries also keep manim's own clock (``clock_start``, ``clock_end``),
    which runs on through skipped plays: :func:`video_time` maps it.
    """
    from PIL import Image

    renderer = scene.renderer
    original = renderer.play
    plays: list[dict[str, Any]] = []

    def play(scene_, *args: Any, **kwargs: Any) -> None:
        _check_play_keywords(args, kwargs)
        start = renderer.time
        original(scene_, *args, **kwargs)
        section = renderer.file_writer.sections[-1]
        entry = {
            "index": len(plays),
            "clock_start": start,
            "clock_end": renderer.time,
            "section": section.name,
            "skipped": bool(section.skip_animations),
        }
        if frames_dir is not None:
            renderer.update_frame(scene_)
            path = frames_dir / f"play_{len(plays):04d}.png"
            Image.fromarray(renderer.get_frame()).convert("RGB").save(path)
            entry["png"] = str(path)
        plays.append(entry)

    renderer.play = play
    return plays


def video_time(plays: list[dict[str, Any]], clock: float) -> float:
    """Map manim's clock to time in the video: skipped plays take no time there.

    Examples
    --------
    >>> plays = [{"clock_start": 1.0, "clock_end": 1.5, "skipped": True}]
    >>> video_time(plays, 0.5), video_time(plays, 1.2), video_time(plays, 3.0)
    (0.5, 1.0, 2.5)
    """
    gone = sum(
        min(p["clock_end"], clock) - p["clock_start"]
        for p in plays
        if p.get("skipped") and p["clock_start"] < clock
    )
    return clock - gone


def _timeline(plays: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add each play's ``start`` and ``end`` in video time (:func:`video_time`)."""
    return [
        {
            **p,
            "start": video_time(plays, p["clock_start"]),
            "end": video_time(plays, p["clock_end"]),
        }
        for p in plays
    ]


def _retime_subtitles(path: Path, plays: list[dict[str, Any]]) -> None:
    """Rewrite manim's subtitles in video time; drop those shown only during skipped plays."""
    import datetime

    import srt

    if not path.exists() or not any(p.get("skipped") for p in plays):
        return
    kept = []
    for sub in srt.parse(path.read_text(encoding="utf-8")):
        start = video_time(plays, sub.start.total_seconds())
        end = video_time(plays, sub.end.total_seconds())
        if end - start > 1e-9:
            sub.start = datetime.timedelta(seconds=start)
            sub.end = datetime.timedelta(seconds=end)
            kept.append(sub)
    path.write_text(srt.compose(kept), encoding="utf-8")


def manim_options(request: RenderRequest, output_format: str | None = None) -> dict[str, Any]:
    """Return the manim configuration of ``request`` (for ``tempconfig``).

    ``output_format`` overrides the format that follows from ``request.output``
    (the benchmark's floor renders with ``"none"``).
    """
    fmt = "png" if request.output in ("storyboard", "script") else request.output
    options: dict[str, Any] = {
        "media_dir": request.media_dir,
        "pixel_width": request.width,
        "pixel_height": request.height,
        "frame_rate": request.fps,
        "format": output_format or fmt,
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
        "notify_outdated_version": False,
        "output_file": request.class_name,
        # Overlap encoding with rasterising: the encoder runs on its own thread.
        "max_inflight_encoders": 2,
    }
    if request.output == "script":  # the timeline only: no frame is drawn
        options["dry_run"] = True
    if request.encoder_options:
        options["video_encoder_options"] = dict(request.encoder_options)
    if request.split:  # the helper's partial movies must outlive its own cache pruning
        options["max_files_cached"] = -1
    if request.cache_dir:
        options["tex_dir"] = str(Path(request.cache_dir) / "Tex")
        options["text_dir"] = str(Path(request.cache_dir) / "texts")
    return options


def import_scene(request: RenderRequest) -> type:
    """Put ``request.sys_path`` on the import path and return the requested Scene subclass.

    Raises
    ------
    ImportError, AttributeError
        If the module or class does not exist.
    TypeError
        If the class is not a manim Scene.
    """
    if request.sys_path and request.sys_path not in sys.path:
        sys.path.insert(0, request.sys_path)
    return _scene_class(request)


def use_voice(request: RenderRequest) -> None:
    """Make the request's voice this process's speech service (:func:`series.speech.use`).

    A still or a storyboard never waits for synthesis: it is silent whatever
    the voice (a line's reading time is close enough for a frame). A movie and
    a recording script (:data:`SPOKEN_OUTPUTS`) are timed by the voice.
    """
    from . import speech

    name = request.voice if request.output in SPOKEN_OUTPUTS else "none"
    cache = Path(request.speech_cache) if request.speech_cache else None
    root = Path(request.sys_path) if request.sys_path else None
    speech.use(speech.service(name, cache, root, request.lang))


def render(request: RenderRequest) -> WorkerResult:
    """Render the requested scene and return what it wrote.

    ``request.output`` is ``"mp4"`` (the movie, its subtitles and a timeline
    of its plays), ``"png"`` (the last frame) or ``"storyboard"`` (one PNG of
    the last frame of every play; animations are not rasterised in between).

    Returns
    -------
    WorkerResult
        Paths inside ``media_dir``, the timeline and the wall time.

    Raises
    ------
    ImportError, AttributeError
        If the module or class does not exist.
    TypeError
        If the class is not a manim Scene.
    Exception
        Whatever the scene raises.
    """
    start = time.perf_counter()
    from manim import tempconfig

    from . import still, texcache
    from .errors import install_tex_check

    install_tex_check()
    use_voice(request)
    _set_language(request)
    texcache.install()
    scene_class = import_scene(request)
    frames_dir = None
    if request.output == "storyboard":
        frames_dir = Path(request.media_dir) / "storyboard"
        frames_dir.mkdir(parents=True, exist_ok=True)
    fast = request.output in still.STILL_OUTPUTS and still.enabled()
    with tempconfig(manim_options(request)), still.fast_copies() if fast else nullcontext():
        scene = scene_class()
        if fast and request.output == "png":
            still.still_frames_only(scene.renderer)
        split = None
        if request.split and request.output == "mp4":
            from .split import SplitPlays

            split = SplitPlays(scene, Path(request.split), request.split_role)
        plays = _record_plays(scene, frames_dir)
        scene.render()
        writer = scene.renderer.file_writer
        beats = tuple(getattr(scene, "beats", ()))
        if split is not None and split.role == "helper":
            split.hand_over()
            paths: dict[str, Any] = {}
        elif request.output == "script":
            paths = {}
        elif request.output == "png":
            paths = {"png": Path(writer.image_file_path)}
        elif request.output == "storyboard":
            paths = {"frames": tuple(Path(p["png"]) for p in plays)}
        else:
            paths = {
                "movie": Path(writer.movie_file_path),
                "srt": Path(writer.output_plan.subcaption_file),
            }
            _retime_subtitles(paths["srt"], plays)
            if paths["movie"].exists():
                from .assemble import fit_sound

                fit_sound(paths["movie"])
    return WorkerResult(
        seconds=time.perf_counter() - start,
        plays=tuple(_timeline(_mark_beats(plays, beats))),
        beats=beats,
        **paths,
    )


def _mark_beats(
    plays: list[dict[str, Any]], beats: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Mark each play that ran inside its section's narration beat (``in_beat``).

    A section opens with its beat (``LectureScene.narrating``), but plays after
    the beat's block (a fade-out before the next beat) belong to it too;
    ``preview --section`` shows the beat's end, not what follows it. A scene
    without beats (plain manim) is left as it is.

    Examples
    --------
    >>> plays = [{"section": "a", "clock_end": 1.0}, {"section": "a", "clock_end": 1.5}]
    >>> [p["in_beat"] for p in _mark_beats(plays, [{"beat": "a", "end": 1.0}])]
    [True, False]
    """
    ends = {b["beat"]: b["end"] for b in beats if "beat" in b and "end" in b}
    return [
        {**p, "in_beat": p["clock_end"] <= ends[p["section"]] + 1e-9}
        if p.get("section") in ends
        else p
        for p in plays
    ]


def _set_language(request: RenderRequest) -> None:
    """Make ``request.lang`` the language of the scene's words (catalogs of its project)."""
    from .i18n import LOCALE_DIR, set_language

    root = Path(request.sys_path) if request.sys_path else None
    set_language(request.lang, root / "assets" / "locale" if root else LOCALE_DIR)


def scene_path(request: RenderRequest) -> Path | None:
    """Return the source file of the requested scene's module (None when not found)."""
    if request.path:
        return Path(request.path)
    from .cache import module_file

    return module_file(Path(request.sys_path or "."), request.module)


def main(argv: list[str] | None = None) -> int:
    """Entry point: render the request given as JSON, print the result as JSON.

    A failure of any kind prints one JSON line ``{"failure": ...}``
    (:class:`series.errors.SceneFailure`, located in the scene's file) and
    the full traceback on stderr, and exits 1.
    """
    from .errors import collect_warnings, failure_from_exception

    args = sys.argv[1:] if argv is None else argv
    request = RenderRequest.from_json(args[0])
    warnings = collect_warnings()
    try:
        result = render(request)
    except Exception as exc:
        failure = failure_from_exception(exc, scene_path(request), warnings)
        sys.stderr.write(failure.detail)
        sys.stdout.write("\n" + failure.to_json() + "\n")
        return 1
    result = dataclasses.replace(result, warnings=tuple(warnings))
    sys.stdout.write("\n" + result.to_json() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
