"""What the decoder measures per message, and the limits it enforces, on audio made for each case."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.audio import SAMPLE_RATE, AudioError, decode, measure

SPEECH = Path(__file__).parent / "fixtures" / "formats" / "pcm_16k.wav"


def tone(seconds: float, amplitude: float, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def test_duration_loudness_and_peak_of_a_known_tone():
    info = measure(tone(2.0, 0.5))
    assert info.duration_s == pytest.approx(2.0)
    assert info.loudness_dbfs == pytest.approx(-9.03, abs=0.05)  # RMS of a sine = peak / sqrt(2)
    assert info.peak_dbfs == pytest.approx(-6.02, abs=0.05)


def test_clipped_share_counts_samples_at_full_scale():
    info = measure(np.clip(tone(1.0, 2.0), -1.0, 1.0))
    # A sine at twice full scale is at or over the 0.99 clip level while |sin| >= 0.495.
    assert info.clipped_share == pytest.approx(1 - 2 / np.pi * np.arcsin(0.495), abs=0.005)


def test_leading_and_trailing_silence_around_speech():
    speech = decode(SPEECH).samples
    info = measure(np.concatenate([silence(3.0), speech, silence(2.0)]))
    assert info.leading_silence_s == pytest.approx(3.0, abs=0.35)
    assert info.trailing_silence_s == pytest.approx(2.0, abs=0.35)
    assert 0.15 < info.speech_share < 0.45


def test_silence_has_no_speech():
    info = measure(silence(5.0))
    assert info.speech_share == 0.0
    assert info.leading_silence_s == pytest.approx(5.0)


def test_recording_over_the_duration_limit_is_refused_with_the_limit(tmp_path):
    with pytest.raises(AudioError, match="longer than the 1-second limit") as err:
        decode(SPEECH, max_duration_s=1.0)
    assert err.value.code == "too_long"


def test_file_over_the_size_limit_is_refused_with_its_size():
    with pytest.raises(AudioError, match="over the 0.01 MB limit") as err:
        decode(SPEECH, max_size_mb=0.01)
    assert err.value.code == "too_large"


def test_empty_file_is_refused(tmp_path):
    (tmp_path / "empty.wav").write_bytes(b"")
    with pytest.raises(AudioError) as err:
        decode(tmp_path / "empty.wav")
    assert err.value.code == "empty"


def test_text_file_is_not_audio(tmp_path):
    (tmp_path / "note.wav").write_text("call me back\n" * 50)
    with pytest.raises(AudioError) as err:
        decode(tmp_path / "note.wav")
    assert err.value.code == "not_audio"
