"""Distributed rendering: the same scene jobs, sent to a Dask cluster.

Each Dask worker runs the same repository and set-up. A job renders one scene
in a worker process on that machine (its own temporary media directory) and
returns the MP4, SRT and timeline as bytes; the client publishes them exactly
as a local build does, so caching, assembly and atomic writes are unchanged.

Start a cluster by hand (see the README)::

    dask scheduler --host 127.0.0.1 --port 8786
    dask worker tcp://127.0.0.1:8786 --nworkers 2 --nthreads 1   # in the repository root

then ``python render.py render --scheduler tcp://127.0.0.1:8786``.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from .worker import RenderRequest


def render_remote(request: RenderRequest, root: str) -> dict:
    """Render on a Dask worker; return the worker result with file contents as bytes.

    Runs on the worker. ``root`` is the repository root on that machine (the
    client's path is used when the worker's is the same).

    Raises
    ------
    RuntimeError
        With the first useful error line if the scene fails.
    """
    from .build import run_worker

    with tempfile.TemporaryDirectory(prefix="series-") as tmp:
        # The client's cache directory means nothing on this machine.
        local = dataclasses.replace(request, media_dir=tmp, sys_path=root, cache_dir="")
        result = run_worker(local, cwd=Path(root))
        movie, srt = Path(result["movie"]), Path(result["srt"])
        result["movie_bytes"] = movie.read_bytes()
        result["srt_bytes"] = srt.read_bytes() if srt.exists() else b""
    return result


class DaskExecutor:
    """An ``execute`` callable for :func:`series.build.render_scenes` that uses Dask.

    Parameters
    ----------
    address : str or distributed.Client
        The scheduler's address (``tcp://host:8786``), or a connected client.
    worker_root : str, optional
        The repository root on the workers; default: the client's root.

    Raises
    ------
    OSError
        If the scheduler cannot be reached (the message names the address).
    """

    def __init__(self, address, worker_root: str | None = None, timeout: float = 10) -> None:
        from distributed import Client

        if isinstance(address, Client):
            self.client = address
        else:
            try:
                self.client = Client(address, timeout=timeout)
            except OSError as exc:
                raise OSError(f"cannot reach the Dask scheduler at {address}: {exc}") from exc
        self.worker_root = worker_root

    def __call__(self, request: RenderRequest, root: Path) -> dict:
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
        future = self.client.submit(
            render_remote, request, self.worker_root or str(root), pure=False
        )
        result = future.result()
        media = Path(request.media_dir)
        media.mkdir(parents=True, exist_ok=True)
        movie, srt = media / f"{request.class_name}.mp4", media / f"{request.class_name}.srt"
        movie.write_bytes(result.pop("movie_bytes"))
        srt.write_bytes(result.pop("srt_bytes"))
        result["movie"], result["srt"] = str(movie), str(srt)
        return result

    def close(self) -> None:
        """Disconnect from the scheduler."""
        self.client.close()
