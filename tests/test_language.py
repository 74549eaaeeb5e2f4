"""Spanish voicemails are transcribed in Spanish with `base`, with an English translation for triage."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.audio import decode
from pipeline.config import TranscriptionConfig
from pipeline.transcribe import pick_language

SPANISH = Path(__file__).parent / "fixtures" / "clips" / "spanish.wav"


@pytest.mark.slow
def test_spanish_voicemail_is_transcribed_in_spanish_and_translated(processor):
    transcript = processor.transcriber.transcribe(decode(SPANISH).samples)
    assert transcript.language == "es"
    assert "pecho" in transcript.text.lower()  # "dolor ... en el pecho": Spanish words, not English
    assert "chest" in transcript.translation.lower()
    assert transcript.triage_text == transcript.translation


def test_detection_picks_among_the_practice_languages():
    # Phone-band Spanish is often heard as Italian: the practice's languages break the tie.
    probabilities = [("it", 0.41), ("es", 0.30), ("pt", 0.2), ("en", 0.09)]
    assert pick_language(probabilities, ("en", "es")) == ("es", 0.30)


def test_detection_is_unrestricted_when_no_languages_are_set():
    assert pick_language([("it", 0.41), ("es", 0.30)], ())[0] == "it"


def test_default_languages_are_english_and_spanish():
    assert TranscriptionConfig().languages == ("en", "es")


@pytest.mark.slow
def test_no_window_is_encoded_twice_for_detection_transcription_and_translation(processor):
    # Detecting the language, transcribing and translating all start with the first window;
    # its encoding (~1 s on 2 cores) is shared.
    encoder = processor.transcriber.model.encode
    real_encode, encoded = encoder._encode, []
    encoder.clear()  # nothing left from earlier tests
    encoder._encode = lambda features: encoded.append(features.tobytes()) or real_encode(features)
    try:
        transcript = processor.transcriber.transcribe(decode(SPANISH).samples)
    finally:
        encoder._encode = real_encode
    assert transcript.language == "es" and transcript.translation
    assert encoded and len(set(encoded)) == len(encoded)
