"""The narration's benchmark: what a voice costs.

``python render.py bench --voice`` measures, in one run:

``voice.synthesis``
    Every narration line of the series synthesised cold (an empty speech
    cache) with the voice of each language, cue by cue as a build says it
    (the caller gives the language's cue splitter): wall and CPU seconds,
    seconds of speech, and speech seconds per CPU second.
``voice.render``
    One scene rendered at ``-q l`` (``force``) silent and voiced, ``runs``
    times each, interleaved A B A B, with the speech cache warm (the lines
    synthesised once before: what a rebuild costs) and once cold; the
    ratio voiced / silent per pair of runs.

Nothing here asserts anything about time.
"""

from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..build import render_scene
from ..manifest import SceneRef, Series
from ..preflight import narration_lines
from ..quality import Quality
from ..settings import RenderSettings
from ..tree import BuildTree
from .measure import BenchError


def synthesis_figures(
    lines: Sequence[tuple[str, str, str]],
    voice: str,
    cache: Path,
    root: Path,
    cues: Callable[[str], Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Synthesise ``lines`` with ``voice`` into an empty ``cache``; return the times.

    Parameters
    ----------
    lines : sequence of (scene, beat, text)
        The narration, in the language ``voice`` speaks.
    voice, cache, root
        The speech service's name, an empty cache directory, the project root.
    cues : callable, optional
        A line's subtitle cues; given, each line is said cue by cue, exactly as
        a build says it (``LectureScene`` passes the same cues). Without it,
        each line is said in one piece.

    Returns
    -------
    dict
        ``lines``, ``cues`` (pieces synthesised), ``speech_s`` (seconds of
        audio), ``wall_s`` and ``cpu_s`` (this process, model loading
        included), ``speech_per_cpu_s``.
    """
    from ..speech import service

    shutil.rmtree(cache, ignore_errors=True)
    speaker = service(voice, cache, root)
    said = [(scene, beat, text, list(cues(text)) if cues else []) for scene, beat, text in lines]
    wall, cpu = time.perf_counter(), time.process_time()
    speech = sum(
        speaker.speak(text, scene=scene, beat=beat, cues=pieces).duration
        for scene, beat, text, pieces in said
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "voice": voice,
        "lines": len(lines),
        "cues": sum(max(1, len(pieces)) for *_, pieces in said),
        "speech_s": speech,
        "wall_s": wall,
        "cpu_s": cpu,
        "speech_per_cpu_s": speech / cpu if cpu else float("inf"),
    }


def render_figures(
    ref: SceneRef, root: Path, out: Path, voice: str, runs: int = 2
) -> dict[str, Any]:
    """Render ``ref`` at ``-q l`` silent and with ``voice``, interleaved; return the times.

    The first voiced render runs on an empty speech cache (``cold_s``); the
    pairs after it on the warm cache.
    """
    quality = Quality.parse("l")
    silent = BuildTree(out / "silent", RenderSettings(quality=quality))
    voiced = BuildTree(out / "voiced", RenderSettings(quality=quality, voice=voice))
    shutil.rmtree(voiced.speech_cache, ignore_errors=True)

    def timed(tree: BuildTree) -> float:
        start = time.perf_counter()
        result = render_scene(ref, tree, root, force=True)
        if result.status != "rendered":
            raise BenchError(f"{ref.class_name} with voice {tree.settings.voice}: {result.error}")
        return time.perf_counter() - start

    cold = timed(voiced)
    pairs = [(timed(silent), timed(voiced)) for _ in range(runs)]
    return {
        "scene": ref.class_name,
        "voice": voice,
        "cold_s": cold,
        "silent_s": statistics.median(a for a, _ in pairs),
        "voiced_s": statistics.median(b for _, b in pairs),
        "ratio": statistics.median(b / a for a, b in pairs),
        "samples": pairs,
    }


def run_voice_benchmark(
    series: Series,
    root: Path,
    out: Path,
    scene: str = "SecantBecomesTangent",
    runs: int = 2,
    voices: dict[str, str] | None = None,
    cues: Callable[[str, str], Sequence[str]] | None = None,
) -> str:
    """Run both measures (module docstring) and return a short table.

    ``voices`` maps a language to its voice (default: English with the
    series' voice); each language's lines are the manifest's narration,
    translated with that language's catalog (``render.py bench --voice
    --lang ja``), and ``cues(text, lang)`` cuts a line into the cues a build
    says one by one (``render.py`` passes ``scenes.narration.cues_for``).
    The render figure uses the English voice.

    Raises
    ------
    BenchError
        If a language other than English has no catalog, or a render fails.
    """
    from ..i18n import translations

    voices = voices or {"en": series.voice_for("en")}
    rows = []
    for lang, voice in voices.items():
        if lang != "en" and not translations(lang, root / "assets" / "locale"):
            raise BenchError(f"no {lang!r} catalog under assets/locale: nothing to say in {lang}")
        lines = narration_lines(list(series.scenes()), root, lang)
        figures = synthesis_figures(
            lines,
            voice,
            out / "bench-speech" / lang,
            root,
            cues=(lambda text, lang=lang: cues(text, lang)) if cues else None,
        )
        rows.append(
            f"synthesis {lang} {voice}: {figures['lines']} lines in {figures['cues']} cues, "
            f"{figures['speech_s']:.1f} s of "
            f"speech in {figures['wall_s']:.1f} s wall, {figures['cpu_s']:.1f} s CPU "
            f"({figures['speech_per_cpu_s']:.1f} s of speech per CPU s)"
        )
    try:
        ref = series.find_scene(scene)
    except LookupError:
        ref = next(iter(series.scenes()))
    render = render_figures(ref, root, out / "bench-voice", voices.get("en", "joe"), runs)
    rows.append(
        f"render {render['scene']} -q l: silent {render['silent_s']:.1f} s, voiced "
        f"{render['voiced_s']:.1f} s (warm speech cache), {render['cold_s']:.1f} s cold; "
        f"voiced / silent {render['ratio']:.2f}x (median of {runs})"
    )
    return "\n".join(rows)
