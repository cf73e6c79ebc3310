"""Render qualities: manim's letters, resolutions and frame rates."""

from __future__ import annotations

from dataclasses import dataclass

# letter -> (manim quality name, width, height, fps), as manim's CLI defines them.
_LETTERS: dict[str, tuple[str, int, int, int]] = {
    "l": ("low_quality", 854, 480, 15),
    "m": ("medium_quality", 1280, 720, 30),
    "h": ("high_quality", 1920, 1080, 60),
    "p": ("production_quality", 2560, 1440, 60),
    "k": ("fourk_quality", 3840, 2160, 60),
}


class QualityError(ValueError):
    """A quality letter or frame rate that manim does not know."""


@dataclass(frozen=True)
class Quality:
    """A render quality: pixel size and frame rate.

    Attributes
    ----------
    letter : str
        manim's CLI letter (``l m h p k``).
    width, height : int
        Pixels.
    fps : int
        Frames per second.
    """

    letter: str
    width: int
    height: int
    fps: int

    @property
    def name(self) -> str:
        """Folder name, manim's convention: ``"1080p30"``."""
        return f"{self.height}p{self.fps}"

    @classmethod
    def parse(cls, letter: str, fps: int | None = None) -> Quality:
        """Return the quality for a manim letter, with an optional frame-rate override.

        Raises
        ------
        QualityError
            For an unknown letter (the message lists the letters) or a frame
            rate outside 1..240.
        """
        if letter not in _LETTERS:
            choices = ", ".join(f"{k} = {w}x{h}@{f}" for k, (_, w, h, f) in _LETTERS.items())
            raise QualityError(f"unknown quality {letter!r}; expected one of: {choices}")
        _, width, height, default_fps = _LETTERS[letter]
        if fps is None:
            fps = default_fps
        if not 1 <= fps <= 240:
            raise QualityError(f"frame rate {fps} is out of range; expected 1 to 240")
        return cls(letter, width, height, fps)


QUALITY_LETTERS = tuple(_LETTERS)
DEFAULT = Quality.parse("h", 30)
"""The series' default: 1920x1080 at 30 fps."""
