"""Take recordings from the inbox: wait until complete, hash, archive, record a job.

A watchdog observer reports changes; a file is taken only when its size and modification time
have been stable for `stable_seconds` and its name is not a temporary one. Taking a file means:
copy it into the content-addressed archive (fsynced), record a `received` job, then remove it
from the inbox (unless configured to keep it). The worker processes jobs from the archive, so a
crash at any point loses nothing and a restart does nothing twice.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from dataclasses import asdict
from pathlib import Path

import sqlite_utils
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from .config import Config
from .process import sha256_of
from .records import CallMetadata
from .store import iso, message_by_sha, record_duplicate, utcnow

log = logging.getLogger("vmtriage.ingest")

TEMP_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp", "~")
SIDECAR_SUFFIXES = (".txt", ".json")


def is_temporary(path: Path) -> bool:
    name = path.name
    return name.startswith(".") or name.lower().endswith(TEMP_SUFFIXES)


def is_sidecar(path: Path) -> bool:
    return path.suffix.lower() in SIDECAR_SUFFIXES


def mailbox_of(path: Path, inbox: Path) -> str:
    """The subfolder under the inbox (a practice, a line, a provider); '' at the top level."""
    rel = path.relative_to(inbox)
    return "/".join(rel.parts[:-1])


def inside(path: Path, root: Path) -> bool:
    """True when `path` resolves inside `root`: symbolic links never lead out of the inbox."""
    try:
        path.resolve(strict=True).relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def archive_path_for(data_dir: Path, sha256: str, suffix: str) -> Path:
    return data_dir / "archive" / sha256[:2] / f"{sha256}{suffix.lower()[:10]}"


def fsync_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(dst.name + ".incoming")
    with open(src, "rb") as fin, open(tmp, "wb") as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)
        fout.flush()
        os.fsync(fout.fileno())
    os.replace(tmp, dst)
    dir_fd = os.open(dst.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def quarantine_file(db: sqlite_utils.Database, config: Config, src: Path, *, file_name: str, mailbox: str,
                    code: str, reason: str, sha256: str | None = None, move: bool = True) -> int:
    """Put a file in the quarantine folder with a reason file a person can read, and a row."""
    folder = config.paths.data_dir / "quarantine"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    target = folder / f"{stamp}_{file_name}"
    n = 1
    while target.exists():
        target = folder / f"{stamp}_{n}_{file_name}"
        n += 1
    if move:
        shutil.move(str(src), target)
    else:
        shutil.copyfile(src, target)
    target.with_name(target.name + ".reason.txt").write_text(
        f"file: {file_name}\nmailbox: {mailbox or '-'}\nreason: {code}\n{reason}\n", encoding="utf-8"
    )
    row_id = db["quarantine"].insert({
        "file_name": file_name, "mailbox": mailbox, "path": str(target), "reason_code": code,
        "reason": reason, "sha256": sha256, "created_at": iso(utcnow()),
    }).last_pk
    log.warning("quarantined file id=%s reason=%s", row_id, code)
    return row_id


def take_file(db: sqlite_utils.Database, config: Config, path: Path,
              metadata: CallMetadata | None = None, mailbox: str | None = None) -> int | None:
    """Archive one complete inbox file and record its job; returns the job id (None if not queued)."""
    inbox = config.paths.inbox
    if mailbox is None:
        mailbox = mailbox_of(path, inbox) if inside(path, inbox) else ""
    if path.stat().st_size == 0:
        quarantine_file(db, config, path, file_name=path.name, mailbox=mailbox, code="empty",
                        reason="the file is empty (0 bytes): nothing was recorded or the copy failed",
                        move=not config.ingest.keep_originals)
        return None
    sha = sha256_of(path)
    existing = message_by_sha(db, sha)
    pending = list(db["jobs"].rows_where("sha256 = ? and state not in ('quarantined', 'duplicate')", [sha], limit=1))
    if existing or pending:
        message_id = existing["id"] if existing else pending[0]["message_id"]
        record_duplicate(db, message_id, sha, path.name, mailbox)
        log.info("duplicate recording sha=%s", sha[:12])
        _remove_from_inbox(path, config)
        return None
    archived = archive_path_for(config.paths.data_dir, sha, path.suffix)
    if not archived.exists():
        fsync_copy(path, archived)
    now = iso(utcnow())
    job_id = db["jobs"].insert({
        "sha256": sha, "source_path": str(path), "file_name": path.name, "mailbox": mailbox,
        "archive_path": str(archived), "metadata": json.dumps(asdict(metadata or CallMetadata())),
        "state": "received", "attempts": 0, "created_at": now, "updated_at": now,
    }).last_pk
    log.info("received job=%s sha=%s", job_id, sha[:12])
    _remove_from_inbox(path, config)
    return job_id


def _remove_from_inbox(path: Path, config: Config) -> None:
    if not config.ingest.keep_originals:
        path.unlink(missing_ok=True)


class StabilityTracker:
    """Remembers (size, mtime) per path; a path is ready once unchanged for `stable_seconds`."""

    def __init__(self, stable_seconds: float):
        self.stable_seconds = stable_seconds
        self._seen: dict[Path, tuple[int, float, float]] = {}
        self._lock = threading.Lock()

    def touch(self, path: Path) -> None:
        with self._lock:
            self._seen.setdefault(path, (-1, -1.0, time.monotonic()))

    def ready(self) -> list[Path]:
        out = []
        now = time.monotonic()
        with self._lock:
            for path, (size, mtime, since) in list(self._seen.items()):
                try:
                    st = path.stat()
                except FileNotFoundError:
                    del self._seen[path]
                    continue
                if (st.st_size, st.st_mtime) != (size, mtime):
                    self._seen[path] = (st.st_size, st.st_mtime, now)
                elif now - since >= self.stable_seconds:
                    out.append(path)
                    del self._seen[path]
        return out


class _Handler(FileSystemEventHandler):
    def __init__(self, on_path):
        self.on_path = on_path

    def on_created(self, event):
        if not event.is_directory:
            self.on_path(Path(event.src_path))

    def on_modified(self, event):
        if not event.is_directory:
            self.on_path(Path(event.src_path))

    def on_moved(self, event):
        if not event.is_directory:
            self.on_path(Path(event.dest_path))


def candidates(inbox: Path) -> list[Path]:
    """Everything already in the inbox (start-up scan), oldest first."""
    found = [p for p in inbox.rglob("*") if p.is_file() and not p.is_symlink()]
    return sorted(found, key=lambda p: p.stat().st_mtime)


class InboxWatcher:
    """Watches the inbox (recursive) and takes each complete recording once."""

    def __init__(self, db_path: Path, config: Config):
        self.config = config
        self.db_path = db_path
        self.tracker = StabilityTracker(config.ingest.stable_seconds)
        self.observer = Observer()
        self._stop = threading.Event()

    def _consider(self, path: Path) -> None:
        if is_temporary(path) or is_sidecar(path):
            return
        if path.is_symlink() or not inside(path, self.config.paths.inbox):
            return
        self.tracker.touch(path)

    def start(self) -> None:
        inbox = self.config.paths.inbox
        inbox.mkdir(parents=True, exist_ok=True)
        self.observer.schedule(_Handler(self._consider), str(inbox), recursive=True)
        self.observer.start()
        for path in candidates(inbox):
            self._consider(path)

    def poll_once(self, db: sqlite_utils.Database) -> int:
        taken = 0
        for path in self.tracker.ready():
            try:
                take_file(db, self.config, path)
                taken += 1
            except FileNotFoundError:
                continue
            except OSError as exc:
                log.error("could not take a file from the inbox: %s", exc.__class__.__name__)
        return taken

    def stop(self) -> None:
        self._stop.set()
        self.observer.stop()
        self.observer.join(timeout=5)
