"""Translations (series.i18n): lookup, language switching, extraction, checks, the content key."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from series import i18n
from series.cache import content_key, scene_messages
from series.manifest import SceneRef
from series.quality import Quality
from series.settings import RenderSettings
from series.tree import BuildTree

ROOT = Path(__file__).resolve().parents[2]


def _write_po(locale: Path, lang: str, entries: dict[str, str], fuzzy: tuple[str, ...] = ()):
    catalog = Catalog(locale=lang)
    for msgid, msgstr in entries.items():
        catalog.add(msgid, msgstr, flags=("fuzzy",) if msgid in fuzzy else ())
    i18n.write_catalog(catalog, i18n.catalog_path(lang, locale))


@pytest.fixture
def locale(tmp_path):
    folder = tmp_path / "locale"
    _write_po(
        folder,
        "ja",
        {"slope": "傾き", "error": "誤差", "old": "古い訳", "Episode {number}": "第{number}話"},
        fuzzy=("old",),
    )
    return folder


def test_translate_in_a_block_then_back_to_english(locale):
    assert i18n._("slope") == "slope"
    with i18n.use_language("ja", locale):
        assert i18n.language() == "ja"
        assert i18n._("slope") == "傾き"
        assert i18n._("Episode {number}").format(number=1) == "第1話"
        assert i18n._("not in the catalog") == "not in the catalog"
        assert i18n._("old") == "old", "a stale (fuzzy) entry is not used"
        assert i18n.used_messages()["slope"] == "傾き"
    assert i18n.language() == "en"
    assert i18n._("slope") == "slope"


def test_marker_returns_its_argument_and_type_errors_are_clear():
    assert i18n.N_("The derivative") == "The derivative"
    with pytest.raises(TypeError, match="translates a str, got int"):
        i18n._(3)


@pytest.mark.parametrize(
    ("lang", "message"),
    [("japanese", "not a code like"), ("fr", "has no catalog"), ("", "not a code like")],
)
def test_unknown_language_is_named_with_the_available_ones(locale, lang, message):
    with pytest.raises(i18n.LanguageError, match=message) as info:
        i18n.set_language(lang, locale)
    if lang == "fr":
        assert "available: en, ja" in str(info.value)
        assert "did you mean" not in str(info.value)
    assert i18n.language() == "en"


@pytest.mark.parametrize(
    ("lang", "meant"), [("jp", "'ja'"), ("JA", "'ja'"), ("ja_JP", "'ja'"), ("us", "'en'")]
)
def test_a_near_miss_language_suggests_the_one_meant(locale, lang, meant):
    with pytest.raises(i18n.LanguageError, match=f"did you mean {meant}"):
        i18n.validate_language(lang, locale)


def test_check_lists_untranslated_stale_and_placeholder_mistakes(locale):
    _write_po(
        locale, "de", {"slope": "Steigung", "old": "alt", "Episode {number}": "Folge"}, ("old",)
    )
    report = i18n.check("de", locale, needed=["slope", "error", "old", "Episode {number}"])
    assert report.untranslated == ("error",)
    assert report.stale == ("old",)
    assert report.mismatched == ("Episode {number}",)
    assert not report.ok
    assert report.lines() == [
        "de: untranslated: 'error'",
        "de: stale: 'old'",
        "de: placeholders differ: 'Episode {number}'",
    ]
    assert i18n.check("ja", locale, needed=["slope", "error"]).ok
    assert i18n.check("en", locale, needed=["anything"]).ok


def _project(root: Path, body_a: str = "slope") -> None:
    (root / "scenes").mkdir(parents=True, exist_ok=True)
    (root / "scenes" / "__init__.py").write_text("")
    (root / "scenes" / "ep.py").write_text(
        textwrap.dedent(
            f'''\
            from series.i18n import N_, _

            class A:
                narration = {{"beat": N_("The {body_a} is two.")}}
                def construct(self):
                    return _("{body_a}")

            class B:
                def construct(self):
                    return _("error")
            '''
        )
    )


def test_extract_then_update_marks_a_changed_english_line_stale(tmp_path):
    _project(tmp_path)
    locale = tmp_path / "assets" / "locale"
    i18n.update(tmp_path, locale)
    template = i18n.read_catalog(i18n.template_path(locale))
    assert [m.id for m in template if m.id] == ["The slope is two.", "slope", "error"]
    assert i18n.init("ja", locale) == i18n.catalog_path("ja", locale)
    assert i18n.check("ja", locale).untranslated == ("The slope is two.", "slope", "error")
    # A translator fills every entry.
    catalog = i18n.read_catalog(i18n.catalog_path("ja", locale))
    for m, text in zip(
        [m for m in catalog if m.id], ["傾きは二です。", "傾き", "誤差"], strict=True
    ):
        m.string = text
    i18n.write_catalog(catalog, i18n.catalog_path("ja", locale))
    assert i18n.check("ja", locale).ok
    # The English changes: the old translation is kept, marked stale.
    _project(tmp_path, "gradient")
    i18n.update(tmp_path, locale)
    report = i18n.check("ja", locale)
    assert report.stale == ("The gradient is two.",)
    assert report.untranslated == ("gradient",)


def test_update_leaves_an_unchanged_template_untouched(tmp_path):
    _project(tmp_path)
    locale = tmp_path / "locale"
    i18n.update(tmp_path, locale)
    before = i18n.template_path(locale).read_bytes()
    stamp = i18n.template_path(locale).stat().st_mtime_ns
    i18n.update(tmp_path, locale)
    assert i18n.template_path(locale).read_bytes() == before
    assert i18n.template_path(locale).stat().st_mtime_ns == stamp


def test_scene_messages_are_those_of_its_class(tmp_path):
    _project(tmp_path)
    assert scene_messages(SceneRef("1.1", "scenes.ep", "A", "a"), tmp_path) == [
        "The slope is two.",
        "slope",
    ]
    assert scene_messages(SceneRef("1.2", "scenes.ep", "B", "b"), tmp_path) == ["error"]


def test_content_key_follows_the_translations_a_scene_uses(tmp_path):
    _project(tmp_path)
    locale = tmp_path / "assets" / "locale"
    _write_po(
        locale, "ja", {"The slope is two.": "傾きは二です。", "slope": "傾き", "error": "誤差"}
    )
    a, b = SceneRef("1.1", "scenes.ep", "A", "a"), SceneRef("1.2", "scenes.ep", "B", "b")
    en, ja = RenderSettings(), RenderSettings(lang="ja")

    def keys():
        return {
            (r.class_name, s.lang): content_key(r, s, tmp_path) for r in (a, b) for s in (en, ja)
        }

    before = keys()
    assert before[("A", "en")] != before[("A", "ja")], "the language is part of the key"
    # Edit one Japanese line that only A uses: only A's Japanese key changes.
    _write_po(
        locale, "ja", {"The slope is two.": "傾きは2です。", "slope": "傾き", "error": "誤差"}
    )
    after = keys()
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {("A", "ja")}


def test_language_has_its_own_build_tree_and_english_stays_where_it_was(tmp_path):
    q = Quality.parse("l")
    assert BuildTree.at(tmp_path, q).base == tmp_path / q.name
    assert BuildTree.at(tmp_path, q, "ja").base == tmp_path / "ja" / q.name
    assert RenderSettings.at(q).key() == [q.width, q.height, q.fps, RenderSettings().encoder.key()]
    assert RenderSettings.at(q, "ja").key()[-1] == "lang=ja"


def test_the_template_is_current():
    """``assets/locale/messages.pot`` holds exactly the strings the scenes mark (run ``i18n extract``)."""
    committed = {m.id for m in i18n.read_catalog(i18n.template_path()) if m.id}
    current = {m.id for m in i18n.extract(ROOT) if m.id}
    # Line numbers may drift; the strings may not.
    assert committed == current, (
        f"the template is stale (new: {sorted(current - committed)}, "
        f"gone: {sorted(committed - current)}): run `python render.py i18n extract`"
    )


@pytest.mark.parametrize("lang", i18n.languages() or ["(none)"])
def test_every_language_translates_every_string(lang):
    """Every narration line and on-screen string has a current entry in every catalog."""
    if lang == "(none)":
        pytest.skip("no catalog besides English yet")
    report = i18n.check(lang)
    assert report.ok, "\n".join(report.lines())
