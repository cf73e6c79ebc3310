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


_DESCENDING = set("gjpqyQ,;()[]{}_@$|/\\")


def baseline_y(text: Text) -> float:
    """Return the y coordinate (scene units) of the baseline of ``text``'s glyphs.

    The bottom of its glyphs that sit on the baseline (not ``g``, ``p``, ``y``,
    brackets...), so that texts with and without descenders line up.

    Raises
    ------
    ValueError
        If ``text`` has no glyph that sits on the baseline, or its glyphs do not
        map one to one to its characters.
    """
    chars = [c for c in text.text if not c.isspace()]
    glyphs = list(text.submobjects)
    if len(chars) != len(glyphs):
        raise ValueError(f"the glyphs of {text.text!r} do not map to its characters")
    bottoms = [
        g.get_bottom()[1] for c, g in zip(chars, glyphs, strict=True) if c not in _DESCENDING
    ]
    if not bottoms:
        raise ValueError(f"{text.text!r} has no glyph that sits on the baseline")
    return float(sorted(bottoms)[len(bottoms) // 2])


def align_baselines(texts: list[Text] | tuple[Text, ...], y: float) -> None:
    """Shift each of ``texts`` vertically so that its baseline is at ``y`` (scene units)."""
    for t in texts:
        t.shift([0.0, y - baseline_y(t), 0.0])
