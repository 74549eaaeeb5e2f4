"""The quarantine list for the admin page, and putting a file back through ingest (audited here)."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils
from sqlite_utils.db import NotFoundError

from ..config import Config
from ..ingest import requeue as ingest_requeue
from ..store import audit


class RequeueError(ValueError):
    pass


def quarantined(db: sqlite_utils.Database) -> list[dict]:
    return list(db["quarantine"].rows_where(order_by="created_at desc"))


def requeue(db: sqlite_utils.Database, config: Config, quarantine_id: int, *, actor: str) -> Path:
    try:
        target = ingest_requeue(db, config, quarantine_id)
    except (NotFoundError, ValueError, OSError) as exc:
        message = f"no quarantined file {quarantine_id}" if isinstance(exc, NotFoundError) else str(exc)
        raise RequeueError(message) from exc
    audit(db, actor, "quarantine_requeue", None, {"quarantine_id": quarantine_id})
    return target
