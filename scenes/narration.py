"""The narration timeline's parts that need no manim: speech services and subtitle cues.

A beat lasts as long as the longer of its animations and its line: the time
a :class:`SpeechService` needs to say (or a viewer to read) it. Today's service
is :class:`ReadingTime`, silent: the line is shown, not heard. A voice plugs in
later through the same interface (manim-voiceover's ``SpeechService`` shape:
text in, a duration and an audio file out).

Subtitles follow what is spoken: :func:`split_cues` cuts a line into cues,
one per sentence, none longer than two lines of 42 characters (the usual
limit of video platforms), and :func:`time_cues` shares the beat's window
between them in proportion to their characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

LINE_WIDTH = 42
"""Characters per subtitle line (BBC / Netflix / YouTube guidance for 16:9)."""

LINES_PER_CUE = 2
"""Lines per subtitle cue."""

WORDS_PER_SECOND = 2.6
"""Reading pace of the silent service: a line stays up long enough to be read."""

MIN_LINE_SECONDS = 1.5
"""The shortest time a line is shown, however few its words."""

CHARACTERS_PER_SECOND_CJK = 6.0
"""Reading pace of text written without spaces (Japanese): characters a second
(a Japanese narrator says about 6 to 8 characters a second; subtitles ask 4 to 7)."""

_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass(frozen=True)
class Speech:
    """A line as the speech service delivers it.

    Attributes
    ----------
    text : str
        The line.
    duration : float
        Seconds the line takes to say (or to read, for the silent service).
    audio : pathlib.Path or None
        The synthesised or recorded audio, ``None`` for the silent service.
    """

    text: str
    duration: float
    audio: Path | None = None


class SpeechService(Protocol):
    """What :meth:`scenes.lecture.LectureScene.narrating` needs from a voice."""

    def speak(self, text: str) -> Speech:
        """Return the line ``text`` spoken: its duration and audio (if any)."""
        ...


class ReadingTime:
    """The silent speech service: a line takes the time needed to read it.

    Parameters
    ----------
    words_per_second : float
        Reading pace.
    minimum : float
        Shortest time any line is shown, in seconds.

    Examples
    --------
    >>> ReadingTime().speak("one two three").duration
    1.5
    >>> ReadingTime().speak(" ".join(["word"] * 13)).duration
    5.0
    >>> ReadingTime().speak("接線の傾きが導関数です。" * 3).duration  # 36 characters at 6 a second
    6.0
    """

    def __init__(
        self, words_per_second: float = WORDS_PER_SECOND, minimum: float = MIN_LINE_SECONDS
    ) -> None:
        if not words_per_second > 0:
            raise ValueError(f"words_per_second must be positive, got {words_per_second!r}")
        self.words_per_second = words_per_second
        self.minimum = minimum

    def speak(self, text: str) -> Speech:
        """Return ``text`` with the seconds needed to read it and no audio.

        Words are counted between spaces; in text written without spaces
        (Japanese), every CJK character counts instead, at
        :data:`CHARACTERS_PER_SECOND_CJK`.
        """
        cjk = len(_CJK.findall(text))
        words = len(_CJK.sub(" ", text).split())
        seconds = words / self.words_per_second + cjk / CHARACTERS_PER_SECOND_CJK
        return Speech(text, max(self.minimum, seconds))


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_CLAUSE_END = re.compile(r"[,;:][\"'”’)\]]*$")
_DASHES = {"—", "–", "-"}
_CLAUSE_WORDS = {"and", "but", "or", "so", "because", "which", "while", "where", "then"}


def _wrap(words: list[str], width: int) -> list[str]:
    """Greedy word wrap (fewest lines) of ``words`` at ``width`` characters."""
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _layout(words: list[str], width: int) -> str:
    """Lay ``words`` out as a cue: one line if it fits, else two balanced lines.

    The two-line break is the one with the most even lines, a clause boundary
    counting as eight characters of balance (subtitle style guides break after
    punctuation and before conjunctions). More than two lines wrap greedily.
    """
    greedy = _wrap(words, width)
    if len(greedy) != 2:
        return "\n".join(greedy)

    def cost(i: int) -> int:
        top, bottom = len(" ".join(words[:i])), len(" ".join(words[i:]))
        if max(top, bottom) > width:
            return 10**6
        return abs(top - bottom) + 8 * _break_cost(words, i)

    best = min(range(1, len(words)), key=cost)
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def _break_cost(words: list[str], i: int) -> int:
    """How bad a cut before ``words[i]`` reads: 0 at a clause boundary, else 1."""
    before, after = words[i - 1], words[i]
    if _CLAUSE_END.search(before) or before in _DASHES or after in _DASHES:
        return 0
    if after.lower() in _CLAUSE_WORDS:
        return 0
    return 1


def _split_sentence(words: list[str], width: int, lines: int) -> list[list[str]]:
    """Cut one sentence into pieces that each wrap into at most ``lines`` lines."""
    if len(_wrap(words, width)) <= lines:
        return [words]
    total = len(" ".join(words))
    # Prefer a clause boundary, then the cut nearest the middle.
    best = min(
        range(1, len(words)),
        key=lambda i: (_break_cost(words, i), abs(2 * len(" ".join(words[:i])) - total)),
    )
    return _split_sentence(words[:best], width, lines) + _split_sentence(words[best:], width, lines)


def split_cues(text: str, width: int = LINE_WIDTH, lines: int = LINES_PER_CUE) -> list[str]:
    r"""Cut a narration line into subtitle cues: one per sentence, each at most ``lines`` lines.

    A sentence too long for one cue is cut at clause boundaries (after a comma,
    semicolon or colon, at a dash, before "and", "but", "which"...), the cut
    nearest its middle first. A cue too long for one line is broken into two
    balanced lines joined with ``"\n"``. The cues hold the words of ``text`` in order, each once.

    Parameters
    ----------
    text : str
        The line spoken in a beat.
    width : int
        Characters per subtitle line.
    lines : int
        Lines per cue.

    Returns
    -------
    list of str
        The cues, in order; empty if ``text`` has no words.

    Raises
    ------
    ValueError
        If a single word is longer than ``width``: no cue can hold it.

    Examples
    --------
    >>> split_cues("The slope is two. It is exact.")
    ['The slope is two.', 'It is exact.']
    >>> split_cues("As delta shrinks, the secant's slope settles on the derivative, "
    ...            "and the secant becomes the tangent.")
    ["As delta shrinks, the secant's\nslope settles on the derivative,", 'and the secant becomes the tangent.']
    """
    words = text.split()
    for word in words:
        if len(word) > width:
            raise ValueError(
                f"the word {word!r} has {len(word)} characters; a subtitle line holds {width}"
            )
    sentences: list[list[str]] = []
    for word in words:
        if not sentences or _SENTENCE_END.search(sentences[-1][-1]):
            sentences.append([])
        sentences[-1].append(word)
    return [
        _layout(piece, width)
        for sentence in sentences
        for piece in _split_sentence(sentence, width, lines)
    ]


def time_cues(cues: list[str], start: float, end: float) -> list[tuple[float, float]]:
    """Share the window ``[start, end]`` between ``cues`` in proportion to their characters.

    Parameters
    ----------
    cues : list of str
        The cues of one beat, in order (from :func:`split_cues`).
    start, end : float
        The beat's window, in seconds of scene time.

    Returns
    -------
    list of (float, float)
        Each cue's start and end: consecutive, the first starting at ``start``,
        the last ending exactly at ``end``.

    Raises
    ------
    ValueError
        If ``end < start``.

    Examples
    --------
    >>> time_cues(["abc", "a"], 0.0, 2.0)
    [(0.0, 1.5), (1.5, 2.0)]
    """
    if end < start:
        raise ValueError(f"a beat's window must not end before it starts: [{start}, {end}]")
    sizes = [max(len(c), 1) for c in cues]
    total = sum(sizes)
    bounds = [start]
    done = 0
    for size in sizes[:-1]:
        done += size
        bounds.append(start + (end - start) * done / total)
    bounds.append(end)
    return list(zip(bounds[:-1], bounds[1:], strict=True))
