"""The series palette: one colour, one meaning, in every episode.

Use these names, never raw colours, so that "the nudge" or "the gradient"
looks the same from the first scene to the last.
"""

from __future__ import annotations

from manim import ManimColor

BACKGROUND = ManimColor("#111318")
"""Scene background (also set in manim.cfg)."""
INK = ManimColor("#E8E6E3")
"""Plain text, axes and box outlines."""
MUTED = ManimColor("#8A8F98")
"""Secondary text: captions, units, grid."""
INPUT = ManimColor("#58C4DD")
"""The input x and everything that carries it (input wire, x marker)."""
OUTPUT = ManimColor("#F4D35E")
"""The output f(x) and the function's curve."""
NUDGE = ManimColor("#FF8C42")
"""The small change Δ or ε, and the secant built from it."""
DERIVATIVE = ManimColor("#83C167")
"""The derivative: tangent lines, slopes, local multipliers."""
GRADIENT = ManimColor("#E05A8A")
"""The gradient flowing backward through a graph."""
ERROR = ManimColor("#FC6255")
"""Errors of an estimate; round-off; warnings."""
HIGHLIGHT = ManimColor("#3A3F4B")
"""Background of the highlighted code line."""
STAGES = (
    ManimColor("#9A72AC"),
    ManimColor("#5CD0B3"),
    ManimColor("#E5A3C4"),
    ManimColor("#C9A66B"),
)
"""Per-factory colours in a chain: f1, f2, f3, f4 (box and its factor in the equation)."""


def stage_color(i: int) -> ManimColor:
    """Colour of the i-th factory of a chain (0-based), cycling after four."""
    return STAGES[i % len(STAGES)]
