"""Render one scene in this process: ``python -m series.worker REQUEST_JSON``.

Each scene renders in its own process with its own media directory, because
manim's configuration is global and its Text and TeX caches write temporary
files beside their cached ones without locking. The worker prints one JSON
line on stdout describing what it wrote; a failure exits non-zero with the
traceback on stderr.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from dataclasses import asdict, dataclass
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
        ``"mp4"`` for the movie and its subtitles, ``"png"`` for the last frame.
    sys_path : str
        Prepended to ``sys.path`` so the scene's module imports.
    """

    module: str
    class_name: str
    width: int
    height: int
    fps: int
    media_dir: str
    output: str = "mp4"
    sys_path: str = ""

    def to_json(self) -> str:
        """Serialise for the command line."""
        return json.dumps(asdict(self))


def render(request: RenderRequest) -> dict[str, Any]:
    """Render the requested scene and return the paths it wrote.

    Returns
    -------
    dict
        ``movie`` and ``srt`` (or ``png``) paths inside ``media_dir``, and
        ``seconds`` of wall time.

    Raises
    ------
    ImportError, AttributeError
        If the module or class does not exist.
    Exception
        Whatever the scene raises.
    """
    start = time.perf_counter()
    if request.sys_path and request.sys_path not in sys.path:
        sys.path.insert(0, request.sys_path)
    from manim import tempconfig

    module = importlib.import_module(request.module)
    scene_class = getattr(module, request.class_name)
    options = {
        "media_dir": request.media_dir,
        "pixel_width": request.width,
        "pixel_height": request.height,
        "frame_rate": request.fps,
        "format": request.output,
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
        "notify_outdated_version": False,
        "output_file": request.class_name,
    }
    with tempconfig(options):
        scene = scene_class()
        scene.render()
        writer = scene.renderer.file_writer
        if request.output == "png":
            paths = {"png": str(writer.image_file_path)}
        else:
            paths = {
                "movie": str(writer.movie_file_path),
                "srt": str(writer.output_plan.subcaption_file),
            }
    paths["seconds"] = time.perf_counter() - start
    return paths


def main(argv: list[str] | None = None) -> int:
    """Entry point: render the request given as JSON, print the result as JSON."""
    args = sys.argv[1:] if argv is None else argv
    request = RenderRequest(**json.loads(args[0]))
    result = render(request)
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
