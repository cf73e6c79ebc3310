"""Japanese line breaking and subtitle cues (series.linebreak): kinsoku, text kept, widths."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from series.linebreak import (
    NO_END,
    NO_START,
    char_width,
    phrases,
    sentences_ja,
    split_cues_ja,
    text_width,
    wrap,
)
from tests.strategies import examples, japanese_text


def test_widths_count_full_width_as_two():
    assert [char_width(c) for c in "aあ。A１"] == [1, 2, 2, 1, 2]
    assert text_width("導関数 f'") == 9


def test_phrases_do_not_cut_words():
    assert phrases("接線の傾きが導関数です。") == ["接線の", "傾きが", "導関数です。"]


def test_no_line_starts_with_closing_punctuation():
    lines = wrap("これは「かっこ」、そして。", 8)
    assert "".join(lines) == "これは「かっこ」、そして。"
    assert all(line[0] not in NO_START for line in lines[1:])
    assert all(line[-1] not in NO_END for line in lines)


def test_wrap_rejects_a_width_below_one_character():
    with pytest.raises(ValueError, match="at least one full-width character"):
        wrap("微分", 1)


@settings(max_examples=examples(60), deadline=None)
@given(japanese_text(), st.integers(min_value=8, max_value=48))
def test_wrap_keeps_text_obeys_kinsoku_and_width(text, width):
    lines = wrap(text, width)
    assert "".join(lines) == text
    assert all(line for line in lines)
    for prev, line in zip(lines, lines[1:], strict=False):
        assert line[0] not in NO_START, (prev, line)
        assert prev[-1] not in NO_END, (prev, line)
    # Width: a line may only exceed it when kinsoku forbids every break that would
    # have kept it within the width (a run of forbidden breaks wider than a line).
    for line in lines:
        if text_width(line) > width:
            allowed = [
                i
                for i in range(1, len(line))
                if line[i] not in NO_START
                and line[i - 1] not in NO_END
                and text_width(line[:i]) <= width
            ]
            assert not allowed, (line, allowed)


def test_a_mark_that_may_not_start_a_line_takes_the_character_before_it_down():
    # 追い出し: BudouX keeps this sentence as one 42-column phrase; 。 may not start
    # a line, so と goes down with it and the first line keeps within 40 columns
    # instead of hanging the full stop out past the width.
    text = "極限です計算グラフ「微分極限ですちょっと。"
    assert phrases(text) == [text]
    assert wrap(text, 40) == ["極限です計算グラフ「微分極限ですちょっ", "と。"]
    # And a line never ends on an opening bracket: 「 goes down with 微.
    assert wrap(text, 20) == ["極限です計算グラフ", "「微分極限ですちょっ", "と。"]


def test_sentences_end_at_full_stops_with_their_closing_brackets():
    assert sentences_ja("微分です。「接線」です！次？") == ["微分です。", "「接線」です！", "次？"]
    assert sentences_ja("「そうです。」と言いました。") == ["「そうです。」", "と言いました。"]


def test_cues_one_per_sentence_two_balanced_lines():
    text = "導関数とは、変化を限りなく小さくしたときの、出力の変化の割合です。次に、中心差分で計算してみましょう。"
    cues = split_cues_ja(text)
    assert cues[-1] == "次に、中心差分で計算してみましょう。"
    assert "".join(c.replace("\n", "") for c in cues) == text
    for cue in cues:
        lines = cue.split("\n")
        assert len(lines) <= 2
        assert all(text_width(line) <= 40 for line in lines)
        assert all(line[0] not in NO_START for line in lines)


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(japanese_text(12), min_size=1, max_size=4))
# CI found this one: BudouX keeps the whole sentence as one 42-column phrase whose
# only in-width break was before the 。, which may not start a line.
@example(["極限です計算グラフ「微分極限ですちょっと"])
def test_cues_keep_text_and_fit_two_lines(sentences):
    text = "".join(s.rstrip("。") + "。" for s in sentences)
    cues = split_cues_ja(text)
    assert "".join(c.replace("\n", "") for c in cues) == text
    for cue in cues:
        lines = cue.split("\n")
        assert len(lines) <= 2, cue
        for line in lines:
            assert line[0] not in NO_START or line is lines[0] and cue is cues[0], cue
            assert text_width(line) <= 40, cue
