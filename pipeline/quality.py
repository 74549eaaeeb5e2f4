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


# People leave voicemails at roughly 2-3 words per second of speech; slow elderly callers near 1.5.
MIN_WORDS_PER_SPEECH_S = 0.8
MIN_SPEECH_FOR_RATE_S = 6.0


def words_per_speech_second(text: str, speech_s: float) -> float:
    return len(re.findall(r"[\w']+", text)) / speech_s if speech_s > 0 else 0.0


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
        speech_s = audio.speech_share * audio.duration_s
        rate = words_per_speech_second(text, speech_s)
        if speech_s >= MIN_SPEECH_FOR_RATE_S and rate < MIN_WORDS_PER_SPEECH_S:
            # Whisper sometimes collapses or drops stretches of speech; what it dropped may be the red flag.
            reasons.append(f"missing_words: only {rate:.1f} words per second of speech heard; parts may be missing")
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
