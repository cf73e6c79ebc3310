"""series knows no topic: it never imports scenes or lib, in any form."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SERIES = Path(__file__).resolve().parents[2] / "series"
FORBIDDEN = frozenset({"scenes", "lib"})
IMPORT_CALLS = frozenset({"import_module", "__import__", "find_spec", "import_string"})


def forbidden_imports(source: str, package: str = "series") -> list[str]:
    """Each import of a forbidden package in ``source``: ``import``, ``from``, relative, by string.

    ``package`` is the dotted package the module lies in (relative imports
    that climb out of ``series`` count as forbidden too).
    """
    found = []
    depth = package.count(".") + 1
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level > depth:
                found.append(f"line {node.lineno}: relative import above series")
                continue
            names = [node.module or ""] if node.level == 0 else []
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in IMPORT_CALLS and node.args and isinstance(node.args[0], ast.Constant):
                names = [str(node.args[0].value)]
        found += [f"line {node.lineno}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    return found


def sources() -> list[Path]:
    return sorted(SERIES.rglob("*.py"))


def package_of(path: Path) -> str:
    parts = path.relative_to(SERIES.parent).with_suffix("").parts
    return ".".join(parts[:-1])


@pytest.mark.parametrize(
    "source",
    [
        "import scenes",
        "import lib.calculus as calc",
        "from scenes import SERIES",
        "from lib.chain import Chain",
        "importlib.import_module('scenes.ep01_derivative')",
        "__import__('lib')",
        "from ... import scenes",
    ],
)
def test_the_check_finds_every_form(source):
    assert forbidden_imports(source, "series.bench"), source


@pytest.mark.parametrize(
    "source",
    [
        "import json",
        "from .build import build",
        "from ..tree import BuildTree",
        "import_module(name)",
    ],
)
def test_the_check_lets_the_machinery_import_itself(source):
    assert forbidden_imports(source, "series.bench") == []


def test_series_sources_import_neither_scenes_nor_lib():
    files = sources()
    assert {"build.py", "tree.py", "settings.py", "run.py"} <= {p.name for p in files}
    bad = {
        str(p.relative_to(SERIES.parent)): found
        for p in files
        if (found := forbidden_imports(p.read_text(encoding="utf-8"), package_of(p)))
    }
    assert bad == {}


def test_importing_every_series_module_loads_neither_scenes_nor_lib():
    modules = [
        ".".join(p.relative_to(SERIES.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in sources()
        if p.name != "__main__.py"
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r})\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=SERIES.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
