"""The quarantine list for the admin page, and putting a file back through ingest.

`requeue` uses the ingest module's own requeue when it has one (the ingest work adds it) and
otherwise copies the file back into its inbox folder; either way the change is audited here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlite_utils
from sqlite_utils.db import NotFoundError

from ..config import Config
from ..store import audit, iso, utcnow


class RequeueError(ValueError):
    pass


def quarantined(db: sqlite_utils.Database) -> list[dict]:
    return list(db["quarantine"].rows_where(order_by="created_at desc"))


def requeue(db: sqlite_utils.Database, config: Config, quarantine_id: int, *, actor: str) -> Path:
    try:
        from ..ingest import requeue as ingest_requeue
    except ImportError:
        ingest_requeue = _copy_back
    try:
        target = ingest_requeue(db, config, quarantine_id)
    except (NotFoundError, ValueError, OSError) as exc:
        message = f"no quarantined file {quarantine_id}" if isinstance(exc, NotFoundError) else str(exc)
        raise RequeueError(message) from exc
    audit(db, actor, "quarantine_requeue", None, {"quarantine_id": quarantine_id})
    return target


def _copy_back(db: sqlite_utils.Database, config: Config, quarantine_id: int) -> Path:
    """Copy a quarantined file back into its inbox folder; the watcher takes it like a new arrival."""
    row = db["quarantine"].get(quarantine_id)
    if row["requeued_at"]:
        raise ValueError(f"this file was already requeued at {row['requeued_at']}")
    src = Path(row["path"])
    if not src.is_file():
        raise ValueError("the quarantined file is no longer on disk")
    inbox = config.paths.inbox
    folder = inbox / (row["mailbox"] or "")
    if not folder.resolve().is_relative_to(inbox.resolve()):
        folder = inbox
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(row["file_name"]).name  # never a path from the row
    scratch = folder / f".{name}.requeue.tmp"  # hidden names are ignored by the watcher until renamed
    shutil.copyfile(src, scratch)
    target = folder / name
    scratch.replace(target)
    db["quarantine"].update(quarantine_id, {"requeued_at": iso(utcnow())})
    return target
