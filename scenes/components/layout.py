"""`ThreeViews`: the math | diagram | code layout every episode uses."""

from __future__ import annotations

import numpy as np
from manim import DOWN, UP, Mobject, Rectangle, VGroup, config

from series.i18n import N_, _

from . import palette
from .text import align_baselines, label

VIEW_NAMES = ("math", "diagram", "code")
HEADING_RISE = 0.17
"""Height of the headings' baseline above the panels' top edge, scene units: the
descender of "Diagram"'s g then clears the frame line (the audit's clearance)."""


class ThreeViews(VGroup):
    """Three side-by-side panels titled Math, Diagram and Code.

    Parameters
    ----------
    widths : tuple of float
        Relative widths of the three panels.
    height : float
        Panel height in scene units.
    titles : tuple of str
        Panel titles.

    Attributes
    ----------
    math, diagram, code : Rectangle
        The panel frames (named parts); place content with :meth:`place`.
    titles : VGroup
        The three title texts, their baselines on one line.
    """

    def __init__(
        self,
        widths: tuple[float, float, float] = (0.28, 0.36, 0.36),
        height: float = 6.0,
        titles: tuple[str, str, str] = (N_("Math"), N_("Diagram"), N_("Code")),
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        usable = config.frame_width - 0.6
        total = sum(widths)
        frames = []
        for w in widths:
            frames.append(
                Rectangle(
                    width=usable * w / total - 0.15,
                    height=height,
                    stroke_color=palette.MUTED,
                    stroke_width=1.5,
                )
            )
        row = VGroup(*frames).arrange(buff=0.15).move_to(DOWN * 0.35)
        self.math, self.diagram, self.code = frames
        self.titles = VGroup(
            *(
                label(_(t), font_size=26, color=palette.MUTED).next_to(f, UP, buff=0.12)
                for t, f in zip(titles, frames, strict=True)
            )
        )
        # One baseline for the three headings (not one bottom edge: the "g" of
        # "Diagram" would lift that heading above the others).
        align_baselines(self.titles, row.get_top()[1] + HEADING_RISE)
        self.add(row, self.titles)

    def place(
        self, mobject: Mobject, view: str, margin: float = 0.25, grow: bool = False
    ) -> Mobject:
        """Scale ``mobject`` to fit inside panel ``view`` and centre it there.

        It is scaled down only, unless ``grow``: then it fills the panel (within
        ``margin``), as large as the panel's width and height allow.

        Raises
        ------
        ValueError
            If ``view`` is not one of ``math``, ``diagram``, ``code``.
        """
        if view not in VIEW_NAMES:
            raise ValueError(f"unknown view {view!r}; expected one of {VIEW_NAMES}")
        frame = getattr(self, view)
        scale = min(
            (frame.width - 2 * margin) / max(mobject.width, 1e-9),
            (frame.height - 2 * margin) / max(mobject.height, 1e-9),
            np.inf if grow else 1.0,
        )
        mobject.scale(scale).move_to(frame.get_center())
        return mobject


def fit_width(mobject: Mobject, width: float) -> Mobject:
    """Scale ``mobject`` down (never up) to at most ``width`` scene units."""
    if mobject.width > width:
        mobject.scale(width / mobject.width)
    return mobject


__all__ = ["VIEW_NAMES", "ThreeViews", "fit_width"]
