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


@contextlib.contextmanager
def _dry(renderer) -> Iterator[None]:
    """Run a play without drawing or encoding: the clock and the scene advance as usual."""
    writer = renderer.file_writer

    def render(scene, time, moving_mobjects=None):  # noqa: ARG001 - manim's signature
        renderer.add_frame(None)

    def nothing(*args: Any, **kwargs: Any) -> None:
        return None

    patched = {
        (renderer, "update_frame"): nothing,
        (renderer, "render"): render,
        (writer, "begin_animation"): nothing,
        (writer, "end_animation"): nothing,
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

        def play(scene_, *args: Any, **kwargs: Any) -> None:
            index = renderer.num_plays
            if writer.sections[-1].skip_animations or take(index):
                self.mine.append(index)
                return original(scene_, *args, **kwargs)
            with _dry(renderer):
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
                theirs = wait_for_helper(self.folder)
                for index in self.dry:
                    if str(index) not in theirs:
                        raise RuntimeError(
                            f"split render: play {index} was claimed but the helper "
                            f"wrote no partial movie for it ({self.folder})"
                        )
                    writer.partial_movie_files[index] = theirs[str(index)]
            return combine()

        writer.combine_to_movie = combine_to_movie

    def hand_over(self) -> None:
        """Publish the helper's partial movies by play index (call after ``scene.render``)."""
        files = self.renderer.file_writer.partial_movie_files
        written = {str(i): files[i] for i in self.mine if i < len(files) and files[i] is not None}
        path = self.folder / HELPER_FILE
        tmp = path.with_name(f".{HELPER_FILE}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps(written), encoding="utf-8")
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
        except BaseException:
            self._finish(lead, needed=False)
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
