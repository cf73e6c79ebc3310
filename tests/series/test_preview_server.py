"""The preview server: a warm parent that stays between commands and forks a child per still."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from series import Quality, warm
from series import preview as pv
from series.tree import BuildTree
from tests.series.tiny import write_series

SCENE = """\
import os

from manim import BLUE, Scene, Square, FadeIn
from .settings import SIDE


class Box(Scene):
    def construct(self):
        self.play(FadeIn(Square(SIDE, color=BLUE, fill_opacity=1)), run_time=0.5)
        self.add_subcaption(str(os.getpid()), duration=0.1)
"""


@pytest.fixture
def server(tmp_path, monkeypatch):
    """A tiny project with the preview server on, its sockets in a folder of the test's own."""
    monkeypatch.setenv(warm.ENV_SERVER, "1")
    # A short folder: a Unix socket's path holds at most 107 bytes, pytest's are long.
    short = Path(tempfile.mkdtemp(prefix="sw-", dir="/tmp"))
    monkeypatch.setattr(warm.tempfile, "gettempdir", lambda: str(short))
    project = tmp_path / "project"
    project.mkdir()
    series = write_series(
        project, "boxes.scene", SCENE, ["Box"], files={"settings.py": "SIDE = 2.0\n"}
    )
    tree = BuildTree.at(project / "build", Quality.parse("l", 5))
    yield project, series.find_scene("Box"), tree
    # Whatever the test did, no server outlives it: stop each that listens in its folder.
    for path in short.glob("series-warm-*/*.sock"):
        try:
            pid = peer_pid(path)
        except OSError:
            continue
        warm.stop_server(project)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    shutil.rmtree(short, ignore_errors=True)


def blue_share(path) -> float:
    with Image.open(path) as img:
        rgb = np.asarray(img.convert("RGB")).astype(int)
    return float(np.mean((rgb[..., 2] > 150) & (rgb[..., 0] < 100)))


def peer_pid(path) -> int:
    """The pid of the process listening on the Unix socket ``path`` (its peer credentials)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with sock:
        sock.connect(str(path))
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
    return int.from_bytes(creds[:4], "little")


def server_pid(project) -> int:
    """The pid of the preview server of ``project``."""
    return peer_pid(warm.server_socket(project))


def test_stills_go_through_one_server_that_reads_edits(server):
    project, ref, tree = server
    first = pv.last_frame(ref, tree, project)
    share = blue_share(first)
    # The blue 2x2 square: 4 of the frame's 14.22 x 8 units, within a rim of pixels.
    assert share == pytest.approx(4 / (128 / 9 * 8), abs=0.01)
    pid = server_pid(project)
    assert os.stat(warm.server_socket(project)).st_mode & 0o777 == 0o600
    (project / "boxes" / "settings.py").write_text("SIDE = 4.0\n")
    second = pv.last_frame(ref, tree, project)
    assert blue_share(second) == pytest.approx(4 * share, rel=0.05), "the edit is seen"
    assert server_pid(project) == pid, "the same server answered"
    assert warm.stop_server(project)
    assert not warm.server_socket(project).exists()
    assert not warm.stop_server(project), "nothing left to stop"


def test_a_failing_still_reports_the_scene_error_and_the_server_stays(server):
    project, ref, tree = server
    pv.last_frame(ref, tree, project)
    pid = server_pid(project)
    (project / "boxes" / "settings.py").write_text("SIDE = undefined_name\n")
    with pytest.raises(RuntimeError, match="undefined_name"):
        pv.last_frame(ref, tree, project)
    assert server_pid(project) == pid


def test_the_key_follows_interpreter_folder_environment_and_machinery(tmp_path, monkeypatch):
    key = warm.server_key(tmp_path)
    assert warm.server_key(tmp_path) == key
    assert warm.server_key(tmp_path / "elsewhere") != key
    monkeypatch.setenv("PWD", "/somewhere/else")  # a shell's, not the server's business
    assert warm.server_key(tmp_path) == key
    monkeypatch.setenv("MANIM_SOMETHING", "1")
    assert warm.server_key(tmp_path) != key
    monkeypatch.delenv("MANIM_SOMETHING")
    (tmp_path / "manim.cfg").write_text("[CLI]\n")
    assert warm.server_key(tmp_path) != key, "manim reads manim.cfg when the server imports it"


def test_a_socket_folder_others_may_enter_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(warm.tempfile, "gettempdir", lambda: str(tmp_path))
    folder = tmp_path / f"series-warm-{os.getuid()}"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    with pytest.raises(OSError, match="not private"):
        warm.server_socket(tmp_path)


def test_an_idle_server_ends_and_removes_its_socket(server):
    project, _, _ = server
    path = warm.start_server(project, idle=0.5)
    deadline = time.monotonic() + 60
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not path.exists()


def test_a_stale_socket_is_replaced(server):
    project, ref, tree = server
    path = warm.server_socket(project)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))  # bound, never listening: a server that died
    stale.close()
    assert pv.last_frame(ref, tree, project).is_file()
    assert server_pid(project) > 0, "a live server answers there now"


def test_a_new_server_for_the_folder_stops_the_older_one(server, monkeypatch):
    project, _, _ = server
    old = warm.start_server(project)
    old_pid = peer_pid(old)
    monkeypatch.setenv("SERIES_TEST_OTHER_ENVIRONMENT", "1")  # another key, the same folder
    new = warm.start_server(project)
    assert new != old
    assert new.name.split("-")[0] == old.name.split("-")[0]
    deadline = time.monotonic() + 60
    while old.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not old.exists()
    assert not pid_alive(old_pid, within=10.0)
    assert peer_pid(new) != old_pid


def pid_alive(pid: int, within: float) -> bool:
    """Whether process ``pid`` still runs after ``within`` seconds (a zombie has ended)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        if state == "Z":  # ended; our process started it, so it waits to be reaped
            return False
        time.sleep(0.1)
    return True


def test_a_killed_server_removes_its_socket(server):
    project, _, _ = server
    path = warm.start_server(project)
    pid = peer_pid(path)
    os.kill(pid, signal.SIGTERM)
    assert not pid_alive(pid, within=30.0)
    assert not path.exists()


def test_a_client_that_leaves_or_talks_nonsense_does_not_end_the_server(server):
    project, ref, tree = server
    path = warm.start_server(project)
    pid = peer_pid(path)
    for garbage in (b"not json\n", b"\n", b""):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(str(path))
            sock.sendall(garbage)
    assert pv.last_frame(ref, tree, project).is_file()
    assert peer_pid(path) == pid
