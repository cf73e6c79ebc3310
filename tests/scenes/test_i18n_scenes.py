"""Tier 3 in every language besides English: each scene constructs, narrates and passes the layout audit.

For each catalog under ``assets/locale`` (Japanese: ``ja``), every scene of the
manifest and every variant of the episode modules is dry-run in that language:
its beats end with nothing outside the frame or colliding (the same audit as
in English: Japanese text is wider or narrower), its subtitle cues are the
translated lines cut by the language's rule (Japanese: one cue per sentence,
at most 2 lines of 20 full-width characters, kinsoku), and no text on screen
is left in English.
"""

from __future__ import annotations

import datetime
import re

import pytest

from scenes import SERIES
from scenes.components.audit import audit_layout
from series import i18n
from series.linebreak import LINE_COLUMNS_JA, NO_START, text_width

from .conftest import dry_run_config
from .test_layout_audit import MANIFEST, _variant_classes

LANGUAGES = [lang for lang in i18n.languages() if lang != "en"]
SCENES = MANIFEST + _variant_classes(set(MANIFEST))
CASES = [(lang, c) for lang in LANGUAGES for c in SCENES] or [("(none)", None)]

_PLAYED: dict[tuple[str, type], object] = {}

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
_WORD = re.compile(r"[A-Za-z]{3,}")
_NOT_WORDS = re.compile(r">>>|\(|^[A-D.]+$")
"""Text that is code (a call read-out), or the quiz's letters, not words to translate."""


def _played(lang: str, scene_class: type, tmp_path_factory):
    if (lang, scene_class) not in _PLAYED:
        from manim import tempconfig

        media = tmp_path_factory.mktemp(f"{lang}-{scene_class.__name__}")
        # The session's TeX cache: the formulas are the English run's, compiled once.
        with i18n.use_language(lang), tempconfig(dry_run_config(media)):
            scene = scene_class()
            scene.render()
        _PLAYED[(lang, scene_class)] = scene
    return _PLAYED[(lang, scene_class)]


def _english_texts(scene) -> list[str]:
    """Texts on screen (not code) that hold an English word and no Japanese."""
    found = set()
    for snap in scene.layout_snapshots:
        for t in snap.texts:
            if t.panel is not None or not t.name.startswith(("Text(", "MarkupText(")):
                continue
            text = t.name.split("(", 1)[1][1:-2]
            if _WORD.search(text) and not _CJK.search(text) and not _NOT_WORDS.search(text):
                found.add(text)
    return sorted(found)


@pytest.mark.parametrize(
    ("lang", "scene_class"),
    CASES,
    ids=[f"{lang}-{c.__name__}" if c else lang for lang, c in CASES],
)
def test_scene_in_every_language(lang, scene_class, tmp_path_factory):
    if scene_class is None:
        pytest.skip("no catalog besides English")
    scene = _played(lang, scene_class, tmp_path_factory)
    name = scene_class.__name__
    # The layout audit, as in English.
    violations = audit_layout(scene.layout_snapshots)
    assert not violations, f"{name} [{lang}]:\n" + "\n".join(str(v) for v in violations)
    # Every line said once, in the language, and nothing left in English on screen.
    assert sorted(scene.spoken) == sorted(scene.narration)
    english = _english_texts(scene)
    assert not english, f"{name} [{lang}]: English on screen: {english}"
    if lang.startswith("ja"):
        lines = [scene.spoken_lines[k] for k in scene.spoken]
        assert all(_CJK.search(line) for line in lines), f"{name}: a line not in Japanese"
        _assert_japanese_cues(scene, lines)


def _assert_japanese_cues(scene, lines: list[str]) -> None:
    cues = scene.renderer.file_writer.subcaptions
    duration = datetime.timedelta(seconds=scene.renderer.time)
    for a, b in zip(cues, cues[1:], strict=False):
        assert a.start <= a.end <= b.start, f"cue {a.content!r} overlaps {b.content!r}"
    assert cues[-1].end <= duration
    for cue in cues:
        rows = cue.content.split("\n")
        assert len(rows) <= 2, cue.content
        assert all(text_width(r) <= LINE_COLUMNS_JA for r in rows), cue.content
        assert all(r[0] not in NO_START for r in rows), cue.content
    said = "".join(c.content.replace("\n", "") for c in cues)
    assert said.replace(" ", "") == "".join(lines).replace(" ", ""), "the cues hold the lines"


def test_manifest_titles_are_marked_for_translation():
    """The episode and chapter titles (title cards, chapters) are in the template."""
    template = {m.id for m in i18n.read_catalog(i18n.template_path()) if m.id}
    titles = {SERIES.title} | {e.title for e in SERIES.episodes}
    titles |= {r.title for r in SERIES.scenes()}
    assert titles <= template, sorted(titles - template)


def test_a_scene_switches_language_within_one_session(tmp_path):
    """One process constructs a scene in English, then in another language, then in English."""
    from manim import tempconfig

    from scenes.cards import Title01

    said = {}
    for lang in ["en", *LANGUAGES[:1], "en"]:
        with i18n.use_language(lang), tempconfig(dry_run_config(tmp_path)):
            scene = Title01()
            scene.render()
        said.setdefault(lang, []).append(scene.spoken_lines["title"])
    assert (
        said["en"][0]
        == said["en"][1]
        == "Deep Learning in Three Views. Episode one: The derivative"
    )
    for lang in LANGUAGES[:1]:
        assert said[lang][0] != said["en"][0]


_TEXT_WORDS = re.compile(r"\\text\{([^{}]*)\}")


def _literal_math_words(path) -> list[tuple[int, str]]:
    """``\\text{...}`` words typed literally in a module's strings (docstrings aside)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            found += [(node.lineno, w) for w in _TEXT_WORDS.findall(node.value) if _WORD.search(w)]
    return found


def test_words_inside_math_go_through_the_translation_function():
    r"""Every ``\text{...}`` in a scene's math is translated (``\text{{{_('slope')}}}``), none typed.

    A word typed inside a formula (``\frac{\Delta \text{out}}{\varepsilon}``) would stay
    English in every language; a code name inside math is ``\texttt{deriv}`` (code stays English).
    """
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "scenes"
    typed = {
        f"{p.relative_to(root.parent)}:{line}: {word}"
        for p in sorted(root.rglob("*.py"))
        for line, word in _literal_math_words(p)
    }
    assert not typed, sorted(typed)


def test_literal_math_words_are_found():
    """The check above bites: a typed word is found, a translated one and a docstring are not."""
    import tempfile
    from pathlib import Path

    source = (
        'def f():\n    r"""Docstring: \\text{slope}."""\n'
        '    a = r"\\frac{\\Delta \\text{out}}{\\varepsilon}"\n'
        "    b = rf\"\\text{{{_('slope')}}} =\"\n"
        '    return rf"\\text{{deriv}} = {a}{b}"\n'
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.py"
        path.write_text(source, encoding="utf-8")
        assert _literal_math_words(path) == [(3, "out"), (5, "deriv")]
