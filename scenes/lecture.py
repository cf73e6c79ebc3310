"""`LectureScene`: a Scene whose beats own their timing and speak their narration."""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from manim import Animation, Scene

from series import speech as speech_services
from series.i18n import _, language

from .components import palette
from .components.audit import LayoutSnapshot, snapshot_layout
from .fonts import require_fonts
from .narration import SpeechService, cues_for, snap_to_pauses, time_cues

if TYPE_CHECKING:
    from .narration import Speech


@dataclass
class BeatTracker:
    """A beat in progress, as :meth:`LectureScene.narrating` yields it.

    The shape of manim-voiceover's tracker: the plays of the beat may read
    ``tracker.duration`` (or ``tracker.remaining``) to fit the line.

    Attributes
    ----------
    key : str
        The beat's name (its narration key and section name).
    speech : Speech
        The line as the speech service delivers it.
    start : float
        Scene time at which the beat opened, in seconds.
    """

    key: str
    speech: Speech
    start: float
    _scene: LectureScene = field(repr=False)

    @property
    def duration(self) -> float:
        """Seconds the line takes to speak or read."""
        return self.speech.duration

    @property
    def elapsed(self) -> float:
        """Seconds played since the beat opened."""
        return self._scene.renderer.time - self.start

    @property
    def remaining(self) -> float:
        """Seconds of the line still to go (0 once the plays have outlasted it)."""
        return max(0.0, self.duration - self.elapsed)


def _is_method(function: Any) -> bool:
    """Whether ``function``'s first parameter is ``self`` (a method, not a function of x)."""
    try:
        first = next(iter(inspect.signature(function).parameters), "")
    except (TypeError, ValueError):
        return False
    return first == "self"


class LectureScene(Scene):
    """Base of every scene of the series.

    Subclasses set ``narration``, a mapping from beat name to the sentence
    spoken in that beat, and wrap each beat's plays in
    ``with self.narrating(key):``. The beat lasts the longer of its plays and
    its line; its line becomes subtitle cues over exactly that window.

    Attributes
    ----------
    narration : dict of str to str
        The scene's lines, by beat, in English, marked with
        :func:`series.i18n.N_` and translated (:func:`series.i18n._`) when spoken.
    speech : SpeechService or None
        Says the lines; ``None`` (the default): the process's service,
        :func:`series.speech.current` (the worker sets it from ``--voice``;
        silent :class:`series.speech.ReadingTime` otherwise, e.g. in tests).
    spoken : list of str
        Beats narrated so far, in order.
    spoken_lines : dict of str to str
        The line said in each beat so far, in the current language.
    beats : list of dict
        The narration timeline, one entry per beat spoken: ``scene``, ``beat``,
        ``text``, ``start`` and ``end`` (seconds of scene time), ``animations``
        (seconds its plays took), ``line`` (seconds the line takes) and
        ``audio`` (its file, empty when silent). The worker returns it.
    records : dict of str to list
        Values recorded with :meth:`record` for tests to read back.
    layout_snapshots : list of LayoutSnapshot
        The text on screen at the end of each beat, for the layout audit
        (:func:`scenes.components.audit.audit_layout`).
    """

    narration: ClassVar[dict[str, str]] = {}
    speech: ClassVar[SpeechService | None] = None

    @classmethod
    def script(cls) -> dict[str, str]:
        """Return every beat's line as it will be said in the current language.

        The narration translated (:func:`series.i18n._`); a scene whose lines
        are filled in at run time (a title card) overrides this. The
        machinery reads it before rendering (the takes ``--voice recorded``
        lacks, the voice benchmark) without constructing the scene.

        Returns
        -------
        dict of str to str
            Beat name to line, in the order of ``narration``.
        """
        return {beat: _(line) for beat, line in cls.narration.items()}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Let a teacher assign a plain function where a parent sets a staticmethod.

        ``func = wiggle`` in a subclass body (no ``staticmethod``) would make
        ``self.func`` a bound method, called with the scene as ``x``. Such an
        attribute (read with :func:`inspect.getattr_static`) is wrapped in
        ``staticmethod`` here, once, so every read of it gets the function. A
        real method (a ``def`` whose first parameter is ``self``) stays one.
        """
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if not inspect.isfunction(value) or _is_method(value):
                continue
            parent = next((c for c in cls.__mro__[1:] if name in vars(c)), None)
            if parent is not None and isinstance(
                inspect.getattr_static(parent, name), staticmethod
            ):
                setattr(cls, name, staticmethod(value))

    def setup(self) -> None:
        """Check the fonts, set the background, reset the narration record."""
        super().setup()
        require_fonts()
        self.camera.background_color = palette.BACKGROUND
        self.layout_snapshots: list[LayoutSnapshot] = []
        self.spoken: list[str] = []
        self.spoken_lines: dict[str, str] = {}
        self.beats: list[dict[str, Any]] = []
        self.records: dict[str, list[Any]] = {}
        self._beat: BeatTracker | None = None

    def record(self, name: str, value: Any) -> None:
        """Append ``value`` to ``self.records[name]``: a value the tests read back."""
        self.records.setdefault(name, []).append(value)

    @contextmanager
    def narrating(self, key: str) -> Iterator[BeatTracker]:
        """Speak the line of beat ``key`` over the plays run inside the block.

        Opens a manim section named ``key`` (previews can jump to it), starts
        the line's audio (if the voice has any) at the beat's start, runs the
        block, then waits if the line needs longer than the plays took. The
        line's subtitle cues (:func:`scenes.narration.split_cues`, for Japanese
        :func:`series.linebreak.split_cues_ja`) cover the
        beat's real window, from its first play to its end; the beat is then
        recorded as spoken and the layout on screen snapshot for the audit.

        Yields
        ------
        BeatTracker
            The beat: ``tracker.duration`` is the line's duration in seconds.

        Raises
        ------
        KeyError
            If the scene has no narration line for ``key``.
        RuntimeError
            If a beat is already open (beats do not nest) or was spoken before.
        """
        name = type(self).__name__
        if key not in self.narration:
            raise KeyError(f"{name} has no narration line {key!r}; it has {sorted(self.narration)}")
        if self._beat is not None:
            raise RuntimeError(f"{name}: beat {key!r} opened inside beat {self._beat.key!r}")
        if key in self.spoken:
            raise RuntimeError(f"{name}: beat {key!r} is spoken twice")
        self.next_section(key)
        voice = self.speech if self.speech is not None else speech_services.current()
        text = _(self.narration[key])
        line = speech_services.say(voice, text, scene=name, beat=key, cues=self._cues(text))
        tracker = BeatTracker(key, line, self.renderer.time, self)
        if line.audio is not None:
            self.add_sound(str(line.audio))
        self._beat = tracker
        try:
            yield tracker
        finally:
            self._beat = None
        animations = self.renderer.time - tracker.start
        self._wait_out(tracker)
        self._add_cues(tracker)
        self.spoken.append(key)
        self.beats.append(
            {
                "scene": name,
                "beat": key,
                "text": line.text,
                "start": tracker.start,
                "end": self.renderer.time,
                "animations": animations,
                "line": line.duration,
                "audio": str(line.audio) if line.audio is not None else "",
            }
        )
        self.spoken_lines[key] = line.text
        self.layout_snapshots.append(snapshot_layout(key, self.mobjects))

    def tear_down(self) -> None:
        """Pad the sound track with silence to the scene's end: audio as long as the video.

        manim's writer ends the track at the last line's end; an episode
        joining clips whose audio is shorter than their video would drift.
        """
        super().tear_down()
        writer = self.renderer.file_writer
        if getattr(writer, "includes_sound", False):
            from pydub import AudioSegment

            silence = AudioSegment.silent(
                math.ceil(self.renderer.time * 1000), frame_rate=speech_services.SAMPLE_RATE
            )
            writer.add_audio_segment(silence, time=0)

    def _wait_out(self, tracker: BeatTracker) -> None:
        """Wait until the line is done, in whole frames, never stopping short of it.

        A static wait plays ``floor(t * fps)`` frames, so asking for the exact
        remainder could end the beat up to a frame before its line.
        """
        frame = 1 / self.camera.frame_rate
        for _attempt in range(3):  # a frame more at most, if float rounding drops one
            if tracker.remaining <= 1e-9:
                return
            self.wait(math.ceil(tracker.remaining / frame - 1e-9) * frame)

    def _add_cues(self, tracker: BeatTracker) -> None:
        """Emit the beat's subtitle cues over its window, which ends now.

        A voice that said the line cue by cue gives each cue's start
        (:attr:`series.speech.Speech.cue_starts`): the cue appears as its words
        begin. Otherwise (a recorded take, a one-cue line) the boundaries move
        to the pauses of the speech (:func:`scenes.narration.snap_to_pauses`).
        """
        now = self.renderer.time
        cues = self._cues(tracker.speech.text)
        starts = tracker.speech.cue_starts
        first = tracker.start + tracker.speech.onset  # the first cue appears as the voice starts
        if len(cues) > 1 and len(starts) == len(cues) - 1:
            edges = [first, *(tracker.start + t for t in starts), now]
            bounds = list(zip(edges, edges[1:], strict=False))
        else:
            bounds = time_cues(cues, first, now)
            bounds = snap_to_pauses(bounds, tracker.speech.pauses, tracker.start)
        for cue, (start, end) in zip(cues, bounds, strict=True):
            self.add_subcaption(cue, duration=end - start, offset=start - now)

    @staticmethod
    def _cues(text: str) -> list[str]:
        """Cut a line into its subtitle cues, by the rule of the current language."""
        return cues_for(text, language())

    def narrate(self, key: str, *animations: Animation, run_time: float | None = None) -> None:
        """Play ``animations`` as the beat ``key``: a one-play :meth:`narrating` block.

        With no animations, the beat is a pause as long as its line.

        Raises
        ------
        KeyError
            If the scene has no narration line for ``key``.
        """
        with self.narrating(key):
            if animations:
                kwargs = {} if run_time is None else {"run_time": run_time}
                self.play(*animations, **kwargs)
