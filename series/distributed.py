r"""Distributed rendering: the same scene jobs, sent to a Dask cluster over mutual TLS.

Each Dask worker runs the same repository and set-up. A job renders one scene
in a worker process on that machine (its own temporary media directory) and
returns a :class:`RemoteResult`: the worker's :class:`~series.worker.WorkerResult`
and the MP4 and SRT as bytes; the client writes them into the request's media
directory and hands on the same ``WorkerResult`` a local worker returns, so
caching, assembly and atomic writes are unchanged.

A Dask scheduler runs whatever code a client sends it, so a cluster is started
with TLS on and certificates of one private authority on every side
(``render.py cluster-certs``; see :mod:`series.certs` and the README)::

    dask scheduler --host 10.0.0.1 --protocol tls --tls-ca-file certs/ca.pem \
        --tls-cert certs/scheduler.pem --tls-key certs/scheduler-key.pem \
        --no-dashboard --dashboard-address 127.0.0.1:8787
    dask worker tls://10.0.0.1:8786 --host 10.0.0.2 --nworkers 2 --nthreads 1 \
        --tls-ca-file certs/ca.pem --tls-cert certs/worker-10.0.0.2.pem \
        --tls-key certs/worker-10.0.0.2-key.pem --no-dashboard --dashboard-address 127.0.0.1:0

(``--dashboard-address`` keeps Dask's plain-HTTP endpoints, which ``--no-dashboard``
leaves running, on loopback.) Then ``python render.py render --scheduler tls://10.0.0.1:8786 --tls certs``.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .tree import BuildTree
from .worker import RenderRequest, WorkerResult


@dataclass(frozen=True)
class RemoteResult:
    """What a Dask job sends back: the worker's result and its files' bytes."""

    result: WorkerResult
    movie: bytes
    srt: bytes


@dataclass(frozen=True)
class TLSFiles:
    """The client's side of mutual TLS: the cluster's CA, this client's certificate and key."""

    ca: Path
    cert: Path
    key: Path

    @classmethod
    def from_folder(cls, folder: Path) -> TLSFiles:
        """Return ``ca.pem``, ``client.pem`` and ``client-key.pem`` of ``folder``.

        As written by :func:`series.certs.make_cluster_certificates`.

        Raises
        ------
        FileNotFoundError
            Naming the files that are missing.
        """
        files = cls(folder / "ca.pem", folder / "client.pem", folder / "client-key.pem")
        missing = [str(p) for p in (files.ca, files.cert, files.key) if not p.is_file()]
        if missing:
            raise FileNotFoundError(f"no TLS file {', '.join(missing)}")
        return files

    def security(self):
        """Return Dask's ``Security`` for a client: TLS required, this CA, this certificate."""
        from distributed.security import Security

        return Security(
            tls_ca_file=str(self.ca),
            tls_client_cert=str(self.cert),
            tls_client_key=str(self.key),
            require_encryption=True,
        )


def render_remote(request: RenderRequest, root: str) -> RemoteResult:
    """Render on a Dask worker; return the worker result with the file contents.

    Runs on the worker. ``root`` is the repository root on that machine (the
    client's path is used when the worker's is the same).

    Raises
    ------
    RuntimeError
        With the first useful error line if the scene fails.
    """
    from .build import run_worker

    with tempfile.TemporaryDirectory(prefix="series-") as tmp:
        # The client's cache directories mean nothing on this machine: the worker's
        # own TeX cache, shared by its jobs and kept across builds, and its own
        # speech cache (~/.cache/dl-three-views/speech).
        cache = BuildTree.remote_cache(Path(root), request.width, request.height)
        local = dataclasses.replace(
            request, media_dir=tmp, sys_path=root, cache_dir=str(cache), speech_cache=""
        )
        result = run_worker(local, cwd=Path(root))
        srt = result.srt.read_bytes() if result.srt is not None and result.srt.exists() else b""
        return RemoteResult(result, result.movie.read_bytes(), srt)


class DaskExecutor:
    """An ``execute`` callable for :func:`series.build.render_scenes` that uses Dask.

    Parameters
    ----------
    address : str or distributed.Client
        The scheduler's address (``tls://host:8786``), or a connected client.
    worker_root : str, optional
        The repository root on the workers; default: the client's root.
    security : distributed.security.Security or TLSFiles, optional
        The client's TLS settings; default: Dask's configuration
        (``distributed.comm.tls.*``).
    timeout : float
        Seconds to wait for the scheduler.
    wait : float
        Seconds a job waits while the scheduler has no worker (none connected
        yet, or the last one left) before it fails with :class:`NoWorkersError`.
    log : callable, optional
        Called with a line whenever the number of connected workers changes
        while a job waits (default: ``logging``).

    Raises
    ------
    OSError
        If the scheduler cannot be reached or refuses this client (the message
        names the address).
    """

    def __init__(
        self,
        address,
        worker_root: str | None = None,
        timeout: float = 10,
        security=None,
        wait: float = 300.0,
        log: Callable[[str], None] | None = None,
    ) -> None:
        from distributed import Client

        self.address = address.scheduler.address if isinstance(address, Client) else str(address)
        self.wait = wait
        self.log = log or logging.getLogger(__name__).warning
        self._futures: set = set()
        self._lock = threading.Lock()
        self._reported: int | None = None
        self._cancelled = False
        self._gave_up: str | None = None

        if isinstance(security, TLSFiles):
            security = security.security()
        if isinstance(address, Client):
            self.client = address
        else:
            if security is None and str(address).startswith("tls://"):
                from distributed.security import Security

                security = Security()  # Dask's configuration: distributed.comm.tls.*
                if not (security.tls_ca_file and security.tls_client_cert):
                    raise OSError(
                        f"cannot reach the Dask scheduler at {address}: a tls:// scheduler "
                        "needs the client's certificate (--tls DIR, or Dask's "
                        "distributed.comm.tls.ca-file and client.cert/key settings)"
                    )
            try:
                self.client = Client(address, timeout=timeout, security=security)
            except (OSError, TimeoutError) as exc:
                raise OSError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        self.worker_root = worker_root

    def __call__(self, request: RenderRequest, root: Path) -> WorkerResult:
        """Render ``request`` on the cluster; write its files into ``request.media_dir``.

        Raises
        ------
        RuntimeError
            If the scene's file lies outside the project (the workers have only
            the repository), or the scene fails.
        """
        if request.path:
            raise RuntimeError(
                f"{request.path} lies outside the project: render it locally "
                "(the Dask workers have only the repository)"
            )
        if self._cancelled:
            raise RuntimeError("cancelled")
        if self._gave_up:  # the other jobs do not wait again
            raise NoWorkersError(self._gave_up)
        future = self.client.submit(
            render_remote, request, self.worker_root or str(root), pure=False
        )
        with self._lock:
            self._futures.add(future)
        try:
            remote: RemoteResult = self._result(future)
        finally:
            with self._lock:
                self._futures.discard(future)
        media = Path(request.media_dir)
        media.mkdir(parents=True, exist_ok=True)
        result = remote.result.moved(media)
        result.movie.write_bytes(remote.movie)
        srt = result.srt or media / f"{request.class_name}.srt"
        srt.write_bytes(remote.srt)
        return dataclasses.replace(result, srt=srt)

    def workers(self) -> int:
        """Return how many workers the scheduler has now."""
        try:
            return len(self.client.scheduler_info().get("workers", {}))
        except Exception:  # the scheduler is gone: no workers either
            return 0

    def _report(self, count: int) -> None:
        with self._lock:
            if count == self._reported:
                return
            self._reported = count
        if count == 0:
            self.log(
                f"waiting for Dask workers at {self.address}: 0 connected "
                f"(giving up after {self.wait:g} s; --scheduler-timeout)"
            )
        else:
            self.log(f"Dask workers at {self.address}: {count} connected")

    def _result(self, future, poll: float = 1.0):
        """Wait for ``future``; say when there are no workers; give up after ``self.wait`` s."""
        from distributed import TimeoutError as DaskTimeout

        idle_since: float | None = None
        while True:
            try:
                return future.result(timeout=poll)
            except (DaskTimeout, TimeoutError):
                pass
            count = self.workers()
            self._report(count)
            if count:
                idle_since = None
                continue
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since >= self.wait:
                future.cancel()
                self._gave_up = (
                    f"no Dask worker connected to {self.address} for {self.wait:g} s; "
                    "start workers or raise --scheduler-timeout"
                )
                raise NoWorkersError(self._gave_up)

    def cancel(self) -> None:
        """Cancel every job sent and not finished (Ctrl-C); no new job is sent."""
        self._cancelled = True
        with self._lock:
            futures = list(self._futures)
        if futures:
            self.client.cancel(futures)

    def close(self) -> None:
        """Disconnect from the scheduler."""
        self.client.close()


class NoWorkersError(RuntimeError):
    """The scheduler had no worker for longer than the executor's ``wait``."""
