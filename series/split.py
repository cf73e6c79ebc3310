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

Files in the shared folder: ``NNNNN.claim`` (play ``NNNNN`` is taken),
``helper.json`` (the helper's partial movies by play index, written last and
atomically), ``abort`` (the helper failed: the lead stops waiting and fails).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROLES = ("lead", "helper")
"""The two sides of a split render."""

HELPER_FILE = "helper.json"
ABORT_FILE = "abort"

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
        self.mine: list[int] = []
        self.dry: list[int] = []
        self.renderer = renderer = scene.renderer
        writer = renderer.file_writer
        original = renderer.play

        def play(scene_, *args: Any, **kwargs: Any) -> None:
            index = renderer.num_plays
            if writer.sections[-1].skip_animations or claim(self.folder, index):
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
