"""Regenerate the telephone-band ASR set: clinical voicemails from espeak-ng through a phone channel.

    python tests/data/asr/make_asr_set.py

Needs espeak-ng and sox (the evaluation only reads the committed files). Each clip cycles through
several voices, speaking rates, noise levels and phone codecs: speech → band-pass 300–3400 Hz →
white noise → 8 kHz mu-law, A-law or GSM 6.10 (WAV49, as Asterisk stores voicemail). Writes
references.tsv (file, reference, terms) beside the audio.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # run as a script from anywhere: the project folder first

from tests.fixtures.make_fixtures import telephone_clip  # noqa: E402
VOICES = ("en-us", "en-us+f3", "en-gb", "en-us+m3", "en-gb-scotland", "en-us+f2", "en-gb-x-rp")
RATES = (140, 165, 150, 180, 155, 170)
NOISES = (0.002, 0.004, 0.008, 0.004, 0.015)  # white-noise amplitude: SNR about 30 to 12 dB
CODECS = (("u-law", "wav"), ("gsm-full-rate", "wav"), ("a-law", "wav"), ("u-law", "wav"))


def phone_clip(text: str, voice: str, rate: int, noise: float, encoding: str, target: Path) -> None:
    telephone_clip(text, voice, rate, noise, target, encoding=encoding, pad=(0.4, 0.6))


def main() -> None:
    items = yaml.safe_load((HERE / "voicemails.yaml").read_text())
    rows = []
    for i, item in enumerate(items):
        encoding, ext = CODECS[i % len(CODECS)]
        name = f"vm{i + 1:02d}.{ext}"
        voice, rate, noise = VOICES[i % len(VOICES)], RATES[i % len(RATES)], NOISES[i % len(NOISES)]
        phone_clip(item["text"], voice, rate, noise, encoding, HERE / name)
        rows.append({"file": name, "reference": item["text"], "terms": "|".join(item["terms"]),
                     "voice": voice, "rate": rate, "noise": noise, "codec": encoding})
        print("wrote", name, voice, rate, noise, encoding)
    with open(HERE / "references.tsv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
