"""Command line of the series: list, render, preview and benchmark.

Usage::

    python render.py                          # the whole series, 1920x1080 at 30 fps
    python render.py list                     # episodes and scenes with their ids
    python render.py render 01 -q l           # one episode at low quality
    python render.py render SecantBecomesTangent --fps 24
    python render.py render SecantOnSine      # a variant outside the manifest
    python render.py render my_file.py:MyScene -q l   # any scene class in any file
    python render.py render --series-file     # also the whole series as one MP4
    python render.py render 01 --voice none   # silent, subtitles only (default: the series' voice)
    python render.py render 01 --voice recorded   # the teacher's takes under assets/voice/
    python render.py script 01                # the recording script of episode 01 (CSV, Markdown)
    python render.py preview 01.2             # last frame of one scene, as a PNG
    python render.py preview 01.2 --at 3.5    # the frame at 3.5 s
    python render.py preview 01.2 --storyboard
    python render.py preview 01.2 --watch     # re-render on every save
    python render.py preview --storyboard 01  # one large sheet per scene of episode 01 (1080p)
    python render.py list --all               # also the variants that ship with the project
    python render.py render 01 -q l --lang ja # in Japanese, into build/ja/480p15/
    python render.py i18n extract             # update messages.pot and merge it into each .po
    python render.py i18n check --lang ja     # list untranslated and stale strings
    python render.py bench                    # render benchmark (prints a table)
    python render.py cluster-certs certs --scheduler 10.0.0.1 --workers 10.0.0.2 10.0.0.3
    python render.py render --scheduler tls://10.0.0.1:8786 --tls certs

It wires ``scenes.SERIES`` into the ``series`` machinery and reports; no scene
logic and no build logic live here.
"""

from __future__ import annotations

import argparse
import logging
import math
import signal
import sys
import threading
import time
from pathlib import Path

from series import DEFAULT, QUALITY_LETTERS, Quality, QualityError, TargetError

ROOT = Path(__file__).resolve().parent
DEFAULT_OUT = ROOT / "build"
USAGE_ERROR = 2
VARIANT_SOURCES = ("scenes/ep*.py", "examples/*.py")
"""Where the scene classes outside the manifest that ship with the project live (read, not imported)."""


class UsageError(ValueError):
    """A command-line mistake: reported in one line, exit status 2."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite time > 0 seconds, got {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="render.py", description="Render the Deep Learning in Three Views series."
    )
    sub = parser.add_subparsers(dest="command")
    lister = sub.add_parser("list", help="episodes and scenes with their ids")
    lister.add_argument("--all", action="store_true", help="also the variants outside the manifest")
    sub.add_parser("outline", help="the series outline as Markdown (as in the README)")

    def quality_options(p: argparse.ArgumentParser, default: str) -> None:
        p.add_argument(
            "-q",
            "--quality",
            default=None,
            help=f"manim quality letter, one of {' '.join(QUALITY_LETTERS)} (default: {default})",
        )
        p.add_argument("--fps", type=_positive_int, default=None, help="frame rate override")
        p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="build directory")
        p.add_argument(
            "--voice",
            default=None,
            help="narration voice: none (subtitles only), joe (English, Piper), recorded "
            "(assets/voice/<lang>/<Scene>/<beat>.wav), jf_alpha... (Japanese, Kokoro); "
            "default: the series' voice for the language",
        )
        p.add_argument(
            "--lang",
            default="en",
            help="language of every word on screen and spoken (default: en; e.g. ja)",
        )

    r = sub.add_parser("render", help="render episodes or scenes and assemble episodes")
    r.add_argument(
        "targets",
        nargs="*",
        help="episode id (01), scene id (01.2), scene class name, or FILE.py:Class",
    )
    r.add_argument(
        "-j", "--jobs", type=_positive_int, default=None, help="scenes at once (default: cores)"
    )
    r.add_argument("--force", action="store_true", help="render even unchanged scenes")
    r.add_argument(
        "--prune",
        action="store_true",
        help="remove clips and logs no scene of the manifest owns any more (listed otherwise)",
    )
    r.add_argument(
        "--series-file", action="store_true", help="also assemble the whole series into one MP4"
    )
    r.add_argument("--scheduler", default=None, help="Dask scheduler address (tls://host:8786)")
    r.add_argument(
        "--scheduler-timeout",
        type=_positive_seconds,
        default=300.0,
        metavar="SECONDS",
        help="give up when the scheduler has had no worker for this long (default: 300)",
    )
    tls = r.add_argument_group("TLS for --scheduler (default: Dask's configuration)")
    tls.add_argument(
        "--tls",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder with ca.pem, client.pem, client-key.pem (from cluster-certs)",
    )
    tls.add_argument("--tls-ca", type=Path, default=None, help="the cluster's CA certificate")
    tls.add_argument("--tls-cert", type=Path, default=None, help="this client's certificate")
    tls.add_argument("--tls-key", type=Path, default=None, help="this client's private key")
    quality_options(r, f"{DEFAULT.letter} at {DEFAULT.fps} fps")

    p = sub.add_parser("preview", help="a still of one scene at low quality; prints its path")
    p.add_argument(
        "scene",
        help="scene id (01.2), class name or FILE.py:Class; "
        "with --storyboard also an episode id (01): one sheet per scene",
    )
    moment = p.add_mutually_exclusive_group()
    moment.add_argument(
        "--at", type=float, default=None, metavar="SECONDS", help="the frame at SECONDS"
    )
    moment.add_argument(
        "--section", default=None, metavar="NAME", help="the last frame of a section (beat)"
    )
    moment.add_argument(
        "--storyboard", action="store_true", help="a sheet of every animation's last frame"
    )
    p.add_argument("--watch", action="store_true", help="re-render whenever the sources change")
    p.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=None,
        help="scenes at once for an episode's storyboards (default: cores)",
    )
    quality_options(p, "l; h at 30 fps for an episode's storyboards")

    t = sub.add_parser("i18n", help="translations: extract the template, check a language")
    t.add_argument("action", choices=("extract", "check", "init"), help="what to do")
    t.add_argument("--lang", default=None, help="the language to check or start (check, init)")

    b = sub.add_parser("bench", help="render benchmark: ratios against plain manim and the floor")
    b.add_argument("--runs", type=_positive_int, default=3, help="runs per figure (median)")
    b.add_argument("--quick", action="store_true", help="one scene per episode, for a fast look")
    b.add_argument(
        "--sections",
        nargs="+",
        metavar="NAME",
        help="which figures (default: all but 'series'); names: "
        "cold nochange edit hd memory preview watch series tests",
    )
    b.add_argument(
        "--voice",
        action="store_true",
        help="measure the narration instead: the series' lines synthesised cold, "
        "and one scene rendered voiced against silent",
    )
    b.add_argument("--out", type=Path, default=DEFAULT_OUT, help="build directory (with --voice)")
    b.add_argument(
        "--lang",
        nargs="+",
        default=[],
        metavar="LANG",
        help="with --voice: also synthesise the narration in these languages (e.g. ja)",
    )

    s = sub.add_parser("script", help="the recording script of an episode (CSV and Markdown)")
    s.add_argument("episode", help="episode id (01)")
    s.add_argument("--lang", default="en", help="narration language (default: en)")
    s.add_argument(
        "--voice", default=None, help="the voice whose line lengths to list (default: the series')"
    )
    s.add_argument("--out", type=Path, default=DEFAULT_OUT, help="build directory")

    c = sub.add_parser("cluster-certs", help="a CA and mutual-TLS certificates for a Dask cluster")
    c.add_argument("folder", type=Path, help="where to write them (created; must be empty)")
    c.add_argument("--scheduler", required=True, help="the scheduler's host name or IP address")
    c.add_argument(
        "--workers", nargs="+", required=True, metavar="HOST", help="each worker machine's host"
    )
    c.add_argument(
        "--days", type=_positive_int, default=None, help="validity of each machine's certificate"
    )
    return parser


def _quality(letter: str | None, fps: int | None, default: Quality = DEFAULT) -> Quality:
    if letter is None:
        return Quality.parse(default.letter, default.fps if fps is None else fps)
    return Quality.parse(letter, fps)


def _lang(args) -> str:
    """Return the ``--lang`` of the command, checked to have a catalog."""
    from series.i18n import LanguageError, validate_language

    try:
        return validate_language(getattr(args, "lang", None) or "en")
    except LanguageError as exc:
        raise UsageError(str(exc)) from None


def _voice(args) -> str:
    """Return ``--voice``, or the series' voice for the language; a bad name is a usage error."""
    from series.speech import VoiceError, check_voice

    name = getattr(args, "voice", None) or _series().voice_for(_lang(args))
    try:
        return check_voice(name)
    except VoiceError as exc:
        raise UsageError(f"--voice: {exc}") from None


def _tree(args, quality: Quality):
    from series import RenderSettings
    from series.tree import BuildTree

    lang = _lang(args)
    return BuildTree(
        args.out,
        RenderSettings(quality=quality, voice=_voice(args), lang=lang),
        default_voice=_series().voice_for(lang),
    )


def _translation_preflight(refs, lang: str) -> None:
    """Stop before rendering when a string the scenes ``refs`` use has no current ``lang`` entry."""
    if lang == "en":
        return
    from series.cache import scene_messages
    from series.i18n import check
    from series.preflight import narration_messages

    needed = [m for ref in refs for m in scene_messages(ref, ROOT)]
    needed += narration_messages(refs, ROOT)  # a teacher's lines need not be marked N_
    report = check(lang, needed=needed)
    if not report.ok:
        lines = report.lines(limit=15)
        outside = [ref for ref in refs if not ref.in_manifest]
        hint = (
            "; a scene of your own: add its lines as msgid/msgstr entries there, "
            "or render it in English"
            if outside
            else ""
        )
        raise UsageError(
            f"cannot render in {lang!r}: {len(report.untranslated)} untranslated, "
            f"{len(report.stale)} stale, {len(report.mismatched)} with other placeholders:\n  "
            + "\n  ".join(lines)
            + f"\n  (edit assets/locale/{lang}/LC_MESSAGES/messages.po{hint}; "
            f"list them all with: render.py i18n check --lang {lang})"
        )


def _security(args):
    """Return the client's TLS files from --tls or --tls-ca/--tls-cert/--tls-key; None: Dask's config."""
    from series.distributed import TLSFiles

    parts = (args.tls_ca, args.tls_cert, args.tls_key)
    if args.tls is not None and any(parts):
        raise UsageError("give either --tls DIR or --tls-ca/--tls-cert/--tls-key, not both")
    if args.tls is None and not any(parts):
        return None
    if not args.scheduler or not args.scheduler.startswith("tls://"):
        raise UsageError(f"TLS options need a tls:// scheduler address, got {args.scheduler!r}")
    try:
        if args.tls is not None:
            return TLSFiles.from_folder(args.tls)
        if not all(parts):
            raise UsageError("--tls-ca, --tls-cert and --tls-key go together")
        files = TLSFiles(*parts)
        missing = [str(p) for p in parts if not p.is_file()]
        if missing:
            raise FileNotFoundError(f"no TLS file {', '.join(missing)}")
        return files
    except FileNotFoundError as exc:
        raise UsageError(str(exc)) from None


def _series():
    from scenes import SERIES

    return SERIES


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _preflight(series, out: Path | None = None, refs=(), recorded: str | None = None) -> None:
    """Stop once, before any worker starts: a ``manim.cfg`` mistake, ``out`` not writable.

    Then, all listed together: missing tools and fonts, a narration key the
    code of a scene of ``refs`` uses but its ``narration`` lacks
    (:func:`series.preflight.narration_problems`) and, with ``recorded`` (the
    language of ``--voice recorded``), the takes missing or unusable
    (:func:`series.preflight.missing_recordings`).
    """
    from series.preflight import config_problems, output_problems, problems

    found = config_problems(ROOT)
    if out is not None:
        found += output_problems(out)
    if found:
        raise UsageError("\n  ".join(found) if len(found) > 1 else found[0])
    tools = problems(series.fonts, series.needs_latex, series.font_package)
    found = tools + _scene_problems(refs, recorded)
    if found:
        hint = "\n  (`make setup` installs the missing tools and fonts)" if tools else ""
        raise UsageError("cannot render yet:\n  " + "\n  ".join(found) + hint)


def _scene_problems(refs, recorded: str | None = None) -> list[str]:
    """Return what the scenes ``refs`` lack before they can render: narration keys, takes.

    A scene whose file does not import is left to the build (its row names
    the error and the line).
    """
    from series.preflight import missing_recordings, narration_problems, scene_class

    found, importable, classes = [], [], []
    for ref in refs:
        try:
            classes.append(scene_class(ref, ROOT))
        except Exception:  # the build reports it, located, as a failed row
            continue
        importable.append(ref)
    found += narration_problems(classes, ROOT)
    if recorded is not None:
        found += missing_recordings(importable, ROOT, recorded, classes)
    return found


def _targets():
    from series import targets

    return targets


def cmd_list(show_all: bool = False) -> int:
    """Print the manifest; with ``show_all``, also the variants that ship with the project."""
    series = _series()
    print(series.describe())
    if show_all:
        targets = _targets()
        found = targets.variants(series, ROOT, VARIANT_SOURCES)
        print("  variants (not in the manifest; render or preview them by class name)")
        print(targets.describe_variants(found, ROOT) or "    (none)")
    return 0


class Progress:
    """Build progress on a terminal (rich), silent otherwise; then a summary table."""

    def __init__(self, total: int) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self.total, self.done, self.running = total, 0, set()
        self.start = time.perf_counter()
        self.lock = threading.Lock()
        self.live = None
        if self.console.is_terminal:
            from rich.live import Live

            self.live = Live(
                self._render(), console=self.console, refresh_per_second=4, transient=True
            )
            self.live.start()

    def _render(self):
        from rich.text import Text

        running = ", ".join(sorted(self.running)) or "-"
        return Text(
            f"{self.done}/{self.total} scenes  {time.perf_counter() - self.start:5.1f}s  running: {running}"
        )

    def started(self, ref) -> None:
        """Mark a scene as running."""
        with self.lock:
            self.running.add(ref.class_name)
            if self.live:
                self.live.update(self._render())

    def finished(self, result) -> None:
        """Mark a scene as done."""
        with self.lock:
            self.running.discard(result.ref.class_name)
            self.done += 1
            if self.live:
                self.live.update(self._render())

    def stop(self) -> None:
        """Remove the live display."""
        if self.live:
            self.live.stop()


STATUS_STYLE = {
    "failed": "[red]failed[/]",
    "cached": "cached",
    "rendered": "[green]rendered[/]",
    "cancelled": "[yellow]cancelled[/]",
}


def _summary(results, episodes, elapsed: float, interrupted: bool = False) -> None:
    """Print the build's table: a row per scene (error with its location and log; warnings below)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    title = f"build: {elapsed:.1f}s" + (" (interrupted)" if interrupted else "")
    table = Table(title=title, title_justify="left")
    for column in ("scene", "class", "status", "time", "output or error"):
        table.add_column(column, overflow="fold")
    for r in results:
        if r.movie:
            text = escape(str(r.movie))
        elif r.error:
            text = escape(r.error) + (f"\nlog: {escape(str(r.log))}" if r.log else "")
        else:
            text = ""
        status = STATUS_STYLE.get(r.status, r.status)
        table.add_row(r.ref.id, r.ref.class_name, status, f"{r.seconds:.1f}s", text)
        for warning in r.warnings:
            table.add_row("", "", "[yellow]warning[/]", "", escape(warning))
    for ep in episodes:
        state = "up to date" if ep.cached else ("assembled" if ep.movie else "[red]skipped[/]")
        table.add_row(ep.episode.id, ep.episode.slug, state, "", escape(str(ep.movie or ep.error)))
    Console(width=200).print(table)
    if interrupted:
        count = {s: sum(r.status == s for r in results) for s in STATUS_STYLE}
        print(
            f"interrupted: {count['rendered']} rendered, {count['cached']} cached, "
            f"{count['failed']} failed, {count['cancelled']} cancelled"
        )


class _Interrupt:
    """The build's one signal handler: Ctrl-C (and SIGTERM) cancel the build, no traceback."""

    def __init__(self, cancel) -> None:
        self.cancel = cancel
        self.previous: dict = {}

    def _handle(self, signum, frame) -> None:
        if not self.cancel.cancelled:
            print("\ninterrupted: stopping the workers", file=sys.stderr, flush=True)
        self.cancel.cancel()

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self.previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)


INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report it."""


def _orphans(series, tree, remove: bool) -> None:
    """List (or with ``remove``, delete) the outputs no scene owns any more."""
    from series.build import prune

    found = prune(series, tree) if remove else tree.orphans(series)
    if not found:
        return
    verb = "removed" if remove else "no scene owns (remove them with --prune)"
    print(f"{len(found)} file(s) {verb}:")
    for path in found:
        print(f"  {path}")


def cmd_render(args, quality: Quality) -> int:
    """Render targets, assemble their episodes, print a summary.

    Exit status: 0, 1 when a scene failed (each has a row naming the kind,
    the message, the file and line, and its log), 130 after Ctrl-C.
    """
    from series.build import Cancellation, assemble_series, build

    series = _series()
    refs = _targets().resolve(series, args.targets, ROOT, VARIANT_SOURCES, Path.cwd())
    tree = _tree(args, quality)
    recorded = _lang(args) if tree.settings.voice == "recorded" else None
    _preflight(series, tree.base, refs, recorded)
    _translation_preflight(refs, tree.settings.lang)
    execute = None
    security = _security(args)
    if args.scheduler:
        from series.distributed import DaskExecutor

        try:
            execute = DaskExecutor(
                args.scheduler, security=security, wait=args.scheduler_timeout, log=_stderr
            )
        except OSError as exc:
            raise UsageError(str(exc)) from None
    print(
        f"{len(refs)} scene(s) at {quality.width}x{quality.height}, {quality.fps} fps, "
        f"voice {tree.settings.voice}"
    )
    progress = Progress(len(refs))
    start = time.perf_counter()
    cancel = Cancellation()
    if execute is not None:
        cancel.on_cancel(execute.cancel)
    with _Interrupt(cancel):
        try:
            results, episodes = build(
                series,
                refs,
                tree,
                ROOT,
                jobs=args.jobs,
                on_start=progress.started,
                on_done=progress.finished,
                force=args.force,
                execute=execute,
                cancel=cancel,
            )
        finally:
            progress.stop()
            if execute is not None:
                execute.close()
    _summary(results, episodes, time.perf_counter() - start, interrupted=cancel.cancelled)
    if cancel.cancelled:
        return INTERRUPTED
    _orphans(series, tree, args.prune)
    failed = [r for r in results if r.status == "failed"]
    for r in failed:
        where = f" (full text: {r.log})" if r.log else ""
        print(f"failed: {r.ref.id} {r.ref.class_name}: {r.error}{where}", file=sys.stderr)
    if args.series_file and not failed:
        try:
            print(f"series: {assemble_series(series, tree)}")
        except ValueError as exc:
            raise UsageError(f"{exc} (render the whole series at this quality first)") from None
    return 1 if failed else 0


def cmd_script(args) -> int:
    """Write an episode's recording script as CSV and Markdown; print their paths."""
    from series.script import write_script

    series = _series()
    episode = _targets().episode_named(series, args.episode)
    if episode is None:
        raise UsageError(f"{args.episode!r} is not an episode id.\n{series.describe()}")
    try:
        csv_path, md_path, lines = write_script(
            episode, ROOT, args.out / "scripts", _lang(args), _voice(args)
        )
    except RuntimeError as exc:
        print(f"render.py script: {exc}", file=sys.stderr)
        return 1
    print(f"{lines} line(s) of episode {episode.id}")
    print(csv_path)
    print(md_path)
    return 0


def cmd_episode_storyboards(args, episode) -> int:
    """Write one large storyboard sheet per scene of ``episode``; print each path."""
    from series import preview

    if args.watch:
        raise UsageError("--watch follows one scene: name a scene, not an episode")
    series = _series()
    _preflight(series, refs=episode.scenes)
    quality = _quality(args.quality, args.fps)
    _translation_preflight(episode.scenes, _lang(args))
    print(
        f"storyboards of episode {episode.id}: {len(episode.scenes)} scene(s) "
        f"at {quality.width}x{quality.height}",
        file=sys.stderr,
    )
    start = time.perf_counter()

    def done(ref, path: Path) -> None:
        elapsed = time.perf_counter() - start
        print(f"  {ref.id} {ref.class_name} ({elapsed:.1f} s)", file=sys.stderr, flush=True)

    try:
        sheets = preview.episode_storyboards(
            episode.scenes,
            _tree(args, quality),
            ROOT,
            folder=f"{episode.id}_{episode.slug}",
            jobs=args.jobs,
            on_sheet=done,
        )
    except preview.StoryboardError as exc:
        print("\n".join(str(p) for p in exc.sheets))
        print(f"render.py preview: {exc}", file=sys.stderr)
        return 1
    print("\n".join(str(p) for p in sheets))
    return 0


def _failure_row(exc: RuntimeError, ref, tree) -> str:
    """Return a failed scene's row text; its full text goes to its log, as a render's does."""
    failure = getattr(exc, "failure", None)
    if failure is None:
        return str(exc)
    from series.build import failed

    row = failed(ref, tree, failure, 0.0, ROOT)
    return f"{row.error} (full text: {row.log})"


def cmd_preview(args) -> int:
    """Render a still (or storyboard) of one scene and print the PNG's path."""
    from series import warm

    still = not (args.storyboard or args.at is not None or args.section is not None)
    if warm.enabled() and not args.storyboard:
        # Its import of manim overlaps ours and the scene lookup. A still goes to the
        # preview server, which stays for the next command (series.warm.start_server).
        try:
            if not (still and warm.server_enabled() and warm.start_server(ROOT)):
                warm.POOL.prime(ROOT)
        except OSError:
            warm.POOL.prime(ROOT)
    from series import preview

    targets, series = _targets(), _series()
    episode = targets.episode_named(series, args.scene)
    if episode is not None:
        if args.storyboard:
            return cmd_episode_storyboards(args, episode)
        names = ", ".join(r.class_name for r in episode.scenes)
        raise UsageError(
            f"{args.scene!r} is an episode; name one of its scenes ({names}), "
            "or add --storyboard for one sheet per scene"
        )
    tree = _tree(args, _quality(args.quality, args.fps, default=preview.DEFAULT_PREVIEW))
    ref = targets.find_scene(series, args.scene, ROOT, VARIANT_SOURCES, Path.cwd())
    _translation_preflight([ref], tree.settings.lang)
    found = _scene_problems([ref])
    if found and not args.watch:
        raise UsageError("cannot preview yet:\n  " + "\n  ".join(found))
    if found:  # --watch: say it, and wait for the fix
        print("\n".join(found), file=sys.stderr)

    def make() -> Path:
        if args.storyboard:
            return preview.storyboard(ref, tree, ROOT)
        if args.at is not None:
            return preview.frame_at(ref, tree, ROOT, args.at)
        if args.section is not None:
            return preview.section_frame(ref, tree, ROOT, args.section)
        return preview.last_frame(ref, tree, ROOT)

    try:
        print(make(), flush=True)
    except preview.PreviewError as exc:
        raise UsageError(str(exc)) from None
    except RuntimeError as exc:
        print(
            f"preview of {ref.class_name} failed: {_failure_row(exc, ref, tree)}", file=sys.stderr
        )
        if not args.watch:
            return 1
    if args.watch:
        print(f"watching the sources of {ref.class_name}; Ctrl-C to stop", file=sys.stderr)

        def report(update) -> None:
            out = sys.stderr if isinstance(update.result, Exception) else sys.stdout
            print(update.describe(ROOT), file=out, flush=True)

        try:
            preview.watch(ref, ROOT, make, lambda result: None, on_update=report, still=still)
        except KeyboardInterrupt:
            pass
    return 0


def cmd_i18n(args) -> int:
    """``i18n extract``: update the template and merge it into every catalog; ``check``: list gaps."""
    from series import i18n

    if args.action == "extract":
        for lang, path in i18n.update(ROOT).items():
            print(f"{lang}: {path.relative_to(ROOT)}")
        return 0
    if not args.lang:
        raise UsageError(f"i18n {args.action} needs --lang LANG (e.g. --lang ja)")
    if args.action == "init":
        try:
            print(i18n.init(args.lang).relative_to(ROOT))
        except (i18n.LanguageError, FileNotFoundError) as exc:
            raise UsageError(str(exc)) from None
        return 0
    lang = _lang(args)
    try:
        report = i18n.check(lang)
    except FileNotFoundError:
        raise UsageError("no template yet: run `render.py i18n extract` first") from None
    for line in report.lines():
        print(line)
    total = len(list(i18n.read_catalog(i18n.template_path()))) - 1
    missing = len(report.untranslated) + len(report.stale) + len(report.mismatched)
    print(f"{lang}: {total - missing} of {total} strings translated and current", file=sys.stderr)
    return 0 if report.ok else 1


def cmd_bench(args) -> int:
    """Run the render benchmark and print its table."""
    from series.bench import BenchError, run_benchmark

    series = _series()
    _preflight(series)
    if args.voice:
        from scenes.narration import cues_for
        from series.bench.voice import run_voice_benchmark

        try:
            voices = {lang: series.voice_for(lang) for lang in dict.fromkeys(["en", *args.lang])}
            print(
                run_voice_benchmark(
                    series, ROOT, args.out, runs=args.runs, voices=voices, cues=cues_for
                )
            )
        except BenchError as exc:
            print(f"render.py bench --voice: {exc}", file=sys.stderr)
            return 1
        return 0
    try:
        sections = {} if args.sections is None else {"sections": args.sections}
        print(run_benchmark(series, ROOT, runs=args.runs, quick=args.quick, **sections))
    except BenchError as exc:
        print(f"render.py bench: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_cluster_certs(args) -> int:
    """Write a CA and the scheduler's, workers' and client's certificates; print the files."""
    from series.certs import LEAF_DAYS, CertificateError, make_cluster_certificates

    try:
        files = make_cluster_certificates(
            args.folder, args.scheduler, args.workers, days=args.days or LEAF_DAYS
        )
    except CertificateError as exc:
        raise UsageError(str(exc)) from None
    print(f"CA (every machine):   {files.ca}  (keep {files.folder / 'ca-key.pem'} off the cluster)")
    print(f"scheduler:            {files.scheduler[0]}  {files.scheduler[1]}")
    for host, (cert, key) in files.workers.items():
        print(f"worker {host}:{' ' * max(1, 13 - len(host))} {cert}  {key}")
    print(f"client (render.py):   {files.client[0]}  {files.client[1]}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run a command; return the exit status."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    args = _parser().parse_args(argv)
    try:
        if args.command == "list":
            return cmd_list(args.all)
        if args.command == "outline":
            print(_series().outline_markdown())
            return 0
        if args.command == "preview":
            return cmd_preview(args)
        if args.command == "bench":
            return cmd_bench(args)
        if args.command == "script":
            return cmd_script(args)
        if args.command == "i18n":
            return cmd_i18n(args)
        if args.command == "cluster-certs":
            return cmd_cluster_certs(args)
        if args.command is None:
            args = _parser().parse_args(["render"])
        return cmd_render(args, _quality(args.quality, args.fps))
    except (TargetError, QualityError, UsageError) as exc:
        print(f"render.py: error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
