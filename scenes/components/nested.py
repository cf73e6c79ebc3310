"""Nested functions drawn as factories in a row: values, multipliers, signals, nudges.

Every number on the wires and on the boxes comes from :class:`lib.chain.NestedFunction`
(``stages``, ``local_derivatives``, ``nudge``) at build time and whenever the input
changes; nothing is typed by hand. Where a factory's input lies within
:data:`lib.calculus.DELTA` of its kink no multiplier (slope) is claimed: the number
is hidden and the word "kink" is shown instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Dot,
    Line,
    MathTex,
    UpdateFromAlphaFunc,
    VGroup,
    linear,
)

from lib.adapt import adapt
from lib.calculus import DELTA
from lib.chain import NestedFunction
from series.i18n import _

from . import palette
from .factory import FunctionFactory
from .numbers import LiveNumber, number_tex, product_tex
from .text import label


def function_tex(func: Callable[..., object], tex: str | None = None) -> str:
    r"""LaTeX of a function as a formula in x: ``tex``, else the registry's, else its name.

    The label comes from :func:`lib.adapt.adapt`: an explicit ``tex`` (a scene's
    ``labels`` attribute), else what :mod:`lib.functions` registered (numpy's
    ``sin``, ``tan``, ``log``...; ``register(FunctionSpec(...))`` adds yours),
    else the function's name as an upright word.

    Examples
    --------
    >>> from lib.functions import square
    >>> function_tex(square)
    'x^2'
    >>> function_tex(lambda x: x)
    '\\mathrm{<lambda>}(x)'
    >>> function_tex(lambda x: x / 2, r"\tfrac{x}{2}")
    '\\tfrac{x}{2}'
    """
    adapted = adapt(func, tex=tex)
    if adapted.tex is not None:
        return adapted.tex
    name = getattr(func, "__name__", "f").replace("_", r"\_")
    return rf"\mathrm{{{name}}}(x)"


_X_OR_COMMAND = re.compile(r"\\[A-Za-z]+|\{x\}|x")
"""A TeX command (kept whole: ``\\max`` has an x in it) or the variable x."""


def compose_tex(
    functions: Sequence[Callable[..., object]], texs: Sequence[str | None] | None = None
) -> str:
    r"""LaTeX of the nested function fₙ(…f₁(x)…) written with each function's formula.

    Parameters
    ----------
    functions : sequence of callable
        f₁ … fₙ.
    texs : sequence of (str or None), optional
        Labels to use instead of :func:`function_tex`'s default, one per function.

    Examples
    --------
    >>> from lib.functions import leaky_relu, sigmoid, square
    >>> compose_tex([square, sigmoid])
    '\\sigma(x^2)'
    >>> compose_tex([sigmoid, square])
    '{(\\sigma(x))}^2'
    >>> from lib.functions import reciprocal
    >>> compose_tex([square, reciprocal])
    '\\frac{1}{x^2}'
    >>> compose_tex([square, leaky_relu])
    '\\max(0.2{(x^2)}, {(x^2)})'
    """
    texs = list(texs) if texs is not None else [None] * len(functions)
    tex = "x"
    for func, own in zip(functions, texs, strict=True):
        outer = function_tex(func, own)
        if "(x)" in outer:
            tex = outer.replace("(x)", f"({tex})")
        else:
            # One pass: a command stays whole (\max has an x), x as a whole TeX group
            # ({x} in \frac{1}{x}, \sqrt{x}) needs no parentheses, any other x gets them.
            inner = tex if tex == "x" else f"{{({tex})}}"
            tex = _X_OR_COMMAND.sub(
                lambda m, t=tex, i=inner: {"{x}": "{" + t + "}", "x": i}.get(
                    m.group(0), m.group(0)
                ),
                outer,
            )
    return tex


def wire_color(i: int, n: int):
    """Palette colour of wire ``i`` of ``n + 1``: input, intermediate (ink) or output."""
    if i == 0:
        return palette.INPUT
    if i == n:
        return palette.OUTPUT
    return palette.INK


class NestedFactories(VGroup):
    """Factories f₁ … fₙ in a row, each output wire feeding the next box.

    Built from :class:`FunctionFactory`: factory ``i`` keeps its box, name and
    output wire; its input wire is factory ``i − 1``'s output wire (the first
    factory keeps its own). Box ``i`` is drawn in ``palette.stage_color(i)``.

    Parameters
    ----------
    nested : lib.chain.NestedFunction or sequence of callable
        The chain f₁ … fₙ (a sequence is wrapped in a ``NestedFunction``).
    x : float
        Initial input, in the functions' units (not scene units).
    texs : sequence of str, optional
        LaTeX shown in each box; default :func:`function_tex` of each function.
    box_width, box_height, wire_length : float
        Sizes in scene units.
    num_decimal_places : int
        Digits of the values and multipliers.
    font_size : float
        Size of the numbers.
    show_multipliers : bool
        Show the multipliers from the start (else reveal them later with
        :meth:`make_reveal_animation`).

    Attributes
    ----------
    nested : lib.chain.NestedFunction
        The chain whose numbers are shown.
    factories : VGroup of FunctionFactory, length n
        The boxes (``factories[i].box``, ``factories[i].name``).
    wires : VGroup of Arrow, length n + 1
        ``wires[0]`` is the input, ``wires[n]`` the output.
    values : VGroup of DecimalNumber, length n + 1
        ``values[i]`` shows lib's ``stages(x)[i]`` above ``wires[i]``.
    multipliers : VGroup of DecimalNumber, length n
        ``multipliers[i]`` shows lib's ``local_derivatives(x)[i]`` above box ``i``.
    multiplier_group : VGroup
        For each box, a "×" sign, its multiplier and a hidden "kink" label.
        Invisible (opacity 0) while ``multipliers_visible[i]`` is False; see
        ``show_multipliers`` and :meth:`make_reveal_animation`.
    kink_labels : VGroup of Text, length n
        Shown instead of a multiplier whose factory input is within Δ of a kink.
    stage_labels : VGroup of MathTex, length n
        ``f_1`` … ``f_n`` under the boxes, in the boxes' colours.
    x : float
        The current input.
    stages, local : list of float
        The numbers shown, as lib returned them.
    claimed : list of bool
        Per box: is a multiplier (slope) claimed? False within Δ of a kink.
    """

    def __init__(
        self,
        nested: NestedFunction | Sequence[Callable[..., object]],
        x: float = 1.0,
        texs: Sequence[str] | None = None,
        box_width: float = 1.5,
        box_height: float = 1.0,
        wire_length: float = 1.5,
        num_decimal_places: int = 3,
        font_size: float = 30,
        show_multipliers: bool = True,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.nested = nested if isinstance(nested, NestedFunction) else NestedFunction(nested)
        n = len(self.nested)
        texs = list(texs) if texs is not None else [function_tex(f) for f in self.nested.functions]
        if len(texs) != n:
            raise ValueError(f"texs has length {len(texs)}; the chain has {n} functions")
        self.factories = VGroup()
        for i, (func, tex) in enumerate(zip(self.nested.functions, texs, strict=True)):
            factory = FunctionFactory(
                func,
                tex=tex,
                x=0.0,
                color=palette.stage_color(i),
                width=box_width,
                height=box_height,
                wire_length=wire_length,
                num_decimal_places=num_decimal_places,
            )
            # The chain shows its own values (from lib's stages): drop the factory's.
            factory.remove(factory.input_value, factory.output_value)
            if i > 0:
                factory.remove(factory.input_wire)
                previous = self.factories[-1]
                factory.shift(previous.output_wire.get_end() - factory.box.get_left())
            self.factories.add(factory)
        self.wires = VGroup(self.factories[0].input_wire, *(f.output_wire for f in self.factories))
        for i, wire in enumerate(self.wires):
            wire.set_color(wire_color(i, n))
        self.values = VGroup(
            *(
                LiveNumber(
                    0,
                    num_decimal_places=num_decimal_places,
                    color=wire_color(i, n),
                    font_size=font_size,
                )
                for i in range(n + 1)
            )
        )
        self.stage_labels = VGroup(
            *(
                MathTex(
                    f"f_{{{i + 1}}}", color=palette.stage_color(i), font_size=font_size
                ).next_to(f.box, DOWN, buff=0.12)
                for i, f in enumerate(self.factories)
            )
        )
        self.multipliers = VGroup()
        self.kink_labels = VGroup()
        self.multiplier_group = VGroup()
        for _factory in self.factories:
            sign = MathTex(r"\times", color=palette.DERIVATIVE, font_size=font_size)
            number = LiveNumber(
                1.0,
                num_decimal_places=num_decimal_places,
                color=palette.DERIVATIVE,
                font_size=font_size,
            )
            kink = label(_("kink"), font_size=font_size * 0.8, color=palette.ERROR)
            self.multipliers.add(number)
            self.kink_labels.add(kink)
            self.multiplier_group.add(VGroup(sign, number, kink))
        self.add(self.factories, self.values, self.stage_labels, self.multiplier_group)
        self.multipliers_visible = [bool(show_multipliers)] * n
        self.set_input(x)
        self.move_to([0, 0, 0])

    def set_input(self, x: float) -> NestedFactories:
        """Show input ``x``: lib's stage values on the wires, local derivatives on the boxes.

        Within Δ (0.001) of a factory's kink its multiplier is hidden and
        ``claimed[i]`` is False; the kink label is shown instead.
        """
        self.x = float(x)
        self.stages = [float(v) for v in self.nested.stages(self.x)]
        self.local = [float(v) for v in self.nested.local_derivatives(self.x)]
        kinked = np.asarray(self.nested.kink_mask(self.x, DELTA)).reshape(len(self.nested))
        self.claimed = [not bool(k) for k in kinked]
        for value, wire, stage in zip(self.values, self.wires, self.stages, strict=True):
            value.set_value(stage).next_to(wire, UP, buff=0.1)
        for factory, group, local in zip(
            self.factories, self.multiplier_group, self.local, strict=True
        ):
            sign, number, kink = group
            number.set_value(local)
            VGroup(sign, number).arrange(RIGHT, buff=0.08).next_to(factory.box, UP, buff=0.1)
            kink.next_to(factory.box, UP, buff=0.12)
        self._show_multipliers(1.0)
        return self

    def _show_multipliers(self, alpha: float, indices: Sequence[int] = ()) -> None:
        """Set the multipliers' opacity: visible ones (and ``indices``, at ``alpha``)."""
        for i, (group, claimed) in enumerate(zip(self.multiplier_group, self.claimed, strict=True)):
            sign, number, kink = group
            shown = alpha if i in indices else float(self.multipliers_visible[i])
            number.set_opacity(shown if claimed else 0.0)
            sign.set_opacity(shown if claimed else 0.0)
            kink.set_opacity(0.0 if claimed else shown)

    def make_reveal_animation(self, indices: Sequence[int] | None = None, **kwargs) -> Animation:
        """Animation fading in the multipliers of boxes ``indices`` (default all).

        Where a box's input is within Δ of its kink, the "kink" label appears
        instead of a number. Afterwards those multipliers stay visible.
        """
        chosen = tuple(range(len(self.factories)) if indices is None else indices)

        def update(mob: NestedFactories, alpha: float) -> None:
            mob._show_multipliers(alpha, chosen)
            if alpha >= 1:
                for i in chosen:
                    mob.multipliers_visible[i] = True

        return UpdateFromAlphaFunc(self, update, **kwargs)

    def make_input_animation(self, x: float, **kwargs) -> Animation:
        """Animation of the input moving to ``x``, every number recomputed by lib each frame.

        The input sweeps from the current ``x`` to the new one; at every frame
        the wires and multipliers show lib's numbers for the input of that frame
        (no number is tweened), and kinks on the way are honoured. It ends on
        exactly ``x``.
        """
        start, end = self.x, float(x)

        def update(mob: NestedFactories, alpha: float) -> None:
            mob.set_input(end if alpha >= 1 else start + (end - start) * alpha)

        return UpdateFromAlphaFunc(self, update, **kwargs)

    def path_points(self) -> list[np.ndarray]:
        """Waypoints of a signal, scene units: input end, each box's left/centre/right, output end."""
        points = [self.wires[0].get_start()]
        for factory in self.factories:
            points += [factory.box.get_left(), factory.box.get_center(), factory.box.get_right()]
        points.append(self.wires[-1].get_end())
        return points


def _travel(nested: NestedFactories) -> tuple[Callable[[float], np.ndarray], Callable]:
    """Constant-speed position along the chain, and the number of box centres passed."""
    points = nested.path_points()
    lengths = np.array([np.linalg.norm(b - a) for a, b in zip(points, points[1:], strict=False)])
    cumulative = np.concatenate([[0.0], np.cumsum(lengths)]) / lengths.sum()
    centres = cumulative[2::3][: len(nested.factories)]

    def position(alpha: float) -> np.ndarray:
        k = int(np.clip(np.searchsorted(cumulative, alpha, side="right") - 1, 0, len(lengths) - 1))
        t = (alpha - cumulative[k]) / max(cumulative[k + 1] - cumulative[k], 1e-12)
        return points[k] + np.clip(t, 0, 1) * (points[k + 1] - points[k])

    def boxes_passed(alpha: float) -> int:
        return int(np.searchsorted(centres, alpha, side="right"))

    return position, boxes_passed


def make_signal_animation(
    nested: NestedFactories, x: float | None = None, run_time: float = 3.0, **kwargs
) -> Animation:
    """Make a dot carrying its value travel along the wires and through every box.

    The number starts as x and becomes lib's next stage value as the dot passes
    each box's centre (``NestedFunction.stages``; no value is interpolated).

    Parameters
    ----------
    nested : NestedFactories
        The chain to travel through.
    x : float, optional
        The input carried; default the chain's current input.
    run_time : float
        Seconds.

    Returns
    -------
    Animation
        With attributes ``signal`` (a VGroup: ``signal.dot``, ``signal.value``)
        and ``stages`` (the values it carries, lib's). The signal stays on screen
        at the output end unless ``remover=True`` is passed.
    """
    x = nested.x if x is None else float(x)
    stages = [float(v) for v in nested.nested.stages(x)]
    position, boxes_passed = _travel(nested)
    dot = Dot(position(0.0), color=palette.INPUT, radius=0.09)
    value = LiveNumber(stages[0], num_decimal_places=3, color=palette.INPUT, font_size=26).next_to(
        dot, DOWN, buff=0.1
    )
    signal = VGroup(dot, value)
    signal.dot, signal.value = dot, value
    shown = {"k": 0}

    def update(mob: VGroup, alpha: float) -> None:
        dot.move_to(position(alpha))
        k = boxes_passed(alpha)
        if k != shown["k"]:
            shown["k"] = k
            color = wire_color(k, len(stages) - 1)
            value.set_value(stages[k]).set_color(color)
            dot.set_color(color)
        value.next_to(dot, DOWN, buff=0.1)

    animation = UpdateFromAlphaFunc(signal, update, run_time=run_time, rate_func=linear, **kwargs)
    animation.signal, animation.stages = signal, stages
    return animation


def make_nudge_animation(
    nested: NestedFactories,
    x: float | None = None,
    epsilon: float = 0.01,
    max_length: float = 1.2,
    run_time: float = 4.0,
    **kwargs,
) -> Animation:
    """Make a nudge ε travel along the wires, multiplied by each factory's local derivative.

    A bar under the wires has length proportional to the nudge on that wire,
    lib's chain-rule prediction ε · f₁′(x) · … (``Nudge.predicted_changes``);
    inside box ``i`` it grows or shrinks by ``multipliers[i]``. Its number
    (the nudge in units of ε, i.e. the product of the multipliers so far)
    changes as the bar passes each box's centre.

    Parameters
    ----------
    nested : NestedFactories
        The chain.
    x : float, optional
        The input; default the chain's current input.
    epsilon : float
        The nudge, non-zero.
    max_length : float
        Scene length of the longest bar (the bars keep lib's proportions).
    run_time : float
        Seconds.

    Returns
    -------
    Animation
        With attributes ``nudge_mobject`` (``bar``, ``value``), ``nudge``
        (lib's :class:`lib.chain.Nudge`), ``ratios`` (nudge / ε on every wire,
        as shown) and ``bar_lengths`` (scene units, per wire).

    Raises
    ------
    ValueError
        If a factory's input is within max(Δ, |ε|) of its kink: the multiplier
        there is not a slope, and a linear nudge would be a false claim.
    """
    x = nested.x if x is None else float(x)
    reach = max(DELTA, abs(epsilon))
    if bool(np.any(nested.nested.kinks_crossed(x, reach))):
        raise ValueError(
            f"x={x!r} is within {reach:g} of a kink of the chain {nested.nested.names}: "
            "no multiplier (slope) can be claimed there; nudge at a point away from it"
        )
    nudge = nested.nested.nudge(x, epsilon)
    ratios = [float(c) / epsilon for c in nudge.predicted_changes]
    unit = max_length / max(max(abs(r) for r in ratios), 1e-12)
    lengths = [abs(r) * unit for r in ratios]
    position, boxes_passed = _travel(nested)
    drop = DOWN * 0.28

    bar = Line(LEFT, RIGHT, color=palette.NUDGE, stroke_width=10)
    value = LiveNumber(ratios[0], num_decimal_places=3, color=palette.NUDGE, font_size=24)
    unit_tex = MathTex(r"\varepsilon", color=palette.NUDGE, font_size=26)
    readout = VGroup(value, unit_tex)
    mob = VGroup(bar, readout)
    mob.bar, mob.value = bar, value
    shown = {"k": 0}

    def length_at(alpha: float, where: np.ndarray) -> float:
        # Inside box i (between its left and right edge) the length changes from
        # wire i's to wire i+1's; on a wire it is that wire's length.
        for i, factory in enumerate(nested.factories):
            left, right = factory.box.get_left()[0], factory.box.get_right()[0]
            if left <= where[0] <= right:
                t = (where[0] - left) / (right - left)
                return lengths[i] + t * (lengths[i + 1] - lengths[i])
            if where[0] < left:
                return lengths[i]
        return lengths[-1]

    def update(m: VGroup, alpha: float) -> None:
        where = position(alpha)
        half = max(length_at(alpha, where), 1e-3) / 2
        centre = where + drop
        bar.put_start_and_end_on(centre + LEFT * half, centre + RIGHT * half)
        k = boxes_passed(alpha)
        if k != shown["k"]:
            shown["k"] = k
            value.set_value(ratios[k])
        readout.arrange(RIGHT, buff=0.05).next_to(bar, DOWN, buff=0.1)

    update(mob, 0.0)
    animation = UpdateFromAlphaFunc(mob, update, run_time=run_time, rate_func=linear, **kwargs)
    animation.nudge_mobject, animation.nudge = mob, nudge
    animation.ratios, animation.bar_lengths = ratios, lengths
    return animation


def _nested_arg(i: int) -> str:
    """LaTeX of stage i as a nested expression: x, f_1(x), f_2(f_1(x)), ..."""
    arg = "x"
    for k in range(1, i + 1):
        arg = f"f_{{{k}}}({arg})"
    return arg


def chain_rule_equation(nested: NestedFactories | NestedFunction, font_size: float = 40) -> MathTex:
    """Build the chain rule for a chain of n factories, each factor in its box's colour.

    F′(x) = fₙ′(fₙ₋₁(…)) · … · f₂′(f₁(x)) · f₁′(x).

    Parameters
    ----------
    nested : NestedFactories or lib.chain.NestedFunction
        The chain (only its length is used).
    font_size : float
        Points.

    Returns
    -------
    MathTex
        With attribute ``factors``: a VGroup whose item ``i`` is the factor of
        box ``i`` (f_{i+1}′ at its input), coloured ``palette.stage_color(i)``
        (so ``factors`` runs right to left in the equation).
    """
    n = len(nested.nested if isinstance(nested, NestedFactories) else nested)
    parts = ["F'(x)", "="]
    for i in reversed(range(n)):
        parts.append(f"f_{{{i + 1}}}'({_nested_arg(i)})")
        if i > 0:
            parts.append(r"\cdot")
    equation = MathTex(*parts, font_size=font_size, color=palette.INK)
    factor_parts = [equation[2 + 2 * (n - 1 - i)] for i in range(n)]
    for i, part in enumerate(factor_parts):
        part.set_color(palette.stage_color(i))
    equation[0].set_color(palette.DERIVATIVE)
    equation.factors = VGroup(*factor_parts)
    return equation


def chain_rule_numbers(
    nested: NestedFunction, x: float, digits: int = 3, font_size: float = 40
) -> MathTex:
    """Build the chain rule at ``x`` with lib's numbers: F′(x) = mₙ · … · m₁ = product.

    Parameters
    ----------
    nested : lib.chain.NestedFunction
        The chain.
    x : float
        The input; must not be within Δ of a kink of any stage.
    digits : int
        Decimal places shown.
    font_size : float
        Points.

    Returns
    -------
    MathTex
        With attributes ``factors`` (VGroup, item ``i`` = box ``i``'s multiplier,
        in its colour), ``result``, and ``values`` (lib's local derivatives,
        by box) and ``derivative`` (lib's :meth:`NestedFunction.derivative`).

    Raises
    ------
    ValueError
        If ``x`` is within Δ of a kink: no slope is claimed there.
    """
    if bool(np.any(nested.kinks_crossed(x, DELTA))):
        raise ValueError(f"x={x!r} is within {DELTA:g} of a kink of {nested.names}: no slope")
    local = [float(v) for v in nested.local_derivatives(x)]
    derivative = float(nested.derivative(x))
    n = len(local)
    # Negative factors in parentheses: F'(-1) = 0.250 · (-0.400) · 0.200.
    parts = [f"F'({number_tex(x)})", "=", *product_tex(reversed(local), digits)]
    parts += ["=", number_tex(derivative, digits)]
    equation = MathTex(*parts, font_size=font_size, color=palette.INK)
    factor_parts = [equation[2 + 2 * (n - 1 - i)] for i in range(n)]
    for i, part in enumerate(factor_parts):
        part.set_color(palette.stage_color(i))
    equation[0].set_color(palette.DERIVATIVE)
    equation[-1].set_color(palette.DERIVATIVE)
    equation.factors = VGroup(*factor_parts)
    equation.result = equation[-1]
    equation.values, equation.derivative = local, derivative
    return equation


def stack_at_equals(equation: MathTex, indent: float = 0.45, buff: float = 0.25) -> MathTex:
    """Set an equation of parts ``lhs, =, …, =, …`` as rows: the left side, then one row per ``=``.

    F′(x) = f₂′(f₁(x)) · f₁′(x) becomes ``F′(x)`` over ``= f₂′(f₁(x)) · f₁′(x)``,
    as a book breaks an equation too wide for its column. The parts are moved,
    not rebuilt: named parts (``factors``, ``result``) stay what they were.

    Parameters
    ----------
    equation : MathTex
        Built from parts, each ``=`` its own part (as :func:`chain_rule_equation`
        and :func:`chain_rule_numbers` build them).
    indent : float
        How far right of the left side the ``=`` rows start, scene units.
    buff : float
        Vertical gap between rows, scene units.

    Returns
    -------
    MathTex
        ``equation``, rearranged in place.
    """
    height = equation.height
    parts = list(equation.submobjects)
    starts = [i for i, p in enumerate(parts) if getattr(p, "tex_string", "").strip() == "="]
    bounds = [0, *starts, len(parts)]
    rows = [VGroup(*parts[a:b]) for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
    left = rows[0].get_left()[0]
    for above, row in zip(rows, rows[1:], strict=False):
        row.next_to(above, DOWN, buff=buff)
        row.shift((left + indent - row.get_left()[0]) * RIGHT)
    # manim reads a MathTex's font size from its height: keep it the size it was set at.
    equation.initial_height *= equation.height / height
    return equation


__all__ = [
    "NestedFactories",
    "chain_rule_equation",
    "chain_rule_numbers",
    "compose_tex",
    "function_tex",
    "make_nudge_animation",
    "make_signal_animation",
    "stack_at_equals",
]
