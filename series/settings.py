"""Render settings: the quality and the encoder options of every MP4 the machinery writes.

One :class:`RenderSettings` is used by the worker (manim's segment encoder), by
the assembly when clips must be re-encoded, and by the benchmark's encoding
floor; nothing else names a codec, a crf or a preset.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .quality import DEFAULT, Quality

MANIM_ENCODER_DEFAULTS: dict[str, str] = {"crf": "23"}
"""The libx264 options manim 0.22 uses for MP4 when none are given
(``manim/_config/video_encoder.py``); x264's own default preset is ``medium``."""


@dataclass(frozen=True)
class Encoder:
    """How frames become H.264: the codec, pixel format and libx264 options.

    Attributes
    ----------
    codec, pix_fmt : str
        ``libx264`` and ``yuv420p``: manim's fixed profile for an MP4 (its
        ``video_encoder`` resolves them from the container; they are not options).
    crf : int
        Constant rate factor, 0 (lossless) to 51; manim's default is 23.
    preset : str
        x264 preset. ``veryfast`` encodes 1080p in much less time than x264's
        default ``medium``, at the same quality (crf) and a similar size.
    """

    codec: str = "libx264"
    pix_fmt: str = "yuv420p"
    crf: int = 23
    preset: str = "veryfast"

    def __post_init__(self) -> None:
        if not 0 <= self.crf <= 51:
            raise ValueError(f"crf {self.crf} is out of range; expected 0 to 51")

    def options(self) -> dict[str, str]:
        """Return the libx264 options, as manim's ``video_encoder_options`` and PyAV take them.

        Examples
        --------
        >>> Encoder().options()
        {'crf': '23', 'preset': 'veryfast'}
        """
        return {"crf": str(self.crf), "preset": self.preset}

    def key(self) -> str:
        """Return what the content key records: the options beyond manim's defaults.

        Examples
        --------
        >>> Encoder().key()
        "(('preset', 'veryfast'),)"
        """
        extra = tuple(
            (k, v) for k, v in self.options().items() if MANIM_ENCODER_DEFAULTS.get(k) != v
        )
        return repr(extra)


MANIM_ENCODER = Encoder(preset="medium")
"""What plain ``manim render`` encodes with: libx264, crf 23, yuv420p, x264's ``medium``."""


@dataclass(frozen=True)
class RenderSettings:
    """The quality and the encoder of a render.

    Attributes
    ----------
    quality : Quality
        Pixels and frame rate (default :data:`series.quality.DEFAULT`, 1080p30).
    encoder : Encoder
        The encoder of every MP4 written at this quality.
    voice : str
        The narration's speech service (a :data:`series.speech.VOICE_NAMES`
        name); ``"none"``: silent, subtitles only. Part of a scene's content
        key (:func:`series.cache.content_key`), not of :meth:`key`.
    lang : str
        The language of every word on screen and spoken (``series.i18n``);
        ``"en"``, the source language, by default.
    """

    quality: Quality = DEFAULT
    encoder: Encoder = field(default_factory=Encoder)
    voice: str = "none"
    lang: str = "en"

    @classmethod
    def at(cls, quality: Quality, lang: str = "en") -> RenderSettings:
        """Return the default settings at ``quality`` in language ``lang``."""
        return cls(quality=quality, lang=lang)

    def key(self) -> list[object]:
        """Return the settings' part of a scene's content key (JSON-serialisable).

        The quality's width, height and frame rate, then :meth:`Encoder.key`,
        then the language unless it is English (English keys stay what they were).
        """
        q = self.quality
        lang = [] if self.lang == "en" else [f"lang={self.lang}"]
        return [q.width, q.height, q.fps, self.encoder.key(), *lang]
