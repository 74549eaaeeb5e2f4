"""Versioned schema migrations: the store creates and upgrades its schema by code, never by hand.

Each migration runs once, in order, inside a transaction; `schema_version` records which ran.
Add a new function at the end of MIGRATIONS; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _initial(db: sqlite_utils.Database) -> None:
    db["messages"].create(
        {
            "id": int,
            "sha256": str,
            "file_name": str,
            "mailbox": str,
            "archive_path": str,
            "received_at": str,  # ISO 8601 UTC; the call's time when a phone system said so
            "created_at": str,
            "duration_s": float,
            "audio": str,  # JSON AudioInfo
            "language": str,
            "transcript": str,
            "translation": str,
            "words": str,  # JSON list of Word
            "asr_confidence": float,
            "needs_listen": int,
            "listen_reasons": str,  # JSON list
            "urgency": str,
            "concern": str,
            "reasons": str,  # JSON list of Reason
            "triage_confidence": float,
            "needs_review": int,
            "rules_version": str,
            "model_version": str,
            "extraction": str,  # JSON Extraction
            "caller_name": str,
            "caller_number": str,
            "callback_number": str,
            "due_at": str,
            "status": str,  # open | closed
            "closed_at": str,
            "timings_ms": str,  # JSON
            "engine": str,
        },
        pk="id",
        not_null={"sha256", "received_at", "created_at", "status"},
        defaults={"status": "open", "needs_listen": 0, "needs_review": 0, "mailbox": ""},
    )
    db["messages"].create_index(["sha256"], unique=True)
    db["messages"].create_index(["status", "urgency", "due_at"])

    db["jobs"].create(
        {
            "id": int,
            "sha256": str,
            "source_path": str,
            "file_name": str,
            "mailbox": str,
            "archive_path": str,
            "metadata": str,  # JSON CallMetadata
            "state": str,  # received | decoded | transcribed | triaged | done | failed | quarantined | duplicate
            "attempts": int,
            "last_error": str,
            "next_attempt_at": str,
            "message_id": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        defaults={"attempts": 0, "mailbox": ""},
    )
    db["jobs"].create_index(["state"])
    db["jobs"].create_index(["sha256"])

    db["duplicates"].create(
        {"id": int, "message_id": int, "sha256": str, "file_name": str, "mailbox": str, "seen_at": str},
        pk="id",
    )
    db["quarantine"].create(
        {
            "id": int,
            "file_name": str,
            "mailbox": str,
            "path": str,  # where the file now lies
            "reason_code": str,
            "reason": str,
            "sha256": str,
            "created_at": str,
            "requeued_at": str,
        },
        pk="id",
    )
    db["triage_history"].create(
        {
            "id": int,
            "message_id": int,
            "urgency": str,
            "concern": str,
            "reasons": str,
            "confidence": float,
            "rules_version": str,
            "model_version": str,
            "produced_by": str,  # system:<component> or user:<name>
            "created_at": str,
        },
        pk="id",
    )
    db["triage_history"].create_index(["message_id"])
    db["callbacks"].create(
        {"id": int, "message_id": int, "outcome": str, "user": str, "at": str, "note": str},
        pk="id",
    )
    db["callbacks"].create_index(["message_id"])
    db["audit_log"].create(
        {"id": int, "at": str, "actor": str, "action": str, "message_id": int, "detail": str},
        pk="id",
    )


def _ingest_claims_sidecars(db: sqlite_utils.Database) -> None:
    """Job claiming for several workers, phone-system sidecars, and richer quarantine rows."""
    jobs = db["jobs"]
    jobs.add_column("claimed_by", str)  # worker id while a worker holds the job; NULL otherwise
    jobs.add_column("claimed_at", str)
    jobs.add_column("stem", str)  # file name without its suffix: how a sidecar finds its recording
    jobs.create_index(["mailbox", "stem"])
    jobs.create_index(["state", "claimed_by"])
    db["sidecars"].create(
        {
            "id": int,
            "sha256": str,
            "file_name": str,
            "mailbox": str,
            "stem": str,
            "source_path": str,
            "archive_path": str,
            "metadata": str,  # JSON CallMetadata
            "state": str,  # waiting | attached | orphan
            "job_id": int,
            "created_at": str,
            "attached_at": str,
        },
        pk="id",
        defaults={"mailbox": "", "state": "waiting"},
    )
    db["sidecars"].create_index(["mailbox", "stem"])
    quarantine = db["quarantine"]
    quarantine.add_column("kind", str)  # recording | sidecar
    quarantine.add_column("job_id", int)
    quarantine.add_column("source_key", str)  # inbox path, size and mtime: not quarantined twice when kept
    quarantine.create_index(["source_key"])


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _initial,
    _ingest_claims_sidecars,
]


def current_version(db: sqlite_utils.Database) -> int:
    if "schema_version" not in db.table_names():
        return 0
    row = db.execute("select max(version) from schema_version").fetchone()
    return row[0] or 0


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations this database has not seen; return the resulting version."""
    db["schema_version"].create({"version": int, "applied_at": str}, pk="version", if_not_exists=True)
    version = current_version(db)
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        with db.conn:
            migration(db)
            db["schema_version"].insert({"version": number, "applied_at": _now()})
    return current_version(db)


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")
