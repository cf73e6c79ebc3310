"""The README tells the truth: its outline is the manifest's, its example is the real file."""

from __future__ import annotations

import re
from pathlib import Path

from scenes import SERIES
from tests.scenes.conftest import dry_run, load_example
from tests.tolerances import SLOPE_ATOL

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_outline_matches_manifest():
    match = re.search(r"<!-- outline:start.*?-->\n(.*?)\n<!-- outline:end -->", README, re.S)
    assert match, "README lacks the outline markers"
    assert match.group(1) == SERIES.outline_markdown(), (
        "run `python render.py outline` and paste it"
    )


def test_both_commands_are_documented():
    assert "make render" in README
    assert "make test" in README


def test_reuse_example_is_the_real_file_and_constructs(tmp_path):
    example = ROOT / "examples" / "secant_on_sigmoid.py"
    assert example.read_text(encoding="utf-8").strip() in README
    scene = dry_run(load_example(example).SecantOnSigmoid, tmp_path)

    from lib.calculus import deriv
    from lib.functions import sigmoid

    for delta, slope in scene.records["drawn_secant_slopes"]:
        assert abs(slope - float(deriv(sigmoid, scene.a, delta))) < SLOPE_ATOL


def test_beat_example_is_the_real_beat():
    import inspect
    import textwrap

    from scenes.ep01_derivative import SecantBecomesTangent

    source = textwrap.dedent(inspect.getsource(SecantBecomesTangent.shrink_delta))
    assert source in README, "the README's 'Writing a beat' example drifted from ep01"
