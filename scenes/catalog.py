"""`SERIES`: the explicit, ordered manifest of episodes and scenes.

It drives ``render.py``, the README outline and the parametrised scene tests.
Scenes are referenced by module and class name, so listing the series does not
import manim. Every episode opens with its title card and ends with its recap
(``scenes.cards``).
"""

from __future__ import annotations

from scenes.fonts import CODE_FONT, FONT_PACKAGE, TEXT_FONT
from series import Series, episode

SERIES = Series(
    title="Deep Learning in Three Views",
    slug="deep_learning_in_three_views",
    fonts=(TEXT_FONT, CODE_FONT),
    font_package=FONT_PACKAGE,
    needs_latex=True,
    voices=(("en", "joe"), ("ja", "jf_alpha")),
    episodes=(
        episode(
            "00",
            "What is a neural network?",
            "ep00_what_is_a_network",
            [
                ("scenes.cards", "Title00", "Title"),
                ("scenes.ep00_what_is_a_network", "WhatIsANeuralNetwork", "The quiz"),
                ("scenes.ep00_what_is_a_network", "ThreeViewsOfAFunction", "One idea, three views"),
                ("scenes.ep00_what_is_a_network", "AFunction", "A. A function"),
                (
                    "scenes.ep00_what_is_a_network",
                    "AComputationalGraph",
                    "B. A computational graph",
                ),
                ("scenes.ep00_what_is_a_network", "LayersOfNeurons", "C. Layers of neurons"),
                (
                    "scenes.ep00_what_is_a_network",
                    "UniversalApproximator",
                    "D. A universal function approximator",
                ),
                ("scenes.cards", "Recap00", "Recap in three views"),
            ],
        ),
        episode(
            "01",
            "The derivative",
            "ep01_derivative",
            [
                ("scenes.cards", "Title01", "Title"),
                ("scenes.ep01_derivative", "LimitShrinks", "The limit shrinks"),
                (
                    "scenes.ep01_derivative",
                    "SecantBecomesTangent",
                    "The secant becomes the tangent",
                ),
                ("scenes.ep01_derivative", "FactoryNudge", "Nudging the factory"),
                (
                    "scenes.ep01_derivative",
                    "DerivativeInThreeViews",
                    "The derivative in three views",
                ),
                ("scenes.cards", "Recap01", "Recap in three views"),
            ],
        ),
        episode(
            "02",
            "Nested functions and the chain rule",
            "ep02_chain_rule",
            [
                ("scenes.cards", "Title02", "Title"),
                ("scenes.ep02_chain_rule", "FunctionOfAFunction", "A function of a function"),
                (
                    "scenes.ep02_chain_rule",
                    "NudgeThroughFactories",
                    "A nudge through the factories",
                ),
                (
                    "scenes.ep02_chain_rule",
                    "ChainRuleInThreeViews",
                    "The chain rule in three views",
                ),
                ("scenes.ep02_chain_rule", "ChainRulePlots", "Two chains, plotted"),
                ("scenes.ep02_chain_rule", "LongerChain", "A longer chain"),
                ("scenes.cards", "Recap02", "Recap in three views"),
            ],
        ),
        episode(
            "03",
            "Many inputs, matrices, and the backward pass",
            "ep03_graphs",
            [
                ("scenes.cards", "Title03", "Title"),
                ("scenes.ep03_graphs", "TwoInputsOneOutput", "Two inputs, one output"),
                ("scenes.ep03_graphs", "DotProductMakesFeatures", "The dot product makes features"),
                ("scenes.ep03_graphs", "ForwardThroughTheGraph", "Forward through the graph"),
                ("scenes.ep03_graphs", "BackwardThroughTheGraph", "Backward through the graph"),
                ("scenes.ep03_graphs", "CheckingTheGradient", "Checking the gradient"),
                ("scenes.cards", "Recap03", "Recap in three views"),
            ],
        ),
    ),
)
