"""A teacher's variant of Episode 2's chain plots: a chain with a pole, 1/x² = reciprocal(square(x)).

The curves of F and F′ have a gap at x = 0 (reciprocal's registered pole), the y range
ignores the samples that run off beside it, and no tangent is drawn at the pole.
"""

from lib.functions import reciprocal, square
from scenes.ep02_chain_rule import ChainRulePlots


class ChainRulePlotsWithPole(ChainRulePlots):
    """F(x) = 1/x² and F′(x) = −2/x³ on (−3, 3), sampled from lib."""

    chains = ((square, reciprocal),)
    stops = (-2.0, -0.5, 1.0, 2.5)
