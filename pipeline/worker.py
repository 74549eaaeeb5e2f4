"""Move jobs through the stages and record each state in SQLite.

received → decoded → transcribed → triaged → done, or failed (retried with backoff) or
quarantined. Messages are unique by SHA-256, so a job resumed after a crash never yields a
second message.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import sqlite_utils

from .alerts import channels, dispatcher_for, notify_if_needed
from .audio import AudioError
from .config import Config
from .ingest import InboxWatcher, quarantine_file
from .process import Processor
from .records import CallMetadata
from .store import get_message, insert_message, iso, message_by_sha, open_db, utcnow

log = logging.getLogger("vmtriage.worker")

ACTIVE_STATES = ("received", "decoded", "transcribed", "triaged")


def set_state(db: sqlite_utils.Database, job_id: int, state: str, **extra) -> None:
    db["jobs"].update(job_id, {"state": state, "updated_at": iso(utcnow()), **extra})


def next_job(db: sqlite_utils.Database, max_attempts: int) -> dict | None:
    now = iso(utcnow())
    placeholders = ",".join("?" for _ in ACTIVE_STATES)
    rows = list(db.query(
        f"select * from jobs where state in ({placeholders}) "
        "or (state = 'failed' and attempts < ? and next_attempt_at <= ?) order by id limit 1",
        [*ACTIVE_STATES, max_attempts, now],
    ))
    return rows[0] if rows else None


def received_time(job: dict, metadata: CallMetadata) -> datetime:
    """The call's time when the phone system said so, else when the file arrived."""
    return datetime.fromisoformat(metadata.received_at or job["created_at"])


def run_job(db: sqlite_utils.Database, config: Config, processor: Processor, job: dict) -> int | None:
    """Process one job to a terminal or retryable state; returns the message id when stored."""
    job_id = job["id"]
    existing = message_by_sha(db, job["sha256"])
    if existing:  # stored before a crash cut the job short
        set_state(db, job_id, "done", message_id=existing["id"])
        notify_if_needed(db, config, existing)  # in case the crash came before the alert was queued
        return existing["id"]
    attempts = job["attempts"] + 1
    set_state(db, job_id, job["state"] if job["state"] != "failed" else "received", attempts=attempts)
    metadata = CallMetadata(**json.loads(job["metadata"] or "{}"))
    archived = Path(job["archive_path"])
    try:
        processed = processor.analyse(archived, received_time(job, metadata), metadata,
                                      on_stage=lambda state: set_state(db, job_id, state), mailbox=job["mailbox"])
    except AudioError as exc:
        quarantine_file(db, config, archived, file_name=job["file_name"], mailbox=job["mailbox"],
                        code=exc.code, reason=str(exc), sha256=job["sha256"], move=False)
        set_state(db, job_id, "quarantined", last_error=f"{exc.code}: {exc}")
        return None
    except Exception as exc:  # noqa: BLE001 - any failure is retried, then quarantined with its reason
        log.exception("job=%s failed on attempt %s", job_id, attempts)
        if attempts >= config.ingest.max_attempts:
            quarantine_file(db, config, archived, file_name=job["file_name"], mailbox=job["mailbox"],
                            code="processing_failed", reason=f"processing failed {attempts} times: "
                            f"{exc.__class__.__name__}", sha256=job["sha256"], move=False)
            set_state(db, job_id, "quarantined", last_error=exc.__class__.__name__)
        else:
            retry_at = utcnow() + timedelta(seconds=config.ingest.retry_backoff_s * 2 ** (attempts - 1))
            set_state(db, job_id, "failed", last_error=exc.__class__.__name__, next_attempt_at=iso(retry_at))
        return None
    message_id = insert_message(
        db, sha256=job["sha256"], file_name=job["file_name"], mailbox=job["mailbox"],
        archive_path=str(archived), received_at=iso(received_time(job, metadata)), audio=processed.audio,
        transcript=processed.transcript, triage=processed.triage, due_at=iso(processed.due_at),
        metadata=metadata, timings_ms=processed.timings_ms,
    )
    # Queue alerts before marking the job done: a crash in between resumes the job, which alerts then.
    notify_if_needed(db, config, get_message(db, message_id))  # queues only; delivery is in the background
    set_state(db, job_id, "done", message_id=message_id)
    log.info("job=%s done message=%s urgency=%s", job_id, message_id, processed.triage.urgency)
    return message_id


class Service:
    """The watcher and one worker in one process; stops cleanly on SIGTERM/SIGINT."""

    def __init__(self, config: Config, processor: Processor | None = None):
        self.config = config
        self.stop_event = threading.Event()
        self.processor = processor
        self.watcher = InboxWatcher(config.paths.db, config)

    def install_signal_handlers(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stop_event.set())

    def run(self) -> None:
        db = open_db(self.config.paths.db)
        if self.processor is None:
            self.processor = Processor(self.config)
        self.watcher.start()
        if channels(self.config.alerts):
            dispatcher_for(self.config)  # sends alerts left pending by a previous run
        log.info("watching %s", self.config.paths.inbox)
        try:
            while not self.stop_event.is_set():
                self.watcher.poll_once(db)
                job = next_job(db, self.config.ingest.max_attempts)
                if job:
                    run_job(db, self.config, self.processor, job)
                else:
                    self.stop_event.wait(self.config.ingest.poll_seconds)
        finally:
            self.watcher.stop()
            log.info("stopped")


def process_now(db: sqlite_utils.Database, config: Config, processor: Processor, path: Path,
                mailbox: str = "") -> dict:
    """`vmtriage process`: take one file directly (not from the inbox) and return its message row."""
    from .ingest import take_file
    from .process import sha256_of

    sha = sha256_of(path)
    existing = message_by_sha(db, sha)
    if existing:
        return {"message_id": existing["id"], "duplicate": True}
    keep = config.ingest.keep_originals
    if not keep:
        from dataclasses import replace

        config = replace(config, ingest=replace(config.ingest, keep_originals=True))
    job_id = take_file(db, config, path, mailbox=mailbox)
    if job_id is None:
        row = list(db["quarantine"].rows_where("file_name = ?", [path.name], order_by="id desc", limit=1))
        return {"quarantined": row[0] if row else None}
    t0 = time.perf_counter()
    job = db["jobs"].get(job_id)
    message_id = run_job(db, config, processor, job)
    if message_id is None:
        job = db["jobs"].get(job_id)
        return {"error": job["last_error"], "state": job["state"]}
    return {"message_id": message_id, "total_ms": round((time.perf_counter() - t0) * 1000, 1)}
