"""`SERIES`: the explicit, ordered manifest of episodes and scenes.

It drives ``render.py``, the README outline and the parametrised scene tests.
Scenes are referenced by module and class name, so listing the series does not
import manim.
"""

from __future__ import annotations

from series import Series, episode

SERIES = Series(
    title="Deep Learning in Three Views",
    slug="deep_learning_in_three_views",
    episodes=(
        episode(
            "01",
            "The derivative",
            "ep01_derivative",
            [
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
            ],
        ),
    ),
)
