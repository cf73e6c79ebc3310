"""Warm workers: scene processes forked from a parent that has already imported manim.

A fresh ``python -m series.worker`` spends about a second importing manim
(numpy, scipy, cairo, Pango) before it reads its scene. A warm parent,
``python -m series.warm``, imports manim and the worker once and then, for
every request it reads, forks a child that renders exactly as the worker's
:func:`series.worker.main` does, with its own stdout and stderr, and exits.
Each scene still runs in a process of its own with manim's configuration
untouched by any other scene; the project's own modules (``lib``,
``scenes``) are imported in the child, so an edited file is always read anew.

Protocol (one JSON object per line): the parent writes ``{"ready": PID}`` once
it has imported manim; then the client writes ``{"request": ...,
"cwd": ...}`` to the parent's stdin; the parent answers ``{"returncode": ...,
"stdout": ..., "stderr": ..., "max_rss_kib": ...}`` on its stdout: the child's
exit status, output and peak resident memory (Linux ``ru_maxrss``, KiB; the
pages it shares with the parent count). A :class:`WarmPool` keeps idle parents and starts one more when all
are busy; each parent leads its own process group, so :meth:`WarmWorker.kill`
stops it and the child it forked.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ENV_DISABLE = "SERIES_COLD_WORKERS"
"""Set to ``1`` to start every worker cold (``python -m series.worker``), as before."""


# ---------------------------------------------------------------- the parent process


def _child(line: str, out_path: str, err_path: str) -> int:
    """In the forked child: run the request of ``line`` with stdout and stderr to files."""
    message = json.loads(line)
    out = os.open(out_path, os.O_WRONLY | os.O_TRUNC)
    err = os.open(err_path, os.O_WRONLY | os.O_TRUNC)
    os.dup2(out, 1)
    os.dup2(err, 2)
    os.close(out)
    os.close(err)
    sys.stdout = open(1, "w", closefd=False, buffering=1)  # noqa: SIM115 - the child's stdout
    sys.stderr = open(2, "w", closefd=False, buffering=1)  # noqa: SIM115
    os.chdir(message["cwd"])
    from .worker import main

    return main([message["request"]])


def serve(stdin=None, stdout=None) -> int:
    """Run the warm parent: import manim, then fork one child per request line until EOF."""
    stdin = stdin or sys.stdin
    reply = stdout or os.fdopen(os.dup(1), "w", buffering=1)
    # Nothing but replies on the protocol channel: stray prints go to stderr.
    os.dup2(2, 1)
    import manim  # noqa: F401 - the point of a warm parent

    from . import errors, texcache, worker  # noqa: F401

    reply.write(json.dumps({"ready": os.getpid()}) + "\n")
    reply.flush()

    for line in stdin:
        if not line.strip():
            continue
        with tempfile.TemporaryDirectory(prefix="series-warm-") as tmp:
            out_path, err_path = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
            for path in (out_path, err_path):
                Path(path).touch()
            pid = os.fork()
            if pid == 0:  # the child
                code = 1
                try:
                    code = _child(line, out_path, err_path)
                except BaseException:  # noqa: BLE001 - reported on the child's stderr
                    import traceback

                    traceback.print_exc()
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
            _, status, usage = os.wait4(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            out = Path(out_path).read_text(encoding="utf-8", errors="replace")
            err = Path(err_path).read_text(encoding="utf-8", errors="replace")
        answer = {"returncode": code, "stdout": out, "stderr": err, "max_rss_kib": usage.ru_maxrss}
        reply.write(json.dumps(answer) + "\n")
        reply.flush()
    return 0


# ---------------------------------------------------------------- the client side


class WarmWorker:
    """One warm parent process (``python -m series.warm``) started in ``cwd``.

    Parameters
    ----------
    cwd : Path
        Its working directory: manim reads ``manim.cfg`` from there when imported.
    env : dict, optional
        Its environment (default: this process').
    """

    def __init__(self, cwd: Path, env: dict[str, str] | None = None) -> None:
        self.cwd = Path(cwd).resolve()
        self.key: tuple = (self.cwd,)
        """What :class:`WarmPool` files it under."""
        self.max_rss_kib = 0
        """Peak memory of the last child, KiB."""
        self._ready = False
        env = {**os.environ, "PYTHONUNBUFFERED": "1"} if env is None else env
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "series.warm"],
            cwd=self.cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            start_new_session=True,
        )

    def wait_ready(self) -> None:
        """Wait until the parent has imported manim.

        Raises
        ------
        OSError
            If it stopped instead.
        """
        if self._ready:
            return
        line = self.proc.stdout.readline()
        if not line or "ready" not in json.loads(line):
            raise OSError(f"warm worker {self.proc.pid} did not start: {line.strip()!r}")
        self._ready = True

    @property
    def alive(self) -> bool:
        """Whether the parent is still running."""
        return self.proc.poll() is None

    def run(
        self, request_json: str, cwd: Path, timeout: float | None = None
    ) -> tuple[int, str, str]:
        """Render one request in a forked child; return its exit code, stdout and stderr.

        Raises
        ------
        subprocess.TimeoutExpired
            If no answer came within ``timeout`` seconds (the parent and child are killed).
        OSError
            If the parent died (killed, or it could not start).
        """
        message = json.dumps({"request": request_json, "cwd": str(Path(cwd).resolve())})
        try:
            self.proc.stdin.write(message + "\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError) as exc:
            raise OSError(f"warm worker {self.proc.pid} is gone") from exc
        self.wait_ready()
        if timeout is not None:
            ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
            if not ready:
                self.kill()
                raise subprocess.TimeoutExpired(["series.warm", request_json[:80]], timeout)
        line = self.proc.stdout.readline()
        if not line:
            raise OSError(f"warm worker {self.proc.pid} stopped (exit status {self.proc.wait()})")
        answer = json.loads(line)
        self.max_rss_kib = int(answer.get("max_rss_kib", 0))
        return answer["returncode"], answer["stdout"], answer["stderr"]

    def kill(self) -> None:
        """Kill the parent and the child it is running (its process group)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait()

    def close(self) -> None:
        """End an idle parent at once (it may still be importing: nothing is lost)."""
        self.kill()
        for stream in (self.proc.stdin, self.proc.stdout):
            stream.close()


class WarmPool:
    """Idle warm parents by working directory and environment; one more is started when all are busy.

    A parent serves only requests from the working directory and environment
    it was started with (manim read ``manim.cfg`` and the environment when it
    was imported). A parent is started ahead of need (:meth:`prime`) so that
    its imports overlap other work; thread-safe.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[tuple, list[WarmWorker]] = {}

    @staticmethod
    def _key(cwd: Path) -> tuple:
        return (Path(cwd).resolve(), tuple(sorted(os.environ.items())))

    def prime(self, cwd: Path, count: int = 1) -> None:
        """Start parents in ``cwd`` until ``count`` are idle there."""
        key = self._key(cwd)
        with self._lock:
            idle = self._idle.setdefault(key, [])
            idle[:] = [w for w in idle if w.alive]
            while len(idle) < count:
                idle.append(WarmWorker(key[0]))
                idle[-1].key = key

    def acquire(self, cwd: Path) -> WarmWorker:
        """Take an idle parent of ``cwd`` (and this environment), or start one."""
        key = self._key(cwd)
        with self._lock:
            idle = self._idle.setdefault(key, [])
            while idle:
                worker = idle.pop()
                if worker.alive:
                    return worker
        worker = WarmWorker(key[0])
        worker.key = key
        return worker

    def release(self, worker: WarmWorker) -> None:
        """Give ``worker`` back; a dead one is dropped."""
        if not worker.alive:
            return
        with self._lock:
            self._idle.setdefault(worker.key, []).append(worker)

    def close(self) -> None:
        """End every idle parent."""
        with self._lock:
            workers = [w for idle in self._idle.values() for w in idle]
            self._idle.clear()
        for worker in workers:
            worker.close()


POOL = WarmPool()
"""The process' pool, used by :func:`series.build.run_worker`."""


def enabled() -> bool:
    """Whether workers start warm (unless ``SERIES_COLD_WORKERS=1``; POSIX only: it forks)."""
    return hasattr(os, "fork") and os.environ.get(ENV_DISABLE, "") != "1"


atexit.register(POOL.close)

if __name__ == "__main__":
    sys.exit(serve())
