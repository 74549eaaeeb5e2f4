"""The optional openai-whisper engine, on a tiny randomly initialised checkpoint built here (no hub).

Skipped where the `[openai]` extra is not installed (CI installs only `.[dev]`: torch is large).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.audio import decode
from pipeline.config import TranscriptionConfig
from pipeline.model_registry import ModelError
from pipeline.paths import RULES_DIR

torch = pytest.importorskip("torch", reason="openai-whisper engine not installed: pip install '.[openai]'")
pytest.importorskip("whisper", reason="openai-whisper engine not installed: pip install '.[openai]'")

VOICEMAIL = Path(__file__).parent / "fixtures" / "voicemails" / "refill.wav"


def tiny_random_checkpoint(path: Path) -> Path:
    """A 2-layer, 64-wide Whisper with the real multilingual vocabulary and random weights."""
    from whisper.model import ModelDimensions, Whisper

    dims = ModelDimensions(n_mels=80, n_audio_ctx=1500, n_audio_state=64, n_audio_head=2, n_audio_layer=2,
                           n_vocab=51865, n_text_ctx=64, n_text_state=64, n_text_head=2, n_text_layer=2)
    torch.manual_seed(0)
    model = Whisper(dims)
    with torch.no_grad():
        for param in model.parameters():  # some are allocated with torch.empty: give them real values
            param.normal_(0.0, 0.02)
    torch.save({"dims": dims.__dict__, "model_state_dict": model.state_dict()}, path)
    return path


def openai_config(model: str) -> TranscriptionConfig:
    return replace(TranscriptionConfig(), engine="openai-whisper", model=model, language="en", beam_size=1)


@pytest.mark.slow
def test_openai_engine_loads_a_pt_checkpoint_and_transcribes(tmp_path):
    from pipeline.transcribe import build_transcriber

    checkpoint = tiny_random_checkpoint(tmp_path / "tiny-random.pt")
    transcriber = build_transcriber(openai_config(str(checkpoint)), RULES_DIR)
    audio = decode(VOICEMAIL)
    opening = audio.samples[: 16000 * 2]  # two seconds of speech: one decoding window keeps the test short
    transcript = transcriber.transcribe(opening)
    assert transcriber.name == "openai-whisper:tiny-random.pt"
    assert transcript.engine == "openai-whisper"
    assert transcript.language == "en"
    assert transcript.text  # the random decoder still emits tokens: decoding really ran
    assert 0.0 <= transcript.confidence <= 1.0
    assert all(0.0 <= w.start <= w.end <= 2.5 for w in transcript.words)
    assert transcript.prompt and transcript.prompt == transcriber.prompt_for("en")  # for the prompt-echo check


def test_openai_engine_refuses_a_missing_checkpoint_with_the_fix(tmp_path):
    from pipeline.transcribe_openai import resolve_checkpoint

    with pytest.raises(ModelError, match="does not exist"):
        resolve_checkpoint(str(tmp_path / "absent.pt"))


def test_openai_engine_never_downloads_a_named_model_unasked(tmp_path, monkeypatch):
    from pipeline.transcribe_openai import resolve_checkpoint

    monkeypatch.setenv("VMTRIAGE_OPENAI_WHISPER_DIR", str(tmp_path))
    with pytest.raises(ModelError, match="--allow-download"):
        resolve_checkpoint("base")
