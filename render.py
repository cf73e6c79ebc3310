"""Command line of the series: list, render and preview.

Usage::

    python render.py                      # the whole series, 1920x1080 at 30 fps
    python render.py list                 # episodes and scenes with their ids
    python render.py render 01 -q l       # one episode at low quality
    python render.py render SecantBecomesTangent --fps 24
    python render.py preview 01.2         # last frame of one scene, as a PNG

It wires ``scenes.SERIES`` into the ``series`` machinery and reports; no scene
logic and no build logic live here.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from pathlib import Path

from series import QUALITY_LETTERS, Quality, QualityError, TargetError
from series.build import build, preview

ROOT = Path(__file__).resolve().parent
DEFAULT_OUT = ROOT / "build"
USAGE_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="render.py", description="Render the Deep Learning in Three Views series."
    )
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("list", help="episodes and scenes with their ids")
    sub.add_parser("outline", help="the series outline as Markdown (as in the README)")

    def quality_options(p: argparse.ArgumentParser, default: str | None) -> None:
        p.add_argument(
            "-q",
            "--quality",
            default=default,
            help=f"manim quality letter, one of {' '.join(QUALITY_LETTERS)}"
            + (" (default: h at 30 fps)" if default is None else f" (default: {default})"),
        )
        p.add_argument("--fps", type=int, default=None, help="frame rate override")
        p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="build directory")

    r = sub.add_parser("render", help="render episodes or scenes and assemble episodes")
    r.add_argument("targets", nargs="*", help="episode id (01), scene id (01.2) or class name")
    r.add_argument("-j", "--jobs", type=int, default=None, help="worker processes (default: cores)")
    r.add_argument(
        "--force", action="store_true", help="render even scenes whose inputs are unchanged"
    )
    quality_options(r, None)

    p = sub.add_parser("preview", help="last frame of one scene as a PNG, at low quality")
    p.add_argument("scene", help="scene id (01.2) or class name")
    quality_options(p, "l")
    return parser


def _quality(letter: str | None, fps: int | None) -> Quality:
    if letter is None:
        return Quality.parse("h", 30 if fps is None else fps)
    return Quality.parse(letter, fps)


def _series():
    from scenes import SERIES

    return SERIES


def cmd_list() -> int:
    """Print the manifest."""
    print(_series().describe())
    return 0


def cmd_render(
    targets: list[str], quality: Quality, out: Path, jobs: int | None, force: bool = False
) -> int:
    """Render targets, assemble their episodes, print a summary."""
    series = _series()
    refs = series.resolve(targets)
    print(f"rendering {len(refs)} scene(s) at {quality.width}x{quality.height} {quality.fps} fps")
    start = time.perf_counter()

    lock = threading.Lock()

    def on_done(result) -> None:
        mark = {"rendered": "ok    ", "cached": "cached", "failed": "FAILED"}[result.status]
        detail = result.movie if result.movie else result.error
        with lock:
            print(
                f"  {mark} {result.ref.id:6} {result.ref.class_name:28} {result.seconds:6.1f}s  {detail}",
                flush=True,
            )

    results, episodes = build(
        series, refs, quality, out, ROOT, jobs=jobs, on_done=on_done, force=force
    )
    for ep in episodes:
        print(
            f"episode {ep.episode.id}: {ep.movie or ep.error}"
            + (f"  (+ {ep.srt.name})" if ep.srt else "")
        )
    failed = [r for r in results if r.status == "failed"]
    cached = [r for r in results if r.status == "cached"]
    print(
        f"{len(results) - len(failed) - len(cached)} rendered, {len(cached)} cached, "
        f"{len(failed)} failed in {time.perf_counter() - start:.1f}s"
    )
    for r in failed:
        print(f"  failed: {r.ref.id} {r.ref.class_name}: {r.error}", file=sys.stderr)
    return 1 if failed else 0


def cmd_preview(target: str, quality: Quality, out: Path) -> int:
    """Render one scene's last frame and print the PNG's path."""
    ref = _series().find_scene(target)
    try:
        path = preview(ref, out, ROOT, quality)
    except RuntimeError as exc:
        print(f"preview of {ref.class_name} failed: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run a command; return the exit status."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            return cmd_list()
        if args.command == "outline":
            print(_series().outline_markdown())
            return 0
        if args.command == "preview":
            return cmd_preview(args.scene, _quality(args.quality, args.fps), args.out)
        if args.command is None:
            return cmd_render([], _quality(None, None), DEFAULT_OUT, None)
        if args.jobs is not None and args.jobs < 1:
            raise QualityError(f"--jobs must be at least 1, got {args.jobs}")
        return cmd_render(
            args.targets, _quality(args.quality, args.fps), args.out, args.jobs, args.force
        )
    except (TargetError, QualityError) as exc:
        print(f"render.py: error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
