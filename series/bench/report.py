"""The benchmark's figures and their table: samples, median, min and max, the machine."""

from __future__ import annotations

import io
import os
import platform
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any


@dataclass
class Figure:
    """One measured figure: its samples (one per run) and how to show them.

    Attributes
    ----------
    key : str
        Stable name, used in the JSON (``"cold.ours"``).
    label : str
        What the table shows.
    unit : str
        ``"s"``, ``"x"`` (a ratio) or ``"MiB"``.
    samples : list of float
        One value per run, in run order.
    """

    key: str
    label: str
    unit: str
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median of the samples."""
        return statistics.median(self.samples)

    def as_dict(self) -> dict[str, Any]:
        """Return the figure as plain JSON data (median, min, max, samples)."""
        return {
            "label": self.label,
            "unit": self.unit,
            "median": self.median,
            "min": min(self.samples),
            "max": max(self.samples),
            "samples": self.samples,
        }


@dataclass(frozen=True)
class Target:
    """What a figure should reach (issue 15): at least or at most ``bound``.

    Examples
    --------
    >>> Target(2.5, "min").status(2.0, "x")
    'short by 0.50x (80% of target)'
    >>> Target(1.5, "max").status(1.2, "s")
    'met (0.300 s to spare)'
    """

    bound: float
    kind: str  # "min": the median must be >= bound; "max": <= bound

    def met(self, value: float) -> bool:
        """Whether ``value`` reaches the target."""
        return value >= self.bound if self.kind == "min" else value <= self.bound

    def show(self, unit: str) -> str:
        """Return the target as the table shows it, e.g. ``>= 2.50x``."""
        return f"{'>=' if self.kind == 'min' else '<='} {_format(self.bound, unit)}"

    def status(self, value: float, unit: str) -> str:
        """Return how far ``value`` is from the target, in the figure's unit and in percent."""
        gap = _format(abs(value - self.bound), unit)
        if self.met(value):
            return f"met ({gap} to spare)"
        share = value / self.bound if self.kind == "min" else self.bound / value
        word = "short" if self.kind == "min" else "over"
        return f"{word} by {gap} ({share:.0%} of target)"


TARGETS: dict[str, Target] = {
    "cold.speedup": Target(2.5, "min"),
    "hd.speedup": Target(1.8, "min"),
    "series.realtime": Target(0.40, "max"),
    "preview": Target(1.5, "max"),
    "watch": Target(1.0, "max"),
    "tests": Target(120.0, "max"),
}
"""The targets of issue 15, by figure key: cold build at ``-q l`` 2.5x plain manim,
one 1080p60 scene 1.8x plain ``manim -qh``, the whole series at 1080p30 in 240 s per
600 s of video (0.40), a still preview under 1.5 s, a watch update under 1 s, the
default test run under 2 minutes."""


def _format(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"


def environment() -> dict[str, Any]:
    """Return the machine and versions that the figures depend on."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "cores": os.cpu_count() or 1,
        "usable_cores": usable,
        "python": platform.python_version(),
        "manim": version("manim"),
        "av": version("av"),
        "numpy": version("numpy"),
        "platform": platform.platform(),
    }


def format_table(env: dict[str, Any], figures: Sequence[Figure], notes: Sequence[str]) -> str:
    """Return the header and a plain-text table of the figures (no colour codes).

    A figure with a target (:data:`TARGETS`) shows it and how far its median is.
    """
    from rich.console import Console
    from rich.table import Table

    header = [
        f"render benchmark, {time.strftime('%Y-%m-%d %H:%M')}",
        f"machine: {env['cores']} cores ({env['usable_cores']} usable), {env['platform']}",
        f"versions: Python {env['python']}, manim {env['manim']}, PyAV {env['av']}, "
        f"numpy {env['numpy']}",
    ]
    table = Table(box=None, pad_edge=False)
    table.add_column("figure")
    for column in ("median", "min", "max"):
        table.add_column(column, justify="right")
    table.add_column("runs", justify="right")
    table.add_column("target", justify="right")
    table.add_column("how far")
    for fig in figures:
        target = TARGETS.get(fig.key)
        table.add_row(
            fig.label,
            _format(fig.median, fig.unit),
            _format(min(fig.samples), fig.unit),
            _format(max(fig.samples), fig.unit),
            str(len(fig.samples)),
            target.show(fig.unit) if target else "",
            target.status(fig.median, fig.unit) if target else "",
        )
    console = Console(
        file=io.StringIO(),
        width=160,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
    )
    for line in header:
        console.print(line, soft_wrap=True)
    console.print(table)
    for note in notes:
        console.print(note, soft_wrap=True)
    return console.file.getvalue().rstrip() + "\n"
