"""Move jobs through the stages and record each state in SQLite.

received → decoded → transcribed → triaged → done, or failed (retried with backoff) or
quarantined. A worker claims a job with one guarded UPDATE, so several workers never take the
same job. A job cut short by a crash keeps its state and claim; the next service start (which
holds the database's service lock, so no other service runs) releases every claim, and the job
runs again from its archived audio. Messages are unique by SHA-256, so a resumed job never
yields a second message.
"""

from __future__ import annotations

import ctypes
import fcntl
import gc
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import sqlite_utils

from .alerts import channels, dispatcher_for, notify_if_needed
from .audio import AudioError
from .backlog import LoadOnce, SharedWhisper
from .config import Config
from .ingest import InboxWatcher, late_metadata_to_message, load_metadata, quarantine_file
from .learning.follow import ActiveTriager
from .process import Processor
from .records import CallMetadata
from .schedule import due_at
from .store import get_message, insert_message, iso, message_by_sha, open_db, utcnow

log = logging.getLogger("vmtriage.worker")

ACTIVE_STATES = ("received", "decoded", "transcribed", "triaged")
TERMINAL_STATES = ("done", "quarantined")

# Called once a message is stored (at least once: again if a crash came between storing and `done`),
# with the database and the message id. Alerts (and anything else that reacts to a new message) go here.
AfterStore = Callable[[sqlite_utils.Database, int], None]


class Component(Protocol):
    """Something that runs beside the watcher and workers in `vmtriage run` (the web server, say)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


def open_service_db(path: Path) -> sqlite_utils.Database:
    db = open_db(path)
    # A job row or an archive entry must survive a power cut once the inbox file is gone.
    db.execute("pragma synchronous = FULL")
    return db


def set_state(db: sqlite_utils.Database, job_id: int, state: str, **extra) -> None:
    if state in TERMINAL_STATES or state == "failed":
        extra.setdefault("claimed_by", None)
    db["jobs"].update(job_id, {"state": state, "updated_at": iso(utcnow()), **extra})


def claim_job(db: sqlite_utils.Database, worker_id: str, max_attempts: int) -> dict | None:
    """Atomically take the oldest runnable job for `worker_id`; None when there is none."""
    now = iso(utcnow())
    placeholders = ",".join("?" for _ in ACTIVE_STATES)
    with db.conn:
        rows = db.execute(
            "update jobs set claimed_by = ?, claimed_at = ? where id = ("
            f" select id from jobs where claimed_by is null and (state in ({placeholders})"
            "  or (state = 'failed' and attempts < ? and next_attempt_at <= ?)) order by id limit 1"
            ") and claimed_by is null returning *",
            [worker_id, now, *ACTIVE_STATES, max_attempts, now],
        ).fetchall()
    if not rows:
        return None
    columns = [c.name for c in db["jobs"].columns]
    return dict(zip(columns, rows[0], strict=True))


def release_claims(db: sqlite_utils.Database) -> int:
    """At service start (holding the service lock): claims left by a killed process are void."""
    with db.conn:
        cursor = db.execute("update jobs set claimed_by = null where claimed_by is not null")
    return cursor.rowcount


def received_time(job: dict, metadata: CallMetadata) -> datetime:
    """The call's time when the phone system said so, else when the file arrived."""
    return datetime.fromisoformat(metadata.received_at or job["created_at"])


def _after_store(db: sqlite_utils.Database, hooks: Sequence[AfterStore], job_id: int, message_id: int) -> None:
    for hook in hooks:
        try:
            hook(db, message_id)
        except Exception:  # noqa: BLE001 - a failing consumer must not undo or repeat the stored message
            log.exception("after_store_hook_failed", extra={"job_id": job_id, "message_id": message_id,
                                                            "hook": getattr(hook, "__name__", "hook")})


def run_job(db: sqlite_utils.Database, config: Config, processor: Processor, job: dict,
            after_store: Sequence[AfterStore] = ()) -> int | None:
    """Process one claimed job to a terminal or retryable state; returns the message id when stored."""
    job_id = job["id"]
    existing = message_by_sha(db, job["sha256"])
    if existing:  # stored before a crash cut the job short
        _after_store(db, after_store, job_id, existing["id"])
        set_state(db, job_id, "done", message_id=existing["id"])
        notify_if_needed(db, config, existing)  # in case the crash came before the alert was queued
        return existing["id"]
    archived = Path(job["archive_path"])
    if job["attempts"] >= config.ingest.max_attempts:  # earlier attempts died without an outcome
        return _quarantine_job(db, config, job, "processing_failed",
                               f"processing stopped {job['attempts']} times without finishing "
                               "(the service crashed or was killed while working on this recording)")
    attempts = job["attempts"] + 1
    set_state(db, job_id, "received", attempts=attempts)
    metadata = load_metadata(job["metadata"])
    log.info("job_started", extra={"job_id": job_id, "attempt": attempts})
    try:
        processed = processor.analyse(archived, received_time(job, metadata), metadata,
                                      on_stage=lambda state: set_state(db, job_id, state), mailbox=job["mailbox"])
    except AudioError as exc:
        return _quarantine_job(db, config, job, exc.code, str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure is retried, then quarantined with its reason
        log.exception("job_failed", extra={"job_id": job_id, "attempt": attempts})
        if attempts >= config.ingest.max_attempts:
            return _quarantine_job(db, config, job, "processing_failed",
                                   f"processing failed {attempts} times: {exc.__class__.__name__}")
        retry_at = utcnow() + timedelta(seconds=config.ingest.retry_backoff_s * 2 ** (attempts - 1))
        set_state(db, job_id, "failed", last_error=exc.__class__.__name__, next_attempt_at=iso(retry_at))
        return None
    # A sidecar may have been joined while this job ran: store with the metadata as it is now.
    fresh = load_metadata(db["jobs"].get(job_id)["metadata"])
    received = received_time(job, fresh)
    due = processed.due_at
    mailbox = job["mailbox"] or (fresh.mailbox or "")
    if fresh != metadata:  # the mailbox's own response targets still apply
        due = due_at(processor.schedule, received, processed.triage.urgency, processed.triage.concern,
                     processed.transcript.needs_listen, mailbox)
    message_id = insert_message(
        db, sha256=job["sha256"], file_name=job["file_name"], mailbox=mailbox,
        archive_path=str(archived), received_at=iso(received), audio=processed.audio,
        transcript=processed.transcript, triage=processed.triage, due_at=iso(due),
        metadata=fresh, timings_ms=processed.timings_ms,
    )
    set_state(db, job_id, "triaged", message_id=message_id)
    latest = load_metadata(db["jobs"].get(job_id)["metadata"])
    if latest != fresh:  # joined between our read and storing: apply it to the stored message
        late_metadata_to_message(db, config, message_id, latest, processor.schedule)
    # Queue alerts before marking the job done: a crash in between resumes the job, which alerts then.
    notify_if_needed(db, config, get_message(db, message_id))  # queues only; delivery is in the background
    _after_store(db, after_store, job_id, message_id)
    set_state(db, job_id, "done", message_id=message_id)
    log.info("stored", extra={"job_id": job_id, "message_id": message_id,
                              "urgency": processed.triage.urgency, "needs_listen": processed.transcript.needs_listen})
    return message_id


def _quarantine_job(db: sqlite_utils.Database, config: Config, job: dict, code: str, reason: str) -> None:
    """A copy of the archived audio goes to quarantine; the archive itself is never touched."""
    quarantine_file(db, config, Path(job["archive_path"]), file_name=job["file_name"], mailbox=job["mailbox"],
                    code=code, reason=reason, sha256=job["sha256"], move=False, job_id=job["id"])
    set_state(db, job["id"], "quarantined", last_error=f"{code}: {reason}")
    return None


class Worker(threading.Thread):
    """One worker: its own database connection and its own Processor (the model loads once, here,
    unless the worker shares one with the other backlog workers)."""

    def __init__(self, name: str, config: Config, stop_event: threading.Event,
                 after_store: Sequence[AfterStore] = (), processor: Processor | None = None,
                 shared: SharedWhisper | None = None, triage: LoadOnce[ActiveTriager] | None = None):
        super().__init__(name=name, daemon=True)
        self.config = config
        self.stop_event = stop_event
        self.after_store = after_store
        self.processor = processor
        self.shared = shared
        self.triage = triage
        self.ready = threading.Event()
        self.retire = threading.Event()  # finish the current job, then stop (the service swaps workers)
        self.busy = False

    def run(self) -> None:
        db = open_service_db(self.config.paths.db)
        if self.processor is None:
            self.processor = Processor(self.config, transcriber=self.shared.transcriber() if self.shared else None,
                                       active=self.triage.get() if self.triage else None)
        self.shared = None  # held by the transcriber only: freed with the last backlog worker
        self.ready.set()
        log.info("worker_ready", extra={"worker": self.name})
        while not (self.stop_event.is_set() or self.retire.is_set()):
            job = claim_job(db, self.name, self.config.ingest.max_attempts)
            if job is None:
                self.stop_event.wait(self.config.ingest.poll_seconds)
                continue
            self.busy = True
            try:
                run_job(db, self.config, self.processor, job, self.after_store)
            except Exception:  # noqa: BLE001 - e.g. the disk is full: leave the job claimed-free for later
                log.exception("worker_error", extra={"worker": self.name, "job_id": job["id"]})
                db["jobs"].update(job["id"], {"claimed_by": None})
                self.stop_event.wait(1.0)
            finally:
                self.busy = False
        self.processor = None  # a retired worker's model is freed once the service lets go of it


class ServiceAlreadyRunning(RuntimeError):
    pass


class ServiceLock:
    """One service per database: an advisory lock the kernel drops when the process dies (even kill -9)."""

    def __init__(self, db_path: Path):
        self.path = Path(f"{db_path}.service.lock")
        self._fh = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "a+")
        try:
            fcntl.flock(self._fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.close()
            db_name = self.path.name.removesuffix(".service.lock")
            raise ServiceAlreadyRunning(f"another vmtriage service is already running on {db_name}") from None
        self._fh.seek(0)
        self._fh.truncate()
        self._fh.write(f"{os.getpid()}\n")
        self._fh.flush()

    def release(self) -> None:
        if self._fh:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


class Service:
    """The watcher, `ingest.workers` workers and any added components, in one process.

    SIGTERM or SIGINT: stop taking files and jobs, let each worker finish its current job, stop.
    A second signal exits at once; the interrupted job is resumed at the next start.

    Hooks for other parts: `after_store` (called with (db, message_id) when a message is stored,
    e.g. alerts) and `add_component(c)` (anything with start()/stop(), e.g. the web server that
    `vmtriage run` starts beside the worker).
    """

    def __init__(self, config: Config, processor: Processor | None = None):
        self.config = config
        self.stop_event = threading.Event()
        self.processor = processor
        self.watcher = InboxWatcher(config.paths.db, config)
        self.after_store: list[AfterStore] = []
        self.components: list[Component] = []
        self.workers: list[Worker] = []
        self.retired: list[Worker] = []
        self.backlog_mode = False
        # One triager for every worker this service starts (the first worker's, when given).
        active = processor.active if processor else None
        self.triage = LoadOnce(lambda: active or ActiveTriager(config))
        self._started_workers = 0
        self._signals = 0

    def add_component(self, component: Component) -> None:
        self.components.append(component)

    def install_signal_handlers(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_signal)

    def _on_signal(self, signum, _frame) -> None:
        self._signals += 1
        if self._signals > 1:
            log.warning("forced_stop", extra={"signal": signum})
            os._exit(1)
        log.info("stopping", extra={"signal": signum, "busy_workers": sum(w.busy for w in self.workers)})
        self.stop_event.set()

    def run(self) -> None:
        lock = ServiceLock(self.config.paths.db)
        lock.acquire()
        db = open_service_db(self.config.paths.db)
        released = release_claims(db)
        if channels(self.config.alerts):
            dispatcher_for(self.config)  # sends alerts left pending by a previous run
        count = max(1, self.config.ingest.workers)
        try:
            self._start_workers(count, self.processor)
            self.processor = None  # held by the first worker only, so it can be freed in backlog mode
            for component in self.components:
                component.start()
            self.watcher.start()
            log.info("service_started", extra={"workers": count, "released_claims": released})
            while not self.stop_event.is_set():
                try:
                    self.watcher.poll_once(db)
                    self._balance(db)
                except Exception:  # noqa: BLE001 - the watcher keeps watching; the file is retried later
                    log.exception("poll_failed")
                    self.stop_event.wait(1.0)
                self.stop_event.wait(self.config.ingest.poll_seconds)
        finally:
            self.stop_event.set()
            self.watcher.stop()
            for worker in self.workers + self.retired:
                worker.join()
            for component in reversed(self.components):
                component.stop()
            lock.release()
            log.info("service_stopped")

    def _start_workers(self, count: int, processor: Processor | None = None) -> None:
        # Each worker's model gets cores / count threads (process.threads_per_worker); backlog
        # workers share one model that runs their calls side by side (backlog.py).
        config = replace(self.config, ingest=replace(self.config.ingest, workers=count))
        shared = SharedWhisper(config, count) if self.backlog_mode and SharedWhisper.applies(config) else None
        self.workers = []
        for n in range(count):
            self._started_workers += 1
            worker = Worker(f"worker-{self._started_workers}", config, self.stop_event, self.after_store,
                            processor if n == 0 else None, shared, self.triage)
            self.workers.append(worker)
            worker.start()

    def _balance(self, db: sqlite_utils.Database) -> None:
        """Enter backlog mode when enough recordings wait; leave it when the queue is empty.

        The outgoing workers finish their current job (a job is claimed by one worker only, so
        nothing is processed twice) while the incoming ones already load and work: they share the
        triager, and backlog workers share one Whisper model, so at most two models are in memory,
        briefly. Once the outgoing workers have stopped, their memory goes back to the system.
        """
        if self.retired:
            self.retired = [w for w in self.retired if w.is_alive()]
            if not self.retired:
                return_freed_memory()
        ingest = self.config.ingest
        if ingest.backlog_jobs <= 0 or ingest.backlog_workers <= max(1, ingest.workers):
            return
        waiting = waiting_jobs(db)
        if not self.backlog_mode and waiting >= ingest.backlog_jobs:
            self._swap(ingest.backlog_workers, backlog=True, waiting=waiting)
        elif self.backlog_mode and waiting == 0 and not any(w.busy for w in self.workers):
            self._swap(max(1, ingest.workers), backlog=False, waiting=waiting)

    def _swap(self, count: int, *, backlog: bool, waiting: int) -> None:
        for worker in self.workers:
            worker.retire.set()
        self.retired.extend(self.workers)
        self.backlog_mode = backlog
        log.info("backlog_mode" if backlog else "backlog_cleared", extra={"waiting": waiting, "workers": count})
        self._start_workers(count)


def return_freed_memory() -> None:
    """Collect the retired workers' models and give the memory back to the system (glibc keeps freed
    memory otherwise, and the next models would come on top: a backlog swap peaked at 1.5 GB)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused, just not returned
        pass


def waiting_jobs(db: sqlite_utils.Database) -> int:
    """Recordings queued and not yet claimed by a worker."""
    placeholders = ",".join("?" for _ in ACTIVE_STATES)
    return db.execute(f"select count(*) from jobs where claimed_by is null and state in ({placeholders})",
                      ACTIVE_STATES).fetchone()[0]


def process_now(db: sqlite_utils.Database, config: Config, processor: Processor, path: Path,
                mailbox: str = "") -> dict:
    """`vmtriage process`: take one file directly (not from the inbox) and return its message row."""
    from .hashing import sha256_file
    from .ingest import take_file

    sha = sha256_file(path)
    existing = message_by_sha(db, sha)
    if existing:
        return {"message_id": existing["id"], "duplicate": True}
    # The originals given on the command line are left in place.
    config = replace(config, ingest=replace(config.ingest, keep_originals=True))
    job_id = take_file(db, config, path, mailbox=mailbox)
    if job_id is None:
        row = list(db["quarantine"].rows_where("file_name = ?", [path.name], order_by="id desc", limit=1))
        return {"quarantined": row[0] if row else None, "error": row[0]["reason"] if row else "not queued"}
    t0 = time.perf_counter()
    db["jobs"].update(job_id, {"claimed_by": f"cli-{os.getpid()}", "claimed_at": iso(utcnow())})
    message_id = run_job(db, config, processor, db["jobs"].get(job_id))
    if message_id is None:
        job = db["jobs"].get(job_id)
        return {"error": job["last_error"], "state": job["state"]}
    return {"message_id": message_id, "total_ms": round((time.perf_counter() - t0) * 1000, 1)}

