"""Reuse a scene class: the secant becomes the tangent, on the sigmoid instead of x³."""

from lib.functions import sigmoid
from scenes.ep01_derivative import SecantBecomesTangent


class SecantOnSigmoid(SecantBecomesTangent):
    """Same beats, another function and range; every line still comes from lib."""

    func = staticmethod(sigmoid)
    func_tex = r"\sigma(x)"
    x_range = (-4.0, 4.0)
