"""Regenerate the flite-voiced telephone set: the phone set's clinical voicemails, read by flite.

    python tests/data/asr_flite/make_flite_set.py

espeak-ng's formant voices are far harder for Whisper than people are (on the same 34 texts and the
same phone channel: WER 29% with espeak voices, 6% with flite's; real recordings sent through the
channel: 4.5%). Flite's voices are closer to a human caller, so this set is reported beside the
espeak one. Same texts, noise levels and codecs as tests/data/asr (tests/data/phone_set.py); flite
has no rate setting, so the rate column is empty. Needs flite and sox; the evaluation reads only
the committed files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # run as a script from anywhere: the project folder first

from tests.data.phone_set import Clip, Voice, write_set  # noqa: E402

VOICES = ("slt", "rms", "awb", "kal16")  # flite's bundled US voices: two statistical, one Scottish, one diphone


def speak(clip: Clip, raw: Path) -> Voice:
    voice = VOICES[clip.index % len(VOICES)]
    subprocess.run(["flite", "-voice", voice, "-t", clip.text, "-o", str(raw)], check=True)
    return Voice(f"flite:{voice}")


if __name__ == "__main__":
    write_set(HERE, speak)
