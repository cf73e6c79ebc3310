r"""Mathematics with words in it (``\text{...}``), in any language.

LaTeX here typesets Latin script only (no CJK fonts or engine), so a formula
whose ``\text{...}`` words are translated into Japanese cannot be one
``MathTex``. :func:`math_words` builds exactly ``MathTex(*parts)`` when every
word is ASCII (English: nothing changes), and otherwise typesets each
top-level ``\text{...}`` as a :class:`~manim.Text` in the series font and the
mathematics between them as ``MathTex``, set side by side on one baseline.
Either way the result has one submobject per part, so ``mob[1]`` is still
the second part, as with ``MathTex(*parts)``.
"""

from __future__ import annotations

import re

from manim import DOWN, LEFT, RIGHT, UP, Line, MathTex, VGroup

from . import palette
from .audit import one_label
from .text import label

_TEXT = "\\text{"
TEXT_SCALE = 0.8
"""Text font size per MathTex point: a kanji in Noto Sans CJK at 0.8 of the formula's size
stands as tall as the formula's capitals."""
_SPACING = re.compile(r"^(\s|\\[ ,;:!]|\\q?quad)*$")
_EDGES = re.compile(
    r"^((?:\s|\\[ ,;:!]|\\q?quad(?![a-zA-Z]))*)(.*?)((?:\s|\\[ ,;:!]|\\q?quad)*)$", re.S
)


def split_text(tex: str) -> list[tuple[str, str]]:
    r"""Cut ``tex`` into ``("math", ...)`` and ``("text", ...)`` pieces at top-level ``\text{...}``.

    A ``\text`` nested inside braces (``\frac{\text{a}}{b}``) stays in its math.

    Raises
    ------
    ValueError
        If a ``\text{`` has no closing brace.

    Examples
    --------
    >>> split_text(r"\text{slope} = 2")
    [('text', 'slope'), ('math', ' = 2')]
    """
    pieces: list[tuple[str, str]] = []
    depth, i, start = 0, 0, 0
    while i < len(tex):
        if tex.startswith("\\\\", i) or (
            tex[i] == "\\" and i + 1 < len(tex) and tex[i + 1] in "{}"
        ):
            i += 2
            continue
        if depth == 0 and tex.startswith(_TEXT, i):
            if tex[start:i]:
                pieces.append(("math", tex[start:i]))
            j, level = i + len(_TEXT), 1
            while j < len(tex) and level:
                level += {"{": 1, "}": -1}.get(tex[j], 0)
                j += 1
            if level:
                raise ValueError(f"unclosed \\text{{ in {tex!r}")
            pieces.append(("text", tex[i + len(_TEXT) : j - 1]))
            i = start = j
            continue
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        i += 1
    if tex[start:]:
        pieces.append(("math", tex[start:]))
    return pieces


_FRAC = "\\frac{"


def _group(tex: str, i: int) -> int:
    """Index just past the brace group that opens at ``tex[i]`` (``{``)."""
    level, j = 0, i
    while j < len(tex):
        if tex[j] == "\\":
            j += 2
            continue
        level += {"{": 1, "}": -1}.get(tex[j], 0)
        j += 1
        if level == 0:
            return j
    raise ValueError(f"unclosed {{ in {tex!r}")


def split_fracs(tex: str) -> list[tuple[str, ...]]:
    r"""Cut math ``tex`` at each top-level ``\frac{A}{B}`` whose A or B is not ASCII.

    Returns ``("math", tex)`` pieces and ``("frac", A, B)`` pieces; a fraction in
    plain ASCII stays in its math (LaTeX sets it).

    Examples
    --------
    >>> split_fracs(r"\quad \frac{\Delta \text{出力}}{\varepsilon} =")
    [('math', '\\quad '), ('frac', '\\Delta \\text{出力}', '\\varepsilon'), ('math', ' =')]
    """
    pieces: list[tuple[str, ...]] = []
    depth, i, start = 0, 0, 0
    while i < len(tex):
        if tex[i] == "\\" and not tex.startswith(_FRAC, i):
            i += 2
            continue
        if depth == 0 and tex.startswith(_FRAC, i):
            num_end = _group(tex, i + len(_FRAC) - 1)
            den_end = _group(tex, num_end)
            num, den = tex[i + len(_FRAC) : num_end - 1], tex[num_end + 1 : den_end - 1]
            if not (num.isascii() and den.isascii()):
                if tex[start:i]:
                    pieces.append(("math", tex[start:i]))
                pieces.append(("frac", num, den))
                start = den_end
            i = den_end
            continue
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        i += 1
    if tex[start:]:
        pieces.append(("math", tex[start:]))
    return pieces


def _fraction(num: str, den: str, font_size: float, color) -> VGroup:  # noqa: ANN001
    """Stack a numerator over a bar over a denominator, each a line of math and words."""
    top, bottom = _line(num, font_size, color), _line(den, font_size, color)
    bar = Line(LEFT, RIGHT, color=color, stroke_width=2 * font_size / 36)
    bar.width = max(top.width, bottom.width) + 0.1 * font_size / 36
    fraction = VGroup(top, bar, bottom).arrange(DOWN, buff=0.08 * font_size / 36)
    fraction.is_fraction = True
    return fraction


def _em(font_size: float) -> float:
    """One em of a formula at ``font_size`` points, in scene units (0.5 at manim's 48)."""
    return 0.5 * font_size / 48


def _space(body: str, font_size: float) -> float:
    r"""Return the width of TeX's spacing in ``body``: ``\qquad`` 2 em, ``\quad`` 1, ``\,`` 1/3."""
    qquad = body.count("\\qquad")
    quad = body.count("\\quad")  # "\\qquad" does not contain "\\quad"
    thin = len(re.findall(r"\\[ ,;:]", body))
    return _em(font_size) * (2 * qquad + quad + thin / 3)


def _line(tex: str, font_size: float, color) -> VGroup:  # noqa: ANN001
    r"""One line of one part: math and words side by side, centred vertically.

    Spacing between the pieces (``\qquad`` between two words, or at the end
    of a formula, where its SVG would crop it) becomes the gap it stands for.
    """
    items, gaps = [], []
    gap = 0.0
    for kind, body in split_text(tex):
        if kind == "text":
            if body.strip():
                items.append(label(body.strip(), font_size=font_size * TEXT_SCALE, color=color))
                gaps.append(gap)
                gap = 0.0
        else:
            for piece in split_fracs(body):
                if piece[0] == "frac":
                    items.append(_fraction(piece[1], piece[2], font_size, color))
                    gaps.append(gap)
                    gap = 0.0
                elif _SPACING.match(piece[1]):
                    gap += _space(piece[1], font_size)
                else:
                    # Glue at either end of a formula is cropped from its SVG: keep it as a gap.
                    lead, core, trail = _EDGES.match(piece[1]).groups()
                    items.append(MathTex(core, font_size=font_size, color=color))
                    gaps.append(gap + _space(lead, font_size))
                    gap = _space(trail, font_size)
    group = VGroup(*items)
    buff = 0.12 * font_size / 36
    for previous, item, extra in zip(items, items[1:], gaps[1:], strict=False):
        item.next_to(previous, RIGHT, buff=buff + extra)
    # A fraction's bar on the line's axis (the middle of its other pieces), as TeX sets it.
    others = [m for m in items if not getattr(m, "is_fraction", False)]
    for item in items:
        if getattr(item, "is_fraction", False) and others:
            item.shift(UP * (others[0].get_y() - item[1].get_y()))
    return group


def math_words(*parts: str, font_size: float = 48, color=palette.INK, **kwargs) -> VGroup:  # noqa: ANN001
    r"""Build ``MathTex(*parts)``, or the same with its ``\text{...}`` words set as Text when not ASCII.

    Parameters
    ----------
    *parts : str
        TeX strings, as for ``MathTex``; words already translated
        (``rf"\text{{{_('slope')}}} ="``). A ``\\`` starts a new line.
    font_size : float
        Points, as for ``MathTex``.
    color : ManimColor
        A palette colour.
    **kwargs
        Passed to ``MathTex`` (ASCII case only).

    Returns
    -------
    VGroup
        One submobject per part.
    """
    if all(s.isascii() for s in parts):
        return MathTex(*parts, font_size=font_size, color=color, **kwargs)
    built = []
    for part in parts:
        lines = [_line(t, font_size, color) for t in part.split("\\\\")]
        built.append(
            lines[0] if len(lines) == 1 else VGroup(*lines).arrange(DOWN, aligned_edge=RIGHT)
        )
    group = VGroup(*built)
    # Spacing at a part's start or end (a part that begins with \qquad) is a gap between parts.
    edges = [_EDGES.match(part).groups() for part in parts]
    for i in range(1, len(built)):
        gap = _space(edges[i - 1][2], font_size) + _space(edges[i][0], font_size)
        built[i].next_to(built[i - 1], RIGHT, buff=0.1 * font_size / 36 + gap)
    return one_label(group)


def text_with_math(template: str, **math: str) -> str:
    r"""Turn a translated sentence with ``{name}`` slots into TeX: words in ``\text{}``, slots as math.

    The word order is the translation's, so a slot may move (Japanese puts
    the verb last).

    Examples
    --------
    >>> text_with_math("no slope: {f} has a kink", f="f_{1}")
    '\\text{no slope: } f_{1} \\text{ has a kink}'
    """
    out = []
    for i, piece in enumerate(re.split(r"\{(\w+)\}", template)):
        if i % 2:
            out.append(f" {math[piece]} ")
        elif piece:
            out.append(rf"\text{{{piece}}}")
    return "".join(out).strip()
