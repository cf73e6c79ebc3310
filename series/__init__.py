"""Series machinery: render, assemble and preview a manifest of manim scenes.

Knows nothing of the topic: it receives a :class:`Series` and never imports
the content packages.
"""

from .manifest import Episode, ManifestError, SceneRef, Series, TargetError, episode
from .quality import DEFAULT, QUALITY_LETTERS, Quality, QualityError
from .settings import Encoder, RenderSettings
from .tree import BuildTree

__all__ = [
    "DEFAULT",
    "QUALITY_LETTERS",
    "BuildTree",
    "Encoder",
    "Episode",
    "ManifestError",
    "Quality",
    "QualityError",
    "RenderSettings",
    "SceneRef",
    "Series",
    "TargetError",
    "episode",
]
