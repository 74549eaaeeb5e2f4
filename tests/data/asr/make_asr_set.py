"""Regenerate the telephone-band ASR set: clinical voicemails from espeak-ng through a phone channel.

    python tests/data/asr/make_asr_set.py

Needs espeak-ng and sox (the evaluation only reads the committed files). Each clip cycles through
several voices and speaking rates; the texts (voicemails.yaml), noise levels and phone codecs are
those of every phone set (tests/data/phone_set.py): speech → band-pass 300–3400 Hz → white noise →
8 kHz mu-law, A-law or GSM 6.10 (WAV49, as Asterisk stores voicemail). Writes references.tsv (file,
reference, terms, voice, rate, noise, codec) beside the audio.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # run as a script from anywhere: the project folder first

from tests.data.phone_set import Clip, Voice, write_set  # noqa: E402
from tests.fixtures.make_fixtures import espeak_speech  # noqa: E402

VOICES = ("en-us", "en-us+f3", "en-gb", "en-us+m3", "en-gb-scotland", "en-us+f2", "en-gb-x-rp")
RATES = (140, 165, 150, 180, 155, 170)  # words a minute


def speak(clip: Clip, raw: Path) -> Voice:
    voice, rate = VOICES[clip.index % len(VOICES)], RATES[clip.index % len(RATES)]
    espeak_speech(clip.text, voice, rate, raw)
    return Voice(voice, rate)


if __name__ == "__main__":
    write_set(HERE, speak)
