"""Tier 5: one build layout (BuildTree) and one set of render settings (RenderSettings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from series import DEFAULT, Quality, Series, episode
from series.manifest import SceneRef
from series.settings import MANIM_ENCODER, Encoder, RenderSettings
from series.tree import BuildTree
from series.worker import RenderRequest, WorkerResult, manim_options

SERIES = Series("S", "s", (episode("01", "E", "ep_one", [("pkg.mod", "Box", "A box")]),))
REF = SERIES.find_scene("Box")
VARIANT = SceneRef("pkg.mod.RedBox", "pkg.mod", "RedBox", "RedBox")


def test_every_path_under_the_quality_folder():
    tree = BuildTree.at(Path("build"), Quality.parse("l", 5))
    base = Path("build/480p5")
    assert tree.base == base
    assert tree.clip(REF) == base / "scenes/01.1_Box.mp4"
    assert tree.clip(VARIANT) == base / "variants/pkg.mod.RedBox.mp4"
    movie = tree.clip(REF)
    assert tree.srt(movie) == base / "scenes/01.1_Box.srt"
    assert tree.record(movie) == base / "scenes/01.1_Box.key.json"
    assert tree.timeline(movie) == base / "scenes/01.1_Box.timeline.json"
    assert tree.episode(SERIES.episodes[0]) == base / "episodes/ep_one.mp4"
    assert tree.series_movie(SERIES) == base / "s.mp4"
    assert tree.preview(REF) == base / "previews/Box.png"
    assert tree.preview(REF, "_storyboard") == base / "previews/Box_storyboard.png"
    assert tree.episode_sheet("01_ep", REF) == base / "previews/storyboards/01_ep/01.1_Box.png"
    assert tree.work("01.1") == base / ".work/01.1"
    assert tree.cache == base / ".cache/manim"
    assert BuildTree.remote_cache(Path("/r"), 854, 480) == Path("/r/build/.cache/manim-854x480")
    assert tree.bench == Path("build/bench")


def test_a_voice_other_than_the_default_builds_in_a_folder_of_its_own():
    low = Quality.parse("l")

    def tree(voice: str, lang: str = "en") -> BuildTree:
        settings = RenderSettings(quality=low, voice=voice, lang=lang)
        return BuildTree(
            Path("build"), settings, default_voice={"en": "joe", "ja": "jf_alpha"}[lang]
        )

    assert tree("joe").base == Path("build/480p15")
    assert tree("recorded").base == Path("build/480p15-recorded")
    assert tree("none").clip(REF) == Path("build/480p15-none/scenes/01.1_Box.mp4")
    assert tree("none").episode(SERIES.episodes[0]) == Path("build/480p15-none/episodes/ep_one.mp4")
    assert tree("jf_alpha", "ja").base == Path("build/ja/480p15")
    assert tree("recorded", "ja").base == Path("build/ja/480p15-recorded")
    # What a voice changes is not TeX: one cache for every voice at a quality.
    assert tree("recorded").cache == tree("joe").cache == Path("build/480p15/.cache/manim")
    # Without a default voice (the benchmark's and the tests' trees), the voice names no folder.
    assert BuildTree(Path("build"), RenderSettings(quality=low, voice="none")).base == Path(
        "build/480p15"
    )


def test_the_command_line_puts_each_voice_in_its_folder():
    import render

    parser = render._parser()
    quality = Quality.parse("l")
    default = render._tree(parser.parse_args(["render", "01", "-q", "l"]), quality)
    silent = render._tree(
        parser.parse_args(["render", "01", "-q", "l", "--voice", "none"]), quality
    )
    assert default.settings.voice == "joe"
    assert default.base == render.DEFAULT_OUT / "480p15"
    assert silent.base == render.DEFAULT_OUT / "480p15-none"


def test_default_quality_is_defined_once_and_used_by_the_settings():
    assert RenderSettings().quality is DEFAULT
    assert (DEFAULT.width, DEFAULT.height, DEFAULT.fps) == (1920, 1080, 30)
    assert BuildTree(Path("b")).base == Path("b/1080p30")


def test_encoder_options_reach_the_worker_and_the_key():
    settings = RenderSettings(Quality.parse("m"), Encoder(crf=18, preset="slow"))
    request = RenderRequest.for_scene(REF, settings, Path("w"), Path("."))
    options = manim_options(RenderRequest.from_json(request.to_json()))
    assert options["video_encoder_options"] == {"crf": "18", "preset": "slow"}
    assert (options["pixel_width"], options["pixel_height"], options["frame_rate"]) == (
        1280,
        720,
        30,
    )
    # The key names only what differs from manim's own defaults (crf 23), so the
    # keys of clips rendered before the settings were one object are unchanged.
    assert RenderSettings().key() == [1920, 1080, 30, "(('preset', 'veryfast'),)"]
    assert settings.key()[-1] == "(('crf', '18'), ('preset', 'slow'))"
    assert MANIM_ENCODER.options() == {"crf": "23", "preset": "medium"}
    with pytest.raises(ValueError, match="crf 52 is out of range"):
        Encoder(crf=52)


def test_worker_result_round_trips_and_rejects_other_lines(tmp_path):
    result = WorkerResult(
        seconds=1.5,
        plays=({"index": 0, "start": 0.0, "end": 0.5, "section": "a"},),
        movie=tmp_path / "Box.mp4",
        srt=tmp_path / "Box.srt",
    )
    assert WorkerResult.from_json(result.to_json()) == result
    moved = result.moved(tmp_path / "elsewhere")
    assert moved.movie == tmp_path / "elsewhere" / "Box.mp4"
    assert moved.plays == result.plays
    with pytest.raises(ValueError, match="not a worker result: 'Traceback"):
        WorkerResult.from_json("Traceback (most recent call last):")
