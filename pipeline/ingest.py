"""Take recordings from the inbox: wait until complete, hash, archive, record a job.

A watchdog observer (recursive; a subfolder is a mailbox) reports changes, and a start-up scan
and a periodic rescan catch whatever arrived while nothing was watching. A file is taken only
when its size and modification time have been stable for `stable_seconds` and its name is not a
temporary one. Taking a file means: copy it into the content-addressed archive while hashing it
(fsynced), record a `received` job, then remove it from the inbox (unless configured to keep
it). The worker processes jobs from the archive, so a crash at any point loses nothing and a
restart does nothing twice: a file seen again with a job for the same bytes and path is only
removed, and a message exists once per SHA-256.

Phone-system sidecars (`msg.txt` from Asterisk/FreePBX, `msg.json`) are archived too and joined
to the recording with the same stem in the same mailbox, whichever arrives first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import stat
import threading
import time
import uuid
from dataclasses import asdict, fields, replace
from datetime import timedelta
from pathlib import Path

import sqlite_utils
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from .config import Config
from .records import CallMetadata
from .sidecars import MAX_SIDECAR_BYTES, SidecarError, parse_sidecar
from .store import apply_call_metadata, iso, message_by_sha, record_duplicate, utcnow

log = logging.getLogger("vmtriage.ingest")

TEMP_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".swp", ".incoming", "~")
SIDECAR_SUFFIXES = (".txt", ".json")
REASON_SUFFIX = ".reason.txt"
MAX_NAME_BYTES = 180  # leaves room for a time stamp and `.reason.txt` under the 255-byte limit


class FileChanged(Exception):
    """The file changed while it was being taken: it is still being written."""


def is_temporary(path: Path) -> bool:
    name = path.name
    return name.startswith(".") or name.lower().endswith(TEMP_SUFFIXES)


def is_sidecar(path: Path) -> bool:
    return path.suffix.lower() in SIDECAR_SUFFIXES


def mailbox_of(path: Path, inbox: Path) -> str:
    """The subfolder under the inbox (a practice, a line, a provider); '' at the top level."""
    rel = path.relative_to(inbox)
    return "/".join(rel.parts[:-1])


def stem_of(file_name: str) -> str:
    return Path(file_name).stem


def inside(path: Path, root: Path) -> bool:
    """True when `path` resolves inside `root`: symbolic links never lead out of the inbox."""
    try:
        path.resolve(strict=True).relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def safe_suffix(suffix: str) -> str:
    """The archive keeps a recording's suffix (decoders like a hint), restricted to plain characters."""
    cleaned = re.sub(r"[^a-z0-9]", "", suffix.lower())[:9]
    return f".{cleaned}" if cleaned else ""


def short_name(file_name: str, limit: int = MAX_NAME_BYTES) -> str:
    """A file name cut to `limit` UTF-8 bytes, keeping its suffix."""
    if len(file_name.encode("utf-8")) <= limit:
        return file_name
    suffix = Path(file_name).suffix[:12]
    stem = file_name[: len(file_name) - len(suffix)]
    while len((stem + suffix).encode("utf-8")) > limit:
        stem = stem[:-1]
    return stem + suffix


def archive_path_for(data_dir: Path, sha256: str, suffix: str, kind: str = "archive") -> Path:
    return data_dir / kind / sha256[:2] / f"{sha256}{safe_suffix(suffix)}"


def fsync_dir(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def open_regular(path: Path) -> int:
    """A read descriptor on a regular file, never through a symbolic link, never blocking on a FIFO."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise IsADirectoryError(f"not a regular file: {path.name}")
    return fd


def copy_and_hash(fd: int, scratch: Path) -> str:
    """Copy from `fd` into `scratch`, fsynced, and return the SHA-256 of exactly the bytes copied."""
    scratch.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with os.fdopen(fd, "rb", closefd=False) as fin, open(scratch, "wb") as fout:
        while block := fin.read(1 << 20):
            digest.update(block)
            fout.write(block)
        fout.flush()
        os.fsync(fout.fileno())
    return digest.hexdigest()


def settle(scratch: Path, target: Path) -> None:
    """Move an fsynced scratch copy to its content address; an existing copy is the same bytes."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        scratch.unlink(missing_ok=True)
        return
    os.replace(scratch, target)
    fsync_dir(target.parent)


def open_for_writing(st: os.stat_result, proc: Path = Path("/proc")) -> bool:
    """True when some process we can see holds this file open for writing (Linux /proc).

    A copy that pauses longer than `stable_seconds` with the file still open is not complete;
    without this check its tail would go to an inode already removed from the inbox.
    Processes of other users are invisible unless we run as root, so this is a second guard,
    not a replacement for the stability wait.
    """
    if not proc.is_dir():
        return False
    for fd_dir in proc.glob("[0-9]*/fd"):
        try:
            entries = list(os.scandir(fd_dir))
        except OSError:
            continue
        for entry in entries:
            try:
                target = os.stat(entry.path)
                if (target.st_dev, target.st_ino) != (st.st_dev, st.st_ino):
                    continue
                info = (fd_dir.parent / "fdinfo" / entry.name).read_text()
            except OSError:
                continue
            flags = next((int(line.split()[1], 8) for line in info.splitlines() if line.startswith("flags:")), 0)
            if flags & os.O_ACCMODE in (os.O_WRONLY, os.O_RDWR):
                return True
    return False


def source_key(path: Path, st: os.stat_result) -> str:
    return f"{path}|{st.st_size}|{st.st_mtime_ns}"


def quarantine_file(db: sqlite_utils.Database, config: Config, src: Path, *, file_name: str, mailbox: str,
                    code: str, reason: str, sha256: str | None = None, move: bool = True,
                    kind: str = "recording", job_id: int | None = None, key: str | None = None) -> int:
    """Put a file in the quarantine folder with a reason file a person can read, and a row.

    Archived audio is only ever copied here (`move=False`), never moved out of the archive.
    """
    folder = config.paths.data_dir / "quarantine"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S")
    name = short_name(file_name)
    target = folder / f"{stamp}_{name}"
    n = 1
    while target.exists():
        target = folder / f"{stamp}_{n}_{name}"
        n += 1
    try:
        if move:
            shutil.move(str(src), target)
        else:
            shutil.copyfile(src, target)
        where = target
    except OSError as exc:  # cannot even be moved: record it where it lies, so it is not lost silently
        log.error("quarantine_move_failed", extra={"error": exc.__class__.__name__, "code": code})
        where = src
    target.with_name(target.name + REASON_SUFFIX).write_text(
        f"file: {file_name}\nmailbox: {mailbox or '-'}\nreason: {code}\n{reason}\n"
        f"kept at: {where}\nafter fixing it: vmtriage requeue <id from `vmtriage quarantine`>\n",
        encoding="utf-8",
    )
    row_id = db["quarantine"].insert({
        "file_name": file_name, "mailbox": mailbox, "path": str(where), "reason_code": code,
        "reason": reason, "sha256": sha256, "created_at": iso(utcnow()), "kind": kind, "job_id": job_id,
        "source_key": key,
    }).last_pk
    log.warning("quarantined", extra={"quarantine": row_id, "job_id": job_id, "code": code, "kind": kind})
    return row_id


def merge_metadata(base: CallMetadata, extra: CallMetadata) -> CallMetadata:
    """Fields `base` lacks, filled from `extra`; sources joined."""
    filled = {f.name: getattr(extra, f.name) for f in fields(CallMetadata)
              if f.name != "source" and getattr(base, f.name) in (None, "") and getattr(extra, f.name)}
    sources = "+".join(s for s in (base.source, extra.source) if s)
    return replace(base, **filled, source=sources)


def load_metadata(text: str | None) -> CallMetadata:
    return CallMetadata(**json.loads(text or "{}"))


def _already_quarantined(db: sqlite_utils.Database, key: str) -> bool:
    return bool(list(db["quarantine"].rows_where("source_key = ?", [key], limit=1)))


def take_file(db: sqlite_utils.Database, config: Config, path: Path,
              metadata: CallMetadata | None = None, mailbox: str | None = None) -> int | None:
    """Archive one complete inbox file and record its job; returns the job id (None if not queued).

    Raises FileChanged when the file changed while it was copied (the caller waits and retries).
    """
    inbox = config.paths.inbox
    if mailbox is None:
        mailbox = mailbox_of(path, inbox) if inside(path, inbox) else ""
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        log.info("skipped_not_regular_file")
        return None
    key = source_key(path, st)
    keep = config.ingest.keep_originals
    if keep and _already_quarantined(db, key):
        return None
    quarantine = dict(db=db, config=config, src=path, file_name=path.name, mailbox=mailbox, move=not keep, key=key)
    if st.st_size == 0:
        quarantine_file(**quarantine, code="empty",
                        reason="the file is empty (0 bytes): nothing was recorded or the copy failed")
        return None
    limit_mb = config.audio.max_size_mb
    if st.st_size > limit_mb * 1024 * 1024:
        quarantine_file(**quarantine, code="too_large",
                        reason=f"the file is {st.st_size / 1048576:.1f} MB, over the {limit_mb:g} MB limit")
        return None
    if open_for_writing(st):
        raise FileChanged(path.name)
    try:
        fd = open_regular(path)
    except PermissionError:
        quarantine_file(**quarantine, code="unreadable",
                        reason="the file could not be read (permission denied); fix its permissions, then requeue")
        return None
    scratch = config.paths.data_dir / "archive" / "incoming" / f"{uuid.uuid4().hex}.incoming"
    try:
        sha = copy_and_hash(fd, scratch)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
        scratch.unlink(missing_ok=True)
        raise FileChanged(path.name)
    return _record_job(db, config, path, scratch, sha, mailbox, metadata)


def _record_job(db: sqlite_utils.Database, config: Config, path: Path, scratch: Path, sha: str, mailbox: str,
                metadata: CallMetadata | None) -> int | None:
    seen = list(db["jobs"].rows_where("sha256 = ? and source_path = ? and state != 'quarantined'",
                                      [sha, str(path)], limit=1))
    if seen:  # the same file again: a crash came before its removal, or originals are kept
        scratch.unlink(missing_ok=True)
        _remove_from_inbox(path, config)
        return None
    existing = message_by_sha(db, sha)
    pending = list(db["jobs"].rows_where("sha256 = ? and state != 'quarantined'", [sha], limit=1))
    if existing or pending:
        message_id = existing["id"] if existing else pending[0]["message_id"]
        record_duplicate(db, message_id, sha, path.name, mailbox)
        log.info("duplicate", extra={"message_id": message_id, "sha": sha[:12],
                                     "job_id": pending[0]["id"] if pending else None})
        scratch.unlink(missing_ok=True)
        _remove_from_inbox(path, config)
        for row in _sidecars_for(db, mailbox, stem_of(path.name)):  # its sidecar describes the same call
            attach_sidecar(db, config, row["id"])
        return None
    archived = archive_path_for(config.paths.data_dir, sha, path.suffix)
    settle(scratch, archived)
    stem = stem_of(path.name)
    waiting = _sidecars_for(db, mailbox, stem)
    merged = metadata or CallMetadata()
    for row in waiting:
        merged = merge_metadata(merged, load_metadata(row["metadata"]))
    now = iso(utcnow())
    with db.conn:
        job_id = db["jobs"].insert({
            "sha256": sha, "source_path": str(path), "file_name": path.name, "mailbox": mailbox, "stem": stem,
            "archive_path": str(archived), "metadata": json.dumps(asdict(merged)),
            "state": "received", "attempts": 0, "created_at": now, "updated_at": now,
        }).last_pk
        for row in waiting:
            db["sidecars"].update(row["id"], {"state": "attached", "job_id": job_id, "attached_at": now})
    log.info("received", extra={"job_id": job_id, "sha": sha[:12], "sidecars": len(waiting)})
    _remove_from_inbox(path, config)
    return job_id


def _sidecars_for(db: sqlite_utils.Database, mailbox: str, stem: str) -> list[dict]:
    return list(db["sidecars"].rows_where("mailbox = ? and stem = ? and state in ('waiting', 'orphan')",
                                          [mailbox, stem], order_by="id"))


def _remove_from_inbox(path: Path, config: Config) -> None:
    if not config.ingest.keep_originals:
        path.unlink(missing_ok=True)


def take_sidecar(db: sqlite_utils.Database, config: Config, path: Path, schedule=None) -> int | None:
    """Archive a phone-system sidecar and join it to its recording now or when that arrives."""
    inbox = config.paths.inbox
    mailbox = mailbox_of(path, inbox) if inside(path, inbox) else ""
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        return None
    key = source_key(path, st)
    keep = config.ingest.keep_originals
    if keep and _already_quarantined(db, key):
        return None
    fd = open_regular(path)
    try:
        with os.fdopen(fd, "rb", closefd=False) as fh:
            raw = fh.read(MAX_SIDECAR_BYTES + 1)
    finally:
        os.close(fd)
    sha = hashlib.sha256(raw).hexdigest()
    try:
        metadata = parse_sidecar(path.suffix, raw)
    except SidecarError as exc:
        quarantine_file(db, config, path, file_name=path.name, mailbox=mailbox, code=exc.code, reason=str(exc),
                        sha256=sha, move=not keep, kind="sidecar", key=key)
        return None
    stem = stem_of(path.name)
    seen = list(db["sidecars"].rows_where("sha256 = ? and mailbox = ? and stem = ?", [sha, mailbox, stem], limit=1))
    if seen:  # the same sidecar again (a crash came before its removal, or originals are kept)
        _remove_from_inbox(path, config)
        if seen[0]["state"] == "waiting":
            attach_sidecar(db, config, seen[0]["id"], schedule)
        return None
    archived = archive_path_for(config.paths.data_dir, sha, path.suffix, kind="sidecars")
    scratch = archived.with_name(archived.name + f".{uuid.uuid4().hex}.incoming")
    scratch.parent.mkdir(parents=True, exist_ok=True)
    with open(scratch, "wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    settle(scratch, archived)
    sidecar_id = db["sidecars"].insert({
        "sha256": sha, "file_name": path.name, "mailbox": mailbox, "stem": stem, "source_path": str(path),
        "archive_path": str(archived), "metadata": json.dumps(asdict(metadata)), "state": "waiting",
        "created_at": iso(utcnow()),
    }).last_pk
    log.info("sidecar_received", extra={"sidecar": sidecar_id, "source": metadata.source})
    _remove_from_inbox(path, config)
    attach_sidecar(db, config, sidecar_id, schedule)
    return sidecar_id


def attach_sidecar(db: sqlite_utils.Database, config: Config, sidecar_id: int, schedule=None) -> int | None:
    """Join a stored sidecar to the latest job for the same mailbox and stem; returns the job id."""
    side = db["sidecars"].get(sidecar_id)
    job = _job_for_stem(db, side["mailbox"], side["stem"])
    if job is None:
        return None
    metadata = load_metadata(side["metadata"])
    merged = merge_metadata(load_metadata(job["metadata"]), metadata)
    now = iso(utcnow())
    with db.conn:
        # Guarded by message_id: a worker storing this job now re-reads the metadata after storing.
        db.execute("update jobs set metadata = ?, updated_at = ? where id = ? and message_id is null",
                   [json.dumps(asdict(merged)), now, job["id"]])
        db["sidecars"].update(sidecar_id, {"state": "attached", "job_id": job["id"], "attached_at": now})
    stored = db["jobs"].get(job["id"])
    if stored["message_id"]:
        late_metadata_to_message(db, config, stored["message_id"], merged, schedule)
    log.info("sidecar_attached",
             extra={"sidecar": sidecar_id, "job_id": job["id"], "message_id": stored["message_id"]})
    return job["id"]


def _job_for_stem(db: sqlite_utils.Database, mailbox: str, stem: str) -> dict | None:
    """The job for a recording named `stem` in `mailbox`, also when that file was a duplicate."""
    jobs = list(db["jobs"].rows_where("mailbox = ? and stem = ? and state != 'quarantined'",
                                      [mailbox, stem], order_by="id desc", limit=1))
    if jobs:
        return jobs[0]
    for dup in db["duplicates"].rows_where("mailbox = ?", [mailbox], order_by="id desc"):
        if stem_of(dup["file_name"]) == stem:
            jobs = list(db["jobs"].rows_where("sha256 = ? and state != 'quarantined'", [dup["sha256"]],
                                              order_by="id desc", limit=1))
            return jobs[0] if jobs else None
    return None


def late_metadata_to_message(db: sqlite_utils.Database, config: Config, message_id: int, metadata: CallMetadata,
                             schedule=None) -> None:
    """The call's time changes the due time; the caller ID becomes the callback number if none was spoken."""
    from datetime import datetime

    from .schedule import due_at, load_schedule
    from .store import get_message

    row = get_message(db, message_id)
    if row is None:
        return
    due = None
    if metadata.received_at and metadata.received_at != row["received_at"]:
        schedule = schedule or load_schedule(config.paths.rules_dir / "schedule.toml")
        due = iso(due_at(schedule, datetime.fromisoformat(metadata.received_at), row["urgency"], row["concern"],
                         bool(row["needs_listen"]), row["mailbox"] or ""))
    apply_call_metadata(db, message_id, metadata, due)


def orphan_sidecars(db: sqlite_utils.Database, config: Config) -> int:
    """Sidecars whose recording never came: quarantined (a copy) so a person sees them; still joinable."""
    cutoff = iso(utcnow() - timedelta(minutes=config.ingest.sidecar_orphan_minutes))
    count = 0
    for row in db["sidecars"].rows_where("state = 'waiting' and created_at <= ?", [cutoff]):
        quarantine_file(db, config, Path(row["archive_path"]), file_name=row["file_name"], mailbox=row["mailbox"],
                        code="orphan_sidecar", move=False, kind="sidecar", sha256=row["sha256"],
                        reason=f"no recording named {row['stem']}.* arrived in this mailbox within "
                               f"{config.ingest.sidecar_orphan_minutes:g} minutes of this phone-system file; "
                               "it will still be joined if the recording arrives")
        db["sidecars"].update(row["id"], {"state": "orphan"})
        count += 1
    return count


def requeue(db: sqlite_utils.Database, config: Config, quarantine_id: int) -> Path:
    """Put a quarantined file (fixed by a person) back into its mailbox in the inbox."""
    row = db["quarantine"].get(quarantine_id)  # raises NotFoundError
    if row["requeued_at"]:
        raise ValueError(f"quarantine {quarantine_id} was already requeued at {row['requeued_at']}")
    src = Path(row["path"])
    if not src.is_file():
        raise ValueError(f"the quarantined file is no longer at {src}")
    inbox = config.paths.inbox.resolve()
    folder = (inbox / row["mailbox"]).resolve() if row["mailbox"] else inbox
    if not folder.is_relative_to(inbox):  # the mailbox folder may be gone; it must not lead out
        folder = inbox
    folder.mkdir(parents=True, exist_ok=True)
    name = short_name(Path(row["file_name"]).name)  # never a path from the row
    target, n = folder / name, 1
    while target.exists():
        target = folder / f"{Path(name).stem}_{n}{Path(name).suffix}"
        n += 1
    # Copy then remove, so the file's new mtime starts the stability wait afresh.
    scratch = target.with_name("." + target.name + ".incoming")
    shutil.copyfile(src, scratch)
    os.replace(scratch, target)
    src.unlink()
    src.with_name(src.name + REASON_SUFFIX).unlink(missing_ok=True)
    db["quarantine"].update(quarantine_id, {"requeued_at": iso(utcnow())})
    log.info("requeued", extra={"quarantine": quarantine_id})
    return target


def declares_complete(path: Path, size: int) -> bool:
    """True for a WAV (RIFF) file whose header counts exactly the `size` bytes on disk.

    Writers fill in the RIFF sizes when they close the file, and a partial copy of a finished
    recording is shorter than its header says, so a match means the recording is finished.
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
    except OSError:
        return False
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return False
    return int.from_bytes(head[4:8], "little") + 8 == size


class StabilityTracker:
    """Remembers (size, mtime) per path; a path is ready once unchanged for `stable_seconds`, or for
    `finished_seconds` when its header says it is finished (`declares_complete`)."""

    def __init__(self, stable_seconds: float, finished_seconds: float | None = None):
        self.stable_seconds = stable_seconds
        self.finished_seconds = stable_seconds if finished_seconds is None else min(finished_seconds, stable_seconds)
        self._seen: dict[Path, tuple[int, int, float]] = {}
        self._lock = threading.Lock()

    def touch(self, path: Path) -> None:
        with self._lock:
            self._seen.setdefault(path, (-1, -1, time.monotonic()))

    def forget(self, path: Path) -> None:
        with self._lock:
            self._seen.pop(path, None)

    def __contains__(self, path: Path) -> bool:
        with self._lock:
            return path in self._seen

    def ready(self) -> list[Path]:
        out = []
        now = time.monotonic()
        with self._lock:
            for path, (size, mtime, since) in list(self._seen.items()):
                try:
                    st = path.lstat()
                except OSError:
                    del self._seen[path]
                    continue
                if (st.st_size, st.st_mtime_ns) != (size, mtime):
                    self._seen[path] = (st.st_size, st.st_mtime_ns, now)
                elif now - since >= self.stable_seconds or (
                        now - since >= self.finished_seconds and declares_complete(path, st.st_size)):
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

    def on_closed(self, event):
        self.on_path(Path(event.src_path))

    def on_moved(self, event):
        if not event.is_directory:
            self.on_path(Path(event.dest_path))
        else:  # a folder moved in: its files get no events of their own
            for path in candidates(Path(event.dest_path)):
                self.on_path(path)


def candidates(folder: Path) -> list[Path]:
    """Regular files under `folder`, oldest first, without descending into symbolic links."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(root) / name
            try:
                st = path.lstat()
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                found.append((st.st_mtime_ns, path))
    return [p for _, p in sorted(found)]


class InboxWatcher:
    """Watches the inbox (recursive) and takes each complete recording and sidecar once.

    Events only mark a path for attention; `poll_once`, called from one thread, does the work,
    so the database sees one writer for ingestion.
    """

    def __init__(self, db_path: Path, config: Config):
        self.config = config
        self.db_path = db_path
        self.tracker = StabilityTracker(config.ingest.stable_seconds, config.ingest.finished_wav_seconds)
        self.observer = Observer()
        self._stable_since: dict[Path, float] = {}
        self._taken: dict[Path, tuple[int, int]] = {}  # kept originals already taken (size, mtime)
        self._last_scan = 0.0
        self._last_orphan_check = 0.0
        self._schedule = None

    def _consider(self, path: Path) -> None:
        if is_temporary(path) or path.name.endswith(REASON_SUFFIX):
            return
        if any(part.startswith(".") for part in path.relative_to(self.config.paths.inbox).parts[:-1]):
            return
        try:
            st = path.lstat()
        except (OSError, ValueError):
            return
        if not stat.S_ISREG(st.st_mode) or not inside(path, self.config.paths.inbox):
            return
        if self._taken.get(path) == (st.st_size, st.st_mtime_ns):
            return
        self.tracker.touch(path)

    def _safe_consider(self, path: Path) -> None:
        try:
            self._consider(path)
        except Exception:  # noqa: BLE001 - an odd path must never stop the observer thread
            log.exception("consider_failed")

    def scan(self) -> None:
        for path in candidates(self.config.paths.inbox):
            self._safe_consider(path)
        self._last_scan = time.monotonic()

    def start(self) -> None:
        inbox = self.config.paths.inbox
        inbox.mkdir(parents=True, exist_ok=True)
        self.observer.schedule(_Handler(self._safe_consider), str(inbox), recursive=True)
        self.observer.start()
        self.scan()  # start-up scan: what arrived while nothing was watching

    def poll_once(self, db: sqlite_utils.Database) -> int:
        """Take what is ready: sidecars first, so a recording finds a sidecar that came before it."""
        now = time.monotonic()
        if now - self._last_scan >= self.config.ingest.rescan_seconds:
            self.scan()  # a safety net for missed events (inotify queue overflow, network folders)
        if now - self._last_orphan_check >= 30:
            self._last_orphan_check = now
            orphan_sidecars(db, self.config)
        for path in self.tracker.ready():
            self._stable_since.setdefault(path, now)
        taken = 0
        grace = self.config.ingest.sidecar_wait_seconds
        ordered = sorted(self._stable_since.items(), key=lambda item: (not is_sidecar(item[0]), item[1]))
        for path, since in ordered:
            if path in self.tracker:
                continue  # changed again since it was stable: wait for it to settle
            if not is_sidecar(path) and now - since < grace and not self._sidecar_waiting(db, path):
                continue  # give a phone system a moment to write the sidecar first
            del self._stable_since[path]
            taken += self._take(db, path)
        return taken

    def _sidecar_waiting(self, db: sqlite_utils.Database, path: Path) -> bool:
        mailbox = mailbox_of(path, self.config.paths.inbox)
        return bool(_sidecars_for(db, mailbox, stem_of(path.name)))

    def _take(self, db: sqlite_utils.Database, path: Path) -> int:
        try:
            st = path.lstat()
            if is_sidecar(path):
                if self._schedule is None:
                    from .schedule import load_schedule

                    self._schedule = load_schedule(self.config.paths.rules_dir / "schedule.toml")
                take_sidecar(db, self.config, path, self._schedule)
            else:
                take_file(db, self.config, path)
            if self.config.ingest.keep_originals:
                self._taken[path] = (st.st_size, st.st_mtime_ns)
            return 1
        except FileChanged:
            self.tracker.touch(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.error("take_failed", extra={"error": exc.__class__.__name__})
            self.tracker.touch(path)  # try again once it is stable (a network folder may come back)
        return 0

    def idle(self) -> bool:
        """Nothing waiting to become stable or to be taken."""
        return not self._stable_since and not self.tracker._seen

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)
