"""Regenerate the flite-voiced telephone set: the phone set's clinical voicemails, read by flite.

    python tests/data/asr_flite/make_flite_set.py

espeak-ng's formant voices are far harder for Whisper than people are (on the same 34 texts and the
same phone channel: WER 29% with espeak voices, 6% with flite's; real recordings sent through the
channel: 4.5%). Flite's voices are closer to a human caller, so this set is reported beside the
espeak one. Same texts, noise levels and codecs as tests/data/asr (references.tsv is copied with
the voice column set to the flite voice). Needs flite and sox; the evaluation reads only the
committed files.
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))  # run as a script from anywhere: the project folder first

from tests.fixtures.make_fixtures import phone_channel  # noqa: E402

SOURCE = HERE.parent / "asr" / "references.tsv"
VOICES = ("slt", "rms", "awb", "kal16")  # flite's bundled US voices: two statistical, one Scottish, one diphone


def main() -> None:
    rows = list(csv.DictReader(SOURCE.open(encoding="utf-8"), delimiter="\t"))
    out_rows = []
    for i, row in enumerate(rows):
        voice = VOICES[i % len(VOICES)]
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "raw.wav"
            subprocess.run(["flite", "-voice", voice, "-t", row["reference"], "-o", str(raw)], check=True)
            phone_channel(raw, float(row["noise"]), HERE / row["file"], encoding=row["codec"], pad=(0.4, 0.6))
        out_rows.append({**row, "voice": f"flite:{voice}", "rate": ""})
        print("wrote", row["file"], voice)
    with (HERE / "references.tsv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(out_rows)


if __name__ == "__main__":
    main()
