"""Series machinery: render, assemble and preview a manifest of manim scenes.

Knows nothing of the topic: it receives a :class:`Series` and never imports
the content packages.
"""

from .manifest import Episode, ManifestError, SceneRef, Series, TargetError, episode
from .quality import DEFAULT, QUALITY_LETTERS, Quality, QualityError

__all__ = [
    "DEFAULT",
    "QUALITY_LETTERS",
    "Episode",
    "ManifestError",
    "Quality",
    "QualityError",
    "SceneRef",
    "Series",
    "TargetError",
    "episode",
]
