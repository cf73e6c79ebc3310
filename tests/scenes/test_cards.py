"""Tier 3: every episode opens with its title card and ends with its recap in three views."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from lib.calculus import deriv
from scenes import SERIES, cards
from scenes.components import CodePanel, live_source

from .conftest import dry_run

EPISODES = list(SERIES.episodes)


def _load(ref):
    return getattr(importlib.import_module(ref.module), ref.class_name)


@pytest.mark.parametrize("ep", EPISODES, ids=[e.id for e in EPISODES])
def test_each_episode_opens_with_its_title_and_ends_with_its_recap(ep):
    first, last = _load(ep.scenes[0]), _load(ep.scenes[-1])
    assert issubclass(first, cards.TitleCard)
    assert first.episode_id == ep.id
    assert issubclass(last, cards.Recap)
    assert last.episode_id == ep.id
    middle = [_load(r) for r in ep.scenes[1:-1]]
    assert last.views_scene in middle, "the recap's three-views scene is in its episode"
    assert not any(issubclass(c, cards.TitleCard | cards.Recap) for c in middle)


@pytest.mark.parametrize("ep", EPISODES, ids=[e.id for e in EPISODES])
def test_title_card_shows_the_manifest(ep, tmp_path):
    scene = dry_run(_load(ep.scenes[0]), tmp_path)
    assert scene.series_name.text == SERIES.title.replace(" ", "")
    assert scene.number.text == f"Episode{ep.id}"
    assert scene.title.text == ep.title.replace(" ", "")
    spoken_number = cards.spoken_number(ep.id)
    assert scene.narration["title"] == f"{SERIES.title}. Episode {spoken_number}: {ep.title}"


def test_unknown_episode_is_a_clear_error():
    with pytest.raises(KeyError, match=r"no episode '09'.*'00'"):
        cards.episode_info("09")


def _panels(scene) -> list[CodePanel]:
    return [v for v in vars(scene).values() if isinstance(v, CodePanel)]


@pytest.mark.parametrize("ep", EPISODES, ids=[e.id for e in EPISODES])
def test_recap_code_is_the_three_views_scenes_live_listing(ep, tmp_path):
    recap_class = _load(ep.scenes[-1])
    recap = dry_run(recap_class, tmp_path)
    listing = recap_class.views_scene.listing()
    assert recap.code_panel.source == live_source(listing)
    # The three-views scene's own panel shows that same listing (they cannot drift apart).
    views = dry_run(recap_class.views_scene, tmp_path)
    assert listing in [p.func for p in _panels(views)]


def test_recap_values_are_libs(tmp_path):
    r0 = dry_run(cards.Recap00, tmp_path)
    s0 = cards.Recap00.views_scene
    assert r0.factory.fx == float(s0.func(np.float64(s0.x)))
    assert r0.shown_value == r0.factory.fx

    r1 = dry_run(cards.Recap01, tmp_path)
    s1 = cards.Recap01.views_scene
    slope = float(deriv(s1.func, s1.a))
    assert r1.slope == slope
    (x0, y0), (x1, y1) = (r1.axes.p2c(p) for p in r1.tangent.get_start_and_end())
    # The tangent drawn through c2p and read back through p2c: affine round-off only.
    assert (y1 - y0) / (x1 - x0) == pytest.approx(slope, rel=1e-9)
    assert y0 + slope * (s1.a - x0) == pytest.approx(float(s1.func(np.float64(s1.a))), abs=1e-9)

    r2 = dry_run(cards.Recap02, tmp_path)
    assert r2.derivative == float(r2.nested.derivative(np.float64(cards.Recap02.views_scene.x)))
