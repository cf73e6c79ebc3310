"""A code panel that shows the live source of a lib function.

The text comes from :func:`inspect.getsource` at build time, so the panel can
never drift from the code that computed the numbers on screen.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable

from manim import Animation, Code, SurroundingRectangle, Transform, VGroup

from ..fonts import CODE_FONT, require_fonts, text_canvas
from . import palette


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
        The lib function to show.
    font_size : float
        Code size in points.
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
    highlight : SurroundingRectangle
        The line highlight (transparent until :meth:`highlight_line`).
    """

    def __init__(
        self,
        func: Callable[..., object],
        font_size: float = 18,
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
        self.add(self.code, self.highlight)

    def line_index(self, contains: str) -> int:
        """Index of the first line containing ``contains``.

        Raises
        ------
        ValueError
            If no line contains it (the source changed): names the function.
        """
        for i, line in enumerate(self.lines):
            if contains in line:
                return i
        raise ValueError(f"no line of {self.func.__name__} contains {contains!r}")

    def _box(self, index: int) -> SurroundingRectangle:
        return (
            SurroundingRectangle(
                self.code.code_lines[index],
                buff=0.05,
                color=palette.DERIVATIVE,
                fill_color=palette.HIGHLIGHT,
                fill_opacity=0.3,
                stroke_width=1.5,
            )
            .stretch_to_fit_width(self.code.code_lines.width + 0.1, about_edge=None)
            .align_to(self.code.code_lines, direction=[-1, 0, 0])
            .shift([-0.05, 0, 0])
        )

    def make_highlight_animation(self, index: int | str) -> Animation:
        """Animation moving the highlight to a line (index, or text it contains)."""
        i = self.line_index(index) if isinstance(index, str) else index
        if not 0 <= i < len(self.lines):
            raise IndexError(
                f"line {i} out of range: {self.func.__name__} has {len(self.lines)} lines"
            )
        self.highlighted = i
        return Transform(self.highlight, self._box(i))
