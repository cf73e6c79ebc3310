"""A teacher's mistakes are named in the teacher's file, at the line that made them.

Issue: a teacher's subclass failing in the project's code named ``lib/adapt.py``
or ``scenes/lecture.py``; a narration key missing from an overridden
``narration``, or a recorded take that is empty, failed only once rendering
had started; ``.work`` folders stayed behind after a failed render.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from series.errors import failure_from_exception, setting_location, short_reprs
from series.preflight import narration_problems, take_problem, used_beats

TEACHER = """\
import numpy as np
from scenes.ep01_derivative import SecantBecomesTangent


def wiggle(x):
    return np.sin(2 * x) + 0.3 * x


def nolabel(x):
    return x ** 3 - x


class NoStatic(SecantBecomesTangent):
    func = wiggle
    func_tex = r"\\sin(2x) + 0.3x"


class NoLabel(SecantBecomesTangent):
    func = staticmethod(nolabel)


class BadRange(SecantBecomesTangent):
    func_tex = r"x^3"
    a = 5.0


class MissingKey(SecantBecomesTangent):
    func_tex = r"x^3"
    narration = {
        "curve": "Here is my curve.",
        "secant": "A secant.",
        "shrink": "Shrink.",
        "tangent": "Tangent.",
    }


class NoSweep(MissingKey):
    def sweep_tangent(self):
        pass


class BadTex(SecantBecomesTangent):
    func_tex = r"\\frac{1}{x"


class RealMethod(SecantBecomesTangent):
    func_tex = r"2x"

    def func(self, x):
        return 2 * x
"""


def line_of(text: str, needle: str) -> int:
    """Return the 1-based line of ``needle`` in ``text``."""
    return next(i for i, ln in enumerate(text.splitlines(), 1) if needle in ln)


@pytest.fixture(scope="module")
def teacher(tmp_path_factory):
    """The teacher's file (outside the project) and its module, imported as the worker does."""
    path = tmp_path_factory.mktemp("lessons") / "mylesson.py"
    path.write_text(TEACHER, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("mylesson", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["mylesson"] = module
    spec.loader.exec_module(module)
    yield path, module
    sys.modules.pop("mylesson", None)


def raised_by(call) -> BaseException:
    try:
        call()
    except Exception as exc:  # the exception under test
        return exc
    raise AssertionError("expected an exception")


# ----------------------------------------------------------------- a plain function just works


def test_a_plain_function_assigned_in_the_class_body_is_the_function(teacher):
    from scenes.components.plotting import function_label

    _, m = teacher
    assert m.NoStatic.func is m.wiggle
    assert m.NoStatic.func(0.5) == pytest.approx(m.wiggle(0.5))
    assert function_label(m.NoStatic) == r"\sin(2x) + 0.3x"
    # A real method (first parameter self) stays one.
    assert m.RealMethod.__dict__["func"].__name__ == "func"
    assert not isinstance(m.RealMethod.__dict__["func"], staticmethod)


# ----------------------------------------------------------------- located in the teacher's file


def test_label_error_names_the_line_that_set_the_function(teacher):
    from scenes.components.plotting import function_label

    path, m = teacher
    exc = raised_by(lambda: function_label(m.NoLabel))
    where = f"{path}:{line_of(TEACHER, 'func = staticmethod(nolabel)')}"
    assert setting_location(m.NoLabel, str(exc), path) == where


def test_range_error_names_the_line_that_set_a(teacher):
    from lib.adapt import fitting_delta_schedule

    path, m = teacher
    c = m.BadRange
    exc = raised_by(lambda: fitting_delta_schedule(c.func, c.a, c.x_range, c.schedule))
    assert "a=5.0" in str(exc)
    assert setting_location(m.BadRange, str(exc), path) == f"{path}:{line_of(TEACHER, 'a = 5.0')}"


def test_a_failure_inside_a_project_method_points_at_the_teacher_not_the_project(teacher):
    """failure_from_exception finds the scene (``self``) in the traceback and its attribute."""
    path, m = teacher
    scene = object.__new__(m.MissingKey)
    scene._beat = None
    exc = raised_by(lambda: m.MissingKey.narrating(scene, "sweep").__enter__())
    failure = failure_from_exception(exc, path)
    assert failure.location == f"{path}:{line_of(TEACHER, 'narration = {')}"
    assert "scenes/lecture.py" not in failure.summary()
    assert failure.summary().endswith(f"({path}:{line_of(TEACHER, 'narration = {')})")


def test_a_latex_error_names_the_line_of_the_tex_string(teacher):
    from series.errors import TexError

    path, m = teacher
    exc = TexError(["! Missing } inserted."], r"f(x) = \frac{1}{x", "")
    where = setting_location(m.BadTex, str(exc), path)
    assert where == f"{path}:{line_of(TEACHER, 'class BadTex') + 1}"  # func_tex = r"\frac{1}{x"


def test_no_attribute_named_falls_back_to_the_class_line(teacher):
    path, m = teacher
    where = setting_location(m.NoSweep, "something unrelated went wrong", path)
    assert where == f"{path}:{line_of(TEACHER, 'class NoSweep')}"


def test_a_frame_in_the_teachers_file_still_wins(tmp_path):
    path = tmp_path / "own.py"
    path.write_text("def f():\n    raise ValueError('a=1 is bad')\n", encoding="utf-8")
    spec = importlib.util.spec_from_file_location("own_frame", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert failure_from_exception(raised_by(module.f), path).location == f"{path}:2"


def test_summary_keeps_the_advice_and_cuts_only_reprs():
    from series.errors import SceneFailure

    message = (
        "function wiggle (<bound method wiggle of <nostatic.NoStatic object at 0x7fb5c510b0d0>>) "
        "must accept a numpy array of floats, or at least a single float, and return numbers: "
        "with an array it raised TypeError: x; with a float it raised TypeError: y "
        + str(list(range(300)))
    )
    row = SceneFailure("ArrayCallError", message, "/t/n.py:10").summary()
    assert "0x7fb5" not in row
    assert "and return numbers: with an array it raised TypeError: x; with a float" in row
    assert "…]" in row
    assert "299" not in row
    assert row.endswith("(/t/n.py:10)")


@given(st.text(alphabet=st.characters(blacklist_characters="([{<>}])"), max_size=300))
def test_short_reprs_changes_no_words_outside_brackets(text):
    assert short_reprs(text) == " ".join(text.split())


# ----------------------------------------------------------------- narration keys, before rendering


def test_a_missing_narration_key_is_listed_with_the_line_of_narration(teacher):
    path, m = teacher
    (message,) = narration_problems([m.MissingKey], Path.cwd())
    assert message.startswith(f"{path}:{line_of(TEACHER, 'narration = {')}: ")
    assert "no line for 'sweep' (used at scenes/ep01_derivative.py:" in message
    assert "SecantBecomesTangent.sweep_tangent" in message
    assert "'curve', 'secant', 'shrink', 'tangent'" in message


def test_an_overridden_method_does_not_count_its_parents_keys(teacher):
    _, m = teacher
    assert "sweep" in used_beats(m.MissingKey)
    assert "sweep" not in used_beats(m.NoSweep)
    assert narration_problems([m.NoSweep, m.NoStatic, m.BadRange]) == []


def test_every_scene_of_the_series_uses_only_its_own_keys():
    from scenes import SERIES
    from series.preflight import scene_classes

    classes = scene_classes(list(SERIES.scenes()), Path.cwd())
    assert narration_problems(classes) == []
    for cls in classes:
        assert set(used_beats(cls)) <= set(cls.narration), cls.__name__


def test_render_stops_before_rendering_naming_the_teachers_line(teacher, tmp_path, capsys):
    import render

    path, _ = teacher
    status = render.main(["render", f"{path}:MissingKey", "-q", "l", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2
    assert f"{path}:{line_of(TEACHER, 'narration = {')}: MissingKey's narration" in err
    assert not (tmp_path / "480p15" / ".work").exists()
    status = render.main(["preview", f"{path}:MissingKey", "-q", "l", "--out", str(tmp_path)])
    assert status == 2
    assert "cannot preview yet" in capsys.readouterr().err


# ----------------------------------------------------------------- recorded takes


def test_empty_and_undecodable_takes_and_near_misses_are_listed(tmp_path):
    from series.preflight import missing_recordings
    from tests.series.test_speech import SCENES, write_take
    from tests.series.tiny import write_series

    root = tmp_path
    series = write_series(root, "talk.scenes", SCENES, ["Box", "Ring"])
    takes = root / "assets/voice/en"
    (takes / "Box").mkdir(parents=True)
    (takes / "Box/intro.wav").write_bytes(b"")
    (takes / "Box/outro.flac").write_text("not audio", encoding="utf-8")
    write_take(takes / "Ring/Intro.wav")
    write_take(takes / "Ring/intro.mp3", codec="mp3")
    missing, broken = missing_recordings(list(series.scenes()), root, "en")
    assert "1 take(s) missing" in missing
    assert (
        "assets/voice/en/Ring/intro.wav: 'Here is a ring.' (did you mean Intro.wav or intro.mp3?"
        in missing
    )
    assert "2 take(s) unusable" in broken
    assert "assets/voice/en/Box/intro.wav: the file is empty (0 bytes)" in broken
    assert "assets/voice/en/Box/outro.flac: " in broken
    write_take(takes / "Box/intro.wav")
    assert take_problem(takes / "Box/intro.wav") == ""


# ----------------------------------------------------------------- failed renders: located, cleaned


def test_a_failed_render_and_preview_name_the_teachers_line_and_leave_no_work(
    teacher, tmp_path, capsys
):
    import render

    path, _ = teacher
    where = f"{path}:{line_of(TEACHER, 'func = staticmethod(nolabel)')}"
    out = tmp_path / "out"
    assert render.main(["render", f"{path}:NoLabel", "-q", "l", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "LabelError: no TeX label for function nolabel (<function nolabel>): set func_tex" in err
    assert f"({where})" in err
    assert "lib/adapt.py" not in err
    log = out / "480p15" / "logs" / "mylesson.NoLabel.log"
    assert log.is_file()
    assert "Traceback" in log.read_text(encoding="utf-8")
    log.unlink()
    assert not (out / "480p15" / ".work").exists()
    assert render.main(["preview", f"{path}:NoLabel", "-q", "l", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"({where}) (full text: {log})" in err
    assert log.is_file()
    assert not (out / "480p15" / ".work").exists()


def test_scratch_is_removed_after_a_failure_and_keeps_other_work(tmp_path):
    from series.tree import BuildTree

    tree = BuildTree(tmp_path)
    other = tree.work("01.2")
    other.mkdir(parents=True)

    def interrupted_render():
        with tree.scratch("01.1") as work:
            (work / "partial").mkdir(parents=True)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted_render()
    assert not tree.work("01.1").exists()
    assert other.is_dir(), "another scene's work stays"
    other.rmdir()
    with tree.scratch("01.1") as work:
        work.mkdir(parents=True)
    assert not (tree.base / ".work").exists(), "an empty .work goes too"
