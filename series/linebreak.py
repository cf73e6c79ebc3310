"""Line breaking for languages written without spaces (Japanese), and their subtitle cues.

Japanese breaks between phrases, not inside a word: the phrase boundaries
come from BudouX (Google's small, dependency-free phrase segmenter). On top of
them, *kinsoku shori* (禁則処理, JIS X 4051): no line starts with a closing
bracket, a comma or full stop, a small kana or the long-vowel mark
(``、。）」`` ...), and no line ends with an opening bracket (``「（`` ...).

Widths are counted in columns, a full-width character (East Asian Width W or
F) counting two and any other one: "20 full-width characters" is 40 columns.

This module knows no topic; :func:`split_cues_ja` is the Japanese counterpart
of the English subtitle splitter (``scenes.narration.split_cues``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

NO_START = frozenset(
    "、。，．,.・：；:;？！?!‼⁇⁈⁉ー～―‐゠〜"
    ")]}）］｝〕〉》」』】〙〗〟’”｠»"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ々〻ゝゞヽヾ"
)
"""Characters that may not start a line (行頭禁則)."""

NO_END = frozenset("([{（［｛〔〈《「『【〘〖〝‘“｟«")
"""Characters that may not end a line (行末禁則)."""

SENTENCE_END = frozenset("。！？!?")
"""Characters that end a Japanese sentence."""

_CLOSING = ")]}）］｝〕〉》」』】〙〗〟’”｠»"

LINE_COLUMNS_JA = 40
"""A Japanese subtitle line: about 20 full-width characters (40 columns)."""

LINES_PER_CUE = 2
"""Lines per subtitle cue."""


def char_width(char: str) -> int:
    """Return the columns ``char`` takes: 2 for full-width (East Asian Width W, F), else 1.

    Examples
    --------
    >>> char_width("あ"), char_width("a"), char_width("。")
    (2, 1, 2)
    """
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Return the columns ``text`` takes (newlines count nothing).

    Examples
    --------
    >>> text_width("接線 a")
    6
    """
    return sum(char_width(c) for c in text if c != "\n")


@functools.cache
def _parser():  # noqa: ANN202
    import budoux

    return budoux.load_default_japanese_parser()


def phrases(text: str) -> list[str]:
    """Cut Japanese ``text`` into phrases that may be broken between, kinsoku applied.

    BudouX's phrases, then glued where a break would be forbidden: a phrase
    that starts with a :data:`NO_START` character joins the one before, a
    phrase ending with a :data:`NO_END` character joins the one after.
    ``"".join(phrases(text)) == text``.

    Examples
    --------
    >>> phrases("接線の傾きが導関数です。")
    ['接線の', '傾きが', '導関数です。']
    """
    if not text:
        return []
    pieces: list[str] = []
    for piece in _parser().parse(text):
        # BudouX keeps spaces inside phrases; a space is also a break opportunity.
        pieces.extend(p for p in re.split(r"(?<= )", piece) if p)
    glued: list[str] = []
    for piece in pieces:
        if glued and (piece[0] in NO_START or glued[-1][-1] in NO_END):
            glued[-1] += piece
        else:
            glued.append(piece)
    return glued


def _may_break(text: str, i: int) -> bool:
    """Return True if kinsoku allows a line break before ``text[i]`` (0 < i < len(text))."""
    return text[i] not in NO_START and text[i - 1] not in NO_END


def _breakable(piece: str) -> list[str]:
    """Cut ``piece`` at every place kinsoku allows a break (``"".join`` gives it back)."""
    cuts = [0, *(i for i in range(1, len(piece)) if _may_break(piece, i)), len(piece)]
    return [piece[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def _break_chars(piece: str, width: int) -> list[str]:
    """Break one over-long phrase between characters, where kinsoku allows.

    Each line ends at the last allowed break that keeps it within ``width``
    (追い出し: a character that may not start a line pulls the one before it
    down with it). Only when no break is allowed within ``width`` (a run of
    forbidden breaks wider than a line) does a line run past ``width``, to the
    first allowed break.
    """
    lines: list[str] = []
    start = 0
    while text_width(piece[start:]) > width:
        best, used = None, 0
        for i in range(start + 1, len(piece)):
            used += char_width(piece[i - 1])
            if used > width:
                break
            if _may_break(piece, i):
                best = i
        if best is None:
            best = next(
                (i for i in range(start + 1, len(piece)) if _may_break(piece, i)), len(piece)
            )
        lines.append(piece[start:best])
        start = best
    if start < len(piece):
        lines.append(piece[start:])
    return lines


def wrap(text: str, width: int) -> list[str]:
    """Break Japanese ``text`` into lines of at most ``width`` columns, between phrases.

    Greedy (fewest lines) over :func:`phrases`; a single phrase wider than
    ``width`` is broken between characters, still never before a
    :data:`NO_START` or after a :data:`NO_END` character. ``"".join`` of the
    lines gives back ``text``.

    Raises
    ------
    ValueError
        If ``width`` is less than 2 columns (one full-width character).

    Examples
    --------
    >>> wrap("接線の傾きが導関数です。", 12)
    ['接線の傾きが', '導関数です。']
    """
    if width < 2:
        raise ValueError(
            f"a line must hold at least one full-width character (2 columns); got {width}"
        )
    lines: list[str] = []
    for piece in phrases(text):
        if lines and text_width(lines[-1]) + text_width(piece) <= width:
            lines[-1] += piece
        elif text_width(piece) <= width:
            lines.append(piece)
        else:
            parts = _break_chars(piece, width)
            if lines and text_width(lines[-1]) + text_width(parts[0]) <= width:
                lines[-1] += parts.pop(0)
            lines.extend(parts)
    return lines


def _balanced(pieces: list[str], width: int) -> str:
    """Lay ``pieces`` (one cue) out as one line, or two lines as even as the phrases allow."""
    text = "".join(pieces)
    if text_width(text) <= width:
        return text
    best, best_cost = None, None
    for i in range(1, len(pieces)):
        top, bottom = "".join(pieces[:i]), "".join(pieces[i:])
        if max(text_width(top), text_width(bottom)) > width:
            continue
        # Prefer a break after a comma (、) at nearly the same balance.
        cost = abs(text_width(top) - text_width(bottom)) - (6 if top.endswith("、") else 0)
        if best_cost is None or cost < best_cost:
            best, best_cost = i, cost
    if best is None:
        return "\n".join(wrap(text, width))
    return "".join(pieces[:best]) + "\n" + "".join(pieces[best:])


def _split(pieces: list[str], width: int, lines: int) -> list[list[str]]:
    """Cut a sentence's phrases into runs that each fit ``lines`` lines of ``width``."""
    if len(wrap("".join(pieces), width)) <= lines or len(pieces) == 1:
        return [pieces]
    total = text_width("".join(pieces))

    def cost(i: int) -> tuple[bool, bool, int]:
        # Fewest cues first; then after a 、; then nearest the middle.
        head, tail = "".join(pieces[:i]), "".join(pieces[i:])
        fits = len(wrap(head, width)) <= lines and len(wrap(tail, width)) <= lines
        return (not fits, not head.endswith("、"), abs(2 * text_width(head) - total))

    best = min(range(1, len(pieces)), key=cost)
    return _split(pieces[:best], width, lines) + _split(pieces[best:], width, lines)


def sentences_ja(text: str) -> list[str]:
    """Cut Japanese ``text`` after each sentence end (。！？ and any closing marks after it).

    Examples
    --------
    >>> sentences_ja("微分です。「接線」です！")
    ['微分です。', '「接線」です！']
    """
    out: list[str] = []
    current = ""
    for i, c in enumerate(text):
        current += c
        following = text[i + 1] if i + 1 < len(text) else ""
        ended = current.rstrip(_CLOSING)[-1:] in SENTENCE_END
        if ended and following not in NO_START:
            if current.strip():
                out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out


def split_cues_ja(text: str, width: int = LINE_COLUMNS_JA, lines: int = LINES_PER_CUE) -> list[str]:
    r"""Cut a Japanese narration line into subtitle cues: one per sentence (。), at most ``lines`` lines.

    A sentence too long for one cue is cut between phrases, after a 、 if
    there is one near the middle; a cue wider than one line becomes two
    balanced lines joined with ``"\n"``. Kinsoku holds at every break.

    Parameters
    ----------
    text : str
        The line spoken in a beat.
    width : int
        Columns per subtitle line (a full-width character is 2).
    lines : int
        Lines per cue.

    Returns
    -------
    list of str
        The cues in order; ``"".join`` of them without ``"\n"`` gives back
        ``text`` without the spaces between sentences.

    Examples
    --------
    >>> split_cues_ja("傾きは二です。正確な値です。")
    ['傾きは二です。', '正確な値です。']
    """
    cues: list[str] = []
    for sentence in sentences_ja(text):
        # A phrase wider than a line (BudouX can return a whole sentence) is
        # opened at every break kinsoku allows, so the cue can still be laid
        # out in balanced lines within ``width``.
        pieces = [
            part
            for phrase in phrases(sentence)
            for part in (_breakable(phrase) if text_width(phrase) > width else [phrase])
        ]
        for run in _split(pieces, width, lines):
            cues.append(_balanced(run, width))
    return cues


def uses_spaces(lang: str) -> bool:
    """Return False for languages written without spaces between words (ja, zh, th...)."""
    return lang.split("_")[0] not in {"ja", "zh", "th", "lo", "km", "my"}
