"""Speech to text behind one `Transcriber` interface.

Two engines: faster-whisper (default; CTranslate2, int8 on CPU) and openai-whisper (optional extra
`[openai]`, in transcribe_openai.py). A model is loaded once per `Transcriber` and kept warm;
callers reuse one instance per worker.
"""

from __future__ import annotations

import hashlib
import math
import threading
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import numpy as np

from .audio import vad_options
from .config import TranscriptionConfig
from .model_registry import resolve_model
from .records import Transcript, Word

PROMPT_MODES = ("initial_prompt", "hotwords", "both")
TEMPERATURES = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)  # faster-whisper's fallback ladder


class Transcriber(Protocol):
    name: str

    def transcribe(self, samples: np.ndarray) -> Transcript: ...


def load_domain_prompt(rules_dir: Path, config: TranscriptionConfig, language: str = "en") -> str | None:
    """The prompt for English, or `prompt.<language>.txt` beside it for another language (else none:
    an English prompt pushes Whisper towards English words)."""
    if not config.use_domain_prompt:
        return None
    path = Path(rules_dir) / config.prompt_file
    if language != "en":
        path = path.with_name(f"{path.stem}.{language}{path.suffix}")
    if not path.is_file():
        return None
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
    text = " ".join(ln for ln in lines if ln and not ln.startswith("#"))
    return text or None


def segment_confidence(segments) -> float:
    """Duration-weighted exp(avg_logprob) of the decoded segments.

    Decoder log-probabilities reflect what the model actually chose (with the domain prompt);
    faster-whisper's per-word probabilities come from a separate alignment pass without the
    prompt and are far noisier, so they are stored for display but not used here.
    """
    if not segments:
        return 0.0
    weights = np.array([max(seg.end - seg.start, 0.1) for seg in segments])
    logs = np.array([seg.avg_logprob for seg in segments])
    return float(math.exp(float(np.sum(weights * logs) / np.sum(weights))))


def pick_language(probabilities: list[tuple[str, float]], allowed: tuple[str, ...]) -> tuple[str, float]:
    """The most probable language among the practice's callers' languages (all when none are set).

    Phone-band Spanish is often taken for Italian or Portuguese; a practice knows which
    languages its callers speak.
    """
    candidates = [(lang, p) for lang, p in probabilities if not allowed or lang in allowed] or probabilities
    return max(candidates, key=lambda item: item[1])


def joined_text(segments) -> str:
    return " ".join(seg.text.strip() for seg in segments).strip()


def assemble_transcript(segments, words: list[Word], language: str, language_probability: float, *,
                        engine: str, model: str) -> Transcript:
    """The engine-independent record of one transcription (both engines' segments look alike)."""
    return Transcript(
        text=joined_text(segments),
        language=language,
        language_probability=round(language_probability, 4),
        words=words,
        confidence=round(segment_confidence(segments), 4),
        no_speech_prob=round(max((seg.no_speech_prob for seg in segments), default=1.0), 4),
        engine=engine,
        model=model,
    )

class RecentEncodings:
    """Whisper's encoder with a memory of the last windows it encoded.

    The encoder is the costliest fixed step (~1 s per 30-s window on 2 cores). Choosing the
    language among the practice's languages, transcribing, and translating a Spanish message would
    each encode the first window; with this it is encoded once. Keyed by the features' bytes, so
    anything different is simply encoded again. The memory is per thread: in backlog mode several
    threads share one model, each transcribing its own message.
    """

    def __init__(self, encode, keep: int = 2):
        self._encode = encode
        self._keep = keep
        self._local = threading.local()

    def clear(self) -> None:
        """Forget this thread's windows."""
        self._local.__dict__.pop("outputs", None)

    def __call__(self, features: np.ndarray):
        outputs: dict[tuple, object] = self._local.__dict__.setdefault("outputs", {})
        data = np.ascontiguousarray(features)
        key = (data.shape, hashlib.blake2b(data.tobytes(), digest_size=16).digest())
        if key in outputs:
            outputs[key] = outputs.pop(key)  # most recent last
        else:
            outputs[key] = self._encode(features)
            while len(outputs) > self._keep:
                del outputs[next(iter(outputs))]
        return outputs[key]


def load_whisper_model(config: TranscriptionConfig, *, workers: int = 1):
    """A faster-whisper model with the encoder memory above; with `workers` > 1, one model that many
    threads may call at once (CTranslate2 runs `workers` calls in parallel, `config.cpu_threads`
    threads each)."""
    from faster_whisper import WhisperModel

    model_path, _ = resolve_model(config.model, allow_download=config.allow_download)
    model = WhisperModel(model_path, device="cpu", compute_type=config.compute_type,
                         cpu_threads=config.cpu_threads, num_workers=max(1, workers))
    model.encode = RecentEncodings(model.encode)
    return model


class FasterWhisperTranscriber:
    """faster-whisper on CPU; one loaded model, reused for every message."""

    def __init__(self, config: TranscriptionConfig, rules_dir: Path, model=None):
        """`model`: one from `load_whisper_model`, shared with other threads (backlog mode)."""
        if config.prompt_mode not in PROMPT_MODES:
            raise ValueError(f"prompt_mode {config.prompt_mode!r}: use one of {PROMPT_MODES}")
        self.config = config
        self.model_path, self.spec = resolve_model(config.model, allow_download=config.allow_download)
        self.multilingual = self.spec.multilingual if self.spec else not config.model.endswith(".en")
        self.model = model or load_whisper_model(config)
        self.rules_dir = rules_dir
        self.prompts: dict[tuple[str, str], str | None] = {}
        self.name = f"faster-whisper:{config.model}"

    def prompt_for(self, language: str, task: str = "transcribe") -> str | None:
        if (language, task) not in self.prompts:
            config = self.config if task == "transcribe" else replace(
                self.config, prompt_file=self.config.translation_prompt_file)
            self.prompts[language, task] = load_domain_prompt(self.rules_dir, config, language)
        return self.prompts[language, task]

    def _language(self, samples: np.ndarray) -> tuple[str, float]:
        if not self.multilingual:
            return "en", 1.0
        if self.config.language:
            return self.config.language, 1.0
        probabilities = self._first_window_languages(samples)
        if not probabilities:
            return "en", 0.0
        return pick_language(probabilities, tuple(self.config.languages))

    def _first_window_languages(self, samples: np.ndarray) -> list[tuple[str, float]]:
        """Language probabilities of the first 30-s window, prepared exactly as `transcribe` prepares
        it (same VAD, same features, same trimming), so its encoding is reused by the transcription."""
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.vad import collect_chunks, get_speech_timestamps

        speech = samples
        if self.config.vad_filter:
            stamps = get_speech_timestamps(samples, vad_options(self.config.vad_threshold))
            speech = np.concatenate(collect_chunks(samples, stamps)[0])
        if not speech.size:
            return []
        extractor = self.model.feature_extractor
        features = extractor(speech)
        frames = min(extractor.nb_max_frames, features.shape[-1] - 1)
        encoded = self.model.encode(pad_or_trim(features[:, :frames]))
        return [(token[2:-2], p) for token, p in self.model.model.detect_language(encoded)[0]]

    def _run(self, samples: np.ndarray, *, language: str, task: str = "transcribe"):
        transcribing = task == "transcribe"
        mode = self.config.prompt_mode
        # Translation output is English: the English prompt steers its clinical words.
        prompt = self.prompt_for(language) if transcribing else self.prompt_for("en", task)
        segments, info = self.model.transcribe(
            samples,
            language=language,
            task=task,
            beam_size=self.config.beam_size,
            initial_prompt=prompt if mode in ("initial_prompt", "both") else None,
            hotwords=prompt if mode in ("hotwords", "both") else None,
            word_timestamps=transcribing and self.config.word_timestamps,
            vad_filter=self.config.vad_filter,
            vad_parameters=vad_options(self.config.vad_threshold),
            condition_on_previous_text=self.config.condition_on_previous_text,
            temperature=TEMPERATURES if self.config.temperature_fallback else 0.0,
            hallucination_silence_threshold=self.config.hallucination_silence_threshold or None,
        )
        return list(segments), info

    def transcribe(self, samples: np.ndarray) -> Transcript:
        language, language_probability = self._language(samples)
        segments, _ = self._run(samples, language=language)
        words = [
            Word(round(w.start, 2), round(w.end, 2), w.word, round(w.probability, 4))
            for seg in segments
            for w in (seg.words or [])
        ]
        transcript = assemble_transcript(segments, words, language, language_probability,
                                         engine="faster-whisper", model=self.config.model)
        transcript.prompt = self.prompt_for(language) or ""
        text = transcript.text
        if self.multilingual and language != "en" and text and self.config.translate_non_english:
            translated, _ = self._run(samples, task="translate", language=language)
            transcript.translation = joined_text(translated)
        return transcript


def build_transcriber(config: TranscriptionConfig, rules_dir: Path) -> Transcriber:
    if config.engine == "faster-whisper":
        return FasterWhisperTranscriber(config, rules_dir)
    if config.engine == "openai-whisper":
        from .transcribe_openai import OpenAIWhisperTranscriber

        return OpenAIWhisperTranscriber(config, rules_dir)
    raise ValueError(f"unknown transcription engine {config.engine!r}; use 'faster-whisper' or 'openai-whisper'")
