"""Child processes measured: wall time, time to a line of output, peak memory; plain manim."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import warm
from ..build import first_error_line, worker_command, worker_result
from ..cache import scene_file
from ..manifest import SceneRef
from ..worker import RenderRequest, WorkerResult


class BenchError(RuntimeError):
    """A render the benchmark depends on failed (its first useful error line)."""


@dataclass(frozen=True)
class Run:
    """A finished child process: wall time, peak memory and output.

    Attributes
    ----------
    seconds : float
        Wall time from start to exit.
    max_rss_kib : int
        Peak resident set size of the child itself, KiB: its ``VmHWM`` read
        from ``/proc`` while it runs (``ru_maxrss`` would include the forked
        copy of this process before ``exec``, which is large once the
        benchmark holds frames in memory); elsewhere ``ru_maxrss``. Its own
        children, such as LaTeX, are not included.
    returncode : int
        Exit status.
    stdout, stderr : str
        What it wrote.
    """

    seconds: float
    max_rss_kib: int
    returncode: int
    stdout: str
    stderr: str


class _HighWaterMark:
    """Poll a process's ``VmHWM`` (peak resident memory of its own image, KiB)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.path = Path(f"/proc/{pid}/status")
        self.kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, args=(interval,), daemon=True)
        if self.path.exists():
            self._thread.start()

    def sample(self) -> bool:
        """Read VmHWM now; False once the process is gone."""
        try:
            for line in self.path.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.kib = max(self.kib, int(line.split()[1]))
            return True
        except (OSError, ValueError, IndexError):
            return False

    def _poll(self, interval: float) -> None:
        while not self._stop.is_set() and self.sample():
            self._stop.wait(interval)

    def stop(self) -> None:
        """Stop polling (the last reading stands)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def run_measured(
    command: Sequence[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    until_line: Callable[[str], bool] | None = None,
) -> tuple[Run, float]:
    """Run ``command``; return its :class:`Run` and the time to ``until_line``.

    The child is reaped with ``os.wait4`` so its own peak memory is known
    (``resource.getrusage(RUSAGE_CHILDREN)`` only gives the largest child so
    far). With ``until_line``, the second value is the time from start to the
    first stdout line for which it returns True (else the wall time).
    """
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(command),
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
        peak = _HighWaterMark(proc.pid)
        try:
            lines, at = [], None
            assert proc.stdout is not None
            for line in proc.stdout:
                # The child is alive while it writes: a reading now cannot miss a
                # peak that came before its last line, however short it ran.
                peak.sample()
                lines.append(line)
                if at is None and until_line is not None and until_line(line.strip()):
                    at = time.perf_counter() - start
            proc.stdout.close()
            peak.stop()
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            peak.stop()
            proc.kill()
            proc.wait()
            raise
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
        rss = peak.kib or rss
        run = Run(seconds, int(rss), proc.returncode, "".join(lines), err.read())
    return run, (seconds if at is None else at)


class MeasuredWorker:
    """An ``execute`` for :func:`series.build.render_scene` that records each worker's run.

    It runs the worker as :func:`series.build.run_worker` does: forked from a
    warm parent (:mod:`series.warm`, started and primed here beforehand, as a
    build primes its parents while it computes content keys), or with
    ``SERIES_COLD_WORKERS=1`` the command of :func:`series.build.worker_command`;
    it keeps the :class:`Run` (wall time and peak memory) in ``runs``.
    """

    def __init__(self) -> None:
        self.runs: list[Run] = []

    def prime(self, cwd: Path, count: int = 1) -> None:
        """Start ``count`` warm parents in ``cwd`` and wait until they have imported manim."""
        if warm.enabled():
            warm.POOL.prime(cwd, count)
            workers = [warm.POOL.acquire(cwd) for _ in range(count)]
            try:
                for worker in workers:
                    worker.wait_ready()
            finally:
                for worker in workers:
                    warm.POOL.release(worker)

    def __call__(self, request: RenderRequest, cwd: Path) -> WorkerResult:
        """Run the worker; return its result or raise RuntimeError."""
        if warm.enabled():
            worker = warm.POOL.acquire(cwd)
            try:
                start = time.perf_counter()
                code, out, err = worker.run(request.to_json(), cwd)
                run = Run(time.perf_counter() - start, worker.max_rss_kib, code, out, err)
            finally:
                warm.POOL.release(worker)
        else:
            run, _ = run_measured(worker_command(request), cwd)
        self.runs.append(run)
        if run.returncode != 0:
            raise RuntimeError(first_error_line(run.stderr))
        return worker_result(run.stdout)


def manim_command() -> list[str]:
    """Return how a user runs manim from this environment (its ``manim`` script)."""
    script = Path(sys.executable).with_name("manim")
    return [str(script)] if script.exists() else [sys.executable, "-m", "manim"]


def plain_manim(ref: SceneRef, letter: str, root: Path, media_dir: Path) -> Run:
    """Run plain ``manim render -q<letter> FILE CLASS`` with a fresh media directory.

    ``FILE`` is the scene's source file as the content key finds it
    (:func:`series.cache.scene_file`).

    Raises
    ------
    BenchError
        If the scene has no source file, or manim fails.
    """
    shutil.rmtree(media_dir, ignore_errors=True)
    source = scene_file(root, ref)
    if source is None:
        raise BenchError(f"no source file for module {ref.module!r} under {root}")
    command = [
        *manim_command(),
        "render",
        f"-q{letter}",
        str(source),
        ref.class_name,
        "--media_dir",
        str(media_dir),
    ]
    run, _ = run_measured(command, root)
    if run.returncode != 0:
        raise BenchError(f"plain manim {ref.class_name}: {first_error_line(run.stderr)}")
    shutil.rmtree(media_dir, ignore_errors=True)
    return run
