"""One scene rasterised by two processes: plays claimed one by one, joined by stream copy.

Both processes (the *lead* and a *helper*) run the scene's whole ``construct``
with the same request, each in its own media directory. At every play each
tries to claim it (a file created with ``O_EXCL`` in the pair's shared folder):
the one that gets the claim rasterises and encodes the play as manim always
does; the other runs it *dry*: the play runs frame by frame as usual (updaters,
manim's clock, sound and subtitle calls all see exactly what a serial render
sees) but no frame is drawn and no partial movie is written. Whoever is ahead
takes the next play, so the two balance themselves with no timeline known in
advance, and a helper may join a running lead at any time (it dry-runs up to
where the lead is).

The lead alone produces the clip: before manim joins the partial movies
(``SceneFileWriter.combine_to_movie``, a stream copy), it waits for the
helper's list of the partial movies it wrote and puts them at their plays'
places; the rest (sound track, subtitles, the worker's timeline and beats) is
the lead's own and is what a serial render writes, because the lead saw every
play. manim's own skipping (``from_animation_number``) is not used: a skipped
play advances manim's clock by its run time instead of by its whole frames,
drops the sounds started after it, and steps updaters once instead of per frame.

Files in the shared folder: ``plan.json`` (optional, :data:`PLAN_FILE`),
``NNNNN.claim`` (play ``NNNNN`` is taken),
``helper.json`` (the helper's partial movies by play index, written last and
atomically), ``abort`` (the helper failed: the lead stops waiting and fails).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ENV_SPLIT = "SERIES_SPLIT"
"""Set to ``0`` to keep every scene in one worker process (:func:`enabled`)."""


def enabled() -> bool:
    """Whether builds with 2 jobs or more split scenes (unless ``SERIES_SPLIT=0``).

    The second process repeats the scene's construct and its updaters frame by
    frame: a split pays where a core would otherwise idle (SecantBecomesTangent
    at 1080p60 on 2 cores: 101 s in one worker, 79 s in two), and costs more than
    it saves on a machine already busy with other work (there: 197 s against 307 s).
    """
    return os.environ.get(ENV_SPLIT, "") != "0"


ROLES = ("lead", "helper")
"""The two sides of a split render."""

HELPER_FILE = "helper.json"
ABORT_FILE = "abort"
PLAN_FILE = "plan.json"
"""Optional: ``{"lead": [play, ...], "helper": [...]}``, plays given to one side in
advance (a fixed split); the others are claimed first come."""

POLL_SECONDS = 0.02
"""How often the lead looks for the helper's list while it waits."""


def claim(folder: Path, index: int) -> bool:
    """Claim play ``index`` in ``folder``; return whether this process got it (first come)."""
    try:
        fd = os.open(folder / f"{index:05d}.claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return False
    os.close(fd)
    return True


DIVERGED = "split render diverged"
"""Begins the message of a lead whose helper saw another scene state (:meth:`SplitPlays.check`)."""


class SplitDiverged(RuntimeError):
    """The two processes of a split render saw different scene states at a play's start."""


FRAME_BY_FRAME_ANIMATIONS = ("UpdateFromFunc", "UpdateFromAlphaFunc", "MaintainPositionRelativeTo")
"""manim animations that call the scene's own functions at every frame: never fast-forwarded."""


def _animations(animations) -> Iterator[Any]:
    for a in animations:
        yield a
        yield from _animations(getattr(a, "animations", ()) or ())


def fast_forward_safe(scene) -> bool:
    """Whether the current play may be run dry in one step instead of frame by frame.

    Only a play of plain animations: no updater anywhere (on the scene, or on
    any mobject shown or animated, at any depth), no animation that calls a
    function of the scene's at every frame (:data:`FRAME_BY_FRAME_ANIMATIONS`),
    no wait with a stop condition. An updater may keep state between frames
    (which labels were shown, how far a number has faded) that a single step
    would not reproduce; such plays run frame by frame, as drawn.
    """
    from manim import Wait

    animations = list(_animations(scene.animations or ()))
    if any(isinstance(a, Wait) and a.stop_condition is not None for a in animations):
        return False
    if any(type(a).__name__ in FRAME_BY_FRAME_ANIMATIONS for a in animations):
        return False
    if getattr(scene, "updaters", None):
        return False
    roots = [*scene.mobjects, *scene.foreground_mobjects, *(a.mobject for a in animations)]
    return not any(m.updaters for root in roots if root is not None for m in root.get_family())


def state_hash(scene) -> str:
    """Return a digest of what is on screen: every mobject's points, colours, widths and order."""
    import hashlib

    import numpy as np

    digest = hashlib.blake2b(digest_size=16)
    for root in [*scene.mobjects, *scene.foreground_mobjects]:
        for m in root.get_family():
            digest.update(type(m).__name__.encode())
            digest.update(str(getattr(m, "z_index", 0)).encode())
            for name in ("points", "fill_rgbas", "stroke_rgbas", "background_stroke_rgbas"):
                value = getattr(m, name, None)
                if isinstance(value, np.ndarray):
                    digest.update(np.ascontiguousarray(value).tobytes())
            for name in ("stroke_width", "background_stroke_width"):
                digest.update(repr(getattr(m, name, None)).encode())
    return digest.hexdigest()


class _Once:
    """A time progression of one step (the play's end) that stands for ``frames`` frames."""

    def __init__(self, run_time: float) -> None:
        self.run_time = run_time

    def __iter__(self):
        yield self.run_time

    def close(self) -> None:
        return None


@contextlib.contextmanager
def _dry(scene, renderer) -> Iterator[None]:
    """Run a play without drawing or encoding: manim's clock advances by the same frames.

    When :func:`fast_forward_safe`, the animations and updaters step once to
    the play's end instead of once per frame; the clock still adds the
    frame duration once per frame, as a drawn play does.
    """
    writer = renderer.file_writer
    frames_per_step = [1]
    progression = scene._get_animation_time_progression

    def render(scene_, time, moving_mobjects=None):  # noqa: ARG001 - manim's signature
        for _ in range(frames_per_step[0]):
            renderer.add_frame(None)

    def time_progression(animations, duration):
        real = progression(animations, duration)
        times = getattr(real, "iterable", None)
        frames = 0 if times is None else len(times)
        if frames < 1 or not fast_forward_safe(scene_ref):
            return real
        real.close()
        frames_per_step[0] = frames
        return _Once(duration)

    def nothing(*args: Any, **kwargs: Any) -> None:
        return None

    scene_ref = scene
    patched = {
        (renderer, "update_frame"): nothing,
        (renderer, "render"): render,
        (writer, "begin_animation"): nothing,
        (writer, "end_animation"): nothing,
        (scene, "_get_animation_time_progression"): time_progression,
    }
    before = {key: key[0].__dict__.get(key[1]) for key in patched}
    for (obj, name), value in patched.items():
        setattr(obj, name, value)
    try:
        yield
    finally:
        for (obj, name), value in before.items():
            if value is None:
                delattr(obj, name)  # back to the class' method
            else:
                setattr(obj, name, value)


class SplitPlays:
    """Install the claims on a scene's renderer (before the worker records its plays).

    Parameters
    ----------
    scene : manim.Scene
        Not rendered yet.
    folder : Path
        The pair's shared folder (exists).
    role : str
        ``"lead"`` or ``"helper"``.

    Raises
    ------
    ValueError
        If ``role`` is not one of :data:`ROLES`.
    """

    def __init__(self, scene, folder: Path, role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"split role {role!r} is not one of {ROLES}")
        self.folder, self.role = Path(folder), role
        plan_file = self.folder / PLAN_FILE
        plan = json.loads(plan_file.read_text(encoding="utf-8")) if plan_file.exists() else {}
        ours = set(plan.get(role, ()))
        theirs = set(plan.get(ROLES[1 - ROLES.index(role)], ()))

        def take(index: int) -> bool:
            if index in ours or index in theirs:
                claim(self.folder, index)
                return index in ours
            return claim(self.folder, index)

        self.mine: list[int] = []
        self.dry: list[int] = []
        self.renderer = renderer = scene.renderer
        writer = renderer.file_writer
        original = renderer.play

        self.hashes: dict[str, str] = {}

        def play(scene_, *args: Any, **kwargs: Any) -> None:
            index = renderer.num_plays
            self.hashes[str(index)] = state_hash(scene_)
            if writer.sections[-1].skip_animations or take(index):
                self.mine.append(index)
                return original(scene_, *args, **kwargs)
            with _dry(scene_, renderer):
                original(scene_, *args, **kwargs)
            self.dry.append(index)
            # Nothing was written for it: the partial movie comes from the other process.
            for files in (writer.partial_movie_files, writer.sections[-1].partial_movie_files):
                if files:
                    files[-1] = None
            return None

        renderer.play = play
        combine = writer.combine_to_movie

        def combine_to_movie() -> None:
            if self.role == "helper":
                return None  # the lead joins; the helper only hands over its partial movies
            if self.dry:
                handed = wait_for_helper(self.folder)
                self.check(handed.get("hashes", {}))
                theirs = handed["files"]
                for index in self.dry:
                    if str(index) not in theirs:
                        raise RuntimeError(
                            f"split render: play {index} was claimed but the helper "
                            f"wrote no partial movie for it ({self.folder})"
                        )
                    writer.partial_movie_files[index] = theirs[str(index)]
            return combine()

        writer.combine_to_movie = combine_to_movie

    def check(self, theirs: dict[str, str]) -> None:
        """Compare the scene's state at every play's start with the helper's.

        Raises
        ------
        SplitDiverged
            At the first play whose start differs (the parent renders the
            scene again in one process).
        """
        for index in sorted(self.hashes, key=int):
            if index in theirs and theirs[index] != self.hashes[index]:
                raise SplitDiverged(
                    f"{DIVERGED}: the scene differs at the start of play {index} "
                    "between its two processes (an updater or animation with hidden state?)"
                )

    def hand_over(self) -> None:
        """Publish the helper's partial movies by play index (call after ``scene.render``)."""
        files = self.renderer.file_writer.partial_movie_files
        written = {str(i): files[i] for i in self.mine if i < len(files) and files[i] is not None}
        path = self.folder / HELPER_FILE
        tmp = path.with_name(f".{HELPER_FILE}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps({"files": written, "hashes": self.hashes}), encoding="utf-8")
        os.replace(tmp, path)


def wait_for_helper(folder: Path, timeout: float | None = None) -> dict[str, str]:
    """Wait for the helper's partial movies (``helper.json``) and return them by play index.

    Raises
    ------
    RuntimeError
        If the helper failed (``abort`` appeared) or ``timeout`` seconds passed.
    """
    start = time.monotonic()
    path, abort = Path(folder) / HELPER_FILE, Path(folder) / ABORT_FILE
    while True:
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
        if abort.exists():
            reason = abort.read_text(encoding="utf-8").strip() or "no reason given"
            raise RuntimeError(f"split render: the helper process failed ({reason})")
        if timeout is not None and time.monotonic() - start > timeout:
            raise RuntimeError(f"split render: no helper result in {folder} after {timeout:.0f} s")
        time.sleep(POLL_SECONDS)


def abort(folder: Path, reason: str) -> None:
    """Tell a waiting lead that its helper failed."""
    path = Path(folder) / ABORT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(reason + "\n", encoding="utf-8")


# ---------------------------------------------------------------- the parent (series.build)


class _Lead:
    """A scene being rendered by a lead worker that a helper may join."""

    def __init__(self, request, expected: float) -> None:
        self.request = request
        self.folder = Path(request.split)
        self.expected = expected
        self.started = time.monotonic()
        self.helping = False
        self.helper_done = threading.Event()
        self.helper_error: BaseException | None = None
        self.helper_cancel = None
        self.done = False

    def remaining(self) -> float:
        """Seconds of render expected to be left (infinite when never rendered before)."""
        if self.expected <= 0:
            return float("inf")
        return self.expected - (time.monotonic() - self.started)


def _cancelled(exc: BaseException | None) -> bool:
    return exc is not None and type(exc).__name__ == "Cancelled"


class Splitter:
    """Lets idle build slots help running scenes: a second worker per scene (:class:`SplitPlays`).

    :func:`series.build.render_scenes` gives every scene it renders to
    :meth:`run` and queues one :meth:`help` loop per slot after the scenes:
    a slot that finds no scene left to start joins the running scene with the
    most work left, so a single scene renders in two processes and the last
    scenes of a build do not leave slots idle. The clip is the lead's alone.

    Parameters
    ----------
    scenes : int
        How many scenes the build hands to :meth:`run` or :meth:`skip` (the
        help loops end once all of them are done).
    run_helper : callable
        ``run_helper(request, cancellation)`` runs a helper request in a
        worker, killable through ``cancellation``.
    new_cancellation : callable
        Returns a fresh cancellation (with ``cancel()`` and ``cancelled``) for one helper.
    min_seconds : float
        A scene expected to finish sooner than this is not helped (its
        helper would still be constructing the scene when the lead is done).
    """

    def __init__(self, scenes: int, run_helper, new_cancellation, min_seconds: float = 4.0) -> None:
        self._cond = threading.Condition()
        self._left = scenes
        self._leads: list[_Lead] = []
        self._run_helper = run_helper
        self._new_cancellation = new_cancellation
        self.min_seconds = min_seconds
        self.helped = 0
        """How many helpers were started."""
        self.diverged = 0
        """How many split scenes were rendered again in one process (:data:`DIVERGED`)."""
        self._local = threading.local()

    def settle(self) -> None:
        """Count this thread's scene as done if it never reached :meth:`run` (cached, failed early)."""
        if getattr(self._local, "ran", False):
            self._local.ran = False
            return
        with self._cond:
            self._left -= 1
            self._cond.notify_all()

    def run(self, request, run, expected: float = 0.0):
        """Render ``request`` as a lead, helped if a slot frees; return the lead's result.

        ``run(lead_request)`` runs the lead worker; ``expected`` is the scene's
        last render time in seconds (0: unknown). If the helper fails, its
        exception is raised (the scene's own failure); nothing is returned
        from a half.
        """
        import dataclasses

        folder = Path(request.media_dir) / "split"
        folder.mkdir(parents=True, exist_ok=True)
        lead = _Lead(dataclasses.replace(request, split=str(folder), split_role="lead"), expected)
        self._local.ran = True
        with self._cond:
            self._leads.append(lead)
            self._cond.notify_all()
        try:
            result = run(lead.request)
        except BaseException as exc:
            self._finish(lead, needed=False)
            if DIVERGED in str(exc):
                self.diverged += 1
                return run(request)  # one process, every play drawn
            if lead.helper_error is not None and not _cancelled(lead.helper_error):
                raise lead.helper_error from None
            raise
        # The lead waited for the helper's partial movies if it used any; otherwise
        # the helper (constructing, or dry-running behind the lead) is not needed.
        self._finish(lead, needed=(folder / HELPER_FILE).exists())
        return result

    def _finish(self, lead: _Lead, needed: bool) -> None:
        with self._cond:
            lead.done = True
            self._leads.remove(lead)
            self._left -= 1
            self._cond.notify_all()
            helping = lead.helping
        if not helping:
            return
        if not needed and lead.helper_cancel is not None:
            lead.helper_cancel.cancel()
        lead.helper_done.wait()

    def help(self, cancel=None) -> None:
        """Help running scenes until every scene of the build is done (one slot's loop)."""
        while True:
            with self._cond:
                lead = None
                while lead is None:
                    if self._left <= 0 or (cancel is not None and cancel.cancelled):
                        return
                    candidates = [
                        x
                        for x in self._leads
                        if not x.helping and not x.done and x.remaining() >= self.min_seconds
                    ]
                    if candidates:
                        lead = max(candidates, key=_Lead.remaining)
                    else:
                        self._cond.wait(0.25)
                lead.helping = True
                lead.helper_cancel = self._new_cancellation()
                self.helped += 1
            try:
                self._help(lead)
            finally:
                lead.helper_done.set()

    def _help(self, lead: _Lead) -> None:
        import dataclasses

        media = Path(lead.request.media_dir) / "helper"
        request = dataclasses.replace(lead.request, media_dir=str(media), split_role="helper")
        try:
            self._run_helper(request, lead.helper_cancel)
        except BaseException as exc:  # noqa: BLE001 - handed to the lead's thread
            lead.helper_error = exc
            abort(lead.folder, f"{type(exc).__name__}: {exc}"[:500])
