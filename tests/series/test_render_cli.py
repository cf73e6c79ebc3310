"""Tier 5 and 6: render.py's command line, and (slow) a real Episode 1 render."""

from __future__ import annotations

import importlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import srt

import render
from scenes import SERIES
from series.assemble import probe
from tests.series.tiny import write_series

ROOT = Path(render.__file__).resolve().parent


def run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "render.py", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def test_list_prints_every_episode_and_scene():
    proc = run("list")
    assert proc.returncode == 0
    for ep in SERIES.episodes:
        assert f"{ep.id}  {ep.title}" in proc.stdout
        for ref in ep.scenes:
            assert ref.id in proc.stdout
            assert ref.class_name in proc.stdout


def test_bad_target_exits_2_and_names_the_closest(capsys):
    assert render.main(["render", "SecantBecomesTangen", "-q", "l"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, "one line"
    assert "unknown target 'SecantBecomesTangen'; closest: SecantBecomesTangent" in err
    assert render.main(["render", "Qwxyz", "-q", "l"]) == 2
    assert "`list --all` lists them" in capsys.readouterr().err


def test_list_all_adds_the_shipped_variants(capsys):
    assert render.main(["list"]) == 0
    assert "SecantOnSine" not in capsys.readouterr().out
    assert render.main(["list", "--all"]) == 0
    out = capsys.readouterr().out
    for name, file in [
        ("SecantOnSine", "scenes/ep01_derivative.py"),
        ("SecantOnSigmoid", "examples/secant_on_sigmoid.py"),
        ("BackwardThroughAWiderGraph", "scenes/ep03_graphs.py"),
    ]:
        line = next(ln for ln in out.splitlines() if f" {name} " in ln)
        assert line.endswith(f"({file})")
    assert "GraphScene" not in out, "a base that defines no construct is not a variant"
    assert "TwoInputBackward" not in out, "not a Scene"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["render", "no_such_file.py:MyScene"], "no_such_file.py: no such file"),
        (
            ["preview", "examples/secant_on_sigmoid.py:SecantOnSigmoi", "--at", "1"],
            "examples/secant_on_sigmoid.py defines no class 'SecantOnSigmoi'; "
            "closest: SecantOnSigmoid",
        ),
        (["preview", "SecantOnSin"], "unknown target 'SecantOnSin'; closest: SecantOnSine"),
    ],
)
def test_file_and_variant_mistakes_exit_2_in_one_line(capsys, args, message):
    assert render.main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"render.py: error: {message}")
    assert err.count("\n") == 1


def test_bad_quality_exits_2(capsys):
    assert render.main(["render", "01", "-q", "z"]) == 2
    assert "unknown quality 'z'" in capsys.readouterr().err


def test_preview_of_an_episode_needs_storyboard(capsys):
    assert render.main(["preview", "01"]) == 2
    err = capsys.readouterr().err
    assert "'01' is an episode; name one of its scenes (Title01, LimitShrinks," in err
    assert "--storyboard" in err


BROKEN = """\
from manim import Scene, Square, FadeIn
class Good(Scene):
    def construct(self):
        self.play(FadeIn(Square()), run_time=0.5)
class Bad(Scene):
    def construct(self):
        raise ValueError('delta=0 is not a step')
"""


def write_demo_package(tmp_path):
    return write_series(tmp_path, "demo_scenes.broken", BROKEN, ["Good", "Bad"], slug="demo")


def test_failed_scene_is_reported_and_others_still_render(tmp_path):
    """A scene that raises: its name and first error line are reported; the other renders."""
    from series.build import build
    from series.quality import Quality
    from series.tree import BuildTree

    series = write_demo_package(tmp_path)
    tree = BuildTree.at(tmp_path / "build", Quality.parse("l", 5))
    results, episodes = build(series, list(series.scenes()), tree, tmp_path, jobs=2)
    by_name = {r.ref.class_name: r for r in results}
    assert by_name["Good"].status == "rendered"
    assert by_name["Good"].movie.exists()
    assert by_name["Bad"].status == "failed"
    assert by_name["Bad"].error == "ValueError: delta=0 is not a step (demo_scenes/broken.py:7)"
    assert episodes[0].movie is None
    assert "Bad" in episodes[0].error
    # Nothing half-written at a final path for the failed scene.
    assert not list((tmp_path / "build").rglob("*Bad*.mp4"))


def test_preview_writes_last_frame_png(tmp_path):
    from PIL import Image

    from series.preview import last_frame
    from series.quality import Quality
    from series.tree import BuildTree

    series = write_demo_package(tmp_path)
    png = last_frame(
        series.find_scene("Good"), BuildTree.at(tmp_path / "build", Quality.parse("l", 5)), tmp_path
    )
    assert png == tmp_path / "build" / "480p5" / "previews" / "Good.png"
    with Image.open(png) as img:
        assert img.size == (854, 480)
        # The last frame shows the square: not a blank background.
        assert len(np.unique(np.asarray(img.convert("RGB")).reshape(-1, 3), axis=0)) > 2


@pytest.mark.slow
def test_render_episode_1_low_quality(tmp_path):
    proc = run("render", "01", "-q", "l", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    qdir = tmp_path / "480p15"
    ep = next(e for e in SERIES.episodes if e.id == "01")
    info = probe(qdir / "episodes" / f"{ep.slug}.mp4")
    assert (info.width, info.height, info.fps) == (854, 480, 15)
    scene_infos = [probe(qdir / "scenes" / f"{r.id}_{r.class_name}.mp4") for r in ep.scenes]
    assert info.frames == sum(s.frames for s in scene_infos)
    assert abs(info.duration - sum(s.duration for s in scene_infos)) <= 2 / 15
    assert [c[2] for c in info.chapters] == [r.title for r in ep.scenes]
    subs = list(srt.parse((qdir / "episodes" / f"{ep.slug}.srt").read_text(encoding="utf-8")))
    # One subtitle per narration line at least (a title card has one, a recap two).
    lines = sum(
        len(getattr(importlib.import_module(r.module), r.class_name).narration) for r in ep.scenes
    )
    assert len(subs) >= lines
    assert subs[-1].end.total_seconds() <= info.duration + 1e-6


@pytest.mark.slow
def test_render_an_example_file_and_preview_a_variant(tmp_path):
    """Done-means of issue 11: an example file renders (then is cached); a variant previews."""
    target = "examples/secant_on_sigmoid.py:SecantOnSigmoid"
    proc = run("render", target, "-q", "l", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    clip = tmp_path / "480p15" / "variants" / "examples.secant_on_sigmoid.SecantOnSigmoid.mp4"
    assert probe(clip).width == 854
    assert not (tmp_path / "480p15" / "episodes").exists(), "a variant joins no episode"
    again = run("render", target, "-q", "l", "--out", str(tmp_path))
    assert "cached" in again.stdout
    proc = run("preview", "SecantOnSine", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(tmp_path / "480p15" / "previews" / "SecantOnSine.png")


# ------------------------------------------------------------------ languages


def _catalog(folder: Path, lang: str, entries: dict[str, str]) -> None:
    from babel.messages.catalog import Catalog

    from series import i18n

    catalog = Catalog(locale=lang)
    for msgid, msgstr in entries.items():
        catalog.add(msgid, msgstr)
    i18n.write_catalog(catalog, i18n.catalog_path(lang, folder))


def test_unknown_language_exits_2_naming_the_catalogs(capsys):
    assert render.main(["render", "01", "--lang", "xx"]) == 2
    err = capsys.readouterr().err
    assert "language 'xx' has no catalog" in err
    assert "available: en" in err


def test_build_with_missing_translations_stops_before_rendering(tmp_path, monkeypatch, capsys):
    from series import i18n

    # A German catalog with one entry: every other string of Title01 is listed.
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    _catalog(tmp_path / "locale", "de", {"Title": "Titel"})
    assert render.main(["render", "Title01", "--lang", "de", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "cannot render in 'de'" in err
    assert "de: untranslated: 'Deep Learning in Three Views'" in err
    assert "de: untranslated: '{series}. Episode {number}: {title}'" in err
    assert not list((tmp_path / "de").rglob("*.mp4")), "nothing rendered"
    assert render.main(["preview", "Title01", "--lang", "de", "--out", str(tmp_path)]) == 2
    assert "cannot render in 'de'" in capsys.readouterr().err


def test_a_teachers_untranslated_lines_stop_a_japanese_build(tmp_path, capsys):
    # Plain strings, not marked N_: still said through the catalog, so still checked.
    lesson = tmp_path / "own_words.py"
    lesson.write_text(
        "from scenes.lecture import LectureScene\n\n\n"
        "class OwnWords(LectureScene):\n"
        '    narration = {"hello": "These are my own words."}\n\n'
        "    def construct(self):\n"
        '        self.narrate("hello")\n',
        encoding="utf-8",
    )
    target = f"{lesson}:OwnWords"
    assert render.main(["render", target, "--lang", "ja", "--out", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err
    assert "cannot render in 'ja': 1 untranslated" in err
    assert "ja: untranslated: 'These are my own words.'" in err
    assert "a scene of your own: add its lines as msgid/msgstr entries there" in err
    assert not list(tmp_path.rglob("*.mp4")), "nothing rendered"


def test_i18n_check_lists_gaps_and_exits_1(tmp_path, monkeypatch, capsys):
    import shutil

    from series import i18n

    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    (tmp_path / "locale").mkdir()
    shutil.copy(ROOT / "assets" / "locale" / "messages.pot", i18n.template_path())
    _catalog(tmp_path / "locale", "de", {"Title": "Titel"})
    assert render.main(["i18n", "check", "--lang", "de"]) == 1
    out, err = capsys.readouterr()
    assert "de: untranslated: 'The derivative'" in out
    assert "'Title'" not in out
    total = len([m for m in i18n.read_catalog(i18n.template_path()) if m.id])
    assert f"de: 1 of {total} strings translated and current" in err
    assert render.main(["i18n", "check"]) == 2


@pytest.mark.slow
def test_render_episode_1_in_japanese(tmp_path):
    """Issue 14: Episode 1 in Japanese, its subtitles Japanese and in order, its audio if voiced."""
    import av

    from series import i18n

    if "ja" not in i18n.languages():
        pytest.skip("no Japanese catalog")
    proc = run("render", "01", "-q", "l", "--lang", "ja", "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    qdir = tmp_path / "ja" / "480p15"
    assert not (tmp_path / "480p15").exists(), "English outputs are elsewhere"
    ep = next(e for e in SERIES.episodes if e.id == "01")
    movie = qdir / "episodes" / f"{ep.slug}.mp4"
    info = probe(movie)
    assert (info.width, info.height) == (854, 480)
    assert [c[2] for c in info.chapters] == [i18n.translate(r.title, "ja") for r in ep.scenes]
    subs = list(srt.parse((qdir / "episodes" / f"{ep.slug}.srt").read_text(encoding="utf-8")))
    assert subs
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    assert all(japanese.search(s.content) for s in subs), "every cue is Japanese"
    for a, b in zip(subs, subs[1:], strict=False):
        assert a.start <= a.end <= b.start, f"{a.content!r} overlaps {b.content!r}"
    assert all(len(s.content.split("\n")) <= 2 for s in subs)
    assert subs[-1].end.total_seconds() <= info.duration + 1e-6
    with av.open(str(movie)) as container:
        audio = list(container.streams.audio)
        if not audio:
            pytest.skip("no voice: the Japanese edition is silent (subtitles only)")
        stream = audio[0]
        seconds = float(stream.duration * stream.time_base) if stream.duration else 0.0
    assert abs(seconds - info.duration) <= 0.5, (seconds, info.duration)
