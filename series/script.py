"""The recording script of an episode: every line to say, where, and how long its beat runs.

``render.py script 01`` dry-runs each scene of the episode in a worker
(output ``"script"``: nothing is drawn) and writes, per beat, the scene, the
beat, the line, the seconds its animations take and the seconds the beat
lasts with the chosen voice, as CSV (for a spreadsheet or a recording tool)
and Markdown (to read from while recording). A take may be longer than the
animations: the beat waits for it.

Takes go to ``assets/voice/<lang>/<Scene>/<beat>.wav`` (or ``.flac``), where
``--voice recorded`` finds them (:class:`series.speech.Recorded`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .build import run_worker
from .files import atomic_path
from .manifest import Episode, SceneRef
from .quality import Quality
from .settings import RenderSettings
from .tree import BuildTree
from .worker import RenderRequest


@dataclass(frozen=True)
class ScriptLine:
    """One beat of the recording script.

    Attributes
    ----------
    scene, beat : str
        The scene class and the beat's key (the take's file is ``<scene>/<beat>.wav``).
    text : str
        The line to say.
    animations : float
        Seconds the beat's animations take (the take may be longer: the beat waits).
    seconds : float
        Seconds the beat lasts with the script's voice (its start to its end).
    take : str
        The take's path relative to the project root.
    """

    scene: str
    beat: str
    text: str
    animations: float
    seconds: float
    take: str


def beat_lines(
    refs: Sequence[SceneRef], root: Path, tree: BuildTree, lang: str = "en", jobs: int = 2
) -> list[ScriptLine]:
    """Dry-run ``refs`` in workers (``tree``'s voice) and return their beats in order.

    Raises
    ------
    series.errors.SceneError
        If a scene fails (a RuntimeError naming it).
    """

    def one(ref: SceneRef) -> list[ScriptLine]:
        with tree.scratch(f"script-{ref.id}") as work:
            request = RenderRequest.for_scene(
                ref,
                tree.settings,
                work,
                root,
                output="script",
                cache_dir=tree.cache,
                speech_cache=tree.speech_cache,
            )
            result = run_worker(request, root)
        return [
            ScriptLine(
                scene=b["scene"],
                beat=b["beat"],
                text=b["text"],
                animations=float(b["animations"]),
                seconds=float(b["end"]) - float(b["start"]),
                take=f"assets/voice/{lang}/{b['scene']}/{b['beat']}.wav",
            )
            for b in result.beats
        ]

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        parts = list(pool.map(one, refs))
    return [line for part in parts for line in part]


CSV_FIELDS = ("scene", "beat", "line", "animations_s", "beat_s", "take")


def to_csv(lines: Sequence[ScriptLine]) -> str:
    """Return the script as CSV, one row per beat (:data:`CSV_FIELDS`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for ln in lines:
        writer.writerow(
            [ln.scene, ln.beat, ln.text, f"{ln.animations:.2f}", f"{ln.seconds:.2f}", ln.take]
        )
    return buffer.getvalue()


def to_markdown(episode: Episode, lines: Sequence[ScriptLine], voice: str) -> str:
    """Return the script as Markdown: a section per scene, a table row per beat."""
    out = [
        f"# Recording script: {episode.id} {episode.title}",
        "",
        f"Beat times with the voice `{voice}`. Save each take as the file named in its row "
        "(WAV or FLAC, any sample rate; it is levelled and resampled when used). "
        "A take may run longer than the animations: the beat waits for it.",
    ]
    scene = None
    for ln in lines:
        if ln.scene != scene:
            scene = ln.scene
            out += ["", f"## {scene}", "", "| beat | line | animations | beat | take |"]
            out.append("| --- | --- | ---: | ---: | --- |")
        text = ln.text.replace("|", "\\|")
        out.append(
            f"| `{ln.beat}` | {text} | {ln.animations:.1f} s | {ln.seconds:.1f} s | `{ln.take}` |"
        )
    return "\n".join(out) + "\n"


def write_script(
    episode: Episode, root: Path, folder: Path, lang: str = "en", voice: str = "none"
) -> tuple[Path, Path, int]:
    """Write ``<folder>/<slug>.<lang>.csv`` and ``.md``; return both paths and the line count.

    The beats are timed in a dry run (nothing drawn) with ``voice``;
    ``recorded`` times them silent (the takes are what is missing).
    """
    timing = "none" if voice == "recorded" else voice
    settings = RenderSettings(quality=Quality.parse("l"), voice=timing, lang=lang)
    tree = BuildTree(folder.parent, settings)
    lines = beat_lines(episode.scenes, root, tree, lang)
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"{episode.slug}.{lang}.csv"
    md_path = folder / f"{episode.slug}.{lang}.md"
    with atomic_path(csv_path) as tmp:
        tmp.write_text(to_csv(lines), encoding="utf-8")
    with atomic_path(md_path) as tmp:
        tmp.write_text(to_markdown(episode, lines, voice), encoding="utf-8")
    return csv_path, md_path, len(lines)
