"""Text Whisper wrote but nobody said: a made-up final sentence ("Thank you very much.") is dropped;
a domain-prompt word written in place of what was said makes a person listen."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import quality
from pipeline.audio import decode
from pipeline.config import TranscriptionConfig
from pipeline.paths import RULES_DIR
from pipeline.records import Transcript, Word

PHONE_SET = Path(__file__).parent / "data" / "asr"


def words(*pairs: tuple[str, float]) -> list[Word]:
    return [Word(i * 0.3, i * 0.3 + 0.3, text, p) for i, (text, p) in enumerate(pairs)]


SAID = [(" Please", 0.98), (" call", 0.96), (" the", 0.98), (" lab", 0.99), (" back.", 0.43)]


def test_a_low_probability_closing_sentence_is_dropped():
    heard = words(*SAID, (" Thank", 0.02), (" you", 0.97), (" very", 0.08), (" much.", 0.99))
    transcript = quality.drop_hallucinated_tail(Transcript("x", "en", 1.0, words=heard))
    assert transcript.text == "Please call the lab back." and len(transcript.words) == 5


def test_a_dropped_final_sentence_is_still_read_by_triage_and_stored(config):
    # Heard badly (first word p 0.03) but maybe real: a red flag in it must still set the floor.
    heard = words(*SAID, (" I", 0.03), (" can't", 0.4), (" breathe.", 0.5))
    transcript = quality.drop_hallucinated_tail(Transcript("x", "en", 1.0, words=heard))
    assert transcript.text == "Please call the lab back."
    assert transcript.dropped_tail == "I can't breathe."
    assert transcript.triage_text.endswith("I can't breathe.")
    from pipeline.triage import Triager

    assert Triager(config.paths.rules_dir).triage(transcript.triage_text).urgency == "emergency"


def test_a_closing_sentence_heard_with_confidence_is_kept():
    heard = words(*SAID, (" Thank", 0.67), (" you.", 0.94))
    assert quality.hallucinated_tail(heard) == 0


def test_a_long_final_sentence_is_kept_even_if_its_first_word_is_unsure():
    heard = words(*SAID, *[(" word", 0.05)] * 9)
    assert quality.hallucinated_tail(heard) == 0


def test_a_message_of_one_sentence_is_never_cut():
    assert quality.hallucinated_tail(words((" Thank", 0.02), (" you.", 0.5))) == 0


def test_without_word_probabilities_the_transcript_is_unchanged():
    transcript = Transcript("Please call back. Thank you.", "en", 1.0)
    assert quality.drop_hallucinated_tail(transcript) is transcript


PROMPT = "I need a refill of my lisinopril, metformin, warfarin, Eliquis. Please call me back."


def test_a_prompt_word_barely_heard_is_a_reason_to_listen():
    heard = words((" Hi,", 0.79), (" I", 0.94), (" got", 0.98), (" a", 0.98), (" refill", 0.0), (" for", 0.94))
    transcript = Transcript("Hi, I got a refill for", "en", 1.0, words=heard, prompt=PROMPT)
    assert quality.prompt_echoes(transcript) == ["refill"]


def test_a_prompt_word_heard_clearly_enough_is_no_echo():
    heard = words((" I", 0.53), (" need", 0.53), (" a", 0.64), (" refill", 0.19), (" of", 0.24), (" my", 0.97))
    assert quality.prompt_echoes(Transcript("x", "en", 1.0, words=heard, prompt=PROMPT)) == []


def test_without_a_prompt_nothing_is_an_echo():
    heard = words((" a", 0.98), (" refill", 0.0))
    assert quality.prompt_echoes(Transcript("x", "en", 1.0, words=heard)) == []


@pytest.mark.slow
def test_prompt_word_whisper_writes_for_bill_makes_a_person_listen():
    # vm20 says "I got a bill for my last visit"; base with the sentence prompt writes "refill" (p 0.00).
    from pipeline.transcribe import FasterWhisperTranscriber

    decoded = decode(PHONE_SET / "vm20.wav")
    transcriber = FasterWhisperTranscriber(
        TranscriptionConfig(use_domain_prompt=True, prompt_mode="initial_prompt", prompt_file="prompt_sentences.txt",
                            cpu_threads=1), RULES_DIR)
    transcript = quality.apply(transcriber.transcribe(decoded.samples), decoded.info, min_confidence=0.55)
    assert "refill" in transcript.text.lower(), transcript.text  # the audio still triggers the copy
    assert transcript.needs_listen and any(r.startswith("prompt_echo: refill") for r in transcript.listen_reasons)
