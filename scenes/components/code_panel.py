"""A code panel that shows the live source of a lib function: a teaching listing.

The text comes from :func:`inspect.getsource` at build time, so the panel can
never drift from the code that computed the numbers on screen. What a panel
shows is a kernel of :mod:`lib.book` (the book's short listing that the
validated lib function calls), or a teacher's own function.

Legibility: :meth:`CodePanel.fit` scales a listing to fill its panel's width
and refuses (logs) a line pitch below :data:`MIN_LINE_PITCH` (36 px at 1080p);
a listing that cannot fit legibly is split across beats, never shrunk.
"""

from __future__ import annotations

import ast
import inspect
import logging
import textwrap
from collections.abc import Callable

import numpy as np
from manim import Animation, Code, Rectangle, Transform, VGroup

from ..fonts import CODE_FONT, require_fonts, text_canvas
from . import palette

log = logging.getLogger(__name__)

MIN_LINE_PITCH = 0.27
"""Smallest code line pitch, scene units: 36 px at 1920×1080 (135 px per unit)."""

_FLAT_BOTTOM = frozenset("acemnorsuvwxz")
"""Glyphs that sit on the baseline (no descender), used to find each line's baseline."""


def live_source(func: Callable[..., object], strip_docstring: bool = True) -> str:
    """Return the source of ``func`` as it is now, dedented, optionally without its docstring.

    Parameters
    ----------
    func : callable
        A Python function (not a builtin or numpy ufunc).
    strip_docstring : bool
        Remove the docstring lines (the panel shows the code, not the prose).

    Returns
    -------
    str
        The source text, no trailing newline.

    Raises
    ------
    TypeError
        If ``func`` has no Python source (a builtin or ufunc).
    """
    try:
        source = textwrap.dedent(inspect.getsource(func))
    except (TypeError, OSError) as exc:
        raise TypeError(f"{func!r} has no Python source to show in a code panel") from exc
    lines = source.splitlines()
    if strip_docstring:
        node = ast.parse(source).body[0]
        body = getattr(node, "body", [])
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(getattr(body[0], "value", None), ast.Constant)
        ):
            doc = body[0]
            del lines[doc.lineno - 1 : doc.end_lineno]
    return "\n".join(lines).rstrip("\n")


class CodePanel(VGroup):
    """Syntax-highlighted live source of a function, with a movable line highlight.

    Parameters
    ----------
    func : callable
        The function to show: a :mod:`lib.book` kernel, or a teacher's own.
    font_size : float
        Code size in points when built; :meth:`fit` rescales the panel.
    strip_docstring : bool
        See :func:`live_source`.

    Attributes
    ----------
    func : callable
        The function shown.
    source : str
        Exactly the text shown (``live_source(func)``).
    lines : list of str
        ``source`` split into lines.
    code : manim.Code
        The highlighted listing; ``code.code_lines[i]`` is line ``i``.
    highlight : Rectangle
        The line highlight (transparent until a highlight animation plays), a
        part of ``code`` between its background and its text.
    highlighted : int or None
        The line the highlight covers once its animation has played.
    """

    def __init__(
        self,
        func: Callable[..., object],
        font_size: float = 24,
        strip_docstring: bool = True,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        require_fonts()
        self.func = func
        self.source = live_source(func, strip_docstring=strip_docstring)
        self.lines = self.source.splitlines()
        with text_canvas():
            self.code = Code(
                code_string=self.source,
                language="python",
                formatter_style="monokai",
                add_line_numbers=False,
                background="rectangle",
                background_config={"fill_color": palette.BACKGROUND, "stroke_color": palette.MUTED},
                paragraph_config={"font": CODE_FONT, "font_size": font_size},
            )
        self.highlight = self._box(0).set_fill(opacity=0).set_stroke(opacity=0)
        self.highlighted: int | None = None
        # Drawn over the listing's background and under its text, so the line stays bright.
        self.code.submobjects.insert(
            self.code.submobjects.index(self.code.background) + 1, self.highlight
        )
        self.add(self.code)

    # ------------------------------------------------------------------ geometry

    def _glyphs(self, index: int) -> list[tuple[str, object]]:
        """``(character, glyph)`` pairs of line ``index`` (whitespace has no glyph)."""
        chars = [c for c in self.lines[index] if not c.isspace()]
        glyphs = self.code.code_lines[index].submobjects
        if len(chars) != len(glyphs):  # pragma: no cover - manim draws one glyph per character
            return []
        return list(zip(chars, glyphs, strict=True))

    def baselines(self) -> dict[int, float]:
        """Return the baseline y (scene units) of every line with a glyph sitting on it.

        Returns
        -------
        dict of int to float
            Line index to the median bottom of its baseline glyphs (a, c, e, ...).
        """
        result = {}
        for i in range(len(self.lines)):
            ys = [g.get_bottom()[1] for c, g in self._glyphs(i) if c in _FLAT_BOTTOM]
            if ys:
                result[i] = float(np.median(ys))
        return result

    @property
    def line_pitch(self) -> float:
        """Distance between consecutive baselines, scene units (36 px at 1080p = 0.27).

        Raises
        ------
        ValueError
            If the listing has fewer than two lines with a baseline glyph.
        """
        base = self.baselines()
        if len(base) < 2:
            raise ValueError(f"{self.func.__name__}'s listing has no two lines to measure")
        first, last = min(base), max(base)
        return (base[first] - base[last]) / (last - first)

    def line_band(self, index: int) -> tuple[float, float]:
        """Return the (bottom, top) y of line ``index``'s band: its glyphs, half the gaps.

        Bands of consecutive lines touch but do not overlap, and each band holds
        every glyph of its own line and none of another's.
        """
        base = self.baselines()
        pitch = self.line_pitch if len(base) > 1 else self.code.code_lines[index].height
        ascent = descent = 0.0
        for i, b in base.items():
            for _, g in self._glyphs(i):
                ascent = max(ascent, g.get_top()[1] - b)
                descent = max(descent, b - g.get_bottom()[1])
        gap = max(pitch - ascent - descent, 0.0)
        # A line without a baseline glyph: place it by the pitch from its neighbours.
        if index in base:
            baseline = base[index]
        else:
            ref = min(base, key=lambda k: abs(k - index))
            baseline = base[ref] - (index - ref) * pitch
        return baseline - descent - 0.45 * gap, baseline + ascent + 0.45 * gap

    def _box(self, index: int) -> Rectangle:
        bottom, top = self.line_band(index)
        lines = self.code.code_lines
        box = Rectangle(
            width=lines.width + 0.16,
            height=top - bottom,
            color=palette.DERIVATIVE,
            fill_color=palette.HIGHLIGHT,
            fill_opacity=0.3,
            stroke_width=1.5,
        )
        box.move_to([lines.get_left()[0] - 0.08 + box.width / 2, (top + bottom) / 2, 0])
        return box

    # ------------------------------------------------------------------- layout

    def fit(self, width: float, height: float | None = None) -> CodePanel:
        """Scale the panel to ``width`` (up or down), capped by ``height``; log if illegible.

        Parameters
        ----------
        width : float
            Width to fill, scene units (the panel's frame minus margins).
        height : float, optional
            Height not to exceed, scene units.

        Returns
        -------
        CodePanel
            ``self``, scaled. When the resulting line pitch is below
            :data:`MIN_LINE_PITCH` a warning names the listing: split it across
            beats rather than shrink it (the layout tests fail on it).
        """
        self.scale(width / self.code.width)
        if height is not None and self.code.height > height:
            self.scale(height / self.code.height)
        if self.line_pitch < MIN_LINE_PITCH - 1e-9:
            log.warning(
                "%s's listing has a line pitch of %.3f units (%.0f px at 1080p), below %.2f: "
                "split it across beats instead of shrinking it",
                self.func.__name__,
                self.line_pitch,
                self.line_pitch * 135,
                MIN_LINE_PITCH,
            )
        return self

    # -------------------------------------------------------------- highlighting

    def line_index(self, contains: int | str) -> int:
        """Index of a line: an index checked against the listing, or text it contains.

        Raises
        ------
        ValueError
            If no line contains the text (the source changed): names the function.
        IndexError
            If an index is out of range.
        """
        if not isinstance(contains, str):
            i = int(contains)
            if not 0 <= i < len(self.lines):
                raise IndexError(
                    f"line {i} out of range: {self.func.__name__} has {len(self.lines)} lines"
                )
            return i
        for i, line in enumerate(self.lines):
            if contains in line:
                return i
        raise ValueError(f"no line of {self.func.__name__} contains {contains!r}")

    def make_highlight_animation(self, index: int | str) -> Animation:
        """Animation moving the highlight to a line (index, or text it contains).

        The panel is not changed until the animation plays; :attr:`highlighted`
        is set when it finishes.
        """
        return _MoveHighlight(self, self.line_index(index))


class _MoveHighlight(Transform):
    """Transform of a panel's highlight onto a line; records the line when done."""

    def __init__(self, panel: CodePanel, index: int, **kwargs) -> None:
        self.panel = panel
        self.index = index
        super().__init__(panel.highlight, panel._box(index), **kwargs)

    def finish(self) -> None:
        super().finish()
        self.panel.highlighted = self.index
