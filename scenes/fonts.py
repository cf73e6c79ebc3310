"""Fonts, pinned by name in one place and checked before use.

manim falls back silently to another font when a name is missing and draws
empty boxes for glyphs that font lacks. Here a missing font is an error that
says which package installs it. Both families come from Debian's
``fonts-noto-cjk``, installed by ``make``'s set-up.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator

TEXT_FONT = "Noto Sans CJK JP"
"""Labels, titles, captions (covers Latin and Japanese)."""
CODE_FONT = "Noto Sans Mono CJK JP"
"""Code panels (monospace)."""
FONT_PACKAGE = "fonts-noto-cjk"


class MissingFontError(RuntimeError):
    """A pinned font is not installed."""


@functools.cache
def require_fonts() -> tuple[str, str]:
    """Check that the pinned fonts are installed; return them.

    Raises
    ------
    MissingFontError
        Naming the font and the install command.
    """
    import manimpango

    installed = set(manimpango.list_fonts())
    missing = [f for f in (TEXT_FONT, CODE_FONT) if f not in installed]
    if missing:
        raise MissingFontError(
            f"font(s) {', '.join(missing)} not installed; "
            f"run: apt-get install {FONT_PACKAGE} (or `make setup`)"
        )
    return TEXT_FONT, CODE_FONT


TEXT_CANVAS = (3840, 2160)
"""Pango canvas (pixels) for building Text: at least 4K, whatever the render quality."""


@contextlib.contextmanager
def text_canvas() -> Iterator[None]:
    """Build Text and Code on a canvas large enough for their longest line.

    manim 0.22 lays text out on a Pango canvas of ``config.pixel_width`` by
    ``config.pixel_height`` pixels, so at low quality a long code line is cut
    off (and ``Code`` then raises "rendered fewer glyph(s)"). The text is a
    vector shape whose size does not depend on the canvas, so a large canvas
    during construction gives the same mobject at every quality.
    """
    from manim import config

    saved = config.pixel_width, config.pixel_height
    config.pixel_width = max(saved[0], TEXT_CANVAS[0])
    config.pixel_height = max(saved[1], TEXT_CANVAS[1])
    try:
        yield
    finally:
        config.pixel_width, config.pixel_height = saved
