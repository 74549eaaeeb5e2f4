"""Helpers for the learning tests: store a message with a machine label, then a reviewer's label."""

from __future__ import annotations

import hashlib

from pipeline.records import AudioInfo, Reason, Transcript, TriageResult
from pipeline.store import insert_message, record_label

AUDIO = AudioInfo(12.0, 8000, 1, "pcm_mulaw", "wav", -20.0, -3.0, 0.0, 0.2, 0.3, 0.9)


def store_message(db, text: str, urgency: str, concern: str, *, key: str, reasons: list[Reason] | None = None,
                  needs_listen: bool = False, model_version: str = "m1") -> int:
    """A stored message whose first label came from the system (as the worker stores it)."""
    label = TriageResult(urgency=urgency, concern=concern, reasons=reasons or [], confidence=0.8,
                         rules_version="r1", model_version=model_version)
    transcript = Transcript(text=text, language="en", language_probability=1.0, needs_listen=needs_listen)
    return insert_message(db, sha256=hashlib.sha256(key.encode()).hexdigest(), file_name=f"{key}.wav",
                          mailbox="", archive_path="/nowhere", received_at="2026-11-23T15:00:00+00:00",
                          audio=AUDIO, transcript=transcript, triage=label, due_at="2026-11-24T17:00:00+00:00")


def review(db, message_id: int, urgency: str, concern: str, user: str = "qa1") -> None:
    """A reviewer's label, recorded as the web app records it."""
    record_label(db, message_id, TriageResult(urgency=urgency, concern=concern, reasons=[], confidence=1.0),
                 produced_by=f"user:{user}")
