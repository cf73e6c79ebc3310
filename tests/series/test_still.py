"""The still fast path (series.still): the same copies, the same last frame, less work."""

from __future__ import annotations

import contextlib
import copy
import importlib
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from PIL import Image

from series import still
from series.worker import _record_plays
from tests.golden import still_config
from tests.strategies import examples

TEX_CACHE = Path(__file__).resolve().parents[2] / "build" / ".cache" / "still"
"""TeX and Text SVGs of these renders, kept across sessions (content-addressed, atomic)."""

SIZE = (160, 90)
"""Tiny frames: a pixel-exact comparison needs no more."""


# ------------------------------------------------------------------ copies


def assert_same_copy(a, b, seen=None) -> None:
    """``a`` and ``b`` (two copies of one object) have equal types, values, layout and aliasing."""
    seen = {} if seen is None else seen
    assert type(a) is type(b)
    if id(a) in seen:  # aliasing: what was one object in one copy is one object in the other
        assert seen[id(a)] is b
        return
    if isinstance(a, (list, dict, np.ndarray)) or hasattr(a, "__dict__"):
        seen[id(a)] = b
    if isinstance(a, np.ndarray):
        assert (a.dtype, a.shape, a.strides) == (b.dtype, b.shape, b.strides)
        np.testing.assert_array_equal(a, b)
    elif isinstance(a, list):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            assert_same_copy(x, y, seen)
    elif isinstance(a, dict):
        assert list(a) == list(b)
        for k in a:
            assert_same_copy(a[k], b[k], seen)
    elif hasattr(a, "__dict__") and not callable(a):
        assert list(vars(a)) == list(vars(b))
        for k in vars(a):
            if k not in still.SHARED_ATTRIBUTES | {"original_id"}:
                assert_same_copy(vars(a)[k], vars(b)[k], seen)
    else:
        assert a == b or a is b


def mobjects():
    from manim import BLUE, Arrow, Axes, DecimalNumber, MathTex, Square, Text, VGroup

    square = Square(color=BLUE, fill_opacity=0.5)
    square.add_updater(lambda m, dt: m)
    label = MathTex(r"\frac{dy}{dx} = 2x")
    shared = np.arange(6.0).reshape(2, 3)
    square.extra_a, square.extra_b = shared, shared  # one array under two names
    group = VGroup(square, label, Text("still"), Axes(), DecimalNumber(3.14), Arrow())
    group.pointer = label  # a mobject reached twice: in the group and by an attribute
    return group


def test_fast_deepcopy_makes_the_same_copy_as_deepcopy():
    group = mobjects()
    plain = group.copy()
    with still.fast_copies():
        fast = group.copy()
    assert_same_copy(plain, fast)
    assert fast.pointer is fast[1], "a mobject reached twice is copied once"
    assert fast[0].extra_a is fast[0].extra_b
    assert fast[0].original_id == plain[0].original_id == str(id(group[0]))
    glyph = fast[1].family_members_with_points()[0]
    assert glyph.path_obj is group[1].family_members_with_points()[0].path_obj
    fast[0].points[:] = 0  # a copy, not a view
    assert np.any(group[0].points != 0)


def test_fast_copies_is_undone_after_the_block_even_on_error():
    from manim.mobject.mobject import Mobject

    original = Mobject.__dict__["__deepcopy__"]
    inside = []

    def fails() -> None:
        with still.fast_copies():
            inside.append(Mobject.__deepcopy__)
            raise KeyError("x")

    with pytest.raises(KeyError):
        fails()
    assert inside == [still.fast_deepcopy]
    assert Mobject.__dict__["__deepcopy__"] is original


class Plain:
    def __init__(self, value):
        self.value = value


leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=3),
    hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=3), elements=st.floats(-9, 9)),
)
nested = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=2), inner, max_size=3),
        inner.map(Plain),
    ),
    max_leaves=12,
)


@settings(max_examples=examples(60), deadline=None)
@given(nested, st.integers(0, 3))
def test_deep_copies_like_deepcopy(value, repeat):
    # The same object several times in one structure stays one object in the copy.
    structure = [value] * repeat + [{"again": value}]
    assert_same_copy(copy.deepcopy(structure), still._deep(structure, {}))


# ------------------------------------------------------------------ frames


def render(module: str, class_name: str, fast: bool, storyboard: Path | None = None) -> np.ndarray:
    """The last frame of a scene at :data:`SIZE` (RGB), through the fast path or manim's own.

    With ``storyboard``, also the frame at the end of every play (as the
    worker's storyboard), written there; returned stacked after the last frame.
    """
    from manim import tempconfig

    from series import texcache

    texcache.install()
    scene_class = getattr(importlib.import_module(module), class_name)
    with (
        tempfile.TemporaryDirectory() as media,
        tempconfig(still_config(media, SIZE, TEX_CACHE)),
        still.fast_copies() if fast else contextlib.nullcontext(),
    ):
        scene = scene_class()
        if fast and storyboard is None:
            still.still_frames_only(scene.renderer)
        plays = _record_plays(scene, storyboard)
        scene.render()
        frames = [scene.renderer.file_writer.image_file_path]
        frames += [p["png"] for p in plays] if storyboard is not None else []
        arrays = []
        for path in frames:
            with Image.open(path) as img:
                arrays.append(np.asarray(img.convert("RGB")))
        return np.stack(arrays)


SCENES = [
    ("scenes.ep01_derivative", "SecantBecomesTangent"),
    pytest.param("scenes.ep01_derivative", "LimitShrinks", marks=pytest.mark.slow),
    pytest.param("scenes.ep02_chain_rule", "NudgeThroughFactories", marks=pytest.mark.slow),
    pytest.param("scenes.ep03_graphs", "BackwardThroughTheGraph", marks=pytest.mark.slow),
    pytest.param("scenes.ep01_derivative", "DerivativeInThreeViews", marks=pytest.mark.slow),
]


@pytest.mark.parametrize(("module", "class_name"), SCENES)
def test_fast_still_is_pixel_identical(module, class_name):
    full = render(module, class_name, fast=False)
    fast = render(module, class_name, fast=True)
    assert fast.shape == full.shape == (1, SIZE[1], SIZE[0], 3)
    assert np.array_equal(fast, full), f"{np.count_nonzero(fast != full)} values differ"
    assert full.std() > 0, "a blank frame would compare equal too"


@pytest.mark.slow
def test_fast_storyboard_is_pixel_identical(tmp_path):
    module, class_name = "scenes.ep01_derivative", "SecantBecomesTangent"
    (tmp_path / "full").mkdir()
    (tmp_path / "fast").mkdir()
    full = render(module, class_name, fast=False, storyboard=tmp_path / "full")
    fast = render(module, class_name, fast=True, storyboard=tmp_path / "fast")
    assert fast.shape == full.shape
    assert full.shape[0] > 5, "one frame per play, and the last"
    assert np.array_equal(fast, full)


def counting(method, calls: list[int]):
    """``method``, appending to ``calls`` at each call."""

    def counted(*args, **kwargs):
        calls.append(1)
        return method(*args, **kwargs)

    return counted


def test_still_frames_only_draws_the_last_frame_once(tmp_path):
    from manim import BLUE, RED, Circle, FadeIn, Scene, Square, Transform, tempconfig

    class Moves(Scene):
        def construct(self):
            square = Square(color=BLUE, fill_opacity=1)
            self.play(FadeIn(square))
            self.wait(0.5)
            self.play(Transform(square, Circle(color=RED, fill_opacity=1)))
            self.wait(0.5)

    frames = []
    for fast in (False, True):
        with tempconfig(still_config(str(tmp_path / str(fast)), SIZE, tex_cache=None)):
            scene = Moves()
            camera = scene.renderer.camera
            drawn: list[int] = []
            camera.capture_mobjects = counting(camera.capture_mobjects, drawn)
            if fast:
                still.still_frames_only(scene.renderer)
            scene.render()
            with Image.open(scene.renderer.file_writer.image_file_path) as img:
                frames.append(np.asarray(img.convert("RGB")))
        # manim's own: one frame per animated play, two per wait (its static
        # background, then the frozen frame), one at the end: 1 + 2 + 1 + 2 + 1.
        assert len(drawn) == (1 if fast else 7), f"fast={fast}: {len(drawn)} frames drawn"
    assert np.array_equal(frames[0], frames[1])
    # The red unit circle: pi of the frame's 14.22 x 8 units, within its rim of pixels
    # (2 pi r at 11.25 px per unit: about 70 of 14,400 pixels, 0.5 %).
    red = np.mean(frames[1][..., 0] > 150)
    assert red == pytest.approx(np.pi / (128 / 9 * 8), abs=0.005), "the circle is on the last frame"
