"""The manifest model: a `Series` of `Episode`s of `SceneRef`s.

The machinery knows nothing of the topic: a manifest names scene classes by
module path and class name, and the machinery imports them only inside the
worker process that renders them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_EPISODE_ID = re.compile(r"^\d{2}$")
_MODULE = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$")
_CLASS = re.compile(r"^[A-Za-z_]\w*$")
_SCENE_ID = re.compile(r"^\d{2}\.\d+$")


class ManifestError(ValueError):
    """A manifest that cannot be rendered (duplicate ids, bad names)."""


class TargetError(LookupError):
    """A render target that names no episode or scene of the manifest."""


@dataclass(frozen=True)
class SceneRef:
    """One scene, by reference: a scene of the manifest, or a variant outside it.

    Attributes
    ----------
    id : str
        Stable id ``"EE.N"`` (episode id, dot, the scene's 1-based position)
        for a scene of the manifest; for a scene outside it, ``"module.Class"``
        (see :mod:`series.targets`).
    module : str
        Dotted module path, e.g. ``"scenes.ep01_derivative"``; for a file
        outside the project, the name it is imported under.
    class_name : str
        The Scene subclass in that module.
    title : str
        Human title, used for chapters and listings.
    path : str
        Absolute path of the scene's source file when it lies outside the
        project (imported from that file); empty when ``module`` imports from
        the project root.
    """

    id: str
    module: str
    class_name: str
    title: str
    path: str = ""

    @property
    def in_manifest(self) -> bool:
        """Whether this is a scene of an episode (``"EE.N"`` id), not a variant."""
        return bool(_SCENE_ID.match(self.id))

    @property
    def episode_id(self) -> str:
        """The id of the episode this scene belongs to; empty for a scene outside the manifest."""
        return self.id.split(".", 1)[0] if self.in_manifest else ""


@dataclass(frozen=True)
class Episode:
    """An ordered group of scenes rendered into one episode video.

    Attributes
    ----------
    id : str
        Two digits, e.g. ``"01"``.
    title : str
        Human title.
    slug : str
        File-name stem of the episode's outputs, e.g. ``"ep01_derivative"``.
    scenes : tuple of SceneRef
        In playing order.
    """

    id: str
    title: str
    slug: str
    scenes: tuple[SceneRef, ...]


def episode(id: str, title: str, slug: str, scenes: Iterable[tuple[str, str, str]]) -> Episode:  # noqa: A002
    """Build an :class:`Episode` from ``(module, class_name, title)`` triples.

    Scene ids are assigned in order: ``"01.1"``, ``"01.2"``, ...

    Raises
    ------
    ManifestError
        If the episode id is not two digits, or a module or class name is not
        a valid Python dotted name.
    """
    if not _EPISODE_ID.match(id):
        raise ManifestError(f"episode id {id!r} must be two digits, e.g. '01'")
    refs = []
    for n, (module, class_name, scene_title) in enumerate(scenes, start=1):
        if not _MODULE.match(module):
            raise ManifestError(f"scene {n} of episode {id}: bad module path {module!r}")
        if not _CLASS.match(class_name):
            raise ManifestError(f"scene {n} of episode {id}: bad class name {class_name!r}")
        refs.append(SceneRef(f"{id}.{n}", module, class_name, scene_title))
    if not refs:
        raise ManifestError(f"episode {id} ({title!r}) has no scenes")
    return Episode(id, title, slug, tuple(refs))


@dataclass(frozen=True)
class Series:
    """An ordered, validated manifest of episodes.

    Attributes
    ----------
    title, slug : str
        Human title; file-name stem of the whole-series outputs.
    episodes : tuple of Episode
        In order.
    fonts : tuple of str
        Font families the scenes pin (checked before a build).
    font_package : str
        What installs those fonts (for the preflight message).
    needs_latex : bool
        Whether the scenes use MathTex (LaTeX and dvisvgm are checked).
    voices : tuple of (str, str)
        ``(language, voice)`` pairs: the narration's default voice per language
        (``--voice`` overrides it; a language not listed takes
        :data:`series.speech.DEFAULT_VOICES`'s).

    Raises
    ------
    ManifestError
        On construction, if two episodes share an id or slug, or two scenes
        share a class name (class names are render targets).
    """

    title: str
    slug: str
    episodes: tuple[Episode, ...]
    fonts: tuple[str, ...] = ()
    font_package: str = ""
    needs_latex: bool = False
    voices: tuple[tuple[str, str], ...] = ()

    def voice_for(self, lang: str = "en") -> str:
        """Return the default voice of the narration in ``lang`` (see ``voices``)."""
        from .speech import default_voice

        return default_voice(lang, dict(self.voices))

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for ep in self.episodes:
            for key in (f"episode {ep.id}", f"slug {ep.slug}"):
                if key in seen:
                    raise ManifestError(f"duplicate {key} in series {self.title!r}")
                seen[key] = key
            for ref in ep.scenes:
                key = f"class {ref.class_name}"
                if key in seen:
                    raise ManifestError(
                        f"scene class {ref.class_name!r} appears twice "
                        f"({seen[key]} and {ref.id}); class names must be unique"
                    )
                seen[key] = ref.id

    def scenes(self) -> Iterator[SceneRef]:
        """Every scene, in series order."""
        for ep in self.episodes:
            yield from ep.scenes

    def episode_of(self, ref: SceneRef) -> Episode:
        """Return the episode that contains ``ref``."""
        return next(ep for ep in self.episodes if ep.id == ref.episode_id)

    def resolve(self, targets: Iterable[str]) -> list[SceneRef]:
        """Scenes named by targets, in series order, without repeats.

        Parameters
        ----------
        targets : iterable of str
            Episode ids (``"01"`` or ``"1"``), scene ids (``"01.2"``) or scene
            class names (case-insensitive). No targets means the whole series.

        Raises
        ------
        TargetError
            Naming the target and listing what exists.
        """
        targets = list(targets)
        if not targets:
            return list(self.scenes())
        wanted: set[str] = set()
        for target in targets:
            wanted.update(ref.id for ref in self._resolve_one(target))
        return [ref for ref in self.scenes() if ref.id in wanted]

    def find_scene(self, target: str) -> SceneRef:
        """Return the one scene named by ``target`` (scene id or class name).

        Raises
        ------
        TargetError
            If ``target`` names no scene, or names a whole episode.
        """
        refs = self._resolve_one(target)
        if len(refs) != 1:
            raise TargetError(f"{target!r} is an episode; name one scene.\n{self.describe()}")
        return refs[0]

    def _resolve_one(self, target: str) -> list[SceneRef]:
        t = target.strip()
        if t.isdigit():
            t = t.zfill(2)
        for ep in self.episodes:
            if t == ep.id:
                return list(ep.scenes)
        for ref in self.scenes():
            if t == ref.id or t.lower() == ref.class_name.lower():
                return [ref]
        raise TargetError(f"unknown target {target!r}. Known targets:\n{self.describe()}")

    def describe(self) -> str:
        """Return a plain-text outline: episode ids and titles, scene ids and classes."""
        lines = []
        for ep in self.episodes:
            lines.append(f"  {ep.id}  {ep.title}")
            lines.extend(f"    {r.id:6} {r.class_name:28} {r.title}" for r in ep.scenes)
        return "\n".join(lines)

    def outline_markdown(self) -> str:
        """Return the outline as Markdown: one list item per episode, nested scenes."""
        lines = []
        for ep in self.episodes:
            lines.append(f"- **{ep.id} {ep.title}** (`{ep.slug}`)")
            lines.extend(f"  - `{r.id}` `{r.class_name}`: {r.title}" for r in ep.scenes)
        return "\n".join(lines)
