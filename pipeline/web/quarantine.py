"""The quarantine list for the admin page, and putting a file back through ingest.

Kept apart so that the ingest module's own requeue can replace `requeue` in one place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import sqlite_utils

from ..config import Config
from ..store import audit, iso, utcnow


class RequeueError(ValueError):
    pass


def quarantined(db: sqlite_utils.Database) -> list[dict]:
    return list(db["quarantine"].rows_where(order_by="created_at desc"))


def requeue(db: sqlite_utils.Database, config: Config, quarantine_id: int, *, actor: str) -> Path:
    """Copy a quarantined file back into its inbox folder; the watcher takes it like a new arrival."""
    rows = list(db["quarantine"].rows_where("id = ?", [quarantine_id], limit=1))
    if not rows:
        raise RequeueError(f"no quarantined file {quarantine_id}")
    row = rows[0]
    src = Path(row["path"])
    if not src.is_file():
        raise RequeueError("the quarantined file is no longer on disk")
    folder = config.paths.inbox / (row["mailbox"] or "")
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(row["file_name"]).name  # never a path from the row
    target = folder / name
    tmp = folder / f".{name}.requeue.tmp"  # temporary names are ignored until complete
    shutil.copyfile(src, tmp)
    tmp.replace(target)
    with db.conn:
        db["quarantine"].update(quarantine_id, {"requeued_at": iso(utcnow())})
        audit(db, actor, "quarantine_requeue", None, {"quarantine_id": quarantine_id})
    return target
