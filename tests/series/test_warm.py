"""Warm workers: a parent that imported manim forks one fresh child per scene."""

from __future__ import annotations

import pytest

from series import Quality, warm
from series.build import build, run_worker
from series.tree import BuildTree
from series.worker import RenderRequest
from tests.series.tiny import write_series

SCENES = """\
import os

from manim import Circle, FadeIn, MathTex, Scene, config

RUNS = []


class Counts(Scene):
    def construct(self):
        # A child that inherited an earlier scene's module or config would show it here.
        RUNS.append(1)
        self.add_subcaption(f"{len(RUNS)} {config.background_color} {os.getpid()}", duration=0.5)
        config.background_color = "#FF0000"
        self.play(FadeIn(MathTex("x^2")), run_time=0.5)


class Plain(Scene):
    def construct(self):
        self.play(FadeIn(Circle()), run_time=0.5)
"""

Q = Quality.parse("l", 5)


@pytest.fixture
def tiny(tmp_path):
    return tmp_path, write_series(tmp_path, "tiny.scenes", SCENES, ["Counts", "Plain"])


def _subtitle(result) -> str:
    return result.srt.read_text(encoding="utf-8").splitlines()[2]


def test_each_scene_gets_a_fresh_child_of_one_warm_parent(tiny, monkeypatch):
    root, series = tiny
    pool = warm.WarmPool()
    monkeypatch.setattr(warm, "POOL", pool)
    ref = series.find_scene("Counts")
    tree = BuildTree.at(root / "build", Q)
    seen, parents = [], set()
    for i in range(2):
        request = RenderRequest.for_scene(
            ref, tree.settings, root / f"media{i}", root, cache_dir=tree.cache
        )
        seen.append(_subtitle(run_worker(request, root)))
        parents |= {w.proc.pid for idle in pool._idle.values() for w in idle}
    pool.close()
    (first_count, first_bg, first_pid), (count, bg, pid) = (s.split() for s in seen)
    assert (first_count, count) == ("1", "1"), "the module is imported anew in each child"
    assert first_bg == bg == "#000000", "manim's config is the parent's, not the last scene's"
    assert first_pid != pid, "one process per scene"
    assert len(parents) == 1, "one warm parent served both"
    assert int(pid) not in parents


def test_warm_and_cold_workers_write_the_same_bytes(tiny, monkeypatch):
    """Rebuilds stay bit-identical whichever way the worker starts."""
    root, series = tiny
    refs = list(series.scenes())
    clips = {}
    for mode in ("0", "1"):
        monkeypatch.setenv(warm.ENV_DISABLE, mode)
        tree = BuildTree.at(root / f"build-{mode}", Q)
        results, _ = build(series, refs, tree, root, jobs=2)
        assert [r.status for r in results] == ["rendered", "rendered"]
        clips[mode] = [r.movie.read_bytes() for r in results]
    assert clips["0"] == clips["1"]


def test_a_dead_parent_is_a_failed_scene_not_a_hang(tiny, monkeypatch):
    root, series = tiny
    pool = warm.WarmPool()
    monkeypatch.setattr(warm, "POOL", pool)
    worker = pool.acquire(root)
    worker.kill()
    pool.release(worker)  # dropped: it is dead
    assert pool.acquire(root) is not worker
    pool.close()
    with pytest.raises(OSError, match="is gone|stopped"):
        worker.run("{}", root)


def test_a_parent_serves_only_its_own_directory_and_environment(tmp_path, monkeypatch):
    pool = warm.WarmPool()
    first = pool.acquire(tmp_path)
    pool.release(first)
    assert pool.acquire(tmp_path) is first
    pool.release(first)
    monkeypatch.setenv("SERIES_TEST_VARIABLE", "changed")
    other = pool.acquire(tmp_path)
    assert other is not first, "manim read the environment when the parent imported it"
    (tmp_path / "sub").mkdir()
    elsewhere = pool.acquire(tmp_path / "sub")
    assert elsewhere not in (first, other), "manim read manim.cfg of the parent's directory"
    for worker in (other, elsewhere):
        pool.release(worker)
    pool.close()
    assert not any(w.alive for w in (first, other, elsewhere))


def test_idle_parents_are_capped_least_recently_used_first(tmp_path, monkeypatch):
    # A test session or a notebook builds under many environments: it keeps a few
    # parents (each about 120 MB), not one per environment it ever used.
    pool = warm.WarmPool(max_idle=2)
    workers = []
    for i in range(4):
        monkeypatch.setenv("SERIES_TEST_VARIABLE", str(i))
        worker = pool.acquire(tmp_path)
        pool.release(worker)
        workers.append(worker)
    assert pool.idle_count() == 2
    assert [w.alive for w in workers] == [False, False, True, True], "the oldest two were ended"
    # prime() may ask for more (a build with more jobs): the limit follows it.
    pool.prime(tmp_path, 3)
    assert pool.idle_count() == 3
    assert workers[3].alive, "the environment in use keeps its parent"
    pool.close()
    assert pool.idle_count() == 0
    assert not any(w.alive for w in workers)
