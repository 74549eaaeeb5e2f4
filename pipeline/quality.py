"""Decide whether a person must listen: no speech, low confidence, or a likely hallucination.

Pure functions of the transcript and the audio measurements. A message flagged here is never
called routine silently: the policy surfaces it for a human the same day.
"""

from __future__ import annotations

import re
from collections import Counter

from .records import AudioInfo, Transcript

# Whisper's stock outputs on silence or noise (from its subtitle-heavy training data).
STOCK_PHRASES = (
    "thank you for watching",
    "thanks for watching",
    "please subscribe",
    "subtitles by",
    "like and subscribe",
    "see you in the next video",
    "amara.org",
    "gracias por ver",
    "subtítulos",
)


def repetition_share(text: str, n: int = 3) -> float:
    """Share of word n-grams that are repeats: high for Whisper's looping failure mode."""
    words = re.findall(r"[\w']+", text.lower())
    if len(words) < n * 4:
        return 0.0
    grams = [tuple(words[i : i + n]) for i in range(len(words) - n + 1)]
    counts = Counter(grams)
    repeated = sum(c - 1 for c in counts.values() if c > 1)
    return repeated / len(grams)


def listen_reasons(transcript: Transcript, audio: AudioInfo, *, min_confidence: float) -> list[str]:
    reasons = []
    text = transcript.text.strip()
    if not text or audio.speech_share < 0.03:
        reasons.append("no_speech: no clear speech was heard in the recording")
    else:
        if transcript.confidence < min_confidence:
            reasons.append(f"low_confidence: speech recognition confidence {transcript.confidence:.2f}")
        if repetition_share(text) > 0.4:
            reasons.append("hallucination: the transcript repeats itself, a sign of mis-recognition")
        lowered = text.lower()
        if any(p in lowered for p in STOCK_PHRASES) and audio.speech_share < 0.5:
            reasons.append("hallucination: a stock phrase over little speech")
    if audio.clipped_share > 0.01:
        reasons.append(f"distorted: {audio.clipped_share:.1%} of the audio is clipped")
    return reasons


def apply(transcript: Transcript, audio: AudioInfo, *, min_confidence: float) -> Transcript:
    reasons = listen_reasons(transcript, audio, min_confidence=min_confidence)
    transcript.listen_reasons = reasons
    transcript.needs_listen = bool(reasons)
    return transcript
