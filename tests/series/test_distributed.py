"""Tier 5: the same scene jobs on a Dask LocalCluster (loopback) equal a local build."""

from __future__ import annotations

import pytest

from series import Quality
from series.assemble import probe
from series.build import render_scene
from series.tree import BuildTree
from tests.series.test_cache import project  # noqa: F401  (the fixture)


def test_local_cluster_build_equals_local_build(project, tmp_path):  # noqa: F811
    from distributed import Client, LocalCluster

    from series.distributed import DaskExecutor

    root, ref = project
    q = Quality.parse("l", 5)
    local = render_scene(ref, BuildTree.at(tmp_path / "local", q), root)
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        remote = render_scene(
            ref, BuildTree.at(tmp_path / "dask", q), root, execute=DaskExecutor(client)
        )
    assert remote.status == "rendered"
    a, b = probe(local.movie), probe(remote.movie)
    assert (a.width, a.height, a.frames) == (b.width, b.height, b.frames)
    assert local.srt.read_text() == remote.srt.read_text()
    assert local.movie.read_bytes() == remote.movie.read_bytes()


def test_unreachable_scheduler_is_a_clear_error():
    from series.distributed import DaskExecutor

    with pytest.raises(OSError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskExecutor("tcp://127.0.0.1:9", timeout=1)


# --------------------------------------------------------------------------- mutual TLS


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    from series.certs import make_cluster_certificates

    base = tmp_path_factory.mktemp("tls")
    ours = make_cluster_certificates(base / "ours", "127.0.0.1", ["127.0.0.1"])
    other = make_cluster_certificates(base / "other", "127.0.0.1", ["127.0.0.1"])
    return ours, other


def _cluster_security(files):
    from distributed.security import Security

    (worker_cert, worker_key) = files.workers["127.0.0.1"]
    return Security(
        tls_ca_file=str(files.ca),
        tls_scheduler_cert=str(files.scheduler[0]),
        tls_scheduler_key=str(files.scheduler[1]),
        tls_worker_cert=str(worker_cert),
        tls_worker_key=str(worker_key),
        tls_client_cert=str(files.client[0]),
        tls_client_key=str(files.client[1]),
        require_encryption=True,
    )


def _refused_without_a_certificate(address: str, ca: str) -> bool:
    """A TLS client that trusts the cluster's CA but shows no certificate: refused?"""
    import socket
    import ssl

    host, port = address.removeprefix("tls://").rsplit(":", 1)
    ctx = ssl.create_default_context(cafile=ca)
    ctx.check_hostname = False
    try:
        with (
            socket.create_connection((host, int(port)), timeout=5) as raw,
            ctx.wrap_socket(raw) as tls,
        ):
            tls.sendall(b"\x00" * 16)
            # TLS 1.3: the server's verdict on the missing certificate comes as an alert.
            return tls.recv(1) == b""
    except (ssl.SSLError, ConnectionError):
        return True


def test_tls_cluster_refuses_strangers_and_renders_for_its_client(project, tmp_path, certs):  # noqa: F811
    from distributed import LocalCluster

    from series.distributed import DaskExecutor, TLSFiles

    root, ref = project
    ours, other = certs
    q = Quality.parse("l", 5)
    local = render_scene(ref, BuildTree.at(tmp_path / "local", q), root)
    with LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=False,
        protocol="tls://",
        host="127.0.0.1",
        dashboard_address=None,
        security=_cluster_security(ours),
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tls://127.0.0.1:")
        assert _refused_without_a_certificate(address, str(ours.ca))
        with pytest.raises(OSError, match="needs the client's certificate"):
            DaskExecutor(address, timeout=2)
        with pytest.raises(OSError, match=f"cannot reach the Dask scheduler at {address}"):
            DaskExecutor(address, timeout=1, security=TLSFiles.from_folder(other.folder))
        executor = DaskExecutor(address, timeout=10, security=TLSFiles.from_folder(ours.folder))
        try:
            remote = render_scene(ref, BuildTree.at(tmp_path / "dask", q), root, execute=executor)
        finally:
            executor.close()
    assert remote.status == "rendered", remote.error
    assert local.movie.read_bytes() == remote.movie.read_bytes()
    assert local.srt.read_text() == remote.srt.read_text()


def test_no_workers_says_so_and_gives_up_after_the_timeout(project, tmp_path):  # noqa: F811
    """A scheduler without workers: the wait is reported, then every scene fails at once."""
    import time

    from distributed import Client, LocalCluster

    from series.build import render_scenes
    from series.distributed import DaskExecutor

    root, ref = project
    said: list[str] = []
    with (
        LocalCluster(n_workers=0, host="127.0.0.1", dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        execute = DaskExecutor(client, wait=2, log=said.append)
        start = time.monotonic()
        results = render_scenes(
            [ref, ref],
            BuildTree.at(tmp_path / "b", Quality.parse("l", 5)),
            root,
            jobs=1,
            execute=execute,
        )
        elapsed = time.monotonic() - start
    assert said[0] == (
        f"waiting for Dask workers at {execute.address}: 0 connected "
        "(giving up after 2 s; --scheduler-timeout)"
    )
    assert [r.status for r in results] == ["failed", "failed"]
    assert results[0].error.startswith("NoWorkersError: no Dask worker connected to ")
    assert "for 2 s; start workers or raise --scheduler-timeout" in results[0].error
    assert 2 <= elapsed < 8, "the second scene does not wait again"
