"""JSON views of records and stored rows: the machine-readable contract of the CLI and web API."""

from __future__ import annotations

from dataclasses import asdict

import sqlite_utils

from .records import TriageResult
from .store import decode_row, iso, open_messages, utcnow


def triage_json(result: TriageResult) -> dict:
    return {
        "urgency": result.urgency,
        "concern": result.concern,
        "confidence": result.confidence,
        "needs_review": result.needs_review,
        "reasons": [asdict(r) for r in result.reasons],
        "extraction": asdict(result.extraction),
        "rules_version": result.rules_version,
        "model_version": result.model_version,
    }


def message_json(row: dict, **extra) -> dict:
    """A stored message as the `vmtriage process --json` object."""
    return {
        "id": row["id"],
        "file": extra.get("file", row["file_name"]),
        "file_name": row["file_name"],
        "mailbox": row["mailbox"],
        "sha256": row["sha256"],
        "duration_s": row["duration_s"],
        "audio": row["audio"],
        "language": row["language"],
        "transcript": row["transcript"],
        "translation": row["translation"],
        "asr_confidence": row["asr_confidence"],
        "needs_listen": row["needs_listen"],
        "listen_reasons": row["listen_reasons"],
        "urgency": row["urgency"],
        "concern": row["concern"],
        "confidence": row["triage_confidence"],
        "needs_review": row["needs_review"],
        "reasons": row["reasons"],
        "extraction": row["extraction"],
        "caller_name": row["caller_name"],
        "callback_number": row["callback_number"],
        "received_at": row["received_at"],
        "due_at": row["due_at"],
        "status": row["status"],
        "rules_version": row["rules_version"],
        "model_version": row["model_version"],
        "engine": row["engine"],
        "timings_ms": row["timings_ms"],
    }


def callback_rows(db: sqlite_utils.Database, include_closed: bool = False) -> list[dict]:
    """The ranked list as plain objects (no transcript: the list is for picking, not reading)."""
    now = iso(utcnow())
    rows = open_messages(db)
    if include_closed:
        rows += [decode_row(r) for r in db["messages"].rows_where("status != 'open'", order_by="id")]
    return [
        {
            "rank": n,
            "id": r["id"],
            "urgency": r["urgency"],
            "concern": r["concern"],
            "needs_listen": r["needs_listen"],
            "needs_review": r["needs_review"],
            "mailbox": r["mailbox"],
            "caller_name": r["caller_name"],
            "callback_number": r["callback_number"],
            "received_at": r["received_at"],
            "due_at": r["due_at"],
            "overdue": bool(r["due_at"] and r["due_at"] <= now and r["status"] == "open"),
            "status": r["status"],
            "attempts": r.get("attempts") or 0,
            "needs_number": bool(r.get("needs_number")),
            "reasons": [x["label"] for x in r["reasons"] or []],
        }
        for n, r in enumerate(rows, start=1)
    ]
