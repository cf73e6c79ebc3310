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
    """Return the header and a plain-text table of the figures (no colour codes)."""
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
    for fig in figures:
        table.add_row(
            fig.label,
            _format(fig.median, fig.unit),
            _format(min(fig.samples), fig.unit),
            _format(max(fig.samples), fig.unit),
            str(len(fig.samples)),
        )
    console = Console(
        file=io.StringIO(),
        width=120,
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
