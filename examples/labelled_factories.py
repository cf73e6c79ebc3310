r"""A teacher's own function in Episode 2's factories, with the label it should show.

``halve`` is not in lib's registry, so its box would say its name; ``labels`` gives the
TeX to show instead (None keeps the registry's label: ``\sin(x)`` for np.sin). To label
a function everywhere at once, register it:
``lib.functions.register(FunctionSpec("halve", halve, lambda x: 0.5 + 0 * x, r"\tfrac{x}{2}"))``.
"""

import numpy as np

from scenes.ep02_chain_rule import NudgeThroughFactories


def halve(x):
    """Half of x (elementwise)."""
    return x / 2


class NudgeThroughHalveSine(NudgeThroughFactories):
    """sin(x / 2): the first box reads x/2, the second sin(x)."""

    functions = (halve, np.sin)
    labels = (r"\tfrac{x}{2}", None)
