"""Text builders that always use the pinned fonts and palette."""

from __future__ import annotations

from manim import Text

from ..fonts import TEXT_FONT, require_fonts, text_canvas
from . import palette


def label(text: str, font_size: float = 28, color=palette.INK, **kwargs) -> Text:
    """Build a ``Text`` in the series font (checked to be installed).

    Parameters
    ----------
    text : str
        The words.
    font_size : float
        Points, manim's unit.
    color : ManimColor
        A palette colour.
    """
    require_fonts()
    with text_canvas():
        return Text(text, font=TEXT_FONT, font_size=font_size, color=color, **kwargs)
