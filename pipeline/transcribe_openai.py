"""The openai-whisper engine (optional extra `pip install vmtriage[openai]`): PyTorch, float32 on CPU.

Loads a checkpoint by name (from openai-whisper's download folder, fetched only when the user allows
a download) or from a `.pt` path. Silence is cut out with the same Silero VAD as faster-whisper
before decoding, and word times are mapped back to the original recording.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from .audio import vad_options
from .config import TranscriptionConfig
from .model_registry import ModelError
from .records import Transcript, Word
from .transcribe import assemble_transcript, joined_text, load_domain_prompt, pick_language

SAMPLE_RATE = 16000
INSTALL_HINT = "install the optional engine: pip install 'vmtriage[openai]' (CPU torch)"


def openai_download_root() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "whisper"
    return Path(os.environ.get("VMTRIAGE_OPENAI_WHISPER_DIR", default))


def resolve_checkpoint(name_or_path: str, *, allow_download: bool = False) -> str:
    """A `.pt` file, or a model name whose checkpoint is already in the download folder."""
    try:
        import whisper
    except ImportError as exc:
        raise ModelError(f"the openai-whisper engine is not installed; {INSTALL_HINT}") from exc
    path = Path(name_or_path).expanduser()
    if path.suffix == ".pt":
        if not path.is_file():
            raise ModelError(f"openai-whisper checkpoint {path} does not exist; give the path of a .pt file")
        return str(path)
    if name_or_path not in whisper.available_models():
        raise ModelError(f"unknown openai-whisper model {name_or_path!r}; give a .pt path or one of "
                         f"{whisper.available_models()}")
    if not (openai_download_root() / f"{name_or_path}.pt").is_file() and not allow_download:
        raise ModelError(f"openai-whisper model {name_or_path!r} is not in {openai_download_root()}; "
                         "give a local .pt checkpoint, or pass --allow-download (needs internet)")
    return name_or_path


class OpenAIWhisperTranscriber:
    """openai-whisper on CPU; one loaded model, reused for every message."""

    def __init__(self, config: TranscriptionConfig, rules_dir: Path):
        import whisper

        self.config = config
        checkpoint = resolve_checkpoint(config.model, allow_download=config.allow_download)
        try:
            self.model = whisper.load_model(checkpoint, device="cpu", download_root=str(openai_download_root()))
        except (RuntimeError, KeyError, OSError) as exc:
            raise ModelError(f"could not load openai-whisper checkpoint {checkpoint!r}: {exc}") from exc
        self.multilingual = self.model.is_multilingual
        self.rules_dir = rules_dir
        self.prompts: dict[str, str | None] = {}
        self.name = f"openai-whisper:{Path(config.model).name}"

    def prompt_for(self, language: str) -> str | None:
        if self.config.prompt_mode == "hotwords":  # openai-whisper has no hotwords
            return None
        if language not in self.prompts:
            self.prompts[language] = load_domain_prompt(self.rules_dir, self.config, language)
        return self.prompts[language]

    def _detect_language(self, audio: np.ndarray) -> tuple[str, float]:
        import whisper

        if not self.multilingual:
            return "en", 1.0
        if self.config.language:
            return self.config.language, 1.0
        mel = whisper.log_mel_spectrogram(whisper.pad_or_trim(audio), self.model.dims.n_mels)
        _, probs = self.model.detect_language(mel)
        language, probability = pick_language(list(probs.items()), tuple(self.config.languages))
        return language, float(probability)

    def _run(self, audio: np.ndarray, *, task: str, language: str) -> list:
        transcribing = task == "transcribe"
        result = self.model.transcribe(
            audio,
            language=language,
            task=task,
            beam_size=self.config.beam_size,
            initial_prompt=self.prompt_for(language if transcribing else "en"),  # translations are English
            word_timestamps=transcribing and self.config.word_timestamps,
            condition_on_previous_text=False,
            hallucination_silence_threshold=self.config.hallucination_silence_threshold or None,
            fp16=False,
            verbose=None,
        )
        return [SimpleNamespace(**seg) for seg in result["segments"]]

    def transcribe(self, samples: np.ndarray) -> Transcript:
        audio, to_original = (speech_only(samples, self.config.vad_threshold) if self.config.vad_filter
                              else (samples, lambda t: t))
        empty = Transcript(text="", language="en", language_probability=0.0, no_speech_prob=1.0,
                           engine="openai-whisper", model=self.config.model)
        if audio.size == 0:
            return empty
        language, language_probability = self._detect_language(audio)
        segments = self._run(audio, task="transcribe", language=language)
        words = [
            Word(round(to_original(w["start"]), 2), round(to_original(w["end"]), 2), w["word"],
                 round(float(w["probability"]), 4))
            for seg in segments
            for w in (getattr(seg, "words", None) or [])
        ]
        transcript = assemble_transcript(segments, words, language, language_probability,
                                         engine="openai-whisper", model=self.config.model)
        transcript.prompt = self.prompt_for(language) or ""  # the prompt-echo check reads it
        text = transcript.text
        if self.multilingual and language != "en" and text and self.config.translate_non_english:
            transcript.translation = joined_text(self._run(audio, task="translate", language=language))
        return transcript


def speech_only(samples: np.ndarray, threshold: float):
    """The speech regions joined end to end, and a function mapping their times back to the original."""
    from faster_whisper.vad import SpeechTimestampsMap, collect_chunks, get_speech_timestamps

    stamps = get_speech_timestamps(samples, vad_options(threshold))
    if not stamps:
        return np.zeros(0, dtype=np.float32), lambda t: t
    chunks, _ = collect_chunks(samples, stamps)
    mapping = SpeechTimestampsMap(stamps, SAMPLE_RATE)
    return np.concatenate(chunks).astype(np.float32), mapping.get_original_time
