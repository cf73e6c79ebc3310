"""The narration timeline's parts that need no manim: speech services and subtitle cues.

A beat lasts as long as the longer of its animations and its line: the time
a :class:`SpeechService` needs to say (or a viewer to read) it. The services
(silent :class:`ReadingTime`, the voices, the teacher's recordings) live in
the topic-free :mod:`series.speech`; they are re-exported here.

Subtitles follow what is spoken: :func:`split_cues` cuts a line into cues,
one per sentence, none longer than two lines of 42 characters (the usual
limit of video platforms), and :func:`time_cues` shares the beat's window
between them in proportion to their characters.
"""

from __future__ import annotations

import re

from series.linebreak import split_cues_ja, uses_spaces
from series.speech import (
    MIN_LINE_SECONDS,
    WORDS_PER_SECOND,
    ReadingTime,
    Speech,
    SpeechService,
)

__all__ = [
    "LINES_PER_CUE",
    "LINE_WIDTH",
    "MIN_LINE_SECONDS",
    "WORDS_PER_SECOND",
    "ReadingTime",
    "Speech",
    "SpeechService",
    "cues_for",
    "split_cues",
    "snap_to_pauses",
    "time_cues",
]

LINE_WIDTH = 42
"""Characters per subtitle line (BBC / Netflix / YouTube guidance for 16:9)."""

LINES_PER_CUE = 2
"""Lines per subtitle cue."""

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


def cues_for(text: str, lang: str) -> list[str]:
    """Cut a line into its subtitle cues by the rule of language ``lang``.

    :func:`split_cues` (words, 42 characters a line) for languages written
    with spaces; :func:`series.linebreak.split_cues_ja` (phrases, 20
    full-width characters a line, kinsoku) for Japanese and the others
    written without. A voice says a multi-cue line cue by cue.

    Examples
    --------
    >>> cues_for("The slope is two. It is exact.", "en")
    ['The slope is two.', 'It is exact.']
    >>> cues_for("傾きは二です。正確な値です。", "ja")
    ['傾きは二です。', '正確な値です。']
    """
    return split_cues(text) if uses_spaces(lang) else split_cues_ja(text)


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


MAX_SNAP = 1.5
"""Seconds a cue boundary may move to meet a pause in the speech."""


def snap_to_pauses(
    bounds: list[tuple[float, float]], pauses: tuple[tuple[float, float], ...], start: float
) -> list[tuple[float, float]]:
    """Move the boundaries between a beat's cues to where the speech resumes after a pause.

    :func:`time_cues` shares a beat by characters; a voice pauses between
    sentences (and often at clauses). Each inner boundary moves to the end of
    the nearest unused pause within :data:`MAX_SNAP` seconds, in order, so a
    cue appears as its words begin. Boundaries with no pause near stay.

    Parameters
    ----------
    bounds : list of (float, float)
        The cues' windows from :func:`time_cues`, consecutive.
    pauses : tuple of (float, float)
        Silent gaps of the line's audio, seconds from its start
        (:attr:`series.speech.Speech.pauses`).
    start : float
        Scene time at which the line's audio starts.

    Returns
    -------
    list of (float, float)
        Consecutive windows with the same first start and last end.

    Examples
    --------
    >>> snap_to_pauses([(0.0, 1.0), (1.0, 3.0)], ((1.2, 1.5),), 0.0)
    [(0.0, 1.5), (1.5, 3.0)]
    """
    if len(bounds) < 2 or not pauses:
        return list(bounds)
    edges = [b[0] for b in bounds] + [bounds[-1][1]]
    used = -1
    for k in range(1, len(edges) - 1):
        best = None
        for i in range(used + 1, len(pauses)):
            resume = start + pauses[i][1]
            mid = start + (pauses[i][0] + pauses[i][1]) / 2
            if not edges[k - 1] < resume < edges[-1]:
                continue
            if abs(mid - edges[k]) <= MAX_SNAP and (
                best is None or abs(mid - edges[k]) < abs(best[1] - edges[k])
            ):
                best = (i, mid, resume)
        if best is not None:
            used, edges[k] = best[0], best[2]
    return list(zip(edges[:-1], edges[1:], strict=True))
