"""The build tree: every path the machinery writes under the build directory.

Layout, under ``<out>/<quality name>/`` (e.g. ``build/1080p30/``), or in a
language other than English under ``<out>/<lang>/<quality name>/``
(``build/ja/1080p30/``), and with a voice other than the series' voice for
the language under ``<quality name>-<voice>`` (``build/1080p30-recorded/``)::

    scenes/<scene id>_<ClassName>.mp4             one clip per scene of the manifest
    scenes/<...>.srt, .key.json, .timeline.json   its sidecars: subtitles, content key
                                                  record, plays (start, end, section)
    variants/<module>.<ClassName>.mp4, ...        a scene outside the manifest (same sidecars)
    episodes/<episode slug>.mp4, .srt, .key.json  the scenes in manifest order
    <series slug>.mp4, .srt, .key.json            the whole series (on request)
    previews/<ClassName>*.png                     stills and storyboards
    previews/storyboards/<folder>/<id>_<Class>.png  an episode's storyboard sheets
    logs/<scene id>_<ClassName>.log               the full text of a scene's last failure
    .work/<name>/                                 private media dirs (removed after each render)
    .cache/manim/Tex, .cache/manim/texts          manim's TeX and Text SVGs, content-addressed,
                                                  shared by every process (series.texcache),
                                                  kept across builds

and ``<out>/bench/`` for the benchmark's JSON records, ``<out>/.speech/`` for the
narration's normalised audio (all qualities share it; :class:`series.speech.SpeechCache`). Nothing else in
:mod:`series` builds a path under ``<out>``.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .manifest import Episode, SceneRef, Series
from .quality import Quality
from .settings import RenderSettings

_CLIP_NAME = re.compile(r"^(\d+\.\d+_[A-Za-z_]\w*)\.(mp4|srt|key\.json|timeline\.json|log)$")
"""A manifest scene's clip or sidecar: ``<id>_<Class>.<suffix>``."""


@dataclass(frozen=True)
class BuildTree:
    """The build directory for one set of render settings.

    Attributes
    ----------
    out : Path
        The build root (``build``).
    settings : RenderSettings
        Quality and encoder; the quality names the tree's folder.
    default_voice : str or None
        The series' voice for the settings' language. A build with another
        voice gets a folder of its own, ``<quality name>-<voice>`` (e.g.
        ``build/480p15-recorded/``), so clips of two voices never replace each
        other or meet in one episode. ``None``: the folder ignores the voice.
    """

    out: Path
    settings: RenderSettings = field(default_factory=RenderSettings)
    default_voice: str | None = None

    @classmethod
    def at(cls, out: Path, quality: Quality, lang: str = "en") -> BuildTree:
        """Return the tree of ``out`` with the default settings at ``quality`` in ``lang``."""
        return cls(Path(out), RenderSettings.at(quality, lang))

    @property
    def quality(self) -> Quality:
        """The settings' quality."""
        return self.settings.quality

    @property
    def _quality_base(self) -> Path:
        """``<out>/<quality name>``, or ``<out>/<lang>/<quality name>`` in a language other than English."""
        lang = self.settings.lang
        return self.out / self.quality.name if lang == "en" else self.out / lang / self.quality.name

    @property
    def base(self) -> Path:
        """The tree's folder: ``<out>/<quality name>``, e.g. ``build/1080p30``.

        ``build/ja/1080p30`` in Japanese; ``build/1080p30-recorded`` with a
        voice other than the language's default.
        """
        base = self._quality_base
        voice = self.settings.voice
        if self.default_voice is not None and voice != self.default_voice:
            return base.with_name(f"{base.name}-{voice}")
        return base

    # ------------------------------------------------------------------ outputs

    def clip(self, ref: SceneRef) -> Path:
        """Return the final MP4 of a scene's clip.

        Scenes of the manifest go to ``scenes/<id>_<Class>``; scenes outside it
        to their own folder, ``variants/<module>.<Class>``, never mixed with the
        episodes' clips.
        """
        if ref.in_manifest:
            return self.base / "scenes" / f"{ref.id}_{ref.class_name}.mp4"
        return self.base / "variants" / f"{ref.id}.mp4"

    def clips_of_class(self, ref: SceneRef) -> list[Path]:
        """Return the manifest clips of ``ref``'s class under any scene id (ids shift on edits)."""
        folder = self.base / "scenes"
        if not ref.in_manifest or not folder.is_dir():
            return []
        return sorted(
            p
            for p in folder.glob(f"*_{ref.class_name}.mp4")
            if _CLIP_NAME.match(p.name) and p != self.clip(ref)
        )

    def sidecars(self, movie: Path) -> list[Path]:
        """Return a clip's files in the order they are published: subtitles, plays, clip, record."""
        return [self.srt(movie), self.timeline(movie), movie, self.record(movie)]

    def orphans(self, series: Series) -> list[Path]:
        """Return the files of ``scenes/`` and ``logs/`` that no scene of ``series`` owns.

        A scene owns ``<id>_<Class>.*``; files left under an old id (a scene was
        removed or moved) or of a class no longer in the manifest are orphans.
        Temporary files of a running build (``.name.tmp-PID``) are not listed.
        """
        owned = {f"{r.id}_{r.class_name}" for r in series.scenes()}
        found = []
        for folder in (self.base / "scenes", self.base / "logs"):
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                match = _CLIP_NAME.match(path.name)
                if match and match.group(1) not in owned:
                    found.append(path)
        return found

    def episode(self, episode: Episode) -> Path:
        """Return an episode's MP4, ``episodes/<slug>.mp4``."""
        return self.base / "episodes" / f"{episode.slug}.mp4"

    def series_movie(self, series: Series) -> Path:
        """Return the whole series' MP4, ``<slug>.mp4``."""
        return self.base / f"{series.slug}.mp4"

    def preview(self, ref: SceneRef, suffix: str = "") -> Path:
        """Return a still of ``ref``: ``previews/<Class><suffix>.png``."""
        return self.base / "previews" / f"{ref.class_name}{suffix}.png"

    def episode_sheet(self, folder: str, ref: SceneRef) -> Path:
        """Return an episode storyboard sheet: ``previews/storyboards/<folder>/<id>_<Class>.png``."""
        return self.base / "previews" / "storyboards" / folder / f"{ref.id}_{ref.class_name}.png"

    # ------------------------------------------------------------------ sidecars

    @staticmethod
    def srt(movie: Path) -> Path:
        """Return the subtitles beside a clip or an assembly."""
        return movie.with_suffix(".srt")

    @staticmethod
    def record(movie: Path) -> Path:
        """Return the content key record beside a clip or an assembly."""
        return movie.with_suffix(".key.json")

    @staticmethod
    def timeline(movie: Path) -> Path:
        """Return the plays file (index, start, end, section) beside a clip."""
        return movie.with_suffix(".timeline.json")

    def log(self, ref: SceneRef) -> Path:
        """Return the log of a scene's failure, ``logs/<clip name>.log`` (kept with the build)."""
        return self.base / "logs" / f"{self.clip(ref).stem}.log"

    # ------------------------------------------------------------------ scratch and caches

    def work(self, name: str) -> Path:
        """Return a private media directory, ``.work/<name>``."""
        return self.base / ".work" / name

    @contextlib.contextmanager
    def scratch(self, name: str) -> Iterator[Path]:
        """Yield :meth:`work` ``(name)`` emptied; remove it afterwards, whatever happened.

        A failed or cancelled render leaves no ``.work/<name>`` behind (its log
        is in ``logs/``); ``.work`` itself goes when it is left empty.
        """
        work = self.work(name)
        shutil.rmtree(work, ignore_errors=True)
        try:
            yield work
        finally:
            shutil.rmtree(work, ignore_errors=True)
            with contextlib.suppress(OSError):
                work.parent.rmdir()

    @property
    def cache(self) -> Path:
        """The TeX and Text caches of manim, ``.cache/manim``: one for all slots and previews.

        Safe to share between processes once :func:`series.texcache.install` is
        in place (the worker installs it); kept across builds; one for all
        voices at a quality (what a voice changes is not TeX).
        """
        return self._quality_base / ".cache" / "manim"

    @staticmethod
    def remote_cache(root: Path, width: int, height: int) -> Path:
        """Return the TeX and Text caches of a Dask worker whose repository is at ``root``.

        ``<root>/build/.cache/manim-<width>x<height>``: the client's build tree
        means nothing on the worker's machine; kept across jobs and builds.
        """
        return Path(root) / "build" / ".cache" / f"manim-{width}x{height}"

    @property
    def speech_cache(self) -> Path:
        """The narration's audio cache, ``<out>/.speech`` (all qualities share it)."""
        return self.out / ".speech"

    @property
    def bench(self) -> Path:
        """The benchmark's records, ``<out>/bench`` (all qualities)."""
        return self.out / "bench"
