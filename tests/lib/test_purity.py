"""lib is pure numpy: importing it must never pull in manim, the scenes or the series."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

LIB = Path(__file__).resolve().parents[2] / "lib"
FORBIDDEN = {"manim", "manimlib", "scenes", "series"}
LIB_SOURCES = sorted(LIB.glob("*.py"))


def imported_roots(source: str) -> set[str]:
    """Top-level package names a module imports (absolute imports only)."""
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_importing_lib_does_not_import_manim():
    code = (
        "import sys, lib.functions, lib.calculus; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{sorted(FORBIDDEN)!r}); "
        "assert not bad, bad"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=LIB.parent,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_lib_sources_found():
    names = {p.name for p in LIB_SOURCES}
    assert {"__init__.py", "functions.py", "calculus.py"} <= names


@pytest.mark.parametrize("path", LIB_SOURCES, ids=lambda p: p.name)
def test_lib_module_imports_nothing_from_the_animation_side(path):
    bad = imported_roots(path.read_text(encoding="utf-8")) & FORBIDDEN
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_import_scanner_sees_imports():
    source = "import manim\nfrom scenes.ep1 import X\nfrom . import functions\nimport numpy as np"
    assert imported_roots(source) == {"manim", "scenes", "numpy"}
