r"""Numbers on screen: one formatter for every displayed value, and `LiveNumber`.

:func:`number_tex` is the one way a scene writes a number into LaTeX: fixed
decimals (the same for the same quantity across a scene), never ``-0``, no
``e-17`` noise (a value below the shown precision shows as 0), negative factors
in parentheses when asked (``0.250 \cdot (-0.400)``), and scientific notation
(:func:`sci_tex`) only where fixed decimals cannot show the value.
:func:`number_text` is the same for plain text labels (a true minus sign).

`LiveNumber`: a DecimalNumber cheap enough to change on every frame.

manim's ``DecimalNumber.set_value`` deep-copies a cached ``MathTex`` for every
character, about 30 ms for an 8-character number on a 2-core machine: a
read-out updated every frame spends most of a scene's render there. The glyph
outlines never change, so ``LiveNumber`` copies only their points and style
(same shapes, same look) and keeps ``DecimalNumber``'s layout code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
from manim import ORIGIN, DecimalNumber, VGroup, VMobject

SCI_ABOVE = 1e6
"""Magnitudes from here up are written in scientific notation."""
SHORT_BELOW = 1e-3
"""In the short (parameter) form, non-zero magnitudes below this are scientific."""


def _finite(value: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"a number to show must be a real number; got {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"cannot show a non-finite number on screen; got {value!r}")
    return v


def _trim(mantissa: str) -> str:
    return mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa


def _power_tex(v: float) -> str:
    r"""Return non-zero ``v`` as ``10^{k}`` (mantissa 1), else ``m\times10^{k}`` (6 digits at most)."""
    mantissa, exponent = f"{v:.5e}".split("e")
    mantissa, power = _trim(mantissa), f"10^{{{int(exponent)}}}"
    return {"1": power, "-1": f"-{power}"}.get(mantissa, rf"{mantissa}\times{power}")


def sci_tex(value: float, digits: int = 1, *, parens: bool = False) -> str:
    r"""LaTeX of ``value`` in scientific notation, ``m\times10^{k}`` with ``digits`` decimals.

    Parameters
    ----------
    value : float
        A finite number.
    digits : int
        Decimals of the mantissa.
    parens : bool
        Wrap a negative value in parentheses (a factor in a product).

    Returns
    -------
    str
        ``"0"`` for zero (either sign), else e.g. ``2.5\times10^{-8}``.

    Raises
    ------
    ValueError
        If ``value`` is NaN or infinite, or ``digits`` is negative.

    Examples
    --------
    >>> sci_tex(2.4968e-8)
    '2.5\\times10^{-8}'
    >>> sci_tex(-0.0)
    '0'
    """
    v = _finite(value)
    if digits < 0:
        raise ValueError(f"digits must be >= 0; got {digits!r}")
    if v == 0:
        return "0"
    mantissa, exponent = f"{v:.{digits}e}".split("e")
    text = rf"{mantissa}\times10^{{{int(exponent)}}}"
    return f"({text})" if parens and v < 0 else text


def number_tex(value: float, decimals: int | None = None, *, parens: bool = False) -> str:
    r"""LaTeX of a number as the series shows it.

    Parameters
    ----------
    value : float
        A finite number.
    decimals : int, optional
        Fixed decimal places (a computed quantity: use the same for the same
        quantity across a scene). A value that rounds to zero shows as ``0.000``
        without a sign. ``None``: the short form for a parameter the scene set
        (``1``, ``0.5``, ``0.001``, ``10^{-5}``), six significant digits at most.
    parens : bool
        Wrap a negative number in parentheses (a factor in a product).

    Returns
    -------
    str
        Math-mode LaTeX; magnitudes of :data:`SCI_ABOVE` and more (and, in the
        short form, non-zero ones below :data:`SHORT_BELOW`) in scientific
        notation.

    Raises
    ------
    ValueError
        If ``value`` is NaN or infinite, or ``decimals`` is negative.

    Examples
    --------
    >>> number_tex(-0.0004, 3)
    '0.000'
    >>> number_tex(-0.4, 3, parens=True)
    '(-0.400)'
    >>> number_tex(6.123233995736766e-17, 3)
    '0.000'
    >>> number_tex(0.001), number_tex(3.0), number_tex(1e-5)
    ('0.001', '3', '10^{-5}')
    """
    v = _finite(value)
    if decimals is not None and decimals < 0:
        raise ValueError(f"decimals must be >= 0 or None; got {decimals!r}")
    magnitude = abs(v)
    if decimals is None:
        if v == 0:
            return "0"
        text = f"{v:.6g}"
        if not (SHORT_BELOW <= magnitude and "e" not in text):
            text = _power_tex(v)
    elif round(magnitude, decimals) >= SCI_ABOVE:
        text = sci_tex(v, decimals)
    else:
        text = f"{v:.{decimals}f}"
        if float(text) == 0:
            text = text.lstrip("-")
    return f"({text})" if parens and text.startswith("-") else text


def column_tex(values: Iterable[float]) -> list[str]:
    r"""LaTeX of the parameters of one table column, all in one notation.

    The short form of :func:`number_tex` when it writes every value with
    decimals (``1``, ``0.1``, ``0.01``, ``0.001``); otherwise every value in
    scientific notation, so a column never mixes ``0.01`` with ``10^{-3}``.

    Raises
    ------
    ValueError
        If a value is NaN or infinite.

    Examples
    --------
    >>> column_tex([1.0, 0.1, 0.01, 0.001])
    ['1', '0.1', '0.01', '0.001']
    >>> column_tex([0.01, 0.001, 1e-4])
    ['10^{-2}', '10^{-3}', '10^{-4}']
    >>> column_tex([1e-6, 2.5e-9])
    ['10^{-6}', '2.5\\times10^{-9}']
    """
    shown = [number_tex(v) for v in values]
    if not any("10^{" in text for text in shown):
        return shown
    return [_power_tex(_finite(v)) if v != 0 else "0" for v in values]


def decimals_for(*values: float, most: int = 3) -> int:
    """Fewest decimals (at most ``most``) that show every value exactly: one count for all.

    For a quantity shown in several places (a factory's wires and the math view)
    whose values a scene sets: ``3`` and ``9`` need 0, ``0.5`` and ``0.25`` need 2.

    Raises
    ------
    ValueError
        If a value is NaN or infinite.

    Examples
    --------
    >>> decimals_for(3.0, 9.0), decimals_for(0.5, 0.25), decimals_for(1 / 3)
    (0, 2, 3)
    """
    needed = 0
    for value in values:
        v = _finite(value)
        while needed < most and round(v, needed) != v:
            needed += 1
    return needed


def product_tex(factors: Iterable[float], decimals: int = 3) -> list[str]:
    r"""LaTeX parts of a product ``a \cdot b \cdot c``, negative factors in parentheses.

    Returns
    -------
    list of str
        ``[a, r"\cdot", b, ...]``, for a ``MathTex(*parts)`` whose factors are
        separate submobjects.

    Examples
    --------
    >>> product_tex([0.25, -0.4, 0.2])
    ['0.250', '\\cdot', '(-0.400)', '\\cdot', '0.200']
    """
    parts: list[str] = []
    for factor in factors:
        if parts:
            parts.append(r"\cdot")
        parts.append(number_tex(factor, decimals, parens=True))
    return parts


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def number_text(value: float, decimals: int | None = None) -> str:
    """Plain-text form of :func:`number_tex` for labels: a true minus sign, ``×10⁻⁵``.

    Examples
    --------
    >>> number_text(-0.25, 2), number_text(0.001), number_text(2e-5)
    ('−0.25', '0.001', '2×10⁻⁵')
    """
    text = number_tex(value, decimals)
    if "10^{" in text:
        head, _, power = text.partition("10^{")
        text = head.replace(r"\times", "×") + "10" + power.rstrip("}").translate(_SUPERSCRIPT)
    return text.replace("-", "−")


# (string, glyph class, options) -> (font size of the template, [(points, style source)])
_GLYPHS: dict[tuple[Any, ...], tuple[float, list[tuple[np.ndarray, VMobject]]]] = {}


_STYLE_ARRAYS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "sheen_direction")
_STYLE_SCALARS = ("stroke_width", "background_stroke_width", "sheen_factor")


class LiveNumber(DecimalNumber):
    """A ``DecimalNumber`` whose glyphs are light copies of cached outlines.

    Same arguments, look and value semantics as :class:`manim.DecimalNumber`
    (``get_value`` returns the exact number set); ``set_value`` costs about a
    tenth as much.
    """

    def _string_to_mob(self, string: str, mob_class: type | None = None, **kwargs: Any) -> VMobject:
        mob_class = mob_class or self.mob_class
        key = (string, mob_class, tuple(sorted(kwargs.items(), key=lambda kv: kv[0])))
        if key not in _GLYPHS:
            template = mob_class(string, **kwargs)
            parts = [(sub.points.copy(), sub) for sub in template.family_members_with_points()]
            _GLYPHS[key] = (template.font_size, parts)
        size, parts = _GLYPHS[key]
        glyph = VGroup()
        for points, style in parts:
            piece = VMobject()
            piece.points = points.copy()
            # The style arrays as they are (match_style re-parses every colour).
            for attr in _STYLE_ARRAYS:
                setattr(piece, attr, getattr(style, attr).copy())
            for attr in _STYLE_SCALARS:
                setattr(piece, attr, getattr(style, attr))
            glyph.add(piece)
        glyph.scale(self._font_size / size, about_point=ORIGIN)
        return glyph
