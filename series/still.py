"""The fast path of a still: what the last frame cannot show is not computed.

A still (``RenderRequest.output == "png"``) runs the scene in manim's skip
mode: each ``play`` jumps to its last moment. Two costs remain in manim 0.22
that no pixel of the last frame depends on (profile of a still of
SecantBecomesTangent: 55 % of the render in ``Mobject.copy``, 7 % in
``update_frame``):

- **Copies.** ``Transform.begin`` and ``FadeIn``'s starting mobject copy
  every mobject through :func:`copy.deepcopy`, whose generic reduce path
  rebuilds each of the ``svgelements`` segments a TeX glyph was parsed from
  (``VMobjectFromSVGPath.path_obj``, read only by its ``__init__``).
  :func:`fast_deepcopy` makes the same copy as ``Mobject.__deepcopy__``
  (same types, same values, same aliasing through the memo) without that
  path: numeric arrays by ``ndarray.copy``, plain objects by their
  ``__dict__``, and ``path_obj`` shared, not duplicated.
- **Frames nobody sees.** Under skip mode manim still rasterises each play
  (``save_static_frame_data``, the one-step ``render`` of ``play_internal``,
  the frozen frame of a ``wait``). For a still only the frame drawn by
  ``scene_finished`` (from scratch: ``static_image = None``) is written, so
  :func:`still_frames_only` makes ``update_frame`` a no-op inside ``play``.

:func:`fast_copies` is undone on leaving its block, :func:`still_frames_only`
patches one renderer; ``SERIES_FULL_STILL=1`` turns both off. The PNG is pixel-identical to
the full path's (``tests/series/test_still.py`` compares them scene by scene).
"""

from __future__ import annotations

import contextlib
import copy
import enum
import os
from collections.abc import Iterator
from typing import Any

import numpy as np

ENV_DISABLE = "SERIES_FULL_STILL"
"""Set to ``1`` to render stills and storyboards through manim's own path (no shortcut)."""

STILL_OUTPUTS = frozenset({"png", "storyboard"})
"""Worker outputs that take the fast copies; only ``"png"`` also skips the frames inside plays
(a storyboard draws the frame at the end of each play)."""

SHARED_ATTRIBUTES = frozenset({"path_obj"})
"""Mobject attributes a copy shares with its original instead of duplicating:
``VMobjectFromSVGPath.path_obj`` (an ``svgelements.Path``), parsed once and read
only while the mobject is built (``generate_points`` from ``__init__``)."""

_NIL = object()
_ATOMIC = frozenset(t for t, f in copy._deepcopy_dispatch.items() if f is copy._deepcopy_atomic)
_PLAIN: dict[type, bool] = {}


def _is_plain(cls: type) -> bool:
    """Whether :func:`copy.deepcopy` copies instances of ``cls`` as ``__new__`` plus a copied ``__dict__``.

    True for a class with no copy or pickle hooks of its own and no slots:
    ``copy._reconstruct`` then makes ``cls.__new__(cls)`` and updates its
    ``__dict__`` with a deep copy of the original's.
    """
    plain = _PLAIN.get(cls)
    if plain is None:
        plain = (
            cls.__module__ != "builtins"
            and not issubclass(cls, (type, list, dict, set, tuple, enum.Enum))
            and cls.__reduce_ex__ is object.__reduce_ex__
            and cls.__reduce__ is object.__reduce__
            and getattr(cls, "__getstate__", object.__getstate__) is object.__getstate__
            and not any(
                hasattr(cls, hook)
                for hook in ("__setstate__", "__deepcopy__", "__getnewargs__", "__getnewargs_ex__")
            )
            and all("__slots__" not in vars(base) for base in cls.__mro__[:-1])
        )
        _PLAIN[cls] = plain
    return plain


def _keep_alive(x: object, memo: dict[int, Any]) -> None:
    """As ``copy._keep_alive``: the originals stay alive while the memo is used (ids stay unique)."""
    try:
        memo[id(memo)].append(x)
    except KeyError:
        memo[id(memo)] = [x]


def _deep(x: Any, memo: dict[int, Any]) -> Any:
    """``copy.deepcopy(x, memo)``, with the types a mobject holds copied directly."""
    cls = type(x)
    if cls in _ATOMIC:
        return x
    key = id(x)
    y = memo.get(key, _NIL)
    if y is not _NIL:
        return y
    if cls is list:
        y = []
        memo[key] = y
        append = y.append
        for item in x:
            append(_deep(item, memo))
    elif cls is dict:
        y = {}
        memo[key] = y
        for k, v in x.items():
            y[_deep(k, memo)] = _deep(v, memo)
    elif cls is np.ndarray and not x.dtype.hasobject:
        y = x.copy(order="K")  # what ndarray.__deepcopy__ makes of a numeric array
        memo[key] = y
    elif isinstance(x, enum.Enum) and cls.__deepcopy__ is enum.Enum.__deepcopy__:
        return x  # Enum.__deepcopy__ returns the member itself
    elif getattr(cls, "__deepcopy__", None) is fast_deepcopy:
        return fast_deepcopy(x, memo)
    elif _is_plain(cls):
        y = cls.__new__(cls)
        memo[key] = y
        y.__dict__.update(_deep(x.__dict__, memo))
    else:
        return copy.deepcopy(x, memo)
    _keep_alive(x, memo)
    return y


def fast_deepcopy(self: Any, memo: dict[int, Any]) -> Any:
    """``Mobject.__deepcopy__`` of manim 0.22, through :func:`_deep` and sharing :data:`SHARED_ATTRIBUTES`.

    Parameters
    ----------
    self : Mobject
        The mobject copied.
    memo : dict
        :func:`copy.deepcopy`'s memo (id of an original to its copy).

    Returns
    -------
    Mobject
        A copy of the same class, with its attributes copied as
        :func:`copy.deepcopy` would and ``original_id`` set to ``str(id(self))``.
    """
    cls = self.__class__
    result = cls.__new__(cls)
    memo[id(self)] = result
    for name, value in self.__dict__.items():
        setattr(result, name, value if name in SHARED_ATTRIBUTES else _deep(value, memo))
    result.original_id = str(id(self))
    return result


def enabled() -> bool:
    """Whether stills take the fast path (unless ``SERIES_FULL_STILL=1``)."""
    return os.environ.get(ENV_DISABLE, "") != "1"


@contextlib.contextmanager
def fast_copies() -> Iterator[None]:
    """Within the block, ``Mobject.copy`` (a ``copy.deepcopy``) goes through :func:`fast_deepcopy`."""
    from manim.mobject.mobject import Mobject

    original = Mobject.__dict__["__deepcopy__"]
    Mobject.__deepcopy__ = fast_deepcopy
    try:
        yield
    finally:
        Mobject.__deepcopy__ = original


def still_frames_only(renderer: Any) -> None:
    """Make ``renderer`` skip rasterising inside ``play`` while it skips animations.

    Only a still's last frame is written, and ``CairoRenderer.scene_finished``
    draws it anew (``static_image = None``, then ``update_frame``); the frames
    manim draws inside each skipped ``play`` are never shown. Patches the
    instance only.
    """
    play, update_frame = renderer.play, renderer.update_frame
    save_static_frame_data = renderer.save_static_frame_data
    inside = [False]

    def quiet_update_frame(*args: Any, **kwargs: Any) -> None:
        if inside[0] and renderer.skip_animations:
            return
        update_frame(*args, **kwargs)

    def quiet_play(*args: Any, **kwargs: Any) -> None:
        inside[0] = True
        try:
            play(*args, **kwargs)
        finally:
            inside[0] = False

    def no_static_frame(scene: Any, static_mobjects: Any) -> Any:
        if not renderer.skip_animations:
            return save_static_frame_data(scene, static_mobjects)
        renderer.static_image = None  # as with no static mobjects: nothing to draw
        return None

    renderer.update_frame = quiet_update_frame
    renderer.play = quiet_play
    renderer.save_static_frame_data = no_static_frame
