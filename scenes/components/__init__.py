"""Reusable manim builders and animation factories of the series (no Scene classes)."""

from ..fonts import CODE_FONT, TEXT_FONT, MissingFontError, require_fonts
from . import palette
from .code_panel import CodePanel, live_source
from .factory import FunctionFactory
from .layout import ThreeViews, fit_width
from .secant import SecantMobject, TangentMobject, slope_in_axes
from .text import label

__all__ = [
    "CODE_FONT",
    "TEXT_FONT",
    "CodePanel",
    "FunctionFactory",
    "MissingFontError",
    "SecantMobject",
    "TangentMobject",
    "ThreeViews",
    "fit_width",
    "label",
    "live_source",
    "palette",
    "require_fonts",
    "slope_in_axes",
]
