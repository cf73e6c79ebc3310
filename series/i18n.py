"""Translations: one function for every word on screen or spoken, gettext catalogs read by Babel.

Every on-screen string and every narration line of a scene goes through
:func:`_` (gettext's conventional name), which looks the English source string
up in the catalog of the current language. Strings evaluated at import time
(a scene's class-level ``narration`` dict, the manifest's titles) are marked
with :func:`N_`, which returns its argument unchanged, and translated with
:func:`_` where they are used; so one process can construct a scene in English
and then in Japanese (:func:`use_language`).

Catalogs are the ecosystem's standard: ``<locale>/messages.pot`` (the
template, extracted from the sources by :func:`extract`) and
``<locale>/<lang>/LC_MESSAGES/messages.po`` per language, read with
:func:`babel.messages.pofile.read_po` (no compiled ``.mo`` needed). An entry
that is empty or marked fuzzy (its English source changed since it was
translated: *stale*) is not used; :func:`check` lists such entries, and a
build in a language with any of them stops before rendering.

This module knows no topic: the locale folder is passed in (default: the
project's ``assets/locale``).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SOURCE_LANGUAGE = "en"
"""The language the sources are written in: it needs no catalog."""

DOMAIN = "messages"
"""The gettext domain: ``messages.pot`` and ``<lang>/LC_MESSAGES/messages.po``."""

KEYWORDS: tuple[str, ...] = ("_", "N_")
"""The marker functions extraction looks for (Babel's ``keywords``)."""

LOCALE_DIR = Path(__file__).resolve().parents[1] / "assets" / "locale"
"""The project's catalogs (the default ``locale_dir`` everywhere here)."""

_LANG_RE = re.compile(r"^[a-z]{2,3}(_[A-Z]{2})?$")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


class LanguageError(ValueError):
    """A language code is malformed or has no catalog."""


def validate_language(lang: str, locale_dir: Path | None = None) -> str:
    """Return ``lang`` if it is the source language or has a catalog.

    Raises
    ------
    LanguageError
        If ``lang`` is not a code like ``ja`` or ``pt_BR``, or has no catalog
        under ``locale_dir`` (the message lists the languages that have one).
    """
    if not isinstance(lang, str) or not _LANG_RE.match(lang):
        lower = lang.lower() if isinstance(lang, str) else ""
        guess = f"; did you mean {lower!r}?" if _LANG_RE.match(lower) else ""
        raise LanguageError(f"language {lang!r} is not a code like 'en', 'ja' or 'pt_BR'{guess}")
    if lang == SOURCE_LANGUAGE:
        return lang
    folder = Path(locale_dir or LOCALE_DIR)
    if not catalog_path(lang, folder).is_file():
        known = [SOURCE_LANGUAGE, *languages(folder)]
        meant = _likely_meant(lang, known)
        guess = f"did you mean {meant!r}? " if meant else ""
        raise LanguageError(
            f"language {lang!r} has no catalog at {catalog_path(lang, folder)}; {guess}"
            f"available: {', '.join(known)} (a new language: render.py i18n init --lang {lang})"
        )
    return lang


_COUNTRY_NOT_LANGUAGE = {
    "jp": "ja",
    "cn": "zh",
    "kr": "ko",
    "gr": "el",
    "dk": "da",
    "se": "sv",
    "cz": "cs",
    "ua": "uk",
    "us": "en",
    "gb": "en",
    "uk": "en",
    "br": "pt",
}
"""Country codes often typed for a language (ISO 3166 for ISO 639): ``jp`` for ``ja``..."""


def _likely_meant(lang: str, known: list[str]) -> str | None:
    """Return the available language ``lang`` was likely meant to be, or None.

    A country code for its language (``jp`` -> ``ja``), another case
    (``JA``), or a region of an available language (``ja_JP`` -> ``ja``).

    Examples
    --------
    >>> _likely_meant("jp", ["en", "ja"]), _likely_meant("ja_JP", ["en", "ja"])
    ('ja', 'ja')
    >>> _likely_meant("fr", ["en", "ja"]) is None
    True
    """
    candidates = [
        _COUNTRY_NOT_LANGUAGE.get(lang.lower()),
        lang.lower(),
        lang.split("_")[0].lower(),
    ]
    return next((c for c in candidates if c and c != lang and c in known), None)


def languages(locale_dir: Path | None = None) -> list[str]:
    """Return the languages that have a catalog under ``locale_dir``, sorted."""
    folder = Path(locale_dir or LOCALE_DIR)
    if not folder.is_dir():
        return []
    return sorted(p.parent.parent.name for p in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def template_path(locale_dir: Path | None = None) -> Path:
    """``<locale>/messages.pot``."""
    return Path(locale_dir or LOCALE_DIR) / f"{DOMAIN}.pot"


def catalog_path(lang: str, locale_dir: Path | None = None) -> Path:
    """``<locale>/<lang>/LC_MESSAGES/messages.po``."""
    return Path(locale_dir or LOCALE_DIR) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


# ---------------------------------------------------------------- catalogs


@functools.lru_cache(maxsize=16)
def _read(path: Path, stamp: tuple[int, int]):  # noqa: ANN202 (babel Catalog)
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f)


def read_catalog(path: Path):  # noqa: ANN201
    """Return the Babel ``Catalog`` of a ``.po``/``.pot`` file (cached per version of the file).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    """
    st = Path(path).stat()
    return _read(Path(path), (st.st_mtime_ns, st.st_size))


def translations(lang: str, locale_dir: Path | None = None) -> dict[str, str]:
    """Return the usable entries of ``lang``'s catalog: msgid → msgstr.

    Empty and fuzzy (stale) entries are left out, so they fall back to the
    English source (and :func:`check` reports them). The source language
    has no entries. A language without a catalog has none either.
    """
    if lang == SOURCE_LANGUAGE:
        return {}
    path = catalog_path(lang, locale_dir)
    if not path.is_file():
        return {}
    return {
        m.id: m.string
        for m in read_catalog(path)
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


# ---------------------------------------------------------------- the current language


@dataclass
class _State:
    lang: str = SOURCE_LANGUAGE
    locale_dir: Path = field(default_factory=lambda: LOCALE_DIR)
    used: dict[str, str] = field(default_factory=dict)


_state = _State()


def set_language(lang: str, locale_dir: Path | None = None) -> None:
    """Make ``lang`` the language of every :func:`_` call from now on (the worker calls this).

    Raises
    ------
    LanguageError
        If ``lang`` is malformed or has no catalog (:func:`validate_language`).
    """
    folder = Path(locale_dir or LOCALE_DIR)
    _state.lang = validate_language(lang, folder)
    _state.locale_dir = folder
    _state.used = {}


def language() -> str:
    """Return the current language (``"en"`` unless :func:`set_language` said otherwise)."""
    return _state.lang


@contextlib.contextmanager
def use_language(lang: str, locale_dir: Path | None = None) -> Iterator[None]:
    """Translate into ``lang`` inside the block, then restore the previous language."""
    saved = _State(_state.lang, _state.locale_dir, dict(_state.used))
    set_language(lang, locale_dir)
    try:
        yield
    finally:
        _state.lang, _state.locale_dir, _state.used = saved.lang, saved.locale_dir, saved.used


def used_messages() -> dict[str, str]:
    """Return the source strings translated since the language was set, with what they became."""
    return dict(_state.used)


def N_(message: str) -> str:  # noqa: N802 (gettext's name)
    """Mark ``message`` for extraction and return it unchanged (translate it later with :func:`_`).

    Examples
    --------
    >>> N_("The derivative")
    'The derivative'
    """
    return message


def _(message: str) -> str:
    """Return ``message`` (an English source string) in the current language.

    A message the catalog lacks, or whose entry is empty or stale, is
    returned in English (gettext's fallback); :func:`check` and the build's
    preflight make sure none is rendered that way.

    Raises
    ------
    TypeError
        If ``message`` is not a string.

    Examples
    --------
    >>> _("slope")  # the source language
    'slope'
    """
    if not isinstance(message, str):
        raise TypeError(f"_() translates a str, got {type(message).__name__}: {message!r}")
    if _state.lang == SOURCE_LANGUAGE:
        return message
    text = translations(_state.lang, _state.locale_dir).get(message, message)
    _state.used[message] = text
    return text


gettext = _


def translate(message: str, lang: str, locale_dir: Path | None = None) -> str:
    """Return ``message`` in ``lang`` without changing the current language (e.g. a chapter title).

    Examples
    --------
    >>> translate("Title", "en")
    'Title'
    """
    return translations(lang, locale_dir).get(message, message)


# ---------------------------------------------------------------- extraction


def marked_messages(nodes: Iterable[ast.AST]) -> list[str]:
    """Return the string literals passed to a marker (:data:`KEYWORDS`) inside ``nodes``, in order.

    The static counterpart of Babel's extraction, used by the content key:
    a scene depends on the translations of the strings its source marks.
    """
    return [message for message, _line in _marked_calls(nodes)]


def _marked_calls(nodes: Iterable[ast.AST]) -> list[tuple[str, int]]:
    r"""Return ``(message, line)`` of every marker call with a literal inside ``nodes``, in order.

    Unlike Babel's tokenizer, the syntax tree also sees calls inside f-strings
    (``rf"\text{{{_('slope')}}}"``).
    """
    found: list[tuple[str, int]] = []
    for root in nodes:
        for node in ast.walk(root):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in KEYWORDS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append((node.args[0].value, node.lineno))
    return sorted(found, key=lambda m: m[1])


def extract(root: Path, folders: Iterable[str] = ("scenes",)):  # noqa: ANN201
    """Extract every marked string under ``root/<folder>`` into a Babel ``Catalog`` (the template).

    Translator comments (``# NOTE: ...`` on the line before) are kept.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(
        project="Deep Learning in Three Views", version="1", charset="utf-8", fuzzy=False
    )
    keywords = {k: None for k in KEYWORDS}
    for folder in folders:
        for filename, lineno, message, comments, context in extract_from_dir(
            Path(root) / folder,
            method_map=[("**.py", "python")],
            keywords=keywords,
            comment_tags=("NOTE:",),
        ):
            catalog.add(
                message,
                None,
                [(f"{folder}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
        # What Babel's tokenizer cannot see: marker calls inside f-strings.
        for path in sorted((Path(root) / folder).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source, filename=str(path))
            lines = source.splitlines()
            where = f"{folder}/{path.relative_to(Path(root) / folder).as_posix()}"
            for message, lineno in _marked_calls([tree]):
                entry = catalog.get(message)
                if entry is None:
                    # A "# NOTE:" comment on the line before reaches the translator here too.
                    before = lines[lineno - 2].strip() if lineno >= 2 else ""
                    notes = [before[1:].strip()] if before.startswith("# NOTE:") else []
                    catalog.add(message, None, [(where, lineno)], auto_comments=notes)
                elif all(file != where for file, _line in entry.locations):
                    entry.locations.append((where, lineno))
    return catalog


def write_catalog(catalog, path: Path, **options) -> None:  # noqa: ANN001
    """Write ``catalog`` as a ``.po``/``.pot`` at ``path`` (folders created), sorted by source."""
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("wb") as f:
        write_po(f, catalog, width=0, omit_header=False, **options)
    tmp.replace(path)


def _fingerprint(catalog) -> list[tuple]:  # noqa: ANN001
    """Return the messages of ``catalog`` with their locations, comments and flags (not the header)."""
    return [
        (m.id, m.context, tuple(m.locations), " ".join(m.auto_comments), tuple(sorted(m.flags)))
        for m in catalog
        if m.id
    ]


def update(root: Path, locale_dir: Path | None = None) -> dict[str, Path]:
    """Extract the template from ``root``'s scenes and merge it into every language's catalog.

    A msgid whose English changed keeps its old translation marked fuzzy
    (stale, to be reviewed); one that disappeared becomes obsolete (kept
    at the end, commented out). Returns the files written, by language
    (``"template"`` for the ``.pot``).
    """
    folder = Path(locale_dir or LOCALE_DIR)
    template = extract(root)
    written = {"template": template_path(folder)}
    pot = template_path(folder)
    # An unchanged template is not rewritten (its header carries the extraction date).
    if not pot.is_file() or _fingerprint(read_catalog(pot)) != _fingerprint(template):
        write_catalog(template, pot)
    for lang in languages(folder):
        path = catalog_path(lang, folder)
        catalog = read_catalog(path)
        catalog.update(template, update_header_comment=False)
        write_catalog(catalog, path, ignore_obsolete=False, include_previous=True)
        written[lang] = path
    return written


def init(lang: str, locale_dir: Path | None = None) -> Path:
    """Start ``lang``'s catalog from the template (every entry untranslated); return its path.

    Raises
    ------
    LanguageError
        If ``lang`` is malformed, or already has a catalog.
    FileNotFoundError
        If there is no template yet (run ``render.py i18n extract``).
    """
    from babel.messages.catalog import Catalog

    if not _LANG_RE.match(lang) or lang == SOURCE_LANGUAGE:
        raise LanguageError(f"language {lang!r} is not a code like 'ja' or 'pt_BR' other than 'en'")
    path = catalog_path(lang, locale_dir)
    if path.exists():
        raise LanguageError(f"{lang!r} already has a catalog: {path}")
    template = read_catalog(template_path(locale_dir))
    catalog = Catalog(locale=lang, project=template.project, fuzzy=False)
    catalog.update(template)
    write_catalog(catalog, path)
    return path


# ---------------------------------------------------------------- checking


@dataclass(frozen=True)
class CatalogReport:
    """What :func:`check` found wrong with one language's catalog.

    Attributes
    ----------
    lang : str
        The language.
    untranslated : tuple of str
        Source strings of the template (or of ``needed``) with no usable entry.
    stale : tuple of str
        Source strings whose entry is fuzzy: translated from an older English.
    mismatched : tuple of str
        Entries whose ``{placeholders}`` differ from the source's.
    """

    lang: str
    untranslated: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()
    mismatched: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when every string has a current translation."""
        return not (self.untranslated or self.stale or self.mismatched)

    def lines(self, limit: int | None = None) -> list[str]:
        """Return the problems, one per line, for the command line (at most ``limit`` per kind)."""
        out = []
        for kind, items in (
            ("untranslated", self.untranslated),
            ("stale", self.stale),
            ("placeholders differ", self.mismatched),
        ):
            shown = items if limit is None else items[:limit]
            out += [f"{self.lang}: {kind}: {m!r}" for m in shown]
            if len(items) > len(shown):
                out.append(f"{self.lang}: ... and {len(items) - len(shown)} more {kind}")
        return out


def check(
    lang: str, locale_dir: Path | None = None, needed: Iterable[str] | None = None
) -> CatalogReport:
    """List what ``lang`` lacks: the strings of the template (or ``needed``) not translated or stale.

    Parameters
    ----------
    lang : str
        The language to check (the source language lacks nothing).
    locale_dir : Path, optional
        The catalogs' folder.
    needed : iterable of str, optional
        The source strings that must be translated; default: every msgid of
        the template ``messages.pot``.

    Raises
    ------
    FileNotFoundError
        If ``needed`` is not given and there is no template.
    """
    if lang == SOURCE_LANGUAGE:
        return CatalogReport(lang)
    if needed is None:
        needed = [m.id for m in read_catalog(template_path(locale_dir)) if m.id]
    path = catalog_path(lang, locale_dir)
    entries = {m.id: m for m in read_catalog(path) if m.id} if path.is_file() else {}
    untranslated, stale, mismatched = [], [], []
    for msgid in dict.fromkeys(needed):
        entry = entries.get(msgid)
        if entry is None or not entry.string:
            untranslated.append(msgid)
        elif entry.fuzzy:
            stale.append(msgid)
        elif sorted(_PLACEHOLDER.findall(msgid)) != sorted(_PLACEHOLDER.findall(entry.string)):
            mismatched.append(msgid)
    return CatalogReport(lang, tuple(untranslated), tuple(stale), tuple(mismatched))
