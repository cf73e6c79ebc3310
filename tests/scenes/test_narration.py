"""The narration timeline's pure parts: the silent speech service, cue splitting and timing."""

from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenes import narration
from scenes.narration import LINE_WIDTH, LINES_PER_CUE, ReadingTime, split_cues, time_cues
from tests.strategies import narration_texts


def test_doctests():
    from series import speech

    for module, examples in ((narration, 4), (speech, 3)):
        failed, tried = doctest.testmod(module)
        assert tried >= examples, module.__name__
        assert failed == 0, module.__name__


def _fits(cue: str) -> bool:
    lines = cue.split("\n")
    return len(lines) <= LINES_PER_CUE and all(len(line) <= LINE_WIDTH for line in lines)


@given(narration_texts())
def test_cues_fit_two_lines_and_cover_the_words_in_order_once(text):
    cues = split_cues(text)
    assert all(_fits(c) for c in cues), cues
    assert [w for c in cues for w in c.split()] == text.split()
    assert all(c.strip() for c in cues), "no empty cue"


@given(narration_texts())
def test_a_cue_never_spans_a_sentence_end(text):
    for cue in split_cues(text):
        words = cue.split()
        assert not any(narration._SENTENCE_END.search(w) for w in words[:-1]), cue


def test_one_cue_per_short_sentence():
    assert split_cues("The slope is two.  It is exact!  Why? Because.") == [
        "The slope is two.",
        "It is exact!",
        "Why?",
        "Because.",
    ]


def test_a_long_sentence_is_cut_at_a_clause_boundary():
    text = (
        "Start at the end. L is a sum, so nudging any entry of S moves L by the same amount: "
        "the gradient is all ones."
    )
    cues = split_cues(text)
    assert cues[0] == "Start at the end."
    assert cues[1].endswith("amount:"), cues
    assert cues[2] == "the gradient is all ones."
    assert all(_fits(c) for c in cues)


def test_a_word_longer_than_a_line_is_a_clear_error():
    with pytest.raises(ValueError, match=r"has 43 characters; a subtitle line holds 42"):
        split_cues("x" * 43)


def test_empty_text_has_no_cues():
    assert split_cues("  \n ") == []


@given(
    st.lists(st.text(min_size=0, max_size=90), min_size=1, max_size=12),
    st.floats(0, 1e4),
    st.floats(0, 1e3),
)
def test_cue_times_are_consecutive_and_fill_the_window(cues, start, length):
    end = start + length
    times = time_cues(cues, start, end)
    assert len(times) == len(cues)
    assert times[0][0] == start
    assert times[-1][1] == end
    for (_, a_end), (b_start, _) in zip(times, times[1:], strict=False):
        assert a_end == b_start
    assert all(a <= b for a, b in times)


def test_cue_times_are_proportional_to_characters():
    assert time_cues(["aaa", "a"], 10.0, 14.0) == [(10.0, 13.0), (13.0, 14.0)]


def test_a_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match=r"must not end before it starts"):
        time_cues(["a"], 2.0, 1.0)


def test_reading_time_is_words_over_pace_with_a_floor():
    assert ReadingTime().speak("a b").duration == 1.5
    assert ReadingTime(words_per_second=2.0).speak("a b c d e f").duration == 3.0
    assert ReadingTime().speak("a b").audio is None
    with pytest.raises(ValueError, match="words_per_second must be positive, got 0"):
        ReadingTime(words_per_second=0)


def test_a_two_line_cue_breaks_at_the_clause_into_even_lines():
    assert split_cues("That line is the tangent: its slope is the derivative at a.") == [
        "That line is the tangent:\nits slope is the derivative at a."
    ]
    assert split_cues("Now shrink delta.") == ["Now shrink delta."]
