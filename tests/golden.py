"""Golden frames: key moments rendered small and compared with stored PNGs.

Our own small helper, not manim's ``frames_comparison`` (which skips silently
when the system cairo is older than 1.18, as Debian 12's 1.16 is, and then tests
nothing). Regenerate after an intended visual change with::

    .venv/bin/python -m tests.golden [ClassName ...]
"""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"
TEX_CACHE = Path(__file__).resolve().parents[1] / "build" / ".cache" / "golden"
"""manim's TeX and Text SVGs of the golden renders (one folder per size), kept across
sessions: content-addressed and written atomically (:mod:`series.texcache`)."""
SIZE = (320, 180)
KEY_MOMENTS = (
    ("scenes.ep01_derivative", "LimitShrinks"),
    ("scenes.ep01_derivative", "SecantBecomesTangent"),
    ("scenes.ep01_derivative", "FactoryNudge"),
    ("scenes.ep01_derivative", "DerivativeInThreeViews"),
    ("scenes.ep02_chain_rule", "NudgeThroughFactories"),
    ("scenes.ep03_graphs", "BackwardThroughTheGraph"),
)
"""(module, class): the last frame of each is a golden frame."""


def still_config(
    media: str, size: tuple[int, int] = SIZE, tex_cache: Path | None = TEX_CACHE
) -> dict:
    """Return manim's options for a still at ``size`` rendered into ``media``: PNG, quiet,
    no partial-movie cache; TeX and Text SVGs kept under ``tex_cache`` (None: in ``media``)."""
    options = {
        "media_dir": media,
        "pixel_width": size[0],
        "pixel_height": size[1],
        "format": "png",
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "ERROR",
    }
    if tex_cache is not None:
        cache = tex_cache / f"{size[0]}x{size[1]}"
        options |= {"tex_dir": str(cache / "Tex"), "text_dir": str(cache / "texts")}
    return options


def render_last_frame(module: str, class_name: str, size: tuple[int, int] = SIZE) -> np.ndarray:
    """Render a scene's last frame at ``size`` in manim's still mode; return RGB uint8 (h, w, 3)."""
    from manim import tempconfig

    from series import texcache

    texcache.install()
    scene_class = getattr(importlib.import_module(module), class_name)
    with tempfile.TemporaryDirectory() as media, tempconfig(still_config(media, size)):
        scene = scene_class()
        scene.render()
        with Image.open(scene.renderer.file_writer.image_file_path) as img:
            return np.asarray(img.convert("RGB"))


def difference(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean absolute difference (0..255) and the share of pixels differing by more than 32."""
    d = np.abs(a.astype(int) - b.astype(int))
    return float(d.mean()), float(np.mean(d.max(axis=2) > 32))


def main(argv: list[str] | None = None) -> int:
    """Write the golden PNGs from the scenes as they are now (all, or the classes named)."""
    names = set(sys.argv[1:] if argv is None else argv)
    GOLDEN_DIR.mkdir(exist_ok=True)
    for module, class_name in KEY_MOMENTS:
        if names and class_name not in names:
            continue
        path = GOLDEN_DIR / f"{class_name}.png"
        Image.fromarray(render_last_frame(module, class_name)).save(path)
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
