"""`LectureScene`: a Scene that speaks its narration as subcaptions."""

from __future__ import annotations

from typing import ClassVar

from manim import Animation, Scene

from .components import palette
from .components.audit import LayoutSnapshot, snapshot_layout
from .fonts import require_fonts


class BeatLog(list):
    """The list of beats spoken so far; appending a beat records the layout at its end.

    Every way a scene closes a beat (:meth:`LectureScene.narrate`, or a beat
    that plays its own animations and then appends its key) passes through
    ``append``, so this is the one place that sees every beat's end.
    """

    def __init__(self, scene: LectureScene) -> None:
        super().__init__()
        self._scene = scene

    def append(self, key: str) -> None:
        """Record ``key`` as spoken and snapshot the layout on screen now."""
        super().append(key)
        self._scene.layout_snapshots.append(snapshot_layout(key, self._scene.mobjects))


WORDS_PER_SECOND = 2.6
"""Reading pace used to give each narration line enough screen time."""


class LectureScene(Scene):
    """Base of every scene of the series.

    Subclasses set ``narration``, a mapping from beat name to the sentence
    spoken in that beat, and call :meth:`narrate` in each beat. Each line is
    emitted as a subcaption at the moment it is spoken, and stays on screen
    long enough to be read.

    Attributes
    ----------
    narration : dict of str to str
        The scene's lines, by beat.
    spoken : list of str
        Beats narrated so far, in order (tests check every line is spoken).
    layout_snapshots : list of LayoutSnapshot
        The text on screen at the end of each beat, for the layout audit
        (:func:`scenes.components.audit.audit_layout`).
    """

    narration: ClassVar[dict[str, str]] = {}

    def setup(self) -> None:
        """Check the fonts, set the background, reset the narration record."""
        super().setup()
        require_fonts()
        self.camera.background_color = palette.BACKGROUND
        self.layout_snapshots: list[LayoutSnapshot] = []
        self.spoken: list[str] = BeatLog(self)

    def reading_time(self, key: str) -> float:
        """Seconds needed to read the line of beat ``key``."""
        return max(1.5, len(self.narration[key].split()) / WORDS_PER_SECOND)

    def beat(self, key: str) -> None:
        """Open the beat ``key``: a manim section of that name (previews can jump to it).

        Raises
        ------
        KeyError
            If the scene has no narration line for ``key``.
        """
        if key not in self.narration:
            raise KeyError(f"{type(self).__name__} has no narration line {key!r}")
        self.next_section(key)

    def narrate(self, key: str, *animations: Animation, run_time: float | None = None) -> None:
        """Speak the line of beat ``key`` while playing ``animations``.

        The subcaption lasts ``max(run_time, reading time)``; if the
        animations are shorter, the scene waits for the reader.

        Raises
        ------
        KeyError
            If the scene has no narration line for ``key``.
        """
        self.beat(key)
        text = self.narration[key]
        total = self.reading_time(key)
        if animations:
            play_time = run_time if run_time is not None else 1.5
            total = max(total, play_time)
            self.add_subcaption(text, duration=total)
            self.play(*animations, run_time=play_time)
            if total > play_time:
                self.wait(total - play_time)
        else:
            self.add_subcaption(text, duration=total)
            self.wait(total)
        self.spoken.append(key)
