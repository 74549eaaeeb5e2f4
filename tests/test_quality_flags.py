"""Each reason for a person to listen fires on audio made to trigger it (real decoding, real Whisper)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from pipeline import quality
from pipeline.audio import decode

FIXTURES = Path(__file__).parent / "fixtures"
RATE = 8000

pytestmark = pytest.mark.slow


def write_phone_wav(path: Path, samples: np.ndarray) -> Path:
    """8 kHz mu-law WAV, as a phone system stores voicemail."""
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).reshape(1, -1)
    with av.open(str(path), "w", format="wav") as out:
        stream = out.add_stream("pcm_mulaw", rate=RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout="mono")
        frame.sample_rate = RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return path


def dual_tone(low: float, high: float, seconds: float, level: float = 0.25) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return level * (np.sin(2 * np.pi * low * t) + np.sin(2 * np.pi * high * t))


def gap(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE))


def hang_up_tones() -> np.ndarray:
    """What a voicemail holds when the caller hung up: line silence, DTMF, busy and dial tone."""
    parts = [gap(1.0)]
    for low, high in ((697, 1209), (770, 1336), (852, 1477), (941, 1336)):  # keys 1 5 9 0
        parts += [dual_tone(low, high, 0.12), gap(0.1)]
    for _ in range(4):  # busy signal: 480 + 620 Hz, 0.5 s on, 0.5 s off
        parts += [dual_tone(480, 620, 0.5), gap(0.5)]
    parts += [dual_tone(350, 440, 3.0), gap(2.0)]  # dial tone
    rng = np.random.default_rng(0)
    return np.concatenate(parts) + rng.normal(0, 0.002, sum(p.size for p in parts))


def check(processor, path: Path):
    decoded = decode(path)
    transcript = processor.transcriber.transcribe(decoded.samples)
    min_confidence = processor.config.transcription.min_confidence
    return quality.apply(transcript, decoded.info, min_confidence=min_confidence)


def test_hang_up_tones_need_a_listen_and_get_no_invented_text(processor, tmp_path):
    transcript = check(processor, write_phone_wav(tmp_path / "tones.wav", hang_up_tones()))
    assert transcript.needs_listen
    assert transcript.listen_reasons[0].startswith("no_speech")
    assert transcript.text == ""


def test_silence_needs_a_listen_and_gets_no_text(processor, tmp_path):
    rng = np.random.default_rng(1)
    transcript = check(processor, write_phone_wav(tmp_path / "hiss.wav", rng.normal(0, 0.003, RATE * 8)))
    assert transcript.needs_listen and transcript.listen_reasons[0].startswith("no_speech")
    assert transcript.text == ""


def test_stock_phrase_over_silence_is_flagged_as_hallucination(processor):
    transcript = check(processor, FIXTURES / "clips" / "stock_phrase.wav")
    assert any(r.startswith("hallucination: a stock phrase") for r in transcript.listen_reasons)


def test_repeated_speech_needs_a_listen_whether_whisper_loops_collapses_or_drops_it(processor):
    # Whisper writes the phrase out many times (a repetition loop), collapses twelve repeats into two,
    # or judges every window silence (words missing for the speech heard); its temperature fallback
    # samples, so which one varies from run to run.
    transcript = check(processor, FIXTURES / "clips" / "repeat_loop.wav")
    assert any(r.startswith(("hallucination: the transcript repeats", "missing_words"))
               for r in transcript.listen_reasons), (transcript.text[:300], transcript.listen_reasons)


def test_too_few_words_for_the_speech_heard_needs_a_listen():
    from pipeline.quality import listen_reasons
    from pipeline.records import AudioInfo, Transcript

    audio = AudioInfo(14.0, 8000, 1, "pcm_mulaw", "wav", -20.0, -3.0, 0.0, 0.3, 0.5, 0.9)
    collapsed = Transcript(text="Please call me back, please call me back.", language="en",
                           language_probability=1.0, confidence=0.9)
    full = Transcript(text=" ".join(["please call me back about my results from the lab"] * 3), language="en",
                      language_probability=1.0, confidence=0.9)
    assert any(r.startswith("missing_words") for r in listen_reasons(collapsed, audio, min_confidence=0.5))
    assert not any(r.startswith("missing_words") for r in listen_reasons(full, audio, min_confidence=0.5))


def test_an_empty_transcript_over_much_speech_is_not_called_an_empty_message():
    from pipeline.quality import listen_reasons
    from pipeline.records import AudioInfo, Transcript

    empty = Transcript(text="", language="en", language_probability=1.0, confidence=0.0)
    spoken = AudioInfo(14.0, 8000, 1, "pcm_mulaw", "wav", -20.0, -3.0, 0.0, 0.3, 0.5, 0.9)
    silent = AudioInfo(14.0, 8000, 1, "pcm_mulaw", "wav", -60.0, -40.0, 0.0, 14.0, 14.0, 0.0)
    assert listen_reasons(empty, spoken, min_confidence=0.5)[0].startswith("missing_words: 13 s of speech")
    assert listen_reasons(empty, silent, min_confidence=0.5)[0].startswith("no_speech")


def test_unintelligible_speech_is_flagged_low_confidence(processor, tmp_path):
    speech = decode(FIXTURES / "voicemails" / "chest_pain.wav").samples
    reversed_speech = write_phone_wav(tmp_path / "reversed.wav", speech[::-1][::2])  # backwards, at 8 kHz
    transcript = check(processor, reversed_speech)
    assert any(r.startswith("low_confidence") for r in transcript.listen_reasons)


def test_clipped_recording_is_flagged_distorted(processor, tmp_path):
    speech = decode(FIXTURES / "voicemails" / "chest_pain.wav").samples[::2]
    transcript = check(processor, write_phone_wav(tmp_path / "clipped.wav", np.clip(speech * 30, -1, 1)))
    assert any(r.startswith("distorted") for r in transcript.listen_reasons)


def test_clear_voicemail_needs_no_listen(processor):
    transcript = check(processor, FIXTURES / "voicemails" / "chest_pain.wav")
    assert not transcript.needs_listen, transcript.listen_reasons
