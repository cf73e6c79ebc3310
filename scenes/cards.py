"""How every episode opens and ends: a title card, and a one-screen recap in three views.

A title card shows the series' name, the episode's number and its title, all
read from the manifest (:data:`scenes.catalog.SERIES`), so it can never
disagree with the chapters. A recap puts the episode's key idea in its three
views side by side (math | diagram | code); its code view shows the live
listing of the episode's three-views scene (its class method ``listing()``,
which that scene's own code panel uses), so when that scene's listing changes,
the recap follows. Every number and
curve is lib's, computed at render time.

Render one with ``manim -ql scenes/cards.py Recap01`` or
``python render.py render 01``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import numpy as np
from manim import (
    DL,
    DOWN,
    DR,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Arrow,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    Indicate,
    Line,
    MathTex,
    Mobject,
    VGroup,
    Write,
    config,
)

from lib.calculus import deriv
from lib.chain import NestedFunction
from lib.graph import GRAPH
from scenes.catalog import SERIES
from scenes.components import (
    CodePanel,
    ComputationalGraph,
    FunctionFactory,
    NestedFactories,
    ThreeViews,
    chain_rule_equation,
    fit_width,
    label,
    palette,
)
from scenes.components.nested import stack_at_equals
from scenes.components.numbers import decimals_for, number_tex
from scenes.components.plotting import FunctionPlot
from scenes.components.secant import central_difference_tex
from scenes.ep00_what_is_a_network import ThreeViewsOfAFunction
from scenes.ep01_derivative import DerivativeInThreeViews
from scenes.ep02_chain_rule import ChainRuleInThreeViews
from scenes.ep03_graphs import CheckingTheGradient
from scenes.lecture import LectureScene
from series.i18n import N_, _

NUMBER_WORDS = (
    N_("zero"),
    N_("one"),
    N_("two"),
    N_("three"),
    N_("four"),
    N_("five"),
    N_("six"),
    N_("seven"),
    N_("eight"),
    N_("nine"),
)


def episode_info(episode_id: str) -> tuple[str, str]:
    """Return the series title and the title of episode ``episode_id``, from the manifest.

    Raises
    ------
    KeyError
        If the manifest has no episode ``episode_id``; names the ones it has.
    """
    for ep in SERIES.episodes:
        if ep.id == episode_id:
            return SERIES.title, ep.title
    raise KeyError(
        f"no episode {episode_id!r} in the manifest; expected one of "
        f"{[e.id for e in SERIES.episodes]}"
    )


def spoken_number(episode_id: str) -> str:
    """Return the episode number as spoken: ``"01"`` -> ``"one"``."""
    n = int(episode_id)
    return _(NUMBER_WORDS[n]) if n < len(NUMBER_WORDS) else str(n)


class TitleCard(LectureScene):
    """An episode's opening card: series name, episode number and title (from the manifest).

    A subclass sets ``episode_id``; the narration is built from the manifest.
    """

    episode_id: ClassVar[str] = "00"
    narration: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        series, title = episode_info(cls.episode_id)
        # Translated at use (narrating): the line's parts are filled in by title_line().
        cls.narration = {"title": N_("{series}. Episode {number}: {title}")}

    @classmethod
    def title_line(cls) -> str:
        """Return the spoken title: series, episode number in words and title, in the current language."""
        series, title = episode_info(cls.episode_id)
        return _(cls.narration["title"]).format(
            series=_(series), number=spoken_number(cls.episode_id), title=_(title)
        )

    @classmethod
    def script(cls) -> dict[str, str]:
        """Return the one line said: the title, filled in (:meth:`title_line`)."""
        return {"title": cls.title_line()}

    def setup(self) -> None:
        """Fill in the spoken title in the current language."""
        super().setup()
        self.narration = self.script()

    def construct(self) -> None:
        """Play the beats: one title."""
        self.show_title()

    def show_title(self) -> None:
        """Show the series, the episode's number and its title."""
        # Beat: the series, the episode's number and its title.
        series, title = episode_info(self.episode_id)
        self.series_name = label(_(series), font_size=32, color=palette.MUTED)
        self.number = label(
            _("Episode {number}").format(number=self.episode_id), font_size=40, color=palette.OUTPUT
        )
        self.title = label(_(title), font_size=60)
        fit_width(self.title, config.frame_width - 1.6)
        self.rule = Line(LEFT * 3, RIGHT * 3, color=palette.MUTED, stroke_width=2)
        self.views_line = label(_("math  ·  diagram  ·  code"), font_size=28, color=palette.MUTED)
        self.card = VGroup(
            self.series_name, self.rule, self.number, self.title, self.views_line
        ).arrange(DOWN, buff=0.45)
        self.card.move_to(ORIGIN)
        self.narrate(
            "title",
            FadeIn(self.series_name, shift=DOWN * 0.2),
            Create(self.rule),
            FadeIn(self.number),
            Write(self.title),
            FadeIn(self.views_line),
            run_time=2,
        )


class Title00(TitleCard):
    """Episode 00's title card."""

    episode_id = "00"


class Title01(TitleCard):
    """Episode 01's title card."""

    episode_id = "01"


class Title02(TitleCard):
    """Episode 02's title card."""

    episode_id = "02"


class Title03(TitleCard):
    """Episode 03's title card."""

    episode_id = "03"


class Recap(LectureScene):
    """One screen: the episode's key idea as math, diagram and code, side by side.

    A subclass names its episode's three-views scene (``views_scene``), whose
    ``listing`` the code view shows, and builds the math and the diagram in
    :meth:`make_math` and :meth:`make_diagram` (factory hooks).
    """

    episode_id: ClassVar[str] = "00"
    views_scene: ClassVar[type] = ThreeViewsOfAFunction
    idea: ClassVar[str] = ""
    """The key idea in a few words, the recap's heading."""
    widths: ClassVar[tuple[float, float, float]] = (0.3, 0.34, 0.36)
    """Relative widths of the math, diagram and code panels (a long listing needs more)."""
    diagram_margin: ClassVar[float] = 0.25
    """Gap between the diagram and its panel's frame, scene units."""
    narration: ClassVar[dict[str, str]] = {}

    @classmethod
    def listing(cls) -> Callable[..., object]:
        """Return the book listing the code view shows: the three-views scene's."""
        return cls.views_scene.listing()

    def make_math(self) -> Mobject:
        """Build the math view (a hook)."""
        raise NotImplementedError

    def make_diagram(self) -> Mobject:
        """Build the diagram view (a hook)."""
        raise NotImplementedError

    def construct(self) -> None:
        """Play the beats: the three views, then the idea."""
        self.show_views()
        self.state_idea()

    def show_views(self) -> None:
        """Show the key idea's math, diagram and code side by side."""
        # Beat: the three views of the episode's key idea, all at once.
        self.heading = label(_("Recap: {idea}").format(idea=_(self.idea)), font_size=36).to_edge(
            UP, buff=0.25
        )
        fit_width(self.heading, config.frame_width - 1.0)
        self.views = ThreeViews(widths=self.widths, height=5.8)
        self.math = self.views.place(self.make_math(), "math")
        self.diagram = self.views.place(self.make_diagram(), "diagram", self.diagram_margin)
        # The listing fills its panel's width: as legible as the panel allows.
        self.code_panel = self.views.place(
            CodePanel(self.listing(), font_size=24), "code", 0.2, grow=True
        )
        self.narrate(
            "views",
            FadeIn(self.heading),
            FadeIn(self.views),
            FadeIn(self.math),
            FadeIn(self.diagram),
            FadeIn(self.code_panel),
            run_time=2,
        )

    def state_idea(self) -> None:
        """Point at the three views while the idea is said."""
        # Beat: one idea, three views; the listing's last line computed the result.
        self.narrate(
            "idea",
            Indicate(self.views.titles, color=palette.INK),
            self.code_panel.make_highlight_animation(len(self.code_panel.lines) - 1),
            run_time=1.5,
        )


class Recap00(Recap):
    """Episode 00's recap: a function as an equation, a factory and Python."""

    episode_id = "00"
    views_scene = ThreeViewsOfAFunction
    idea = N_("a neural network is a function")
    narration: ClassVar[dict[str, str]] = {
        "views": N_(
            "Episode zero in one screen. A function as math, as a factory, and as code: three gives nine in every view."
        ),
        "idea": N_(
            "A network is such a function, and also a computational graph, layers of neurons, and a universal approximator. All four answers are right."
        ),
    }

    def make_math(self) -> Mobject:
        """Build f(x) = x², f(3) = 9 (input and output in their colours)."""
        s = self.views_scene
        x, y = s.x, float(np.asarray(s.func(np.float64(s.x))))
        decimals = decimals_for(x, y)
        value = MathTex(
            "f(", number_tex(x, decimals), ")", "=", number_tex(y, decimals), font_size=44
        )
        value[1].set_color(palette.INPUT)
        value[4].set_color(palette.OUTPUT)
        self.shown_value = y
        return VGroup(
            MathTex(rf"f(x) = {s.func_tex}", font_size=44, color=palette.OUTPUT), value
        ).arrange(DOWN, buff=0.5)

    def make_diagram(self) -> Mobject:
        """Build the factory fed with x (lib computes its output)."""
        s = self.views_scene
        self.factory = FunctionFactory(
            s.func, tex=s.func_tex, x=s.x, width=1.5, height=1.1, num_decimal_places=0
        )
        return self.factory


class Recap01(Recap):
    """Episode 01's recap: the derivative as a central difference, a tangent and ``deriv``."""

    episode_id = "01"
    views_scene = DerivativeInThreeViews
    idea = N_("the derivative is a slope")
    widths = (0.25, 0.29, 0.46)
    narration: ClassVar[dict[str, str]] = {
        "views": N_(
            "Episode one in one screen. The derivative is the limit of the central difference; in the diagram, the slope of the tangent; in code, deriv, with delta equal to 0.001."
        ),
        "idea": N_(
            "Raise the input by a tiny amount, and the output changes by the derivative times that amount."
        ),
    }

    def make_math(self) -> Mobject:
        """Build the central difference and lib's value of f′(a)."""
        s = self.views_scene
        self.slope = float(deriv(s.func, s.a))
        return VGroup(
            MathTex(r"f'(a) \approx", font_size=40),
            central_difference_tex(font_size=40),
            VGroup(
                MathTex(rf"f(x) = {s.func_tex},", font_size=34, color=palette.OUTPUT),
                MathTex(rf"a = {number_tex(s.a)}", font_size=34, color=palette.INPUT),
            ).arrange(RIGHT, buff=0.2, aligned_edge=DOWN),
            MathTex(
                rf"f'({number_tex(s.a)}) = {number_tex(self.slope, 3)}",
                font_size=40,
                color=palette.DERIVATIVE,
            ),
        ).arrange(DOWN, buff=0.4)

    def make_diagram(self) -> Mobject:
        """Build the curve and its tangent at a, the slope from lib's ``deriv``."""
        s = self.views_scene
        # lib's samples and fitted axes, as in the episode (poles become gaps for any func).
        plot = FunctionPlot(
            s.func, (s.a - 1.5, s.a + 1.5), width=4.4, height=3.6, include=[s.a], numbers=False
        )
        self.axes, curve = plot.axes, plot.graph
        fa = float(np.asarray(s.func(np.float64(s.a))))
        w = 0.6
        self.tangent = Line(
            self.axes.c2p(s.a - w, fa - self.slope * w),
            self.axes.c2p(s.a + w, fa + self.slope * w),
            color=palette.DERIVATIVE,
            stroke_width=5,
        )
        dot = Dot(self.axes.c2p(s.a, fa), color=palette.INPUT, radius=0.08)
        a_label = MathTex(f"a = {number_tex(s.a)}", font_size=34, color=palette.INPUT).next_to(
            self.axes.c2p(s.a, self.axes.y_range[0]), DOWN, buff=0.15
        )
        guide = DashedLine(
            self.axes.c2p(s.a, self.axes.y_range[0]), dot.get_center(), color=palette.INPUT
        )
        return VGroup(self.axes, curve, guide, self.tangent, dot, a_label)


class Recap02(Recap):
    """Episode 02's recap: the chain rule as an equation, factories in a row and code."""

    episode_id = "02"
    views_scene = ChainRuleInThreeViews
    idea = N_("the chain rule multiplies local slopes")
    widths = (0.27, 0.31, 0.42)
    narration: ClassVar[dict[str, str]] = {
        "views": N_(
            "Episode two in one screen. The derivative of a nested function is the product of each factory's derivative, taken at that factory's own input."
        ),
        "idea": N_(
            "Each factory multiplies a nudge by its local slope; along the chain, the multipliers multiply."
        ),
    }

    def make_math(self) -> Mobject:
        """Build the chain rule and lib's factors at x."""
        s = self.views_scene
        self.nested = NestedFunction(s.functions)
        self.derivative = float(np.asarray(self.nested.derivative(np.float64(s.x))))
        return VGroup(
            # Broken at its = sign, as in the episode's math view: larger in a narrow panel.
            stack_at_equals(chain_rule_equation(self.nested, font_size=36), 0.35),
            MathTex(
                rf"F'({number_tex(s.x)}) = {number_tex(self.derivative, 3)}",
                font_size=38,
                color=palette.DERIVATIVE,
            ),
        ).arrange(DOWN, buff=0.5, aligned_edge=LEFT)

    def make_diagram(self) -> Mobject:
        """Build the factories, each showing its multiplier (lib's local derivative)."""
        s = self.views_scene
        self.factories = NestedFactories(
            self.nested, x=s.x, box_width=1.2, wire_length=1.1, font_size=42
        )
        return self.factories


class Recap03(Recap):
    """Episode 03's recap: the backward pass as equations, a graph and code."""

    episode_id = "03"
    views_scene = CheckingTheGradient
    idea = N_("gradients flow backward through the graph")
    widths = (0.26, 0.19, 0.55)
    diagram_margin = 0.1
    narration: ClassVar[dict[str, str]] = {
        "views": N_(
            "Episode three in one screen. Arrays flow forward through the graph; gradients of the same shapes flow back, by the chain rule at every node."
        ),
        "idea": N_("And a gradient check, nudging one input, confirms the backward pass."),
    }

    def make_math(self) -> Mobject:
        """Build L and its gradients, each as ``name =`` over its formula (a narrow panel)."""
        rows = [MathTex(r"L = \textstyle\sum \sigma(XW)", font_size=32, color=palette.OUTPUT)]
        for lhs, rhs in (
            (r"\partial L / \partial N", r"\partial L / \partial S \odot \sigma'(N)"),
            (r"\partial L / \partial X", r"\partial L / \partial N \cdot W^{T}"),
            (r"\partial L / \partial W", r"X^{T} \cdot \partial L / \partial N"),
        ):
            name = MathTex(lhs + " =", font_size=32, color=palette.GRADIENT)
            formula = MathTex(rhs, font_size=32, color=palette.GRADIENT)
            formula.next_to(name, DOWN, buff=0.15, aligned_edge=LEFT).shift(RIGHT * 0.45)
            rows.append(VGroup(name, formula))
        return VGroup(*rows).arrange(DOWN, buff=0.4, aligned_edge=LEFT)

    def make_diagram(self) -> Mobject:
        """Build lib's graph, compact, with a gradient arrow running back under it."""
        self.graph = ComputationalGraph(GRAPH, column_gap=1.2, row_gap=1.6)
        back = Arrow(
            self.graph.get_corner(DR) + DOWN * 0.3,
            self.graph.get_corner(DL) + DOWN * 0.3,
            color=palette.GRADIENT,
            buff=0,
            stroke_width=5,
        )
        return VGroup(self.graph, back)


__all__ = [
    "Recap",
    "Recap00",
    "Recap01",
    "Recap02",
    "Recap03",
    "TitleCard",
    "Title00",
    "Title01",
    "Title02",
    "Title03",
    "episode_info",
]
