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
