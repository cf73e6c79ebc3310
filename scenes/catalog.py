"""`SERIES`: the explicit, ordered manifest of episodes and scenes.

It drives ``render.py``, the README outline and the parametrised scene tests.
Scenes are referenced by module and class name, so listing the series does not
import manim. Every episode opens with its title card and ends with its recap
(``scenes.cards``).
"""

from __future__ import annotations

from scenes.fonts import CODE_FONT, FONT_PACKAGE, TEXT_FONT
from series import Series, episode
from series.i18n import N_

SERIES = Series(
    title=N_("Deep Learning in Three Views"),
    slug="deep_learning_in_three_views",
    fonts=(TEXT_FONT, CODE_FONT),
    font_package=FONT_PACKAGE,
    needs_latex=True,
    voices=(("en", "joe"), ("ja", "jf_alpha")),
    episodes=(
        episode(
            "00",
            N_("What is a neural network?"),
            "ep00_what_is_a_network",
            [
                ("scenes.cards", "Title00", N_("Title")),
                ("scenes.ep00_what_is_a_network", "WhatIsANeuralNetwork", N_("The quiz")),
                (
                    "scenes.ep00_what_is_a_network",
                    "ThreeViewsOfAFunction",
                    N_("One idea, three views"),
                ),
                ("scenes.ep00_what_is_a_network", "AFunction", N_("A. A function")),
                (
                    "scenes.ep00_what_is_a_network",
                    "AComputationalGraph",
                    N_("B. A computational graph"),
                ),
                ("scenes.ep00_what_is_a_network", "LayersOfNeurons", N_("C. Layers of neurons")),
                (
                    "scenes.ep00_what_is_a_network",
                    "UniversalApproximator",
                    N_("D. A universal function approximator"),
                ),
                ("scenes.cards", "Recap00", N_("Recap in three views")),
            ],
        ),
        episode(
            "01",
            N_("The derivative"),
            "ep01_derivative",
            [
                ("scenes.cards", "Title01", N_("Title")),
                ("scenes.ep01_derivative", "LimitShrinks", N_("The limit shrinks")),
                (
                    "scenes.ep01_derivative",
                    "SecantBecomesTangent",
                    N_("The secant becomes the tangent"),
                ),
                ("scenes.ep01_derivative", "FactoryNudge", N_("Nudging the factory")),
                (
                    "scenes.ep01_derivative",
                    "DerivativeInThreeViews",
                    N_("The derivative in three views"),
                ),
                ("scenes.cards", "Recap01", N_("Recap in three views")),
            ],
        ),
        episode(
            "02",
            N_("Nested functions and the chain rule"),
            "ep02_chain_rule",
            [
                ("scenes.cards", "Title02", N_("Title")),
                ("scenes.ep02_chain_rule", "FunctionOfAFunction", N_("A function of a function")),
                (
                    "scenes.ep02_chain_rule",
                    "NudgeThroughFactories",
                    N_("A nudge through the factories"),
                ),
                (
                    "scenes.ep02_chain_rule",
                    "ChainRuleInThreeViews",
                    N_("The chain rule in three views"),
                ),
                ("scenes.ep02_chain_rule", "ChainRulePlots", N_("Two chains, plotted")),
                ("scenes.ep02_chain_rule", "LongerChain", N_("A longer chain")),
                ("scenes.cards", "Recap02", N_("Recap in three views")),
            ],
        ),
        episode(
            "03",
            N_("Many inputs, matrices, and the backward pass"),
            "ep03_graphs",
            [
                ("scenes.cards", "Title03", N_("Title")),
                ("scenes.ep03_graphs", "TwoInputsOneOutput", N_("Two inputs, one output")),
                (
                    "scenes.ep03_graphs",
                    "DotProductMakesFeatures",
                    N_("The dot product makes features"),
                ),
                ("scenes.ep03_graphs", "ForwardThroughTheGraph", N_("Forward through the graph")),
                ("scenes.ep03_graphs", "BackwardThroughTheGraph", N_("Backward through the graph")),
                ("scenes.ep03_graphs", "CheckingTheGradient", N_("Checking the gradient")),
                ("scenes.cards", "Recap03", N_("Recap in three views")),
            ],
        ),
    ),
)
