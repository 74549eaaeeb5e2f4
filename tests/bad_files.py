"""Broken and hostile inbox files, generated on the fly (no binaries committed).

`make_bad_files(folder, marker)` writes one file per kind and returns {file name: expected
quarantine reason codes}. Limits assumed: max_size_mb = 1, max_duration_s = 20. The shell
script writes `marker` if anything ever executes it.
"""

from __future__ import annotations

import io
import math
import random
import struct
import wave
import zipfile
from pathlib import Path

NOT_AUDIO = {"not_audio", "corrupt", "unreadable", "truncated"}


def wav_bytes(seconds: float, rate: int = 8000, freq: float = 440.0) -> bytes:
    """A PCM16 mono tone."""
    frames = int(seconds * rate)
    samples = (int(8000 * math.sin(2 * math.pi * freq * n / rate)) for n in range(frames))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return out.getvalue()


def wav_header(format_tag: int = 1, data_bytes: int = 0) -> bytes:
    fmt = struct.pack("<HHIIHH", format_tag, 1, 8000, 16000, 2, 16)
    return (b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE" + b"fmt " + struct.pack("<I", 16) + fmt
            + b"data" + struct.pack("<I", data_bytes))


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("voicemail.txt", "not a recording")
    return out.getvalue()


def make_bad_files(folder: Path, marker: Path) -> dict[str, set[str]]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(5)
    junk = bytes(rng.randrange(256) for _ in range(6000))
    files: dict[str, tuple[bytes, set[str]]] = {
        "empty.wav": (b"", {"empty"}),
        "header only.wav": (wav_header(), NOT_AUDIO),
        "a twentieth of a second.wav": (wav_bytes(0.05), {"truncated"}),
        "random bytes.wav": (junk, NOT_AUDIO),
        "plain text.wav": (b"this is a note, not a recording\n" * 20, NOT_AUDIO),
        "web page.m4a": (b"<!doctype html><html><body>voicemail</body></html>\n" * 20, NOT_AUDIO),
        "picture.wav": (b"\x89PNG\r\n\x1a\n" + junk, NOT_AUDIO),
        "archive.ogg": (zip_bytes(), NOT_AUDIO),
        "program.wav": (b"\x7fELF\x02\x01\x01\x00" + bytes(2000), NOT_AUDIO),
        "script.mp3": (f"#!/bin/sh\ntouch '{marker}'\n".encode(), NOT_AUDIO),
        "too long.wav": (wav_bytes(25.0), {"too_long"}),
        "too large.wav": (bytes(1024) * 1100, {"too_large"}),
        "flac header.flac": (b"fLaC" + junk, NOT_AUDIO),
        "ogg header.ogg": (b"OggS" + junk, NOT_AUDIO),
        "data as json.wav": (b'{"caller": 1, "note": "not audio"}' * 10, NOT_AUDIO),
        "document.wav": (b"%PDF-1.4\n" + junk, NOT_AUDIO),
        "unknown codec.wav": (wav_header(format_tag=0x7A7A, data_bytes=4000) + bytes(4000), NOT_AUDIO),
        "mp4 box only.m4a": (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + junk[:500], NOT_AUDIO),
        "mp3 frame header only.mp3": (b"\xff\xfb\x90\x64" + bytes(60), NOT_AUDIO),
        "ümlaut und lange name " + "x" * 150 + ".wav": (b"RIFF" + junk[:300], NOT_AUDIO),
        "broken sidecar.json": (b'{"caller_number": "555', {"bad_sidecar"}),
        "not asterisk.txt": (b"shopping list: milk, eggs\n", {"bad_sidecar"}),
    }
    for name, (data, _) in files.items():
        path = folder / name
        path.write_bytes(data)
        if name == "script.mp3":
            path.chmod(0o755)
    return {name: codes for name, (_, codes) in files.items()}
