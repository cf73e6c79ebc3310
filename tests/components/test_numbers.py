"""LiveNumber: the same glyphs, layout and value as manim's DecimalNumber, cheaper to change."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DecimalNumber

from scenes.components.numbers import LiveNumber


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
