"""Every format a practice may send decodes to 16 kHz mono through PyAV, with its source measured."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.audio import SAMPLE_RATE, decode

FORMATS = Path(__file__).parent / "fixtures" / "formats"
REFERENCE = FORMATS / "pcm_16k.wav"

# file: (codec as ffmpeg names it, source sample rate)
CASES = {
    "pcm_8k.wav": ("pcm_s16le", 8000),
    "pcm_16k.wav": ("pcm_s16le", 16000),
    "pcm_44k.wav": ("pcm_s16le", 44100),
    "mulaw.wav": ("pcm_mulaw", 8000),
    "alaw.wav": ("pcm_alaw", 8000),
    "wav49.wav": ("gsm_ms", 8000),
    "speech.gsm": ("gsm", 8000),
    "speech.mp3": ("mp3float", 22050),
    "speech.m4a": ("aac", 16000),
    "speech.opus.ogg": ("opus", 48000),
    "speech.flac": ("flac", 16000),
}


@pytest.fixture(scope="module")
def reference_duration() -> float:
    return decode(REFERENCE).info.duration_s


@pytest.mark.parametrize("name", sorted(CASES))
def test_format_decodes_to_16k_mono_with_the_whole_phrase(name, reference_duration):
    decoded = decode(FORMATS / name)
    codec, rate = CASES[name]
    assert decoded.samples.dtype == np.float32 and decoded.samples.ndim == 1
    assert (decoded.info.codec, decoded.info.source_sample_rate) == (codec, rate)
    assert decoded.info.duration_s == pytest.approx(reference_duration, abs=0.12)  # codec priming/padding
    assert decoded.info.speech_share > 0.4  # the phrase survived the codec: VAD still hears speech


def test_stereo_is_mixed_down_to_mono():
    decoded = decode(FORMATS / "stereo.wav")
    mono = decode(REFERENCE)
    assert decoded.info.source_channels == 2
    assert decoded.samples.ndim == 1
    # Caller on the left, silence on the right: the mix-down averages them, 6 dB quieter.
    assert decoded.info.loudness_dbfs == pytest.approx(mono.info.loudness_dbfs - 6.0, abs=0.5)


def test_identical_stereo_channels_mix_down_without_gain(tmp_path):
    """Both channels carrying the same 0.9-peak tone must stay at 0.9, not clip."""
    import av

    path = tmp_path / "same_both_sides.wav"
    tone = (0.9 * np.sin(2 * np.pi * 440 * np.arange(SAMPLE_RATE) / SAMPLE_RATE) * 32767).astype(np.int16)
    with av.open(str(path), "w", format="wav") as out:
        stream = out.add_stream("pcm_s16le", rate=SAMPLE_RATE, layout="stereo")
        frame = av.AudioFrame.from_ndarray(np.stack([tone, tone]).T.reshape(1, -1), format="s16", layout="stereo")
        frame.sample_rate = SAMPLE_RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    decoded = decode(path)
    assert decoded.info.peak_dbfs == pytest.approx(20 * np.log10(0.9), abs=0.1)
    assert decoded.info.clipped_share == 0.0


def test_resampling_keeps_the_length_of_the_recording():
    assert decode(FORMATS / "pcm_44k.wav").samples.size == pytest.approx(decode(REFERENCE).samples.size, abs=16)
