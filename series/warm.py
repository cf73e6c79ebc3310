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
"stdout": ..., "stderr": ..., "max_rss_kib": ..., "cpu_seconds": ...}`` on its
stdout: the child's exit status, output, peak resident memory (Linux ``ru_maxrss``,
KiB; the pages it shares with the parent count) and processor time. A :class:`WarmPool` keeps idle parents and starts one more when all
are busy; each parent leads its own process group, so :meth:`WarmWorker.kill`
stops it and the child it forked.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import hashlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ENV_DISABLE = "SERIES_COLD_WORKERS"
"""Set to ``1`` to start every worker cold (``python -m series.worker``), as before."""

ENV_SERVER = "SERIES_PREVIEW_SERVER"
"""Set to ``0`` to run each still in a warm parent of its own command (no preview server)."""

SERVER_IDLE = 600.0
"""Seconds a preview server waits for a request before it ends."""

VOLATILE_ENV = frozenset({"_", "PWD", "OLDPWD", "SHLVL", "COLUMNS", "LINES", "PYTEST_CURRENT_TEST"})
"""Variables a shell (or pytest, per test phase) changes between commands: not in a server's key."""


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


def _answer(line: str) -> dict:
    """Fork a child for the request ``line``; return its exit code, output and peak memory."""
    with tempfile.TemporaryDirectory(prefix="series-warm-") as tmp:
        out_path, err_path = os.path.join(tmp, "stdout"), os.path.join(tmp, "stderr")
        for path in (out_path, err_path):
            Path(path).touch()
        pid = os.fork()
        if pid == 0:  # the child
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
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
    return {
        "returncode": code,
        "stdout": out,
        "stderr": err,
        "max_rss_kib": usage.ru_maxrss,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
    }


def _warm_imports() -> None:
    """Import what every child needs and no child should import anew; freeze it for the collector.

    The machinery's modules a render reads (speech, i18n, line breaking, the
    still's fast path) and the PNG writer of Pillow; never the project's own
    modules (``lib``, ``scenes``), which each child imports from the files as
    they are now.
    """
    import manim  # noqa: F401 - the point of a warm parent
    from PIL import PngImagePlugin  # noqa: F401 - every still and storyboard writes PNGs

    from . import errors, i18n, linebreak, speech, still, texcache, worker  # noqa: F401

    # What the parent holds now lives as long as it: out of the collector's sight, so a
    # child's collections do not walk (and copy on write) its ~90,000 objects every time
    # (gc.freeze, as the gc module advises before fork: 0.3 s of a still's collections, 0.1 s).
    gc.collect()
    gc.freeze()


def serve(stdin=None, stdout=None) -> int:
    """Run the warm parent: import manim, then fork one child per request line until EOF."""
    stdin = stdin or sys.stdin
    reply = stdout or os.fdopen(os.dup(1), "w", buffering=1)
    # Nothing but replies on the protocol channel: stray prints go to stderr.
    os.dup2(2, 1)
    _warm_imports()
    reply.write(json.dumps({"ready": os.getpid()}) + "\n")
    reply.flush()

    for line in stdin:
        if not line.strip():
            continue
        reply.write(json.dumps(_answer(line)) + "\n")
        reply.flush()
    return 0


def serve_socket(path: str, idle: float = SERVER_IDLE) -> int:
    """Run a preview server: a warm parent answering requests on the Unix socket ``path``.

    The socket is bound before manim is imported, so a client may connect at
    once (its request waits in the backlog). Each connection carries one
    request line and gets one answer line, as on :func:`serve`'s pipes; a
    ``{"stop": true}`` line ends the server. It also ends after ``idle``
    seconds without a request, and removes its socket.
    """
    import socket

    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(path)
    except OSError:
        return 0  # another server took the name first: it serves
    os.chmod(path, 0o600)
    inode = os.stat(path).st_ino
    # Killed (SIGTERM) or interrupted, it still removes its socket on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.listen(8)
    os.dup2(2, 1)
    try:
        _warm_imports()
        stop = False
        while not stop and select.select([server], [], [], idle)[0]:
            conn, _ = server.accept()
            # A client that left (Ctrl-C) or sent no request costs its answer, not the
            # server; the stop is decided before any write that may fail.
            with (
                conn,
                contextlib.suppress(OSError, ValueError),
                conn.makefile("rw", encoding="utf-8", newline="\n") as stream,
            ):
                line = stream.readline()
                if not line.strip():
                    continue
                if json.loads(line).get("stop"):
                    stop = True
                    stream.write(json.dumps({"stopped": os.getpid()}) + "\n")
                else:
                    stream.write(json.dumps(_answer(line)) + "\n")
                stream.flush()
    finally:
        server.close()
        with contextlib.suppress(OSError):
            if os.stat(path).st_ino == inode:  # still ours, not a successor's
                os.unlink(path)
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

    At most ``max_idle`` parents wait (or as many as the last :meth:`prime`
    asked for, if more): beyond that, those of the working directory and
    environment used least recently are ended. A long-lived process (a test
    session, a notebook) that builds under many environments keeps a few
    parents, not one per environment it ever used (each holds about 120 MB).

    Parameters
    ----------
    max_idle : int
        Idle parents kept, all keys together.
    """

    def __init__(self, max_idle: int = 2) -> None:
        self._lock = threading.Lock()
        self._idle: dict[tuple, list[WarmWorker]] = {}  # least recently used key first
        self.max_idle = max_idle
        self._limit = max_idle

    @staticmethod
    def _key(cwd: Path) -> tuple:
        return (Path(cwd).resolve(), tuple(sorted(os.environ.items())))

    def _touch(self, key: tuple) -> list[WarmWorker]:
        """Return ``key``'s idle list, moved to the most recently used end (lock held)."""
        idle = self._idle.pop(key, [])
        self._idle[key] = idle
        return idle

    def _trim(self) -> list[WarmWorker]:
        """Take the parents beyond the limit off the idle lists, least recent keys first (lock held)."""
        surplus: list[WarmWorker] = []
        total = sum(len(idle) for idle in self._idle.values())
        for key in list(self._idle):
            idle = self._idle[key]
            while idle and total > self._limit:
                surplus.append(idle.pop(0))
                total -= 1
            if not idle:
                del self._idle[key]
        return surplus

    def idle_count(self) -> int:
        """Return how many parents wait, all keys together."""
        with self._lock:
            return sum(len(idle) for idle in self._idle.values())

    def prime(self, cwd: Path, count: int = 1) -> None:
        """Start parents in ``cwd`` until ``count`` are idle there."""
        key = self._key(cwd)
        with self._lock:
            self._limit = max(self.max_idle, count)
            idle = self._touch(key)
            idle[:] = [w for w in idle if w.alive]
            while len(idle) < count:
                idle.append(WarmWorker(key[0]))
                idle[-1].key = key
            surplus = self._trim()
        for worker in surplus:
            worker.close()

    def acquire(self, cwd: Path) -> WarmWorker:
        """Take an idle parent of ``cwd`` (and this environment), or start one."""
        key = self._key(cwd)
        with self._lock:
            idle = self._touch(key)
            while idle:
                worker = idle.pop()
                if worker.alive:
                    return worker
        worker = WarmWorker(key[0])
        worker.key = key
        return worker

    def release(self, worker: WarmWorker) -> None:
        """Give ``worker`` back; a dead one is dropped, the least recently used beyond the limit end."""
        if not worker.alive:
            return
        with self._lock:
            self._touch(worker.key).append(worker)
            surplus = self._trim()
        for other in surplus:
            other.close()

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


# ---------------------------------------------------------------- the preview server


def server_enabled() -> bool:
    """Whether stills go through a preview server (POSIX; unless ``SERIES_PREVIEW_SERVER=0``)."""
    return enabled() and hasattr(os, "fork") and os.environ.get(ENV_SERVER, "") != "0"


def _server_dir() -> Path:
    """Return the folder of this user's preview-server sockets, private to the user (mode 0700).

    Raises
    ------
    OSError
        If it exists but belongs to someone else or others may enter it.
    """
    folder = Path(tempfile.gettempdir()) / f"series-warm-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise OSError(
            f"{folder} is not private to this user (owner {info.st_uid}, mode {info.st_mode:o})"
        )
    return folder


def server_key(cwd: Path) -> str:
    """Return the key of what a preview server serves: interpreter, ``cwd``, environment, machinery.

    A server imported manim (reading ``cwd/manim.cfg`` and the environment)
    and this package: any change to these (a file of ``series`` or
    ``manim.cfg`` edited, another interpreter or environment) gives another
    key, so a server is never asked to serve code it did not import. The
    project's own modules are not part of it: children import them anew.
    """
    digest = hashlib.sha256()
    env = sorted((k, v) for k, v in os.environ.items() if k not in VOLATILE_ENV)
    cwd = Path(cwd).resolve()
    digest.update(repr((sys.executable, str(cwd), env)).encode())
    for path in sorted(Path(__file__).parent.glob("*.py")) + [cwd / "manim.cfg"]:
        with contextlib.suppress(OSError):
            info = path.stat()
            digest.update(f"{path}:{info.st_mtime_ns}:{info.st_size}".encode())
    return digest.hexdigest()[:16]


def server_socket(cwd: Path) -> Path:
    """Return the socket of the preview server of ``cwd`` (see :func:`server_key`).

    Named ``<folder>-<key>.sock``: the servers of one folder share the prefix.
    """
    folder = hashlib.sha256(str(Path(cwd).resolve()).encode()).hexdigest()[:8]
    return _server_dir() / f"{folder}-{server_key(cwd)}.sock"


def _connect(path: Path):
    """Connect to the server at ``path``; None if none listens there."""
    import socket

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        return None
    return sock


def _stop(path: Path, wait: bool = True) -> bool:
    """Ask the server at ``path`` to stop; return whether one listened there.

    With ``wait``, return once it has answered (after the still it may be
    rendering); else at once.
    """
    sock = _connect(path)
    if sock is None:
        return False
    with sock, sock.makefile("rw", encoding="utf-8", newline="\n") as stream:
        stream.write(json.dumps({"stop": True}) + "\n")
        stream.flush()
        if wait:
            stream.readline()
    return True


def start_server(cwd: Path, idle: float = SERVER_IDLE) -> Path:
    """Start the preview server of ``cwd`` unless one is running; return its socket.

    The server is a process of its own session: it outlives this command and
    ends after ``idle`` seconds without a request (:func:`serve_socket`).
    Returns at once; the server binds its socket before it imports manim.
    """
    path = server_socket(cwd)
    sock = _connect(path)
    if sock is not None:
        sock.close()
        return path
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # a server that died without removing it
    folder = path.name.split("-")[0]
    for stale in path.parent.glob(f"{folder}-*.sock"):
        _stop(stale, wait=False)  # this folder's server of older machinery or environment
    proc = subprocess.Popen(
        [sys.executable, "-m", "series.warm", "--socket", str(path), "--idle", str(idle)],
        cwd=Path(cwd).resolve(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    deadline = time.monotonic() + 30.0
    while not path.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    return path


def server_run(
    cwd: Path, request_json: str, timeout: float | None = None, idle: float = SERVER_IDLE
) -> tuple[int, str, str]:
    """Render one request in a child of the preview server of ``cwd`` (started if need be).

    Returns the child's exit code, stdout and stderr, as :meth:`WarmWorker.run`.

    Raises
    ------
    OSError
        If no server could be reached or it stopped before answering.
    TimeoutError
        If no answer came within ``timeout`` seconds.
    """
    path = start_server(cwd, idle)
    sock = _connect(path)
    if sock is None:
        raise OSError(f"no preview server at {path}")
    message = json.dumps({"request": request_json, "cwd": str(Path(cwd).resolve())})
    with sock, sock.makefile("rw", encoding="utf-8", newline="\n") as stream:
        sock.settimeout(timeout)
        stream.write(message + "\n")
        stream.flush()
        line = stream.readline()
    if not line:
        raise OSError(f"the preview server at {path} stopped without answering")
    answer = json.loads(line)
    return answer["returncode"], answer["stdout"], answer["stderr"]


def stop_server(cwd: Path) -> bool:
    """Stop the preview server of ``cwd``; return whether one was running."""
    return _stop(server_socket(cwd))


def _main(argv: list[str]) -> int:
    """``python -m series.warm``: a warm parent on stdin/stdout, or with ``--socket PATH [--idle S]`` a server."""
    if argv[:1] == ["--socket"]:
        idle = float(argv[3]) if argv[2:3] == ["--idle"] else SERVER_IDLE
        return serve_socket(argv[1], idle)
    return serve()


atexit.register(POOL.close)

if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
