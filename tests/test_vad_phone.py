"""Voice activity detection keeps all of a phone message: speech that the VAD drops never reaches
Whisper, and nothing downstream can tell it was there."""

from __future__ import annotations

from pathlib import Path

from faster_whisper.vad import VadOptions, get_speech_timestamps

from pipeline import audio

# Flite's flat "kal16" voice through the phone band (tests/fixtures/make_clips.py): a fall on a
# blood thinner with vomiting, told in 7.7 s.
PHONE_TAIL = Path(__file__).parent / "fixtures" / "clips" / "phone_tail.wav"


def test_the_fixture_is_one_that_the_vad_default_threshold_cuts_short():
    samples = audio.decode(PHONE_TAIL).samples
    stamps = get_speech_timestamps(samples, VadOptions())  # Silero's default threshold, 0.5
    assert stamps[-1]["end"] / audio.SAMPLE_RATE < 0.5 * samples.size / audio.SAMPLE_RATE


def test_phone_speech_is_heard_to_its_end():
    decoded = audio.decode(PHONE_TAIL)
    spans = audio.speech_spans(decoded.samples)
    assert spans[-1][1] > decoded.info.duration_s - 1.0  # only the channel's trailing pad is left out
    assert decoded.info.speech_share > 0.8


def test_the_end_of_the_message_reaches_the_transcript(processor):
    transcript = processor.transcriber.transcribe(audio.decode(PHONE_TAIL).samples)
    assert "throwing up" in transcript.text.lower()
