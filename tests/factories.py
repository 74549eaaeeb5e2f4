"""Stored messages for tests that need rows, not audio: built through store.insert_message."""

from __future__ import annotations

import hashlib
from datetime import datetime
from itertools import count

import sqlite_utils

from pipeline.records import AudioInfo, CallMetadata, Extraction, Transcript, TriageResult
from pipeline.store import insert_message, iso

_serial = count(1)

AUDIO = AudioInfo(duration_s=20.0, source_sample_rate=8000, source_channels=1, codec="pcm_s16le",
                  container="wav", loudness_dbfs=-24.0, peak_dbfs=-3.0, clipped_share=0.0,
                  leading_silence_s=0.2, trailing_silence_s=0.5, speech_share=0.8)


def add_message(db: sqlite_utils.Database, *, received: datetime, due: datetime, urgency: str = "routine",
                concern: str = "refill", mailbox: str = "main", needs_listen: bool = False,
                numbers: tuple[str, ...] = ("555-010-0001",), caller_number: str | None = None,
                text: str = "Please call me back.") -> int:
    n = next(_serial)
    transcript = Transcript(text=text, language="en", language_probability=0.99, confidence=0.9,
                            needs_listen=needs_listen, engine="test", model="none")
    triage = TriageResult(urgency=urgency, concern=concern, reasons=[], confidence=0.9,
                          extraction=Extraction(callback_numbers=list(numbers)))
    return insert_message(
        db, sha256=hashlib.sha256(f"{n}-{received.isoformat()}".encode()).hexdigest(), file_name=f"msg{n}.wav",
        mailbox=mailbox, archive_path=f"/archive/msg{n}.wav", received_at=iso(received), audio=AUDIO,
        transcript=transcript, triage=triage, due_at=iso(due), metadata=CallMetadata(caller_number=caller_number),
    )
