"""The store: one SQLite file through sqlite-utils, WAL mode, schema from migrations.py.

Everything that reads or writes the database goes through this module, so moving to another
database stays a change here, not across the code.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from .migrations import migrate
from .records import URGENCY_RANK, AudioInfo, CallMetadata, Transcript, TriageResult

JSON_COLUMNS = ("audio", "words", "listen_reasons", "reasons", "extraction", "timings_ms", "metadata", "detail")


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat(timespec="seconds")


def open_db(path: str | Path) -> sqlite_utils.Database:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    db.execute("pragma busy_timeout = 10000")
    db.enable_wal()
    db.execute("pragma synchronous = NORMAL")
    db.execute("pragma foreign_keys = ON")
    migrate(db, lock_path=path.with_name(path.name + ".migrate-lock"))
    return db


def decode_row(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    for key in JSON_COLUMNS:
        if isinstance(out.get(key), str):
            try:
                out[key] = json.loads(out[key])
            except json.JSONDecodeError:
                pass
    for key in ("needs_listen", "needs_review"):
        if key in out and out[key] is not None:
            out[key] = bool(out[key])
    return out


def message_by_sha(db: sqlite_utils.Database, sha256: str) -> dict | None:
    rows = list(db["messages"].rows_where("sha256 = ?", [sha256], limit=1))
    return decode_row(rows[0]) if rows else None


def get_message(db: sqlite_utils.Database, message_id: int) -> dict | None:
    rows = list(db["messages"].rows_where("id = ?", [message_id], limit=1))
    return decode_row(rows[0]) if rows else None


def insert_message(
    db: sqlite_utils.Database,
    *,
    sha256: str,
    file_name: str,
    mailbox: str,
    archive_path: str,
    received_at: str,
    audio: AudioInfo,
    transcript: Transcript,
    triage: TriageResult,
    due_at: str,
    metadata: CallMetadata | None = None,
    timings_ms: dict[str, float] | None = None,
) -> int:
    """Store a processed message with its first label in triage_history, in one transaction."""
    metadata = metadata or CallMetadata()
    numbers = triage.extraction.callback_numbers
    row = {
        "sha256": sha256,
        "file_name": file_name,
        "mailbox": mailbox,
        "archive_path": archive_path,
        "received_at": received_at,
        "created_at": iso(utcnow()),
        "duration_s": audio.duration_s,
        "audio": json.dumps(asdict(audio)),
        "language": transcript.language,
        "transcript": transcript.text,
        "translation": transcript.translation,
        "dropped_tail": transcript.dropped_tail,
        "words": json.dumps([asdict(w) for w in transcript.words]),
        "asr_confidence": transcript.confidence,
        "needs_listen": int(transcript.needs_listen),
        "listen_reasons": json.dumps(transcript.listen_reasons),
        "urgency": triage.urgency,
        "concern": triage.concern,
        "reasons": json.dumps([asdict(r) for r in triage.reasons]),
        "triage_confidence": triage.confidence,
        "needs_review": int(triage.needs_review),
        "rules_version": triage.rules_version,
        "model_version": triage.model_version,
        "extraction": json.dumps(asdict(triage.extraction)),
        "caller_name": metadata.caller_name or triage.extraction.caller_name,
        "caller_number": metadata.caller_number,
        "callback_number": (numbers[0] if numbers else None) or metadata.caller_number,
        "due_at": due_at,
        "status": "open",
        "timings_ms": json.dumps(timings_ms or {}),
        "engine": f"{transcript.engine}:{transcript.model}",
    }
    with db.conn:
        message_id = db["messages"].insert(row).last_pk
        record_label(db, message_id, triage, produced_by="system:triage")
    return message_id


def record_label(db: sqlite_utils.Database, message_id: int, triage: TriageResult, *, produced_by: str) -> None:
    db["triage_history"].insert({
        "message_id": message_id,
        "urgency": triage.urgency,
        "concern": triage.concern,
        "reasons": json.dumps([asdict(r) for r in triage.reasons]),
        "confidence": triage.confidence,
        "rules_version": triage.rules_version,
        "model_version": triage.model_version,
        "produced_by": produced_by,
        "created_at": iso(utcnow()),
    })


def record_duplicate(db: sqlite_utils.Database, message_id: int, sha256: str, file_name: str, mailbox: str) -> None:
    db["duplicates"].insert({"message_id": message_id, "sha256": sha256, "file_name": file_name,
                             "mailbox": mailbox, "seen_at": iso(utcnow())})


def audit(db: sqlite_utils.Database, actor: str, action: str, message_id: int | None = None,
          detail: dict | None = None) -> None:
    db["audit_log"].insert({"at": iso(utcnow()), "actor": actor, "action": action,
                            "message_id": message_id, "detail": json.dumps(detail or {})})


def ranking_key(row: dict, now_iso: str) -> tuple:
    """Urgency tier, then overdue first, then due time, then received time."""
    overdue = 0 if row["due_at"] and row["due_at"] <= now_iso else 1
    return (URGENCY_RANK.get(row["urgency"], 9), overdue, row["due_at"] or "", row["received_at"], row["id"])


def open_messages(db: sqlite_utils.Database, now: datetime | None = None) -> list[dict]:
    """The ranked callback list: open messages, most urgent first."""
    now_iso = iso(now or utcnow())
    rows = [decode_row(r) for r in db["messages"].rows_where("status = 'open'")]
    return sorted(rows, key=lambda r: ranking_key(r, now_iso))


def apply_call_metadata(db: sqlite_utils.Database, message_id: int, metadata: CallMetadata,
                        due_at: str | None) -> None:
    """A phone system's sidecar that arrived after its message was stored: the call's time,
    caller ID and (when no number was spoken) the callback number; audited."""
    row = get_message(db, message_id)
    if row is None:
        return
    changes: dict[str, Any] = {}
    if metadata.received_at:
        changes["received_at"] = metadata.received_at
    if due_at:
        changes["due_at"] = due_at
    if metadata.caller_name and not row["caller_name"]:
        changes["caller_name"] = metadata.caller_name
    if metadata.caller_number:
        changes["caller_number"] = metadata.caller_number
        if not row["callback_number"]:
            changes["callback_number"] = metadata.caller_number
    if not changes:
        return
    with db.conn:
        db["messages"].update(message_id, changes)
        audit(db, "system:ingest", "call_metadata_attached", message_id,
              {"source": metadata.source, "fields": sorted(changes)})


def quarantine_rows(db: sqlite_utils.Database, include_requeued: bool = False) -> list[dict]:
    """Quarantined files, newest first; requeued ones only when asked."""
    where = None if include_requeued else "requeued_at is null"
    return list(db["quarantine"].rows_where(where, order_by="id desc"))
