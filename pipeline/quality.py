"""Decide whether a person must listen: no speech, low confidence, or a likely hallucination.

Pure functions of the transcript and the audio measurements. A message flagged here is never
called routine silently: the policy surfaces it for a human the same day.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .records import AudioInfo, Transcript, Word

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


# Whisper (most with the domain prompt) often ends a message with a sentence nobody said: "Thank you
# very much.", "I'll see you in the next video.", "Bye.", a prompt word. Measured on the phone set and
# real recordings: such a tail starts with a word of probability <= 0.07 and averages below 0.6; a real
# closing ("Thank you." at 0.67 / 0.94) does not.
TAIL_MAX_WORDS = 8
TAIL_FIRST_WORD_MAX_P = 0.1
TAIL_MEAN_MAX_P = 0.6


def _ends_sentence(word: Word) -> bool:
    return word.word.strip().endswith((".", "?", "!"))


def hallucinated_tail(words: list[Word]) -> int:
    """How many words at the end form a short final sentence Whisper made up (0: none).

    The final sentence is what follows the last sentence end before it; a message that is one
    sentence is never cut (then there is nothing said left to show).
    """
    start = len(words) - 1
    while start > 0 and not _ends_sentence(words[start - 1]):
        start -= 1
    tail = words[start:]
    if start == 0 or not tail or len(tail) > TAIL_MAX_WORDS:
        return 0
    mean = sum(w.probability for w in tail) / len(tail)
    if tail[0].probability < TAIL_FIRST_WORD_MAX_P and mean < TAIL_MEAN_MAX_P:
        return len(tail)
    return 0


def drop_hallucinated_tail(transcript: Transcript) -> Transcript:
    """The transcript without a made-up final sentence (needs per-word probabilities; else unchanged).

    The text is rebuilt from the kept words, which carry their own spacing and punctuation.
    """
    cut = hallucinated_tail(transcript.words)
    if not cut:
        return transcript
    kept, dropped = transcript.words[:-cut], transcript.words[-cut:]
    return replace(transcript, text="".join(w.word for w in kept).strip(), words=kept,
                   dropped_tail="".join(w.word for w in dropped).strip())


# Whisper copies a prompt word in place of what was said ("bill" -> "refill", "medicine" -> "metformin",
# "the leg is" -> "Eliquis"): measured on the phone set, such copies have word probability 0.00, while
# prompt words really said were heard at 0.14 or more.
PROMPT_ECHO_MAX_P = 0.02
COMMON_WORDS = frozenset("""about after because been calling call can't could doctor doctor's from have just last
message mother need office please really since that their there they this through week what when where which
with would your""".split())


def _bare(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def prompt_echoes(transcript: Transcript) -> list[str]:
    """Content words of the domain prompt that Whisper wrote but barely heard: maybe copied, not said."""
    vocabulary = {w for w in map(_bare, transcript.prompt.split()) if len(w) >= 4 and w not in COMMON_WORDS}
    return [_bare(w.word) for w in transcript.words
            if w.probability < PROMPT_ECHO_MAX_P and _bare(w.word) in vocabulary]


def listen_reasons(transcript: Transcript, audio: AudioInfo, *, min_confidence: float) -> list[str]:
    reasons = []
    text = transcript.text.strip()
    speech_s = audio.speech_share * audio.duration_s
    if not text and speech_s >= MIN_SPEECH_FOR_RATE_S:
        # Whisper judged every window silence, yet the VAD heard a caller: not an empty message.
        reasons.append(f"missing_words: {speech_s:.0f} s of speech heard but nothing could be transcribed")
    elif not text or audio.speech_share < 0.03:
        reasons.append("no_speech: no clear speech was heard in the recording")
    else:
        if transcript.confidence < min_confidence:
            reasons.append(f"low_confidence: speech recognition confidence {transcript.confidence:.2f}")
        if repetition_share(text) > 0.4:
            reasons.append("hallucination: the transcript repeats itself, a sign of mis-recognition")
        rate = words_per_speech_second(text, speech_s)
        if speech_s >= MIN_SPEECH_FOR_RATE_S and rate < MIN_WORDS_PER_SPEECH_S:
            # Whisper sometimes collapses or drops stretches of speech; what it dropped may be the red flag.
            reasons.append(f"missing_words: only {rate:.1f} words per second of speech heard; parts may be missing")
        echoes = prompt_echoes(transcript)
        if echoes:
            reasons.append(f"prompt_echo: {', '.join(echoes)} may be copied from the domain prompt, not said")
        lowered = text.lower()
        if any(p in lowered for p in STOCK_PHRASES) and audio.speech_share < 0.5:
            reasons.append("hallucination: a stock phrase over little speech")
    if audio.clipped_share > 0.01:
        reasons.append(f"distorted: {audio.clipped_share:.1%} of the audio is clipped")
    return reasons


def apply(transcript: Transcript, audio: AudioInfo, *, min_confidence: float) -> Transcript:
    transcript = drop_hallucinated_tail(transcript)
    reasons = listen_reasons(transcript, audio, min_confidence=min_confidence)
    transcript.listen_reasons = reasons
    transcript.needs_listen = bool(reasons)
    return transcript
