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

from lib.adapt import PX_PER_UNIT, adapt, check_x_range, sample_curve
from lib.calculus import DELTA, DerivativeError
from lib.chain import NestedFunction
from series.i18n import _

from . import palette
from .numbers import LiveNumber
from .plotting import clear_numbers, curve_runs, fitted_axes, polyline_points
from .text import label


def _safe_derivative(nested: NestedFunction) -> Callable[[np.ndarray], np.ndarray]:
    """F′ from lib where a slope exists; NaN within Δ of a kink, at a pole, or where not finite."""

    def d_f(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        out = np.full(x.shape, np.nan)
        with np.errstate(all="ignore"):
            ok = np.isfinite(np.asarray(nested(x), dtype=float))
        # A hair more than Δ: a point read back from the screen must not land within Δ.
        ok &= ~np.asarray(nested.kinks_crossed(x, DELTA * (1 + 1e-6)), dtype=bool)
        if ok.any():
            try:
                out[ok] = nested.derivative(x[ok])
            except DerivativeError:  # a pole or overflow somewhere: point by point
                for i in np.flatnonzero(ok.ravel()):
                    try:
                        out.flat[i] = float(nested.derivative(x.flat[i]))
                    except DerivativeError:
                        out.flat[i] = np.nan
        return out

    return d_f


class ChainPlot(VGroup):
    """Axes with F = fₙ∘…∘f₁ and its chain-rule derivative F′, sampled from lib.

    Both curves go through :func:`lib.adapt.sample_curve`: sampled densely
    enough to be within a pixel at 1080p, split into runs at every pole
    (registered or found by sampling: ``(square, reciprocal)`` has a gap at 0)
    and outside the finite domain, and clipped to a y range fitted to both
    curves (ignoring the samples that run off beside a pole). F′ has a gap
    within :data:`lib.calculus.DELTA` of a kink, where no slope is claimed.

    Parameters
    ----------
    nested : lib.chain.NestedFunction or sequence of callable
        The chain.
    x_range : tuple of float
        (lo, hi), lo < hi, axis units.
    num_samples : int
        Ignored (kept for callers of the earlier fixed grid); the density
        comes from the functions and the plot's size.
    width, height : float
        Axes size, scene units.
    title : str, optional
        LaTeX of F drawn above the axes in the output colour.

    Attributes
    ----------
    nested : lib.chain.NestedFunction
    axes : Axes
    f_curve, df_curve : lib.adapt.SampledCurve
        lib's samples of F and F′ (runs, breaks, y range).
    f_graph, df_graph : VGroup of VMobject
        One polyline per run of F and of F′.
    xs, f_ys : ndarray
        F's sample points and lib's F there (inf/NaN at a pole).
    df_xs, df_ys : ndarray, shape (m,)
        The samples where a slope is claimed, and lib's F′ there.
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
        lo, hi = check_x_range(x_range)
        size = (width * PX_PER_UNIT, height * PX_PER_UNIT)
        f = adapt(self.nested, name=f"the chain {list(self.nested.names)}")
        d_f = adapt(_safe_derivative(self.nested), name="F'")
        first_f = sample_curve(f, (lo, hi), *size)
        first_df = sample_curve(d_f, (lo, hi), *size)
        y_lo = min(first_f.y_range[0], first_df.y_range[0], 0.0)
        y_hi = max(first_f.y_range[1], first_df.y_range[1], 0.0)
        self.f_curve = sample_curve(f, (lo, hi), *size, y_range=(y_lo, y_hi))
        self.df_curve = sample_curve(d_f, (lo, hi), *size, y_range=(y_lo, y_hi))
        self.xs, self.f_ys = self.f_curve.xs, self.f_curve.ys
        keep = np.isfinite(self.df_curve.ys)
        self.df_xs, self.df_ys = self.df_curve.xs[keep], self.df_curve.ys[keep]
        self.axes = fitted_axes((lo, hi), (y_lo, y_hi), width, height)
        self.f_graph = curve_runs(self.axes, self.f_curve, palette.OUTPUT)
        self.df_graph = curve_runs(self.axes, self.df_curve, palette.DERIVATIVE)
        clear_numbers(self.axes, [self.f_graph, self.df_graph])
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

    @staticmethod
    def sampled_points(axes: Axes, graph: VMobject) -> np.ndarray:
        """Read a polyline's (or a group of polylines') corners back in axis coordinates."""
        parts = [graph] if graph.has_points() else [g for g in graph.submobjects]
        return np.vstack([polyline_points(axes, g) for g in parts])


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
        self.no_slope = label(_("no slope here"), font_size=24, color=palette.ERROR)
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
        """Move to ``x``: lib's F(x) and F′(x); no slope within Δ of a kink or at a pole.

        Where F(x) is not finite (a pole) nothing is drawn at x and the read-out
        says so; a dot that would leave the axes is hidden.
        """
        axes, nested = self.plot.axes, self.plot.nested
        self.x = float(x)
        with np.errstate(all="ignore"):
            self.fx = float(nested(self.x))
        self.x_value.set_value(self.x)
        y_lo, y_hi = axes.y_range[0], axes.y_range[1]
        finite = np.isfinite(self.fx)
        if finite:
            shown_y = min(max(self.fx, y_lo), y_hi)
            self.v_line.put_start_and_end_on(axes.c2p(self.x, 0), axes.c2p(self.x, shown_y))
            self.f_dot.move_to(axes.c2p(self.x, self.fx))
            self.f_value.set_value(self.fx)
        for part in (self.v_line, self.f_value):
            part.set_opacity(1 if finite else 0)
        self.f_dot.set_opacity(1 if finite and y_lo <= self.fx <= y_hi else 0)
        slope = None
        if finite and not bool(nested.kinks_crossed(self.x, DELTA)):
            try:
                slope = float(nested.derivative(self.x))
            except DerivativeError:
                slope = None
        if slope is None:
            self.slope = None
            for part in (self.tangent, self.df_dot, self.slope_value):
                part.set_opacity(0)
            self.no_slope.set_opacity(1)
        else:
            self.slope = slope
            p0 = np.array(axes.c2p(self.x - 0.5, self.fx - 0.5 * self.slope))
            p1 = np.array(axes.c2p(self.x + 0.5, self.fx + 0.5 * self.slope))
            centre = np.array(axes.c2p(self.x, self.fx))
            direction = (p1 - p0) / np.linalg.norm(p1 - p0)
            half = direction * self.tangent_length / 2
            self.tangent.put_start_and_end_on(centre - half, centre + half)
            self.df_dot.move_to(axes.c2p(self.x, self.slope))
            self.slope_value.set_value(self.slope)
            inside = y_lo <= self.fx <= y_hi
            for part in (self.tangent, self.slope_value):
                part.set_opacity(1 if inside or part is self.slope_value else 0)
            self.df_dot.set_opacity(1 if y_lo <= self.slope <= y_hi else 0)
            self.no_slope.set_opacity(0)
        self.no_slope.move_to(self.slope_value, aligned_edge=LEFT)
        return self


__all__ = ["ChainPlot", "ChainPlotCursor"]
