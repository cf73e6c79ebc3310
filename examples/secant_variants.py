r"""A teacher's variants of Episode 1's "the secant becomes the tangent", a few lines each.

Each passes its function through lib's adapter: the title comes from lib's registry
(np.tan is ``\tan(x)``, math.sin is ``\sin(x)``) or from ``func_tex``, the curve has a
gap at each pole and is drawn over its finite part, and the Δ schedule starts where
both secant points fit on the plot. Render one with
``python render.py render examples/secant_variants.py:SecantOnTan -q l``.
"""

import math

import numpy as np

from scenes.ep01_derivative import SecantBecomesTangent


class SecantOnTan(SecantBecomesTangent):
    """tan on (−2, 2): gaps at ±π/2, a y range fitted away from the poles."""

    func = staticmethod(np.tan)
    a = 0.5


class SecantOnLog(SecantBecomesTangent):
    """log on (0, 4): the curve over its finite part (log 0 = −inf)."""

    func = staticmethod(np.log)
    x_range = (0.0, 4.0)
    a = 2.0


class SecantOnMathSin(SecantBecomesTangent):
    """A scalar-only function (math.sin): vectorised by the adapter."""

    func = staticmethod(math.sin)


class SecantOnFastSine(SecantBecomesTangent):
    """sin(3x) over a wide range: sampled densely enough to be within a pixel at 1080p."""

    func = staticmethod(lambda x: np.sin(3 * x))
    func_tex = r"\sin(3x)"
    x_range = (-10.0, 10.0)
    a = 1.0
    sweep_points = 2


class SecantNearTheEdge(SecantBecomesTangent):
    """a = 1.5 on (−2, 2): the first Δ is 0.5, so a + Δ is still on the plot."""

    a = 1.5
