"""A layout audit of what is on screen: inside the frame, no collisions, legible sizes.

A :class:`~scenes.lecture.LectureScene` records a :class:`LayoutSnapshot` at
the end of every beat (cheap: boxes and a few numbers, no rendering);
:func:`audit_layout` then checks every snapshot against the series' rules for
a 1920×1080 frame (8 scene units tall, so 1 unit = 135 px):

- every text, math, number and code mobject lies inside the frame, with a margin;
- no two of them overlap, unless they are parts of one label (see :func:`one_label`);
- capitals and digits are at least :data:`MIN_CAP_PX` tall; code lines are at
  least :data:`MIN_CODE_PITCH_PX` apart;
- a code panel's highlight box overlaps no line but its own;
- every drawn line lies inside the frame;
- every text clears every drawn line (axes, ticks, curves, arrows, the outline of a
  dot or a box) by at least :data:`MIN_CLEARANCE_PX` beyond the line's half width,
  unless the two are parts of one label: a point label must not touch its axis.

It lives in ``scenes/components`` (not in ``tests/``) so that a teacher can run
it on their own scenes and variants: play the scene under a dry run, then
``audit_layout(scene.layout_snapshots)``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from manim import (
    Code,
    DecimalNumber,
    MarkupText,
    Mobject,
    Paragraph,
    SingleStringMathTex,
    Text,
    config,
)
from manim.mobject.text.tex_mobject import MathTexPart

from .code_panel import CodePanel

PX_PER_UNIT_1080P = 1080 / 8
"""Pixels per scene unit at 1920×1080 (manim's frame is 8 units tall)."""
MIN_CAP_PX = 22.0
"""Smallest height of a capital or digit at 1080p, in pixels (issue 10, item 2)."""
MIN_CODE_PITCH_PX = 36.0
"""Smallest distance between consecutive code lines' baselines at 1080p, in pixels."""
FRAME_MARGIN = 0.12
"""Gap kept between any text and the frame's edge, scene units (about 16 px at 1080p)."""
OVERLAP_TOLERANCE = 0.02
"""Two boxes collide when they overlap by more than this in both directions, scene units."""
MIN_CLEARANCE_PX = 3.0
"""Smallest gap between a glyph's box and the edge of a drawn line at 1080p, in pixels."""
STROKE_UNITS_PER_WIDTH = 0.01
"""Scene units per unit of ``stroke_width`` (manim's ``cairo_line_width_multiple``)."""
_SAMPLES_PER_CURVE = 6
"""Points sampled on each cubic Bézier of a path (the polyline is within a pixel of it)."""

MATHTEX_CAP_PER_POINT = 23.1 / 24
"""Height of a digit of a ``MathTex`` at 1080p in px per point of font size (measured)."""
TEXT_CAP_PER_POINT = 33.0 / 24
"""Height of a capital of a ``Text`` in the series font at 1080p, px per point (measured)."""
_DESCENDERS = set("gjpqyQ,;()[]{}_@$|/\\")
_ASCENDERS = set("bdfhklt")


def one_label(mobject: Mobject) -> Mobject:
    """Mark ``mobject`` as one label: its text parts may overlap each other.

    The audit treats every text mobject under ``mobject`` as one unit (for
    example a value and its unit, or a symbol and its subscript typeset
    separately and placed against each other on purpose). They are still
    checked against everything else. Returns ``mobject``.
    """
    mobject.audit_one_label = True
    return mobject


@dataclass(frozen=True)
class TextBox:
    """One text-like mobject on screen at the end of a beat.

    Attributes
    ----------
    name : str
        Readable identity: class and text content, e.g. ``MathTex('f(3) = 9')``.
    box : ndarray, shape (2, 2)
        ``[[xmin, ymin], [xmax, ymax]]`` in scene units.
    glyphs : ndarray, shape (n, 2, 2)
        The boxes of its glyphs (the overlap test uses them, not only ``box``).
    cap_px : float
        Height of its capitals and digits at 1080p, pixels.
    unit : int
        Label unit: boxes with the same unit may overlap (:func:`one_label`).
    panel : int or None
        For a code line, the id of its listing; else None.
    line : int or None
        For a code line, its index in the listing.
    """

    name: str
    box: np.ndarray
    glyphs: np.ndarray
    cap_px: float
    unit: int
    panel: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class StrokePath:
    """One drawn path on screen (a line, a curve, an axis, a dot's outline) as a polyline.

    Attributes
    ----------
    name : str
        Readable identity: the path's class under its top-level mobject's, e.g. ``Axes/Line``.
    segments : ndarray, shape (n, 2, 2)
        Straight pieces ``[[x0, y0], [x1, y1]]`` in scene units, sampled from its Béziers.
    half_width : float
        Half the drawn stroke's width in scene units (0 for a filled shape's outline).
    unit : int
        Label unit: a text of the same unit may touch it (:func:`one_label`).
    """

    name: str
    segments: np.ndarray
    half_width: float
    unit: int

    @property
    def box(self) -> np.ndarray:
        """``[[xmin, ymin], [xmax, ymax]]`` of the path, scene units."""
        pts = self.segments.reshape(-1, 2)
        return np.array([pts.min(axis=0), pts.max(axis=0)])


@dataclass(frozen=True)
class Listing:
    """A code listing on screen: its line pitch and its highlight, if shown."""

    name: str
    panel: int
    pitch_px: float | None
    highlight_box: np.ndarray | None
    highlight_line: int | None


@dataclass(frozen=True)
class LayoutSnapshot:
    """What text was on screen, and where, at the end of one beat."""

    beat: str
    texts: tuple[TextBox, ...]
    listings: tuple[Listing, ...]
    strokes: tuple[StrokePath, ...] = ()


@dataclass(frozen=True)
class Violation:
    """One broken rule: the beat, the rule and the mobject(s) at fault."""

    beat: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.beat}] {self.rule}: {self.detail}"


# ---------------------------------------------------------------------------- snapshot


def _bbox(points: np.ndarray) -> np.ndarray:
    return np.array([points[:, :2].min(axis=0), points[:, :2].max(axis=0)])


def _visible(mob: Mobject) -> bool:
    for leaf in mob.family_members_with_points():
        fill = getattr(leaf, "fill_rgbas", None)
        if fill is not None and len(fill) and float(np.max(fill[:, 3])) > 0.05:
            return True
        stroke = getattr(leaf, "stroke_rgbas", None)
        if (
            stroke is not None
            and len(stroke)
            and getattr(leaf, "stroke_width", 0) > 0
            and float(np.max(stroke[:, 3])) > 0.05
        ):
            return True
    return False


def _glyph_boxes(glyphs: Sequence[Mobject]) -> list[np.ndarray | None]:
    boxes: list[np.ndarray | None] = []
    for g in glyphs:
        pts = [m.points for m in g.family_members_with_points()]
        boxes.append(_bbox(np.vstack(pts)) if pts else None)
    return boxes


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _char_cap_px(chars: str, boxes: list[np.ndarray | None]) -> float | None:
    """Capital height from glyphs mapped to characters (None when they do not map)."""
    visible = [c for c in chars if not c.isspace()]
    if len(visible) != len(boxes):
        return None
    heights = {"cap": [], "asc": []}
    for c, b in zip(visible, boxes, strict=True):
        if b is None:
            continue
        h = float(b[1, 1] - b[0, 1]) * PX_PER_UNIT_1080P
        if (c.isdigit() or (c.isupper() and c.isascii())) and c not in _DESCENDERS:
            heights["cap"].append(h)
        elif c in _ASCENDERS:
            heights["asc"].append(h * 0.96)
    for key in ("cap", "asc"):
        if heights[key]:
            return float(np.median(heights[key]))
    return None


def _record_text(mob: Mobject) -> tuple[str, float, list[Mobject]] | None:
    """Name, capital height (px) and glyphs of a text-like mobject (None if not text)."""
    if isinstance(mob, DecimalNumber):
        glyphs = [s for s in mob.submobjects if s.has_points() or s.submobjects]
        heights = [s.height for s in glyphs]
        cap = max(heights, default=0.0) * PX_PER_UNIT_1080P
        value = mob.get_value()
        return f"{type(mob).__name__}({value:.6g})", cap, glyphs
    if isinstance(mob, SingleStringMathTex):
        glyphs = mob.family_members_with_points()
        cap = mob.font_size * MATHTEX_CAP_PER_POINT if mob.height > 0 else 0.0
        return f"{type(mob).__name__}({_short(mob.get_tex_string())!r})", cap, glyphs
    if isinstance(mob, MathTexPart):
        # A part of a MathTex on screen by itself (FadeIn of some parts): no font size
        # is left on it, so its digits' height is estimated as its glyphs' median
        # height; a part without a digit ("=", "\cdot") is not measured.
        glyphs = mob.family_members_with_points()
        tex = str(getattr(mob, "tex_string", ""))
        cap = float("inf")
        if glyphs and any(c.isdigit() for c in tex):
            heights = [g.height for g in glyphs]
            cap = float(np.median(heights)) * PX_PER_UNIT_1080P
        return f"{type(mob).__name__}({_short(tex)!r})", cap, glyphs
    if isinstance(mob, (Text, MarkupText)):
        glyphs = list(mob.submobjects)
        text = mob.text if isinstance(mob, Text) else mob.original_text
        cap = _char_cap_px(text, _glyph_boxes(glyphs))
        if cap is None:
            cap = mob.font_size * TEXT_CAP_PER_POINT if mob.height > 0 else 0.0
        return f"{type(mob).__name__}({_short(text)!r})", cap, glyphs
    return None


def _code_lines(code: Code, lines: Sequence[str] | None) -> Iterator[tuple[int, str, Mobject]]:
    if lines is None:
        lines = code._code_html.get_text().removesuffix("\n").split("\n")
    for i, (line_mob, text) in enumerate(zip(code.code_lines, lines, strict=False)):
        if text.strip() and line_mob.submobjects:
            yield i, text, line_mob


def _baseline(text: str, boxes: list[np.ndarray | None]) -> float | None:
    visible = [c for c in text if not c.isspace()]
    if len(visible) != len(boxes):
        return None
    bottoms = [
        float(b[0, 1])
        for c, b in zip(visible, boxes, strict=True)
        if b is not None and c not in _DESCENDERS and c not in "-=+*'\".:~^"
    ]
    return float(np.median(bottoms)) if bottoms else None


def _pitch_px(baselines: list[tuple[int, float]]) -> float | None:
    gaps = [
        (y0 - y1) / (i1 - i0) for (i0, y0), (i1, y1) in itertools.pairwise(baselines) if i1 > i0
    ]
    return float(np.min(gaps)) * PX_PER_UNIT_1080P if gaps else None


def _path_segments(points: np.ndarray) -> np.ndarray:
    """Sample a path's cubic Béziers (``points``, shape (4k, 3)) into segments, shape (m, 2, 2)."""
    n = len(points) // 4 * 4
    if n == 0:
        return np.empty((0, 2, 2))
    cubics = points[:n, :2].reshape(-1, 4, 2)
    t = np.linspace(0.0, 1.0, _SAMPLES_PER_CURVE + 1)[:, None]
    weights = np.hstack([(1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3])
    samples = np.einsum("sk,ckd->csd", weights, cubics)  # (curves, samples, 2)
    return np.stack([samples[:, :-1], samples[:, 1:]], axis=2).reshape(-1, 2, 2)


def _stroke_of(leaf: Mobject) -> float | None:
    """Half the visible stroke width of ``leaf`` (0 if only filled), scene units; None if unseen."""
    stroke = getattr(leaf, "stroke_rgbas", None)
    width = float(getattr(leaf, "stroke_width", 0) or 0)
    if stroke is not None and len(stroke) and width > 0 and float(np.max(stroke[:, 3])) > 0.05:
        return width * STROKE_UNITS_PER_WIDTH / 2
    fill = getattr(leaf, "fill_rgbas", None)
    if fill is not None and len(fill) and float(np.max(fill[:, 3])) > 0.05:
        return 0.0
    return None


class _Collector:
    def __init__(self, hidden: bool = False) -> None:
        self.hidden = hidden  # also record text that is not visible (a label being placed)
        self.texts: list[TextBox] = []
        self.listings: list[Listing] = []
        self.strokes: list[StrokePath] = []
        self._units = itertools.count()
        self._top = ""

    def visit(self, mob: Mobject, unit: int | None, top: str | None = None) -> None:
        if top is None:
            self._top = type(mob).__name__
        if unit is None and getattr(mob, "audit_one_label", False):
            unit = next(self._units)
        if isinstance(mob, CodePanel):
            self._code(mob.code, unit, mob.lines, mob)
            return
        if isinstance(mob, Code):
            self._code(mob, unit, None, None)
            return
        if isinstance(mob, Paragraph):
            for line in mob.submobjects:
                self.visit(line, unit, self._top)
            return
        record = _record_text(mob)
        if record is not None:
            if not (self.hidden or _visible(mob)) or (mob.width == 0 and mob.height == 0):
                return
            name, cap, glyphs = record
            boxes = [b for b in _glyph_boxes(glyphs) if b is not None]
            if not boxes:
                return
            self.texts.append(
                TextBox(
                    name=name,
                    box=_bbox(np.vstack([b.reshape(2, 2) for b in boxes])),
                    glyphs=np.array(boxes),
                    cap_px=cap,
                    unit=next(self._units) if unit is None else unit,
                )
            )
            return
        if mob.points.size:
            self._stroke(mob, unit)
        for sub in mob.submobjects:
            self.visit(sub, unit, self._top)

    def _stroke(self, mob: Mobject, unit: int | None) -> None:
        half = _stroke_of(mob)
        if half is None:
            return
        segments = _path_segments(mob.points)
        if not len(segments):
            return
        leaf = type(mob).__name__
        name = leaf if leaf == self._top else f"{self._top}/{leaf}"
        self.strokes.append(
            StrokePath(name, segments, half, next(self._units) if unit is None else unit)
        )

    def _code(
        self, code: Code, unit: int | None, lines: Sequence[str] | None, panel: CodePanel | None
    ) -> None:
        if not _visible(code.code_lines):
            return
        panel_id = id(code)
        baselines: list[tuple[int, float]] = []
        for i, text, line_mob in _code_lines(code, lines):
            glyphs = list(line_mob.submobjects)
            boxes = _glyph_boxes(glyphs)
            kept = [b for b in boxes if b is not None]
            if not kept:
                continue
            cap = _char_cap_px(text, boxes)
            if cap is None:
                cap = max(float(b[1, 1] - b[0, 1]) for b in kept) * PX_PER_UNIT_1080P
            base = _baseline(text, boxes)
            if base is not None:
                baselines.append((i, base))
            self.texts.append(
                TextBox(
                    name=f"code line {i + 1} {_short(text.strip())!r}",
                    box=_bbox(np.vstack(kept)),
                    glyphs=np.array(kept),
                    cap_px=cap,
                    unit=next(self._units) if unit is None else unit,
                    panel=panel_id,
                    line=i,
                )
            )
        box, line = None, None
        if panel is not None and panel.highlighted is not None and _visible(panel.highlight):
            box, line = _bbox(panel.highlight.points), panel.highlighted
        name = (
            f"CodePanel({panel.func.__name__})"
            if panel is not None and hasattr(panel.func, "__name__")
            else "Code"
        )
        self.listings.append(Listing(name, panel_id, _pitch_px(baselines), box, line))


def snapshot_layout(beat: str, mobjects: Iterable[Mobject]) -> LayoutSnapshot:
    """Record the text on screen: call at the end of beat ``beat`` with ``scene.mobjects``."""
    collector = _Collector()
    for mob in mobjects:
        collector.visit(mob, None)
    return LayoutSnapshot(
        beat, tuple(collector.texts), tuple(collector.listings), tuple(collector.strokes)
    )


# ------------------------------------------------------------------------------- audit


def _overlap(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    """Whether boxes ``a`` and ``b`` (``[[xmin, ymin], [xmax, ymax]]``) overlap by > tol."""
    return bool(
        min(a[1, 0], b[1, 0]) - max(a[0, 0], b[0, 0]) > tol
        and min(a[1, 1], b[1, 1]) - max(a[0, 1], b[0, 1]) > tol
    )


def _glyphs_collide(a: TextBox, b: TextBox, tol: float) -> bool:
    if not _overlap(a.box, b.box, tol):
        return False
    ga, gb = a.glyphs, b.glyphs
    x = np.minimum(ga[:, None, 1, 0], gb[None, :, 1, 0]) - np.maximum(
        ga[:, None, 0, 0], gb[None, :, 0, 0]
    )
    y = np.minimum(ga[:, None, 1, 1], gb[None, :, 1, 1]) - np.maximum(
        ga[:, None, 0, 1], gb[None, :, 0, 1]
    )
    return bool(np.any((x > tol) & (y > tol)))


def _segments_hit_boxes(segments: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Which ``boxes`` (shape (g, 2, 2)) some segment (shape (n, 2, 2)) crosses (Liang–Barsky)."""
    p0 = segments[:, None, 0, :]  # (n, 1, 2)
    d = segments[:, None, 1, :] - p0
    lo, hi = boxes[None, :, 0, :], boxes[None, :, 1, :]  # (1, g, 2)
    t0 = np.zeros((len(segments), len(boxes)))
    t1 = np.ones_like(t0)
    inside = np.ones_like(t0, dtype=bool)
    for axis in (0, 1):
        dp, a, b = d[..., axis], lo[..., axis] - p0[..., axis], hi[..., axis] - p0[..., axis]
        flat = np.abs(dp) < 1e-12
        inside &= ~flat | ((a <= 0) & (b >= 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            ta, tb = a / dp, b / dp
        t0 = np.where(flat, t0, np.maximum(t0, np.minimum(ta, tb)))
        t1 = np.where(flat, t1, np.minimum(t1, np.maximum(ta, tb)))
    return np.any(inside & (t0 <= t1), axis=0)


def _touches(text: TextBox, stroke: StrokePath, clearance: float) -> bool:
    """Whether a glyph of ``text`` lies within the stroke's half width plus ``clearance`` of it."""
    pad = stroke.half_width + clearance
    grown = text.box + np.array([[-pad, -pad], [pad, pad]])
    sbox = stroke.box
    if np.any(grown[0] > sbox[1]) or np.any(sbox[0] > grown[1]):
        return False
    segs = stroke.segments
    near = (
        (np.maximum(segs[:, 0, 0], segs[:, 1, 0]) >= grown[0, 0])
        & (np.minimum(segs[:, 0, 0], segs[:, 1, 0]) <= grown[1, 0])
        & (np.maximum(segs[:, 0, 1], segs[:, 1, 1]) >= grown[0, 1])
        & (np.minimum(segs[:, 0, 1], segs[:, 1, 1]) <= grown[1, 1])
    )
    if not np.any(near):
        return False
    glyphs = text.glyphs + np.array([[-pad, -pad], [pad, pad]])
    return bool(np.any(_segments_hit_boxes(segs[near], glyphs)))


def touches_lines(
    text: Mobject, lines: Iterable[Mobject], min_clearance_px: float = MIN_CLEARANCE_PX
) -> bool:
    """Whether ``text`` comes within ``min_clearance_px`` (1080p) of a path drawn in ``lines``.

    The audit's own rule ("touches a line"), for a builder that places a label
    and wants to know whether a spot is clear of axes, ticks and curves before
    the audit sees it. ``text`` is any text-like mobject (its glyph boxes count);
    ``lines`` any mobjects (every visible path in them counts, text included).
    """
    collector = _Collector(hidden=True)  # where it is, shown or not
    collector.visit(text, None)
    texts = collector.texts
    paths = _Collector()
    for mob in lines:
        paths.visit(mob, None)
        for t in paths.texts:  # text in the way counts by its glyph boxes
            corners = np.stack([t.glyphs[:, [0, 1, 1, 0], 0], t.glyphs[:, [0, 0, 1, 1], 1]], -1)
            segs = np.stack([corners, np.roll(corners, -1, axis=1)], axis=2).reshape(-1, 2, 2)
            paths.strokes.append(StrokePath(t.name, segs, 0.0, -2))
        paths.texts.clear()
    clearance = min_clearance_px / PX_PER_UNIT_1080P
    return any(_touches(t, s, clearance) for t in texts for s in paths.strokes)


def audit_snapshot(
    snapshot: LayoutSnapshot,
    frame: tuple[float, float] | None = None,
    margin: float = FRAME_MARGIN,
    min_cap_px: float = MIN_CAP_PX,
    min_pitch_px: float = MIN_CODE_PITCH_PX,
    tol: float = OVERLAP_TOLERANCE,
    min_clearance_px: float = MIN_CLEARANCE_PX,
) -> list[Violation]:
    """Check one snapshot; return its violations (empty when the beat is clean).

    Parameters
    ----------
    snapshot : LayoutSnapshot
        From :func:`snapshot_layout`.
    frame : (float, float), optional
        Frame width and height in scene units; manim's current frame by default.
    margin, min_cap_px, min_pitch_px, tol, min_clearance_px
        The rules' thresholds (scene units and 1080p pixels).
    """
    width, height = frame or (config.frame_width, config.frame_height)
    x_max, y_max = width / 2 - margin, height / 2 - margin
    beat = snapshot.beat
    found: list[Violation] = []
    for t in snapshot.texts:
        (x0, y0), (x1, y1) = t.box
        if x0 < -x_max or x1 > x_max or y0 < -y_max or y1 > y_max:
            found.append(
                Violation(
                    beat,
                    "outside the frame",
                    f"{t.name} spans x {x0:.2f}..{x1:.2f}, y {y0:.2f}..{y1:.2f}; "
                    f"allowed ±{x_max:.2f}, ±{y_max:.2f}",
                )
            )
        if t.cap_px < min_cap_px - 0.05:
            found.append(
                Violation(
                    beat,
                    "too small",
                    f"{t.name}: capitals/digits {t.cap_px:.1f} px < {min_cap_px:g} px",
                )
            )
    for a, b in itertools.combinations(snapshot.texts, 2):
        if a.unit == b.unit:
            continue  # parts of one label (one_label, or lines of one listing's text)
        if _glyphs_collide(a, b, tol):
            found.append(Violation(beat, "overlap", f"{a.name} overlaps {b.name}"))
    for stroke in snapshot.strokes:
        (x0, y0), (x1, y1) = stroke.box
        if x0 < -width / 2 or x1 > width / 2 or y0 < -height / 2 or y1 > height / 2:
            found.append(
                Violation(
                    beat,
                    "line outside the frame",
                    f"{stroke.name} spans x {x0:.2f}..{x1:.2f}, y {y0:.2f}..{y1:.2f}; "
                    f"the frame is ±{width / 2:.2f}, ±{height / 2:.2f}",
                )
            )
    clearance = min_clearance_px / PX_PER_UNIT_1080P
    for t in snapshot.texts:
        if t.panel is not None:
            continue  # code lines: their panel's own rules
        for stroke in snapshot.strokes:
            if stroke.unit != t.unit and _touches(t, stroke, clearance):
                found.append(
                    Violation(
                        beat,
                        "touches a line",
                        f"{t.name} is within {min_clearance_px:g} px of {stroke.name}",
                    )
                )
    for listing in snapshot.listings:
        if listing.pitch_px is not None and listing.pitch_px < min_pitch_px - 0.05:
            found.append(
                Violation(
                    beat,
                    "code line pitch",
                    f"{listing.name}: {listing.pitch_px:.1f} px < {min_pitch_px:g} px",
                )
            )
        if listing.highlight_box is None:
            continue
        for t in snapshot.texts:
            if t.panel != listing.panel or t.line == listing.highlight_line:
                continue
            hit = _glyphs_collide(
                TextBox("highlight", listing.highlight_box, listing.highlight_box[None], 0, -1),
                t,
                tol,
            )
            if hit:
                found.append(
                    Violation(
                        beat,
                        "highlight",
                        f"{listing.name}: the box on line {listing.highlight_line + 1} "
                        f"covers {t.name}",
                    )
                )
    return found


def audit_layout(snapshots: Iterable[LayoutSnapshot], **rules) -> list[Violation]:
    """Check every snapshot (every beat's end); return all violations, beat by beat.

    ``rules`` are passed to :func:`audit_snapshot`.
    """
    return [v for s in snapshots for v in audit_snapshot(s, **rules)]


__all__ = [
    "FRAME_MARGIN",
    "MIN_CAP_PX",
    "MIN_CLEARANCE_PX",
    "MIN_CODE_PITCH_PX",
    "LayoutSnapshot",
    "Listing",
    "StrokePath",
    "TextBox",
    "Violation",
    "audit_layout",
    "audit_snapshot",
    "one_label",
    "snapshot_layout",
    "touches_lines",
]
