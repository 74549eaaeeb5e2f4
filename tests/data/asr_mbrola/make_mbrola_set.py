"""Regenerate the MBROLA-voiced telephone set: the phone set's clinical voicemails, read by espeak-ng
driving MBROLA diphone voices (recorded human diphones, closer to a caller than espeak's formant voices).

    python tests/data/asr_mbrola/make_mbrola_set.py

Needs espeak-ng, sox and the MBROLA voices, which Debian ships in contrib/non-free:
`apt-get install mbrola mbrola-us1 mbrola-us2 mbrola-us3 mbrola-en1`. The WAVs are committed, so the
evaluation, the tests and CI never need them. Same texts, noise levels and codecs as tests/data/asr
(tests/data/phone_set.py); the voices and speaking rates cycle.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # run as a script from anywhere: the project folder first

from tests.data.phone_set import Clip, Voice, write_set  # noqa: E402
from tests.fixtures.make_fixtures import espeak_speech  # noqa: E402

VOICES = ("mb-us1", "mb-us2", "mb-en1", "mb-us3")  # US woman, US man, British man, US man
RATES = (150, 170, 140, 165, 180, 155)  # words a minute
# mb-us3 has no diphones for espeak's "O2" vowel ("long", "on", "Monday"); MBROLA says so on stderr and
# puts silence in its place. Such a clip goes to the next voice rather than lose a sound.
MISSING_DIPHONE = "unknown, replaced with"


def speak(clip: Clip, raw: Path) -> Voice:
    rate = RATES[clip.index % len(RATES)]
    for k in range(len(VOICES)):
        voice = VOICES[(clip.index + k) % len(VOICES)]
        if MISSING_DIPHONE not in espeak_speech(clip.text, voice, rate, raw):
            return Voice(voice, rate)
    raise RuntimeError(f"{clip.file}: every MBROLA voice lacks a diphone of this text")


if __name__ == "__main__":
    write_set(HERE, speak)
