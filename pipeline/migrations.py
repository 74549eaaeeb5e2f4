"""Versioned schema migrations: the store creates and upgrades its schema by code, never by hand.

Each migration runs once, in order, inside a transaction; `schema_version` records which ran.
Add a new function at the end of MIGRATIONS; never edit one that has shipped.
"""

from __future__ import annotations

import fcntl
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

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


def _callbacks_targets(db: sqlite_utils.Database) -> None:
    """The callback workflow: the first due time kept as the target, attempt counts, bad numbers."""
    messages = db["messages"]
    messages.add_column("target_at", str)  # the first due time: what the report measures against
    messages.add_column("attempts", int, not_null_default=0)
    messages.add_column("needs_number", int, not_null_default=0)  # every known number was wrong
    messages.add_column("bad_numbers", str)  # JSON list of numbers that reached a wrong party
    db["callbacks"].add_column("number", str)  # the number dialled
    db.execute("update messages set target_at = due_at where target_at is null")
    # Every insert path (worker, tests, other tools) gets its target without having to know about it.
    db.execute(
        "create trigger if not exists messages_target_at after insert on messages "
        "when new.target_at is null begin "
        "update messages set target_at = new.due_at where id = new.id; end"
    )


def _alerts_log(db: sqlite_utils.Database) -> None:
    """Alerts to the on-call person: one row per message and channel, one row per delivery try."""
    db["alerts"].create(
        {
            "id": int,
            "message_id": int,
            "urgency": str,
            "channel": str,  # email | webhook
            "destination": str,  # address or URL (not PHI)
            "payload": str,  # JSON: only the fields the practice configured
            "state": str,  # pending | sent | failed
            "attempts": int,
            "last_error": str,
            "created_at": str,
            "next_attempt_at": str,
            "sent_at": str,
        },
        pk="id",
        defaults={"attempts": 0, "state": "pending"},
    )
    db["alerts"].create_index(["message_id", "channel", "urgency"], unique=True)
    db["alerts"].create_index(["state", "next_attempt_at"])
    db["alert_attempts"].create(
        {"id": int, "alert_id": int, "at": str, "ok": int, "error": str},
        pk="id",
    )
    db["alert_attempts"].create_index(["alert_id"])


def _web_users_sessions_reviews(db: sqlite_utils.Database) -> None:
    """People who sign in to the web page, their sessions, login attempts, QA reviews and flags."""
    db["users"].create(
        {"id": int, "name": str, "password_hash": str, "role": str,  # assistant | reviewer | admin
         "active": int, "created_at": str, "last_login_at": str},
        pk="id", not_null={"name", "password_hash", "role"}, defaults={"active": 1},
    )
    db["users"].create_index(["name"], unique=True)
    db["sessions"].create(
        {"token_hash": str, "user_id": int, "csrf": str, "created_at": str, "last_seen_at": str},
        pk="token_hash",
    )
    db["login_attempts"].create({"id": int, "name": str, "ip": str, "at": str, "ok": int}, pk="id")
    db["login_attempts"].create_index(["at"])
    db["reviews"].create(
        {"id": int, "message_id": int, "reviewer": str, "at": str,
         "prior_urgency": str, "prior_concern": str,  # the label the reviewer saw
         "urgency": str, "concern": str, "agreed": int, "reason": str},
        pk="id",
    )
    db["reviews"].create_index(["message_id"])
    db["flags"].create(
        {"id": int, "message_id": int, "user": str, "at": str, "note": str, "resolved_at": str, "resolved_by": str},
        pk="id",
    )
    db["flags"].create_index(["message_id"])


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


def _transcript_dropped_tail(db: sqlite_utils.Database) -> None:
    """The final sentence quality checks took out of a transcript as made up (triage still reads it)."""
    db["messages"].add_column("dropped_tail", str)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _initial,
    _callbacks_targets,
    _alerts_log,
    _web_users_sessions_reviews,
    _ingest_claims_sidecars,
    _transcript_dropped_tail,
]


def current_version(db: sqlite_utils.Database) -> int:
    if "schema_version" not in db.table_names():
        return 0
    row = db.execute("select max(version) from schema_version").fetchone()
    return row[0] or 0


def migrate(db: sqlite_utils.Database, lock_path: Path | None = None) -> int:
    """Apply the migrations this database has not seen; return the resulting version.

    Several processes (watcher, web, CLI) may open a new file at once; an exclusive file lock
    makes exactly one of them migrate while the others wait and then find nothing to do.
    """
    if current_version(db) == len(MIGRATIONS):
        return len(MIGRATIONS)
    with _exclusive(lock_path):
        db["schema_version"].create({"version": int, "applied_at": str}, pk="version", if_not_exists=True)
        version = current_version(db)
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            with db.conn:
                migration(db)
                db["schema_version"].insert({"version": number, "applied_at": _now()})
    return current_version(db)


@contextmanager
def _exclusive(lock_path: Path | None):
    if lock_path is None:
        yield
        return
    with open(lock_path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _now() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds")
