"""`math_words`: formulas whose ``\\text{}`` words are translated (Japanese beside the math)."""

from __future__ import annotations

import pytest
from manim import MathTex

from scenes.components.math_words import _em, math_words, split_text, text_with_math


def test_english_is_exactly_mathtex():
    mob = math_words(r"\text{slope} = ", "2")
    assert type(mob) is MathTex
    assert len(mob) == 2


def test_split_text_keeps_nested_text_in_its_math():
    assert split_text(r"\frac{\text{a}}{b} \text{ok}") == [
        ("math", r"\frac{\text{a}}{b} "),
        ("text", "ok"),
    ]
    with pytest.raises(ValueError, match="unclosed"):
        split_text(r"\text{open")


def test_japanese_words_are_text_one_submobject_per_part():
    mob = math_words(r"\text{傾き} = ", "3.25")
    assert len(mob) == 2
    words, number = mob[0][0], mob[1][0]
    assert type(words).__name__ == "Text"
    assert type(number) is MathTex
    assert words.get_right()[0] < number.get_left()[0]


@pytest.mark.parametrize(("space", "ems"), [(r"\qquad", 2.0), (r"\quad", 1.0)])
def test_spacing_between_a_formula_and_words_is_kept(space, ems):
    """TeX glue at a formula's end is cropped from its SVG; the gap must stay (it was lost)."""
    font = 48
    tight = math_words(r"\text{連鎖律}: 0.36 \text{中心差分}", font_size=font)[0]
    spaced = math_words(rf"\text{{連鎖律}}: 0.36 {space} \text{{中心差分}}", font_size=font)[0]
    gap = spaced[2].get_left()[0] - spaced[1].get_right()[0]
    base = tight[2].get_left()[0] - tight[1].get_right()[0]
    assert gap - base == pytest.approx(ems * _em(font), rel=1e-6)


def test_text_with_math_lets_the_translation_move_a_slot():
    assert (
        text_with_math("{f} には折れ点があります", f="f_{1}")
        == r"f_{1} \text{ には折れ点があります}"
    )


def test_spacing_at_the_start_of_a_part_is_a_gap_between_parts():
    """NudgeThroughFactories' check row: the second part starts with \\qquad."""
    font = 34
    tight = math_words(r"\text{連鎖律}: 1", r"\text{中心差分}: 1", font_size=font)
    spaced = math_words(r"\text{連鎖律}: 1", r"\qquad \text{中心差分}: 1", font_size=font)
    gap = spaced[1].get_left()[0] - spaced[0].get_right()[0]
    base = tight[1].get_left()[0] - tight[0].get_right()[0]
    assert gap - base == pytest.approx(2 * _em(font), rel=1e-6)


def test_a_fraction_with_translated_words_is_stacked_over_a_bar():
    r"""``\frac{\Delta \text{出力}}{\varepsilon}``: LaTeX cannot set the word, so the fraction is built."""
    from scenes.components.math_words import split_fracs

    assert split_fracs(r"\frac{a}{b} = \frac{\Delta \text{出力}}{\varepsilon} =") == [
        ("math", r"\frac{a}{b} = "),
        ("frac", r"\Delta \text{出力}", r"\varepsilon"),
        ("math", " ="),
    ]
    english = math_words(r"\quad \frac{\Delta \text{out}}{\varepsilon} =")
    assert type(english) is MathTex  # English: exactly the formula LaTeX sets
    mob = math_words(r"\quad \frac{\Delta \text{出力}}{\varepsilon} =", font_size=36)
    fraction, equals = mob[0]
    top, bar, bottom = fraction
    assert type(top[1]).__name__ == "Text"
    assert top[1].text == "出力"
    assert top.get_bottom()[1] > bar.get_y() > bottom.get_top()[1]
    assert bar.width >= max(top.width, bottom.width)
    assert fraction.get_right()[0] < equals.get_left()[0]
    # Its bar on the axis of the line: level with the middle of the "=".
    assert abs(bar.get_y() - equals.get_y()) < 1e-9
