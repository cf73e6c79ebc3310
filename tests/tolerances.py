"""Every tolerance of the test suite, each with the reasoning that sets it.

A test imports its tolerance from here; the steps of a test's own finite
differences (``H``, ``K``) are part of its method and stay beside it.
"""

from __future__ import annotations

import numpy as np

EPS = float(np.finfo(np.float64).eps)
"""Machine epsilon of float64, 2.2e-16: the unit of every round-off bound."""

ULPS = 4.0
"""Accuracy of each function evaluation, in units of ε (numpy's sin/exp are within a
few ulps); scales the round-off term of the error bounds."""

POINT_ATOL = 1e-12
"""A point placed through ``axes.c2p`` and read back through ``p2c``, in axis units:
two affine maps on coordinates of size <= ~10 lose a few ulps (~10 * ε * 8 ≈ 2e-14);
1e-12 covers that with a wide margin."""

SLOPE_ATOL = 1e-10
"""A slope read back from a drawn line (a tangent or secant >= 1.6 scene units long):
Δy/Δx of two endpoints, each off by ~1e-15 through c2p/p2c, over Δx >= ~0.1 axis units
(~1e-13), plus lib's secant slope's own round-off ε * |f| / Δ <= 2.2e-16 * 10 / 1e-3
≈ 2.2e-12. 1e-10 covers both."""

CURVE_ATOL = 1e-12
"""A curve point read back through ``axes.p2c``, in axis units. A point goes lib value
-> c2p (origin + value * unit, |scene coords| <= 7: round-off <= a few ε * 7 ~ 2e-15)
-> for a morphed curve, Transform's start + 1.0 * (end - start) (another ~ε * 7) -> p2c
((p - origin) / unit, unit >= 0.5 scene units per axis unit: <= ~1e-14). 1e-12 covers
that with a 100x margin, far below the 0.005 that a 2-decimal read-out shows."""

RATIO_ATOL_AT_SMALLEST_EPS = 5e-4
"""The forward difference Δout/ε of episode 2's nudge differs from F'(x) by
≈ ε·|F''(x)|/2; for the default chain σ(x²) at 0.8, |F''| < 1, so at ε = 0.001 the
ratio is within 5e-4 of F'."""

GOLDEN_MEAN_TOLERANCE = 0.5
"""Mean absolute difference (0-255 levels) of a rendered frame from its golden frame:
anti-aliasing may differ by a level or two on an edge pixel; anything that moves or
recolours a glyph, a line or a number changes many pixels by far more than 32."""

GOLDEN_CHANGED_SHARE_TOLERANCE = 0.001
"""Share of pixels that may differ from the golden frame by more than 32 levels."""

GEOMETRY_ATOL = 1e-9
"""Where a component places a mobject (an arrow's end on a node's edge, numbers centred
in circles, aligned columns), in scene units: coordinates of size <= 8 through a handful
of affine steps lose ~1e-14; 1e-9 leaves a wide margin and is far below a pixel at 1080p
(1/135 scene units)."""
