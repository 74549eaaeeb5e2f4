"""Decode any recording ffmpeg reads (through PyAV) into 16 kHz mono float32, and measure it.

Rejections are `AudioError`s with a short code (for the quarantine table) and a sentence a
person can act on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from .config import TranscriptionConfig
from .records import AudioInfo

SAMPLE_RATE = 16000
CLIP_LEVEL = 0.99
SILENCE_FLOOR = 1e-10


class AudioError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class DecodedAudio:
    samples: np.ndarray  # float32, mono, 16 kHz
    info: AudioInfo


def check_size(path: Path, max_size_mb: float) -> None:
    size = path.stat().st_size
    if size == 0:
        raise AudioError("empty", "the file is empty (0 bytes): nothing was recorded or the copy failed")
    if size > max_size_mb * 1024 * 1024:
        raise AudioError(
            "too_large", f"the file is {size / 1048576:.1f} MB, over the {max_size_mb:g} MB limit "
            "([audio] max_size_mb in the configuration)"
        )


def decode(path: str | Path, *, max_duration_s: float = 600.0, max_size_mb: float = 100.0) -> DecodedAudio:
    path = Path(path)
    check_size(path, max_size_mb)
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except av.error.InvalidDataError as exc:
        raise AudioError("not_audio", f"not a recording ffmpeg can read ({exc.strerror or exc})") from exc
    except (av.error.FFmpegError, OSError) as exc:
        raise AudioError("unreadable", f"could not open the file: {exc}") from exc
    with container:
        if not container.streams.audio:
            raise AudioError("not_audio", "the file holds no audio stream")
        stream = container.streams.audio[0]
        if stream.codec_context is None:
            raise AudioError("not_audio", "the audio is in a format (codec) this system cannot decode")
        codec = stream.codec_context.name
        source_rate = stream.codec_context.sample_rate or 0
        source_channels = stream.codec_context.channels or 0
        chunks = _decode_stream(container, stream, max_duration_s)
    samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    if samples.size < SAMPLE_RATE // 10:
        raise AudioError("truncated", "the recording holds less than 0.1 s of audio: it is empty or cut off")
    voice = suppress_tones(samples)
    info = measure(samples, codec=codec, container=container.format.name,
                   source_rate=source_rate, source_channels=source_channels, voice=voice)
    return DecodedAudio(samples=voice, info=info)


def _mono(frame) -> np.ndarray:
    """The average of the channels. FFmpeg's own down-mix adds them at -3 dB each, which pushes
    identical channels 3 dB over full scale (false clipping, louder than the source)."""
    return frame.to_ndarray().mean(axis=0, dtype=np.float32)


def _decode_stream(container, stream, max_duration_s: float) -> list[np.ndarray]:
    resampler = av.AudioResampler(format="fltp", rate=SAMPLE_RATE)  # keep the channels; average below
    chunks: list[np.ndarray] = []
    total = 0
    limit = int(max_duration_s * SAMPLE_RATE)
    try:
        for frame in container.decode(stream):
            frame.pts = None
            for out in resampler.resample(frame):
                chunk = _mono(out)
                chunks.append(chunk)
                total += chunk.size
            if total > limit:
                raise AudioError("too_long", f"the recording is longer than the {_span(max_duration_s)} limit "
                                             "([audio] max_duration_s in the configuration)")
        for out in resampler.resample(None):
            chunks.append(_mono(out))
    except av.error.FFmpegError as exc:
        if total < SAMPLE_RATE // 10:
            raise AudioError("corrupt", f"the audio data is damaged and could not be decoded ({exc})") from exc
        # Keep what decoded: a truncated tail is common when a phone system drops a call.
    return chunks


def _span(seconds: float) -> str:
    return f"{seconds / 60:g}-minute" if seconds >= 60 else f"{seconds:g}-second"


def _dbfs(value: float) -> float:
    return float(20 * np.log10(max(value, SILENCE_FLOOR)))


def measure(samples: np.ndarray, *, codec: str = "", container: str = "",
            source_rate: int = SAMPLE_RATE, source_channels: int = 1, voice: np.ndarray | None = None) -> AudioInfo:
    """Loudness, peak, clipping, silence at the ends and share of speech (Silero VAD).

    Level and clipping are measured on the recording as it came; speech on `voice`, the recording
    with phone tones removed (computed here when not given).
    """
    duration = samples.size / SAMPLE_RATE
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if samples.size else 0.0
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    clipped = float(np.mean(np.abs(samples) >= CLIP_LEVEL)) if samples.size else 0.0
    spans = speech_spans(suppress_tones(samples) if voice is None else voice)
    speech = sum(end - start for start, end in spans)
    leading = spans[0][0] if spans else duration
    trailing = duration - spans[-1][1] if spans else duration
    return AudioInfo(
        duration_s=round(duration, 3),
        source_sample_rate=int(source_rate),
        source_channels=int(source_channels),
        codec=codec,
        container=container,
        loudness_dbfs=round(_dbfs(rms), 2),
        peak_dbfs=round(_dbfs(peak), 2),
        clipped_share=round(clipped, 5),
        leading_silence_s=round(max(leading, 0.0), 3),
        trailing_silence_s=round(max(trailing, 0.0), 3),
        speech_share=round(speech / duration, 4) if duration else 0.0,
    )


TONE_FRAME = 512  # 32 ms at 16 kHz
TONE_SHARE = 0.98  # share of a frame's energy in its two strongest narrow peaks
TONE_RUN = 6  # frames (192 ms) of the same peaks: a tone, not a voice (pitch and formants move)


def suppress_tones(samples: np.ndarray) -> np.ndarray:
    """A copy with steady one- or two-frequency tones silenced: dial, busy, ring-back, SIT, fax.

    Whisper writes words onto these (often lines of the domain prompt) and the VAD takes some
    for speech. Speech rarely holds the same two narrow peaks for 192 ms (espeak's flat vowels
    sometimes do).
    """
    n = TONE_FRAME
    count = samples.size // n
    if count < TONE_RUN:
        return samples
    frames = samples[: count * n].reshape(count, n)
    power = np.abs(np.fft.rfft(frames * np.hanning(n), axis=1)) ** 2
    total = power.sum(axis=1) + 1e-12
    rows = np.arange(count)
    rest = power.copy()
    peak_energy = np.zeros(count)
    peaks = []
    for _ in range(2):
        top = rest.argmax(axis=1)
        peaks.append(top)
        for offset in range(-2, 3):  # the main lobe of a windowed sinusoid
            idx = np.clip(top + offset, 0, power.shape[1] - 1)
            peak_energy += rest[rows, idx]
            rest[rows, idx] = 0.0
    tonal = peak_energy / total > TONE_SHARE
    low, high = np.minimum(*peaks), np.maximum(*peaks)
    same = np.zeros(count, dtype=bool)
    same[1:] = (np.abs(np.diff(low)) <= 1) & (np.abs(np.diff(high)) <= 1)
    mask = np.zeros(count, dtype=bool)
    start = 0
    while start < count:
        if not tonal[start]:
            start += 1
            continue
        end = start + 1
        while end < count and tonal[end] and same[end]:
            end += 1
        if end - start >= TONE_RUN:
            mask[start:end] = True
        start = end
    if not mask.any():
        return samples
    out = samples.copy()
    out[: count * n].reshape(count, n)[mask] = 0.0
    return out


# Silero VAD was trained mostly on wideband speech: on 8 kHz phone audio its speech probability
# hovers at 0.3-0.6, and at its default threshold (0.5) it cut the last 1-2 s of speech from real
# recordings sent through a phone channel (2 of 13) and from 3 of 34 flite-voiced voicemails;
# at 0.35 none lost speech, and noise, hum and tones still gave no speech at all.
PHONE_VAD_THRESHOLD = TranscriptionConfig.vad_threshold


def vad_options(threshold: float = PHONE_VAD_THRESHOLD, **overrides):
    """Silero VAD settings for telephone audio (faster-whisper's bundled model, no download)."""
    from faster_whisper.vad import VadOptions

    return VadOptions(threshold=threshold, **overrides)


def speech_spans(samples: np.ndarray) -> list[tuple[float, float]]:
    """Speech regions in seconds, from faster-whisper's bundled Silero VAD (no download)."""
    from faster_whisper.vad import get_speech_timestamps

    if samples.size == 0:
        return []
    stamps = get_speech_timestamps(samples, vad_options(min_silence_duration_ms=500))
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]
