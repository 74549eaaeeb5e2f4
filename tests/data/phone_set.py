"""What the telephone-band ASR sets share: the voicemails, the phone channel, and writing a set.

Each set (asr: espeak-ng formant voices, asr_flite: flite, asr_mbrola: espeak-ng with MBROLA voices)
has the same texts, red-flag terms, noise levels and codecs, so their scores differ only by voice.
A set's script says only how its voices speak (a `Speaker`) and calls `write_set`.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.fixtures.make_fixtures import phone_channel

DATA = Path(__file__).resolve().parent
TEXTS = DATA / "asr" / "voicemails.yaml"
NOISES = (0.002, 0.004, 0.008, 0.004, 0.015)  # white-noise amplitude: SNR about 30 to 12 dB
CODECS = ("u-law", "gsm-full-rate", "a-law", "u-law")  # 8 kHz WAV; GSM 6.10 as Asterisk stores voicemail
PAD = (0.4, 0.6)  # seconds of line before and after the speech
COLUMNS = ("file", "reference", "terms", "voice", "rate", "noise", "codec")


@dataclass(frozen=True)
class Clip:
    """One voicemail of the set and the channel it goes through."""

    index: int
    file: str
    text: str
    terms: tuple[str, ...]
    noise: float
    codec: str


@dataclass(frozen=True)
class Voice:
    """How a clip was spoken, as references.tsv records it (rate empty when the engine has none)."""

    name: str
    rate: int | str = ""


# Writes `text` as speech to the WAV path given and says which voice spoke it.
Speaker = Callable[[Clip, Path], Voice]


def clips() -> list[Clip]:
    items = yaml.safe_load(TEXTS.read_text(encoding="utf-8"))
    return [Clip(i, f"vm{i + 1:02d}.wav", item["text"], tuple(item["terms"]), NOISES[i % len(NOISES)],
                 CODECS[i % len(CODECS)]) for i, item in enumerate(items)]


def reference_row(clip: Clip, voice: Voice) -> dict:
    return {"file": clip.file, "reference": clip.text, "terms": "|".join(clip.terms), "voice": voice.name,
            "rate": voice.rate, "noise": clip.noise, "codec": clip.codec}


def write_references(folder: Path, rows: list[dict]) -> None:
    with (folder / "references.tsv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_set(folder: Path, speak: Speaker) -> None:
    """Every voicemail spoken by `speak`, sent through the phone channel into `folder`, with references.tsv."""
    rows = []
    for clip in clips():
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "raw.wav"
            voice = speak(clip, raw)
            phone_channel(raw, clip.noise, folder / clip.file, encoding=clip.codec, pad=PAD)
        rows.append(reference_row(clip, voice))
        print("wrote", clip.file, voice.name, voice.rate, clip.noise, clip.codec)
    write_references(folder, rows)
