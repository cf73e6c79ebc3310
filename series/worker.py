"""Render one scene in this process: ``python -m series.worker REQUEST_JSON``.

Each scene renders in its own process with its own media directory, because
manim's configuration is global and its Text and TeX caches write temporary
files beside their cached ones without locking. The worker prints one JSON
line on stdout describing what it wrote; a failure exits non-zero with the
traceback on stderr.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


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
        frame, ``"storyboard"`` for the last frame of every play.
    sys_path : str
        Prepended to ``sys.path`` so the scene's module imports.
    cache_dir : str
        Where manim keeps compiled TeX and Text SVGs (keyed by content), kept
        across renders; one per worker slot, so no two processes write it at
        once. Empty: inside ``media_dir``.
    encoder_options : tuple of (str, str)
        libx264 options (e.g. ``("preset", "veryfast")``), added to manim's crf 23.
    path : str
        The module's source file when it lies outside the project: imported
        from that file under the name ``module``, with its folder on the
        import path after ``sys_path``. Empty: ``module`` is imported by name.
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
        ref,
        quality,
        media_dir: Path,
        root: Path,
        output: str = "mp4",
        cache_dir: Path | None = None,
        encoder_options: tuple[tuple[str, str], ...] = (),
    ) -> RenderRequest:
        """Build the request for scene ``ref`` (a ``SceneRef``) at ``quality`` (a ``Quality``)."""
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
            encoder_options=encoder_options,
            path=getattr(ref, "path", ""),
        )


def _scene_class(request: RenderRequest) -> type:
    """Import the requested module (by name, or from its file) and return its Scene subclass.

    Raises
    ------
    ImportError, AttributeError
        If the module or class does not exist.
    TypeError
        If the class is not a manim Scene.
    """
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


def _record_plays(scene, frames_dir: Path | None) -> list[dict[str, Any]]:
    """Wrap the scene's renderer so that every play (and wait) is recorded.

    Each entry holds the play's index, start and end time in seconds and the
    manim section it belongs to; with ``frames_dir``, also the path of a PNG of
    the frame at the play's end (rasterised once, even when manim skips the
    animation's frames).
    """
    from PIL import Image

    renderer = scene.renderer
    original = renderer.play
    plays: list[dict[str, Any]] = []

    def play(scene_, *args: Any, **kwargs: Any) -> None:
        start = renderer.time
        original(scene_, *args, **kwargs)
        entry = {
            "index": len(plays),
            "start": start,
            "end": renderer.time,
            "section": renderer.file_writer.sections[-1].name,
        }
        if frames_dir is not None:
            renderer.update_frame(scene_)
            path = frames_dir / f"play_{len(plays):04d}.png"
            Image.fromarray(renderer.get_frame()).convert("RGB").save(path)
            entry["png"] = str(path)
        plays.append(entry)

    renderer.play = play
    return plays


def render(request: RenderRequest) -> dict[str, Any]:
    """Render the requested scene and return the paths it wrote.

    ``request.output`` is ``"mp4"`` (the movie, its subtitles and a timeline
    of its plays), ``"png"`` (the last frame) or ``"storyboard"`` (one PNG of
    the last frame of every play; animations are not rasterised in between).

    Returns
    -------
    dict
        Paths inside ``media_dir`` (``movie`` and ``srt``, or ``png``, or
        ``frames``), ``plays`` (the timeline: index, start, end, section) and
        ``seconds`` of wall time.

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
    if request.sys_path and request.sys_path not in sys.path:
        sys.path.insert(0, request.sys_path)
    from manim import tempconfig

    scene_class = _scene_class(request)
    options = {
        "media_dir": request.media_dir,
        "pixel_width": request.width,
        "pixel_height": request.height,
        "frame_rate": request.fps,
        "format": "png" if request.output == "storyboard" else request.output,
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
        "notify_outdated_version": False,
        "output_file": request.class_name,
        # Overlap encoding with rasterising: the encoder runs on its own thread.
        "max_inflight_encoders": 2,
    }
    if request.encoder_options:
        options["video_encoder_options"] = {"crf": "23", **dict(request.encoder_options)}
    if request.cache_dir:
        options["tex_dir"] = str(Path(request.cache_dir) / "Tex")
        options["text_dir"] = str(Path(request.cache_dir) / "texts")
    frames_dir = None
    if request.output == "storyboard":
        frames_dir = Path(request.media_dir) / "storyboard"
        frames_dir.mkdir(parents=True, exist_ok=True)
    with tempconfig(options):
        scene = scene_class()
        plays = _record_plays(scene, frames_dir)
        scene.render()
        writer = scene.renderer.file_writer
        if request.output == "png":
            paths: dict[str, Any] = {"png": str(writer.image_file_path)}
        elif request.output == "storyboard":
            paths = {"frames": [p["png"] for p in plays]}
        else:
            paths = {
                "movie": str(writer.movie_file_path),
                "srt": str(writer.output_plan.subcaption_file),
            }
    paths["plays"] = plays
    paths["seconds"] = time.perf_counter() - start
    return paths


def main(argv: list[str] | None = None) -> int:
    """Entry point: render the request given as JSON, print the result as JSON."""
    args = sys.argv[1:] if argv is None else argv
    request = RenderRequest.from_json(args[0])
    result = render(request)
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
