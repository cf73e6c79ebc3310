"""LiveNumber (the same glyphs as DecimalNumber, cheaper) and the one number formatter."""

from __future__ import annotations

import math
import re
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from manim import DecimalNumber

from scenes.components.numbers import (
    SCI_ABOVE,
    LiveNumber,
    number_tex,
    number_text,
    product_tex,
    sci_tex,
)


def outline(mob) -> np.ndarray:
    return np.concatenate([m.points for m in mob.family_members_with_points()])


@pytest.mark.parametrize("value", [0.0, -12.345678, 3.0, 1e-7, 987654.321])
@pytest.mark.parametrize("decimals", [0, 3, 6])
def test_same_outline_and_value_as_decimal_number(value, decimals):
    slow = DecimalNumber(1.5, num_decimal_places=decimals, font_size=30, color="#83C167")
    fast = LiveNumber(1.5, num_decimal_places=decimals, font_size=30, color="#83C167")
    slow.set_value(value)
    fast.set_value(value)
    assert fast.get_value() == value
    # Same points to float round-off: the glyphs are the same outlines, scaled alike.
    np.testing.assert_allclose(outline(fast), outline(slow), rtol=0, atol=1e-12)
    assert [m.get_fill_color().to_hex() for m in fast.family_members_with_points()] == [
        m.get_fill_color().to_hex() for m in slow.family_members_with_points()
    ]


# ------------------------------------------------------------------ the formatter


FINITE = st.floats(allow_nan=False, allow_infinity=False, allow_subnormal=True)
"""Every finite double: ±0, subnormals, the largest and the tiniest."""
SPECIAL = st.sampled_from(
    [
        0.0,
        -0.0,
        5e-324,
        -5e-324,
        2.2250738585072014e-308,
        1.7976931348623157e308,
        -1.7976931348623157e308,
        6.123233995736766e-17,
        -6.123233995736766e-17,
        -0.0004999,
        0.0005,
        999999.9996,
        -999999.9995,
        1e6,
    ]
)
NUMBERS = FINITE | SPECIAL
SCI = re.compile(r"^(?:(-?\d+(?:\.\d+)?)\\times)?10\^\{(-?\d+)\}$")


def parse(tex: str) -> Decimal:
    """Read a number back, exactly, from the formatter's LaTeX (fixed or scientific)."""
    body = tex[1:-1] if tex.startswith("(") else tex
    match = SCI.match(body.replace("-10^", "-1\\times10^"))
    if match:
        mantissa = Decimal(match.group(1) or "1")
        return mantissa.scaleb(int(match.group(2)))
    return Decimal(body)


def close(shown: Decimal, value: float, rel: float) -> bool:
    """``shown`` within ``rel`` of ``value``, relative, in exact decimal arithmetic."""
    exact = Decimal(value)
    return abs(shown - exact) <= Decimal(rel) * abs(exact)


def assert_clean(tex: str) -> None:
    assert "e" not in tex.replace(r"\times", ""), tex  # no Python exponent, nan or inf
    assert not re.search(r"-0(\.0*)?(?![.\d])", tex), tex  # no -0, -0.000
    assert tex.count("(") == tex.count(")")


@given(NUMBERS, st.integers(0, 6))
def test_fixed_decimals_read_back_within_half_a_unit(value, decimals):
    tex = number_tex(value, decimals)
    assert_clean(tex)
    shown = parse(tex)
    if abs(value) < SCI_ABOVE - 0.5 * 10.0**-decimals:
        pattern = r"-?\d+" + (r"\.\d{" + str(decimals) + "}" if decimals else "")
        assert re.fullmatch(pattern, tex), tex
        # Rounding to `decimals` places: at most half a unit of the last place (+ an ulp).
        assert abs(shown - Decimal(value)) <= Decimal(0.5 * 10.0**-decimals) * (1 + Decimal(1e-12))
    else:
        assert r"\times10^" in tex
        assert close(shown, value, 0.51 * 10.0**-decimals)


@given(NUMBERS, st.integers(0, 6))
def test_below_the_shown_precision_is_an_unsigned_zero(value, decimals):
    tex = number_tex(value, decimals)
    if abs(value) < 0.5 * 10.0**-decimals * (1 - 1e-9):
        assert tex == ("0." + "0" * decimals if decimals else "0")


@given(NUMBERS, st.integers(0, 6))
def test_negative_factors_in_parentheses(value, decimals):
    tex = number_tex(value, decimals, parens=True)
    plain = number_tex(value, decimals)
    assert tex == (f"({plain})" if plain.startswith("-") else plain)


@given(NUMBERS)
def test_short_form_of_parameters(value):
    tex = number_tex(value)
    assert_clean(tex)
    if value == 0:
        assert tex == "0"
    else:
        assert close(parse(tex), value, 5e-6)


@given(NUMBERS, st.integers(0, 4))
def test_scientific_notation_reads_back(value, digits):
    tex = sci_tex(value, digits)
    assert_clean(tex)
    if value == 0:
        assert tex == "0"
    else:
        assert close(parse(tex), value, 0.51 * 10.0**-digits)


def test_the_issue_examples():
    assert product_tex([0.25, -0.4, 0.2]) == ["0.250", r"\cdot", "(-0.400)", r"\cdot", "0.200"]
    assert number_tex(-0.0, 3) == "0.000"
    assert product_tex([2.0, -0.0]) == ["2.000", r"\cdot", "0.000"]
    assert number_tex(math.cos(math.pi / 2), 3) == "0.000"
    assert number_tex(math.cos(math.pi / 2)) == r"6.12323\times10^{-17}"  # a parameter, exact
    assert sci_tex(2.4968e-8) == r"2.5\times10^{-8}"
    assert number_text(-0.25, 2) == "−0.25"
    assert number_text(1e-5) == "10⁻⁵"


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_is_refused_with_the_value(bad):
    with pytest.raises(ValueError, match="non-finite"):
        number_tex(bad, 3)
    with pytest.raises(ValueError, match="non-finite"):
        sci_tex(bad)


def test_bad_decimals_are_refused():
    with pytest.raises(ValueError, match="decimals must be >= 0"):
        number_tex(1.0, -1)
    with pytest.raises(TypeError, match="real number"):
        number_tex("one", 2)
