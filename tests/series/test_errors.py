"""Issue 12: errors a teacher can act on, clean interruptions, fast-start MP4s.

Each row of the issue's table is a test here; tiny scenes are written under
``tmp_path`` and rendered at 854x480, 5 fps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from series import Quality, Series, episode, errors
from series.build import build
from series.tree import BuildTree

Q = Quality.parse("l", 5)

GOOD = """\
from manim import Scene, Square, Circle, FadeIn, MathTex


class Good(Scene):
    def construct(self):
        self.play(FadeIn(Square()), run_time=0.4)


class Warns(Scene):
    def construct(self):
        self.play(FadeIn(Circle()), runtime=4)
        self.wait(0.01)


class Raises(Scene):
    def construct(self):
        self.play(FadeIn(Square()), run_time=0.2)
        self.helper()

    def helper(self):
        raise ValueError("delta=0 is not a step")


class BadTex(Scene):
    def construct(self):
        self.add(MathTex(r"\\slope{x}"))


class Recovered(Scene):
    def construct(self):
        self.add(MathTex(r"\\frac{1}{2"))


class Long(Scene):
    def construct(self):
        raise RuntimeError("listing: " + "x = 1; " * 500)
"""

BROKEN = """\
from manim import Scene


class Broken(Scene):
    def construct(self)
        pass
"""


def write(root: Path, scenes: list[tuple[str, str]], files: dict[str, str]) -> Series:
    """Write package ``demo`` with ``files`` (name to source) and a series of ``scenes``."""
    folder = root / "demo"
    folder.mkdir(exist_ok=True)
    (folder / "__init__.py").write_text("")
    for name, text in files.items():
        (folder / name).write_text(text)
    refs = [(f"demo.{module}", cls, cls) for module, cls in scenes]
    return Series("Demo", "demo", (episode("01", "Demo", "demo_ep", refs),))


def line_of(text: str, needle: str) -> int:
    """Return the 1-based line of ``needle`` in ``text``."""
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


def rows(results) -> dict:
    return {r.ref.class_name: r for r in results}


def test_four_kinds_of_failure_at_once_and_the_others_render(tmp_path, capsys):
    """Syntax error, missing class, LaTeX error, exception in construct: one row each."""
    series = write(
        tmp_path,
        [
            ("good", "Good"),
            ("broken", "Broken"),
            ("good", "Goodd"),
            ("good", "BadTex"),
            ("good", "Raises"),
            ("good", "Warns"),
        ],
        {"good.py": GOOD, "broken.py": BROKEN},
    )
    tree = BuildTree.at(tmp_path / "build", Q)
    results, episodes = build(series, list(series.scenes()), tree, tmp_path, jobs=2)
    by = rows(results)
    good = "demo/good.py"
    assert by["Good"].status == "rendered"
    assert by["Good"].movie.exists()
    assert by["Warns"].status == "rendered"

    syntax = by["Broken"]
    assert syntax.status == "failed"
    assert syntax.error.startswith("SyntaxError: expected ':'")
    assert syntax.error.endswith("(demo/broken.py:5)")

    missing = by["Goodd"]
    assert missing.error.startswith("missing class: ")
    assert missing.error == (
        "missing class: good.py defines no class 'Goodd'; closest: Good (demo/good.py)"
    )

    tex = by["BadTex"]
    assert tex.error.startswith("LaTeX error: ! Undefined control sequence.")
    assert "in `\\slope{x}`" in tex.error
    assert tex.error.endswith(f"({good}:{line_of(GOOD, 'slope')})")
    log = tex.log.read_text()
    assert "LaTeX log:" in log
    assert "! Undefined control sequence." in log
    assert tex.log.parent == tree.base / "logs"

    raised = by["Raises"]
    where = line_of(GOOD, "raise ValueError")
    assert raised.error == f"ValueError: delta=0 is not a step ({good}:{where})"
    assert "Traceback" in raised.log.read_text()

    assert episodes[0].movie is None
    assert "Broken" in episodes[0].error
    # Nothing at a final path for the failed scenes.
    assert sorted(p.name for p in (tree.base / "scenes").glob("*.mp4")) == [
        "01.1_Good.mp4",
        "01.6_Warns.mp4",
    ]
    import render

    render._summary(results, episodes, 1.0)
    table = capsys.readouterr().out
    for r in results:
        assert (r.error or str(r.movie))[:60] in table
    assert "is too short for the current frame rate" in table, "warnings under their scene"


def test_latex_recoveries_warnings_and_long_lines(tmp_path):
    """A formula LaTeX repaired silently fails; manim's warnings and long errors are readable."""
    series = write(
        tmp_path,
        [("good", "Recovered"), ("good", "Warns"), ("good", "Long")],
        {"good.py": GOOD},
    )
    tree = BuildTree.at(tmp_path / "build", Q)
    results, _ = build(series, list(series.scenes()), tree, tmp_path, jobs=2)
    by = rows(results)
    recovered = by["Recovered"]
    assert recovered.status == "failed"
    assert recovered.error.startswith("LaTeX error: ! Missing } inserted.")
    assert "in `\\frac{1}{2`" in recovered.error
    assert recovered.warnings == ()
    # The broken formula's SVG is not kept in the TeX cache: the next build fails again.
    assert not list(tree.cache.rglob("*.svg"))

    warns = by["Warns"]
    assert warns.status == "rendered"
    assert any(
        "0.01 seconds, is too short for the current frame rate of 5 FPS" in w
        for w in warns.warnings
    )
    assert any(
        "play() got an unknown keyword 'runtime'; did you mean 'run_time'?" in w
        for w in warns.warnings
    )

    long = by["Long"]
    assert len(long.error) <= errors.LINE_LIMIT + len(" (demo/good.py:NN)")
    assert long.error.startswith("RuntimeError: listing: x = 1; x = 1;")
    assert "…" in long.error
    assert ("x = 1; " * 500).strip() in long.log.read_text()


@pytest.mark.parametrize("at", ["nan", "inf", "-inf", "-1"])
def test_preview_at_a_time_that_is_no_time_exits_2_in_one_line(capsys, at):
    import render

    assert render.main(["preview", "01.1", f"--at={at}"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"render.py: error: --at {float(at)}: expected a finite time >= 0")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[CLI]\nmedia_dir = ./media\nquality = best\n",
            "manim.cfg:3: key 'quality' is 'best'; expected one of fourk_quality, ",
        ),
        (
            "# defaults\nquality = low_quality\n",
            "manim.cfg:2: key 'quality = low_quality' before any section header; "
            "put [CLI] on the first line",
        ),
        ("[CLI]\nframe_rate = fast\n", "manim.cfg:2: key 'frame_rate': could not convert"),
    ],
)
def test_preflight_stops_once_naming_manim_cfg_line_and_key(
    tmp_path, monkeypatch, capsys, text, message
):
    import render

    (tmp_path / "manim.cfg").write_text(text)
    monkeypatch.setattr(render, "ROOT", tmp_path)
    assert render.main(["render", "01", "-q", "l", "--out", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"render.py: error: {tmp_path / message}")


def test_project_manim_cfg_passes_the_preflight():
    from series.preflight import config_problems

    assert config_problems(Path(__file__).resolve().parents[2]) == []


def test_unwritable_out_is_refused_before_any_worker_starts(tmp_path, monkeypatch, capsys):
    import render
    import series.build

    def no_worker(*args, **kwargs):
        raise AssertionError("a worker started")

    monkeypatch.setattr(series.build, "render_scenes", no_worker)
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert render.main(["render", "01", "-q", "l", "--out", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert (
        err
        == f"render.py: error: --out {blocker / '480p15'}: cannot write there (Not a directory)\n"
    )


SLOW = """\
import time

from manim import Scene, Square, FadeIn


class Quick(Scene):
    def construct(self):
        self.play(FadeIn(Square()), run_time=0.4)


class Slow(Scene):
    def construct(self):
        time.sleep(60)
        self.play(FadeIn(Square()), run_time=0.4)


class Slower(Slow):
    pass
"""

DRIVER = """\
import sys
from pathlib import Path

sys.path.insert(0, {repo!r})
import render
from series import Series, episode

root = Path({root!r})
render.ROOT = root
refs = [("demo.slow", c, c) for c in ("Quick", "Slow", "Slower")]
render._series = lambda: Series("Demo", "demo", (episode("01", "Demo", "demo_ep", refs),))
sys.exit(render.main(["render", "-q", "l", "--fps", "5", "-j", "2", "--out", str(root / "b")]))
"""


@pytest.mark.parametrize("to", ["parent", "group"])
def test_ctrl_c_stops_workers_at_once_and_summarises(tmp_path, to):
    """SIGINT to the parent only, or to all (a terminal's Ctrl-C): workers stopped, exit 130."""
    import os
    import signal
    import subprocess
    import sys
    import time

    write(tmp_path, [("slow", "Quick")], {"slow.py": SLOW})
    repo = str(Path(__file__).resolve().parents[2])
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER.format(repo=repo, root=str(tmp_path)))
    proc = subprocess.Popen(
        [sys.executable, str(driver)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    quick = tmp_path / "b" / "480p5" / "scenes" / "01.1_Quick.key.json"
    deadline = time.monotonic() + 60
    while not quick.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
    assert quick.exists(), proc.communicate()
    time.sleep(0.5)  # Slow has started in the freed slot
    sent = time.monotonic()
    if to == "parent":
        proc.send_signal(signal.SIGINT)
    else:
        os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert time.monotonic() - sent < 10, "stopped at once, not after the 60 s scene"
    assert proc.returncode == 130
    assert "Traceback" not in err
    assert "interrupted: stopping the workers" in err
    assert "interrupted: 1 rendered, 0 cached, 0 failed, 2 cancelled" in out
    assert "cancelled" in out
    scenes = sorted(p.name for p in (tmp_path / "b" / "480p5" / "scenes").iterdir())
    assert scenes == [
        "01.1_Quick.key.json",
        "01.1_Quick.mp4",
        "01.1_Quick.srt",
        "01.1_Quick.timeline.json",
    ]
    assert not (tmp_path / "b" / "480p5" / "episodes").exists()


THREE = """\
from manim import Scene, Square, FadeIn


class A(Scene):
    def construct(self):
        self.play(FadeIn(Square()), run_time=0.2)


class B(A):
    pass


class C(A):
    pass
"""


def test_removing_a_scene_renders_nothing_and_lists_what_no_scene_owns(tmp_path, capsys):
    """The key does not depend on a scene's position; the old id's files are listed, then pruned."""
    import render
    from series.build import prune

    full = write(tmp_path, [("three", "A"), ("three", "B"), ("three", "C")], {"three.py": THREE})
    tree = BuildTree.at(tmp_path / "build", Q)
    build(full, list(full.scenes()), tree, tmp_path, jobs=2)
    c_bytes = tree.clip(full.find_scene("C")).read_bytes()
    shorter = write(tmp_path, [("three", "A"), ("three", "C")], {})
    results, episodes = build(shorter, list(shorter.scenes()), tree, tmp_path, jobs=2)
    assert [(r.ref.id, r.status) for r in results] == [("01.1", "cached"), ("01.2", "cached")]
    assert results[1].movie.name == "01.2_C.mp4"
    assert results[1].movie.read_bytes() == c_bytes
    assert episodes[0].movie is not None
    orphans = [p.name for p in tree.orphans(shorter)]
    assert orphans == ["01.2_B.key.json", "01.2_B.mp4", "01.2_B.srt", "01.2_B.timeline.json"]
    render._orphans(shorter, tree, remove=False)
    assert "4 file(s) no scene owns (remove them with --prune):" in capsys.readouterr().out
    assert [p.name for p in prune(shorter, tree)] == orphans
    assert tree.orphans(shorter) == []
    assert sorted(p.name for p in (tree.base / "scenes").glob("*.mp4")) == [
        "01.1_A.mp4",
        "01.2_C.mp4",
    ]


SECTIONS = """\
from manim import Scene, Square, Circle, Triangle, FadeIn


class Hidden(Scene):
    def construct(self):
        self.next_section("intro")
        self.add_subcaption("intro", duration=0.6)
        self.play(FadeIn(Square()), run_time=0.6)
        self.next_section("hidden", skip_animations=True)
        self.add_subcaption("never shown", duration=0.4)
        self.play(FadeIn(Triangle()), run_time=0.4)
        self.next_section("outro")
        self.add_subcaption("outro", duration=0.8)
        self.play(FadeIn(Circle()), run_time=0.8)
"""


def test_skipped_section_subtitles_timeline_and_sections_match_the_video(tmp_path):
    import srt as srt_lib

    from series.assemble import probe
    from series.preview import PreviewError, section_frame, timeline

    series = write(tmp_path, [("sections", "Hidden")], {"sections.py": SECTIONS})
    tree = BuildTree.at(tmp_path / "build", Q)
    (result,), _ = build(series, list(series.scenes()), tree, tmp_path)
    duration = probe(result.movie).duration
    assert duration == pytest.approx(1.4, abs=1 / Q.fps)
    plays = timeline(result.movie)
    assert [(p["section"], p["start"], p["end"], p["skipped"]) for p in plays] == [
        ("intro", 0.0, pytest.approx(0.6), False),
        ("hidden", pytest.approx(0.6), pytest.approx(0.6), True),
        ("outro", pytest.approx(0.6), pytest.approx(1.4), False),
    ]
    assert plays[-1]["end"] == pytest.approx(duration, abs=1 / Q.fps)
    subs = list(srt_lib.parse(result.srt.read_text()))
    assert [s.content for s in subs] == ["intro", "outro"]
    assert subs[-1].start.total_seconds() == pytest.approx(0.6)
    assert subs[-1].end.total_seconds() == pytest.approx(1.4)
    with pytest.raises(PreviewError, match="section 'hidden' of Hidden is skipped"):
        section_frame(result.ref, tree, tmp_path, "hidden")


def test_a_scene_file_that_is_not_utf8_is_one_row(tmp_path):
    series = write(tmp_path, [("latin", "Good")], {"latin.py": "# café\n" + GOOD})
    (tmp_path / "demo" / "latin.py").write_bytes(("# café\n" + GOOD).encode("latin-1"))
    (result,), _ = build(series, list(series.scenes()), BuildTree.at(tmp_path / "b", Q), tmp_path)
    assert result.status == "failed"
    assert result.error == (
        "encoding error: invalid continuation byte at byte 5 (the file is not UTF-8) "
        "(demo/latin.py)"
    )
