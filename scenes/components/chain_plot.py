"""A nested function and its chain-rule derivative plotted on one pair of axes, from lib.

The curves are polylines through lib's samples (``NestedFunction.__call__`` and
``NestedFunction.derivative`` on a grid), kept on the mobject as ``xs``/``f_ys``
and ``df_xs``/``df_ys`` so tests can compare what is drawn with lib. No slope is
drawn within :data:`lib.calculus.DELTA` of a kink (``NestedFunction.kinks_crossed``):
the derivative curve has a gap there and the cursor claims no slope.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Dot,
    Line,
    MathTex,
    VGroup,
    VMobject,
)

from lib.calculus import DELTA
from lib.chain import NestedFunction

from . import palette
from .numbers import LiveNumber
from .text import label


def _runs(keep: np.ndarray) -> list[slice]:
    """Slices of consecutive True entries of a boolean vector."""
    runs, start = [], None
    for i, k in enumerate(keep):
        if k and start is None:
            start = i
        elif not k and start is not None:
            runs.append(slice(start, i))
            start = None
    if start is not None:
        runs.append(slice(start, len(keep)))
    return runs


def _nice_step(span: float) -> float:
    """Return 1, 2 or 5 times a power of ten giving about 4 to 10 ticks over ``span``."""
    raw = max(span, 1e-9) / 5
    power = 10 ** np.floor(np.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return float(m * power)
    return float(10 * power)


class ChainPlot(VGroup):
    """Axes with F = fₙ∘…∘f₁ and its chain-rule derivative F′, sampled from lib.

    Parameters
    ----------
    nested : lib.chain.NestedFunction or sequence of callable
        The chain.
    x_range : tuple of float
        (lo, hi), axis units.
    num_samples : int
        Grid points of both curves (the derivative loses those within Δ of a kink).
    width, height : float
        Axes size, scene units.
    title : str, optional
        LaTeX of F drawn above the axes in the output colour.

    Attributes
    ----------
    nested : lib.chain.NestedFunction
    axes : Axes
    f_graph : VMobject
        Polyline through ``(xs, f_ys)``.
    df_graph : VGroup of VMobject
        One polyline per kink-free run of ``(df_xs, df_ys)``.
    xs, f_ys : ndarray, shape (num_samples,)
        Sample points and lib's F there.
    df_xs, df_ys : ndarray, shape (m,)
        The samples farther than Δ from every kink, and lib's F′ there.
    legend : VGroup
        "F" and "F′" keys in the curves' colours.
    """

    def __init__(
        self,
        nested: NestedFunction | Sequence[Callable[..., object]],
        x_range: tuple[float, float] = (-3.0, 3.0),
        num_samples: int = 241,
        width: float = 5.5,
        height: float = 3.6,
        title: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.nested = nested if isinstance(nested, NestedFunction) else NestedFunction(nested)
        lo, hi = (float(v) for v in x_range)
        self.xs = np.linspace(lo, hi, num_samples)
        self.f_ys = np.asarray(self.nested(self.xs), dtype=float)
        keep = ~np.asarray(self.nested.kinks_crossed(self.xs, DELTA), dtype=bool)
        self.df_xs = self.xs[keep]
        self.df_ys = np.asarray(self.nested.derivative(self.df_xs), dtype=float)
        ys = np.concatenate([self.f_ys, self.df_ys, [0.0]])
        y_lo, y_hi = float(ys.min()), float(ys.max())
        pad = 0.1 * max(y_hi - y_lo, 1e-6)
        y_lo, y_hi = y_lo - pad, y_hi + pad
        self.axes = Axes(
            x_range=[lo, hi, 1.0],
            y_range=[y_lo, y_hi, _nice_step(y_hi - y_lo)],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"color": palette.MUTED, "include_numbers": False, "stroke_width": 2},
        )
        self.f_graph = self._polyline(self.xs, self.f_ys, palette.OUTPUT)
        df_full = np.full(self.xs.shape, np.nan)
        df_full[keep] = self.df_ys
        self.df_graph = VGroup(
            *(
                self._polyline(self.xs[run], df_full[run], palette.DERIVATIVE)
                for run in _runs(keep)
                if run.stop - run.start >= 2
            )
        )
        self.legend = (
            VGroup(
                MathTex("F(x)", color=palette.OUTPUT, font_size=30),
                MathTex("F'(x)", color=palette.DERIVATIVE, font_size=30),
            )
            .arrange(RIGHT, buff=0.4)
            .next_to(self.axes, DOWN, buff=0.15)
        )
        self.add(self.axes, self.f_graph, self.df_graph, self.legend)
        if title is not None:
            self.title = MathTex(title, color=palette.OUTPUT, font_size=34).next_to(
                self.axes, UP, buff=0.15
            )
            self.add(self.title)

    def _polyline(self, xs: np.ndarray, ys: np.ndarray, color) -> VMobject:
        points = [self.axes.c2p(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
        return VMobject(color=color, stroke_width=4).set_points_as_corners(points)

    @staticmethod
    def sampled_points(axes: Axes, graph: VMobject) -> np.ndarray:
        """Read a polyline's corner points back in axis coordinates, shape (m, 2)."""
        anchors = np.vstack([graph.get_start_anchors(), graph.get_end_anchors()[-1:]])
        return np.array([axes.p2c(p) for p in anchors])


class ChainPlotCursor(VGroup):
    """A moving x on a :class:`ChainPlot`: F(x) and the tangent of slope F′(x), from lib.

    Parameters
    ----------
    plot : ChainPlot
        The plot to mark.
    x : float
        Initial position, axis units.
    tangent_length : float
        Scene length of the tangent segment.

    Attributes
    ----------
    v_line : Line
        From the x axis up to (x, F(x)).
    f_dot, df_dot : Dot
        On the F and F′ curves.
    tangent : Line
        Through (x, F(x)) with lib's slope F′(x); hidden within Δ of a kink.
    readout : VGroup
        ``x =``, ``F(x) =``, ``F'(x) =`` with live DecimalNumbers
        ``x_value``, ``f_value``, ``slope_value``; ``no_slope`` replaces the
        slope within Δ of a kink.
    x, fx : float
        The current x and lib's F(x).
    slope : float or None
        lib's F′(x), None where no slope is claimed.
    """

    def __init__(self, plot: ChainPlot, x: float, tangent_length: float = 1.6, **kwargs) -> None:
        super().__init__(**kwargs)
        self.plot, self.tangent_length = plot, tangent_length
        self.v_line = Line(UP, DOWN, color=palette.INPUT, stroke_width=2)
        self.f_dot = Dot(color=palette.OUTPUT, radius=0.07)
        self.df_dot = Dot(color=palette.DERIVATIVE, radius=0.07)
        self.tangent = Line(LEFT, RIGHT, color=palette.DERIVATIVE, stroke_width=4)
        self.x_value = LiveNumber(0, num_decimal_places=2, color=palette.INPUT, font_size=28)
        self.f_value = LiveNumber(0, num_decimal_places=3, color=palette.OUTPUT, font_size=28)
        self.slope_value = LiveNumber(
            0, num_decimal_places=3, color=palette.DERIVATIVE, font_size=28
        )
        self.no_slope = label("kink: no slope", font_size=22, color=palette.ERROR)
        rows = VGroup(
            VGroup(MathTex("x =", color=palette.INPUT, font_size=28), self.x_value),
            VGroup(MathTex("F(x) =", color=palette.OUTPUT, font_size=28), self.f_value),
            VGroup(MathTex("F'(x) =", color=palette.DERIVATIVE, font_size=28), self.slope_value),
        )
        for row in rows:
            row.arrange(RIGHT, buff=0.12)
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        self.readout = VGroup(rows, self.no_slope)
        self.add(self.v_line, self.tangent, self.f_dot, self.df_dot)
        self.set_x(x)

    def place_readout(self, direction=RIGHT, buff: float = 0.3) -> ChainPlotCursor:
        """Put the read-out beside the plot's axes (it is not part of this group)."""
        self.readout.next_to(self.plot.axes, direction, buff=buff)
        return self

    def set_x(self, x: float) -> ChainPlotCursor:
        """Move to ``x``: lib's F(x) and F′(x); no slope within Δ of a kink."""
        axes, nested = self.plot.axes, self.plot.nested
        self.x = float(x)
        self.fx = float(nested(self.x))
        self.v_line.put_start_and_end_on(axes.c2p(self.x, 0), axes.c2p(self.x, self.fx))
        self.f_dot.move_to(axes.c2p(self.x, self.fx))
        self.x_value.set_value(self.x)
        self.f_value.set_value(self.fx)
        if bool(nested.kinks_crossed(self.x, DELTA)):
            self.slope = None
            for part in (self.tangent, self.df_dot, self.slope_value):
                part.set_opacity(0)
            self.no_slope.set_opacity(1)
        else:
            self.slope = float(nested.derivative(self.x))
            p0 = np.array(axes.c2p(self.x - 0.5, self.fx - 0.5 * self.slope))
            p1 = np.array(axes.c2p(self.x + 0.5, self.fx + 0.5 * self.slope))
            centre = np.array(axes.c2p(self.x, self.fx))
            direction = (p1 - p0) / np.linalg.norm(p1 - p0)
            half = direction * self.tangent_length / 2
            self.tangent.put_start_and_end_on(centre - half, centre + half)
            self.df_dot.move_to(axes.c2p(self.x, self.slope))
            self.slope_value.set_value(self.slope)
            for part in (self.tangent, self.df_dot, self.slope_value):
                part.set_opacity(1)
            self.no_slope.set_opacity(0)
        self.no_slope.move_to(self.slope_value, aligned_edge=LEFT)
        return self


__all__ = ["ChainPlot", "ChainPlotCursor"]
