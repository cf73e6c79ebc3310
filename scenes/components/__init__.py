"""Reusable manim builders and animation factories of the series (no Scene classes)."""

from ..fonts import CODE_FONT, TEXT_FONT, MissingFontError, require_fonts
from . import palette
from .chain_plot import ChainPlot, ChainPlotCursor
from .code_panel import CodePanel, live_source
from .factory import FunctionFactory
from .graph import (
    ArrayMobject,
    ComputationalGraph,
    array_mobject,
    make_backward_pass_animation,
    make_forward_pass_animation,
)
from .layout import ThreeViews, fit_width
from .nested import (
    NestedFactories,
    chain_rule_equation,
    make_nudge_animation,
    make_signal_animation,
)
from .network import LayeredNetwork
from .numbers import LiveNumber
from .secant import SecantMobject, TangentMobject, slope_in_axes
from .text import label

__all__ = [
    "CODE_FONT",
    "TEXT_FONT",
    "ArrayMobject",
    "ChainPlot",
    "ChainPlotCursor",
    "CodePanel",
    "ComputationalGraph",
    "FunctionFactory",
    "LayeredNetwork",
    "LiveNumber",
    "MissingFontError",
    "NestedFactories",
    "SecantMobject",
    "TangentMobject",
    "ThreeViews",
    "array_mobject",
    "chain_rule_equation",
    "fit_width",
    "label",
    "live_source",
    "make_backward_pass_animation",
    "make_forward_pass_animation",
    "make_nudge_animation",
    "make_signal_animation",
    "palette",
    "require_fonts",
    "slope_in_axes",
]
