"""The shared TeX and Text cache: manim's entries, written whole, by any number of processes."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from series import texcache

ROOT = Path(__file__).resolve().parents[2]

FORMULA = r"\frac{f(x+h)-f(x)}{h}"

SCRIPT = textwrap.dedent(
    """
    import sys
    import time
    from manim import MathTex, Text, tempconfig
    from series import texcache
    from series.errors import install_tex_check
    shared, folder = sys.argv[1] == "shared", sys.argv[2]
    if shared:
        install_tex_check()
        texcache.install()
    options = {"media_dir": folder, "tex_dir": folder + "/Tex", "text_dir": folder + "/texts"}
    while time.time() < float(sys.argv[4]):  # start together: the races need overlap
        time.sleep(0.001)
    with tempconfig({**options, "verbosity": "ERROR"}):
        MathTex(sys.argv[3])
        for i in range(12):  # each Text rewrites its entry (remove_last_M): many chances to race
            Text(f"secant {i}")
    """
)


def _run(mode: str, folder: Path, start: float) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, mode, str(folder), FORMULA, str(start)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    )


def _entries(folder: Path) -> dict[str, bytes]:
    """The SVG entries under ``folder``, with Cairo's ``surfaceN`` group id blanked.

    Cairo numbers SVG surfaces per process, so a Text's entry says how many
    surfaces its process had made before (one more when another process had
    not written an earlier entry first); the geometry is the same.
    """
    return {
        str(p.relative_to(folder)): re.sub(rb'id="surface\d+"', b'id="surface"', p.read_bytes())
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix == ".svg"
    }


def test_two_processes_writing_the_same_entries_leave_manims_own_svgs(tmp_path):
    """Both finish, the folder holds only the finished SVGs, equal to manim's own."""
    shared = tmp_path / "shared"
    start = time.time() + 3  # after the imports of all three
    procs = [_run(mode, tmp_path / mode, start) for mode in ("shared", "plain")]
    procs.append(_run("shared", shared, start))
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    mine, manims = _entries(shared), _entries(tmp_path / "plain")
    assert sorted(mine) == sorted(manims)
    assert len(mine) == 13
    assert mine == manims
    # No LaTeX leftovers, no private folders, no temporary names: only the entries.
    assert sorted(str(p.relative_to(shared)) for p in shared.rglob("*")) == sorted(
        ["Tex", "texts", *mine]
    )


def test_an_existing_entry_is_used_as_it_is(tmp_path):
    """A cached Text entry is returned without calling Pango (content-addressed, never rewritten)."""
    calls = []
    writer = texcache._atomic_writer(lambda *a: calls.append(a), 1)
    entry = tmp_path / "abc.svg"
    entry.write_text("<svg/>")
    assert writer("text", str(entry)) == str(entry)
    assert calls == []
    assert entry.read_text() == "<svg/>"


def test_a_failed_write_leaves_no_entry_and_no_temporary_file(tmp_path):
    def broken(text, path):
        Path(path).write_text("<sv")
        raise RuntimeError("pango failed")

    writer = texcache._atomic_writer(broken, 1)
    with pytest.raises(RuntimeError, match="pango failed"):
        writer("text", str(tmp_path / "abc.svg"))
    assert list(tmp_path.iterdir()) == []


def test_a_write_is_moved_into_place_whole(tmp_path):
    seen = []

    def write(text, path):
        seen.append(Path(path))
        Path(path).write_text(f"<svg>{text}</svg>")

    final = tmp_path / "abc.svg"
    assert texcache._atomic_writer(write, 1)("x", str(final)) == str(final)
    assert seen[0] != final
    assert seen[0].parent == tmp_path
    assert not seen[0].exists()
    assert final.read_text() == "<svg>x</svg>"
    assert final.stat().st_mode & 0o777 == 0o644


def test_a_text_entry_is_in_place_only_with_manims_edit(tmp_path):
    """No process ever reads an entry before ``remove_last_M``'s edit (a trailing move).

    Another process that finds the entry parses it at once; had it been moved into
    place unedited, the edit could land after that read, and a Text would keep a
    stray point that widens its bounds.
    """
    path_end = '<path d="M 0 0 L 1 1 Z M 5 9 "/>'

    def write(text, path):
        Path(path).write_text(f"<svg>{path_end}</svg>")
        assert not final.exists()

    final = tmp_path / "abc.svg"
    texcache._atomic_writer(write, 1)("x", str(final))
    assert final.read_text() == '<svg><path d="M 0 0 L 1 1 Z "/></svg>'
    mtime = final.stat().st_mtime_ns
    texcache.remove_last_M(str(final))
    assert final.stat().st_mtime_ns == mtime, "nothing left to edit, nothing written"
