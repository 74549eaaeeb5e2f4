"""Re-label stored messages with the current rules and model, keeping every earlier label.

A label a reviewer set by hand is never overwritten by a machine. When an open message's urgency
changes, its due time is recomputed so the list re-ranks; a message raised to urgent or higher
is returned in `raised` so the caller can alert exactly as for a new one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

import sqlite_utils

from .process import surface_unclear
from .records import URGENCY_RANK, Transcript
from .schedule import Schedule, due_at
from .store import decode_row, iso, record_label
from .triage import Triager


@dataclass
class RetriageSummary:
    examined: int = 0
    changed: int = 0
    kept_human_label: int = 0
    raised: list[int] = field(default_factory=list)


def _latest_producer(db: sqlite_utils.Database, message_id: int) -> str:
    row = db.execute(
        "select produced_by from triage_history where message_id = ? order by id desc limit 1", [message_id]
    ).fetchone()
    return row[0] if row else ""


def _stored_transcript(row: dict) -> Transcript:
    return Transcript(text=row["transcript"] or "", language=row["language"] or "", language_probability=1.0,
                      translation=row["translation"], dropped_tail=row.get("dropped_tail") or "",
                      needs_listen=bool(row["needs_listen"]),
                      listen_reasons=list(row["listen_reasons"] or []))


def retriage(db: sqlite_utils.Database, triager: Triager, schedule: Schedule, since: str | None = None
             ) -> RetriageSummary:
    summary = RetriageSummary()
    where, params = ("received_at >= ?", [since]) if since else (None, [])
    rows = [decode_row(r) for r in db["messages"].rows_where(where, params, order_by="id")]
    for row in rows:
        summary.examined += 1
        if _latest_producer(db, row["id"]).startswith("user:"):
            summary.kept_human_label += 1
            continue
        transcript = _stored_transcript(row)
        result = surface_unclear(triager.triage(transcript.triage_text), transcript)
        same = (result.urgency, result.concern, result.rules_version, result.model_version) == (
            row["urgency"], row["concern"], row["rules_version"], row["model_version"])
        if same:
            continue
        update = {
            "urgency": result.urgency, "concern": result.concern,
            "reasons": json.dumps([asdict(r) for r in result.reasons]),
            "triage_confidence": result.confidence, "needs_review": int(result.needs_review),
            "rules_version": result.rules_version, "model_version": result.model_version,
            "extraction": json.dumps(asdict(result.extraction)),
        }
        if row["status"] == "open" and (result.urgency, result.concern) != (row["urgency"], row["concern"]):
            received = datetime.fromisoformat(row["received_at"])
            update["due_at"] = iso(due_at(schedule, received, result.urgency, result.concern,
                                          transcript.needs_listen, mailbox=row["mailbox"]))
            update["target_at"] = update["due_at"]  # the report measures against the current label's target
        with db.conn:
            db["messages"].update(row["id"], update)
            record_label(db, row["id"], result, produced_by="system:retriage")
        summary.changed += 1
        raised = URGENCY_RANK[result.urgency] < URGENCY_RANK[row["urgency"]]
        if raised and result.urgency in ("emergency", "urgent") and row["status"] == "open":
            summary.raised.append(row["id"])
    return summary

