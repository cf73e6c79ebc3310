"""Tier 5: the render benchmark on a tiny two-scene series (figures, JSON, edit restore)."""

from __future__ import annotations

import json
import os
import re
import signal
import sys

import pytest

from series import Quality
from series import bench as bn
from tests.series.tiny import write_series

SCENES = """\
from manim import Scene, Square, Circle, FadeIn


class One(Scene):
    def construct(self):
        self.add_subcaption("one", duration=0.5)
        self.play(FadeIn(Square()), run_time=0.5)


class Two(Scene):
    def construct(self):
        self.play(FadeIn(Circle()), run_time=0.5)
        self.wait(0.25)
"""

# A stand-in for `render.py preview CLASS --out DIR`: the real render.py knows
# only the real series.
PREVIEW = """\
import sys
from pathlib import Path

from series import Quality, Series, episode
from series.preview import last_frame
from series.tree import BuildTree

ROOT = Path(__file__).resolve().parent
SERIES = Series("Tiny", "tiny", (episode("01", "Tiny", "tiny_ep", [("tiny.scenes", "One", "One"), ("tiny.scenes", "Two", "Two")]),))
print(last_frame(SERIES.find_scene(sys.argv[1]), BuildTree.at(Path(sys.argv[3]), Quality.parse("l", 5)), ROOT))
"""

LOW = Quality.parse("l", 5)
NUMBER = re.compile(r"^\d+(\.\d+)?(x| s| MiB)$")


@pytest.fixture
def tiny(tmp_path):
    (tmp_path / "preview.py").write_text(PREVIEW)
    return tmp_path, write_series(tmp_path, "tiny.scenes", SCENES, ["One", "Two"])


def rows(table: str, targets: bool = False) -> dict[str, list[str]]:
    """Map each table row's label to its median, min, max and runs cells (and target, how far)."""
    found = {}
    for line in table.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) in (5, 7) and NUMBER.match(cells[1]):
            found[cells[0]] = cells[1:] if targets else cells[1:5]
    return found


def bench_json(out):
    (path,) = (out / "bench").glob("*.json")
    return json.loads(path.read_text())


def test_cheap_sections_give_a_table_json_and_leave_the_source_as_it_was(tiny):
    root, series = tiny
    source = root / "tiny" / "scenes.py"
    before, mtime = source.read_bytes(), source.stat().st_mtime_ns
    out = root / "build"
    table = bn.run_benchmark(
        series,
        root,
        runs=1,
        sections=("nochange", "edit"),
        scene="Two",
        out=out,
        low=LOW,
        on_progress=lambda _: None,
    )
    assert source.read_bytes() == before
    assert source.stat().st_mtime_ns == mtime
    found = rows(table)
    assert set(found) == {
        "no-change rebuild (2 scenes)",
        "edit Two -> episode 01 MP4 (1 scene(s) re-rendered)",
    }
    assert all(r[3] == "1" for r in found.values())
    assert "versions: Python" in table
    assert "PyAV" in table
    record = bench_json(out)
    assert set(record["figures"]) == {"nochange", "edit"}
    for fig in record["figures"].values():
        assert fig["min"] <= fig["median"] <= fig["max"]
        assert len(fig["samples"]) == 1
        assert fig["unit"] == "s"
    assert record["config"]["scenes"] == ["One", "Two"]
    assert record["environment"]["cores"] >= 1
    # The scratch directory is gone; only the JSON stays.
    assert [p.name for p in (out / "bench").iterdir()] == [f"{record['timestamp']}.json"]


def test_quick_builds_the_first_scene_of_each_episode_and_times_the_cold_build(tiny):
    root, series = tiny
    out = root / "build"
    table = bn.run_benchmark(
        series,
        root,
        runs=1,
        quick=True,
        sections=("cold",),
        out=out,
        low=LOW,
        on_progress=lambda _: None,
    )
    found = rows(table)
    assert set(found) == {
        "cold build -q l, ours (1 scene, " + f"{os.cpu_count()} jobs)",
        "cold build -q l, plain manim one by one",
        "cold build: plain / ours",
    }
    figures = bench_json(out)["figures"]
    ratio = figures["cold.plain"]["median"] / figures["cold.ours"]["median"]
    assert figures["cold.speedup"]["median"] == pytest.approx(ratio)
    assert bench_json(out)["config"]["scenes"] == ["One"]


def test_edit_restores_the_file_when_the_build_raises(tiny, monkeypatch):
    root, series = tiny
    source = root / "tiny" / "scenes.py"
    before = source.read_bytes()
    real_build = bn.run.build
    calls = []

    def failing_build(*args, **kwargs):
        calls.append(source.read_bytes())
        if len(calls) == 1:  # the warm-up build
            return real_build(*args, **kwargs)
        raise RuntimeError("injected failure")

    monkeypatch.setattr(bn.run, "build", failing_build)
    with pytest.raises(RuntimeError, match="injected failure"):
        bn.run_benchmark(
            series,
            root,
            runs=1,
            sections=("edit",),
            out=root / "build",
            low=LOW,
            on_progress=lambda _: None,
        )
    # The edit is a class attribute inserted into one scene class, then removed.
    assert calls[1] != before
    assert b"_render_benchmark_edit = 'edit 1 (" in calls[1]
    assert calls[1].replace(calls[1].splitlines(keepends=True)[4], b"", 1) == before
    assert source.read_bytes() == before
    assert not list((root / "build" / "bench").iterdir()), "no JSON, no scratch left"


def test_appended_line_restores_after_interrupt_and_sigterm(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(b"x = 1")  # no final newline
    mtime = path.stat().st_mtime_ns
    seen = []

    def interrupted(how):
        with bn.appended_line(path, "# edit") as edited:
            seen.append((path.read_bytes(), edited))
            how()

    def ctrl_c():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted(ctrl_c)
    assert seen[0] == (b"x = 1\n# edit\n", b"x = 1\n# edit\n")
    assert path.read_bytes() == b"x = 1"
    assert path.stat().st_mtime_ns == mtime
    with pytest.raises(KeyboardInterrupt):
        interrupted(lambda: os.kill(os.getpid(), signal.SIGTERM))
    assert path.read_bytes() == b"x = 1"
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_appended_line_keeps_a_concurrent_change(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(b"x = 1\n")
    with bn.appended_line(path, "# edit") as edited:
        path.write_bytes(b"x = 2\n" + edited[len(b"x = 1\n") :])
    assert path.read_bytes() == b"x = 2\n"
    with bn.appended_line(path, "# edit"):
        path.write_bytes(b"y = 3\n")
    assert path.read_bytes() == b"y = 3\n"


def test_bad_arguments(tiny):
    root, series = tiny
    with pytest.raises(ValueError, match="unknown section.*cold, nochange"):
        bn.run_benchmark(series, root, sections=("colt",))
    with pytest.raises(ValueError, match="runs must be at least 1"):
        bn.run_benchmark(series, root, runs=0)


def test_figure_summary_and_table_format():
    figs = [
        bn.Figure("a", "seconds", "s", [3.0, 1.0, 2.0]),
        bn.Figure("b", "ratio", "x", [1.5]),
        bn.Figure("c", "memory", "MiB", [512.4]),
        bn.Figure("d", "small", "s", [0.0123]),
    ]
    assert figs[0].as_dict() | {"samples": None} == {
        "label": "seconds",
        "unit": "s",
        "median": 2.0,
        "min": 1.0,
        "max": 3.0,
        "samples": None,
    }
    env = bn.environment()
    table = bn.format_table(env, figs, ["a note"])
    assert "\x1b[" not in table
    assert rows(table) == {
        "seconds": ["2.00 s", "1.00 s", "3.00 s", "3"],
        "ratio": ["1.50x", "1.50x", "1.50x", "1"],
        "memory": ["512 MiB", "512 MiB", "512 MiB", "1"],
        "small": ["0.012 s", "0.012 s", "0.012 s", "1"],
    }
    assert table.rstrip().endswith("a note")


def test_segment_lengths_follow_the_plays():
    plays = [{"start": 0.0, "end": 0.5}, {"start": 0.5, "end": 0.75}]
    assert bn.floor.segment_lengths(plays, 60, 45) == [30, 15]
    assert bn.floor.segment_lengths(plays, 60, 50) == [50], "mismatch: one segment"
    assert bn.floor.segment_lengths([], 60, 45) == [45]


def test_measured_run_reports_peak_memory_and_time_to_a_line(tmp_path):
    # The child lingers a moment after its line, as a real worker does while it
    # exits: VmHWM is read from /proc while the process is alive.
    code = (
        "import sys, time; b = bytearray(200 * 2**20); print('ready', flush=True); "
        "time.sleep(0.3); sys.exit(3)"
    )
    run, at = bn.run_measured([sys.executable, "-c", code], tmp_path, until_line="ready".__eq__)
    assert run.returncode == 3
    assert run.stdout.strip() == "ready"
    assert run.max_rss_kib > 200 * 1024
    assert 0 < at <= run.seconds


TWO_CORES = (os.cpu_count() or 1) >= 2
"""With 2 cores or more the hd figures time the scene both in one worker and split in two."""
SPLIT = TWO_CORES and os.environ.get("SERIES_SPLIT") != "0"
"""Whether ours (hd.ours) is the split render (series.split.enabled)."""
HOW = "2 warm workers sharing its plays" if SPLIT else "warm worker"


@pytest.mark.slow
def test_hd_memory_and_preview_sections(tiny):
    """The real thing: plain manim, the floor's rasterisation and encoding, a preview process.

    Its fast equivalent in the default run:
    :func:`test_hd_memory_and_preview_figures_from_their_measurements`.
    """
    root, series = tiny
    out = root / "build"
    table = bn.run_benchmark(
        series,
        root,
        runs=1,
        sections=("hd", "memory", "preview"),
        scene="Two",
        out=out,
        high=Quality.parse("m", 30),
        preview_command=[sys.executable, str(root / "preview.py")],
        on_progress=lambda _: None,
    )
    figures = bench_json(out)["figures"]
    assert set(figures) == {
        "hd.ours",
        "hd.plain",
        "hd.raster",
        "hd.encode",
        "hd.floor",
        "hd.no_encode",
        "hd.over_floor",
        "hd.speedup",
        "memory.ours",
        "memory.plain",
        "preview",
    } | ({"hd.other", "hd.split_gain"} if TWO_CORES else set())
    assert figures["hd.floor"]["median"] == pytest.approx(
        figures["hd.raster"]["median"] + figures["hd.encode"]["median"]
    )
    assert any(
        re.fullmatch(rf"Two 720p30, ours \(\d+ frames, {HOW}\)", label) for label in rows(table)
    )
    assert figures["memory.ours"]["median"] > 50


def test_targets_print_with_how_far_each_figure_is():
    figs = [
        bn.Figure("cold.speedup", "cold: plain / ours", "x", [2.0, 1.9, 2.1]),
        bn.Figure("preview", "preview", "s", [1.2]),
        bn.Figure("series.realtime", "wall / video", "x", [0.5]),
        bn.Figure("hd.ours", "no target", "s", [3.0]),
    ]
    table = rows(bn.format_table(bn.environment(), figs, []), targets=True)
    assert table["cold: plain / ours"][4:] == [">= 2.50x", "short by 0.50x (80% of target)"]
    assert table["preview"][4:] == ["<= 1.50 s", "met (0.300 s to spare)"]
    assert table["wall / video"][4:] == ["<= 0.40x", "over by 0.10x (80% of target)"]
    assert table["no target"] == ["3.00 s", "3.00 s", "3.00 s", "1"]
    assert set(bn.TARGETS) == {
        "cold.speedup", "hd.speedup", "series.realtime", "preview", "watch", "tests"
    }  # fmt: skip


def test_watch_series_and_tests_sections(tiny):
    """The once-only figures: a watch update, the whole series' wall over video, the tests."""
    root, series = tiny
    out = root / "build"
    bn.run_benchmark(
        series,
        root,
        runs=1,
        sections=("watch", "series", "tests"),
        scene="Two",
        out=out,
        low=LOW,
        test_command=[sys.executable, "-c", "print('2 passed')"],
        on_progress=lambda _: None,
    )
    figures = bench_json(out)["figures"]
    assert set(figures) == {"watch", "series.wall", "series.video", "series.realtime", "tests"}
    # One 0.5 s + Two 0.75 s of video at 30 fps.
    assert figures["series.video"]["median"] == pytest.approx(1.25, abs=1 / 30)
    assert figures["series.realtime"]["median"] == pytest.approx(
        figures["series.wall"]["median"] / figures["series.video"]["median"]
    )
    assert 0 < figures["watch"]["median"] < figures["series.wall"]["median"]
    with pytest.raises(bn.BenchError, match="the test run failed: 1 failed"):
        bn.run_benchmark(
            series,
            root,
            sections=("tests",),
            out=out,
            test_command=[sys.executable, "-c", "print('1 failed'); raise SystemExit(1)"],
            on_progress=lambda _: None,
        )


def test_hd_memory_and_preview_figures_from_their_measurements(tiny, monkeypatch):
    """The hd, memory and preview figures: our render is real, the other processes stubbed."""
    from series.bench import run as bench_run

    root, series = tiny
    out = root / "build"
    (root / "still.png").write_bytes(b"png")
    calls = []

    def plain(ref, letter, root_, media):
        calls.append(("plain", ref.class_name, letter))
        return bn.Run(4.0, 300 * 1024, 0, "", "")

    def rasterise(ref, settings, root_, media):
        calls.append(("raster", ref.class_name, settings.quality.name))
        return {"raster_seconds": 0.5, "frames": 23}, bn.Run(1.5, 0, 0, "", "")

    def encode(movie, settings, folder, budget):
        calls.append(("encode", movie.name))
        return 0.25, 23

    monkeypatch.setattr(bench_run, "plain_manim", plain)
    monkeypatch.setattr(bench_run, "run_rasterise", rasterise)
    monkeypatch.setattr(bench_run, "encode_floor", encode)
    table = bn.run_benchmark(
        series,
        root,
        runs=1,
        sections=("hd", "memory", "preview"),
        scene="Two",
        out=out,
        high=Quality.parse("l", 5),
        preview_command=[sys.executable, "-c", "print('still.png')"],
        on_progress=lambda _: None,
    )
    assert calls == [("plain", "Two", "l"), ("raster", "Two", "480p5"), ("encode", "01.2_Two.mp4")]
    figures = {k: v["median"] for k, v in bench_json(out)["figures"].items()}
    assert figures["hd.plain"] == 4.0
    assert figures["hd.floor"] == 0.75
    assert figures["hd.no_encode"] == 1.5
    assert figures["hd.speedup"] == pytest.approx(4.0 / figures["hd.ours"])
    assert figures["hd.over_floor"] == pytest.approx(figures["hd.ours"] / 0.75)
    assert figures["memory.plain"] == 300
    assert 50 < figures["memory.ours"] < 4096, "our worker's own peak, MiB"
    assert 0 < figures["preview"] < 60
    assert f"Two 480p5, ours (23 frames, {HOW})" in rows(table)
    if TWO_CORES:
        one, two = figures["hd.ours"], figures["hd.other"]
        assert figures["hd.split_gain"] == pytest.approx(two / one if SPLIT else one / two)
