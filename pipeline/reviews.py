"""QA review: which messages a reviewer should audit, their verdicts, and how often the system was right.

A review confirms or corrects a message's urgency and concern. A correction is stored as a new
label in triage_history (produced_by=user:<name>) and becomes the message's label; the first
label (system:triage) stays, so accuracy compares the system's own answer with the reviewer's.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from .records import CONCERNS, URGENCIES, URGENCY_RANK, Reason, TriageResult
from .schedule import Schedule, due_at
from .store import audit, decode_row, get_message, iso, record_label, utcnow

LOW_CONFIDENCE = 0.6
SAMPLE_PERCENT = 10  # share of routine messages drawn for review


class ReviewError(ValueError):
    pass


@dataclass(frozen=True)
class QueueItem:
    message: dict
    why: tuple[str, ...]  # low_confidence | needs_listen | flagged | sample
    reviewed: bool


def in_routine_sample(sha256: str, percent: int = SAMPLE_PERCENT) -> bool:
    """A stable random draw: the same message is in or out of the sample on every page load."""
    return int(hashlib.sha256(f"review-sample:{sha256}".encode()).hexdigest()[:8], 16) % 100 < percent


def open_flags(db: sqlite_utils.Database, message_id: int | None = None) -> list[dict]:
    where, args = "resolved_at is null", []
    if message_id is not None:
        where, args = where + " and message_id = ?", [message_id]
    return list(db["flags"].rows_where(where, args, order_by="at"))


def flag_message(db: sqlite_utils.Database, message_id: int, *, user: str, note: str = "") -> int:
    if get_message(db, message_id) is None:
        raise ReviewError(f"no message {message_id}")
    with db.conn:
        flag_id = db["flags"].insert({"message_id": message_id, "user": user, "at": iso(utcnow()),
                                      "note": note.strip()[:2000]}).last_pk
        audit(db, user, "flag_for_review", message_id, {"flag": flag_id})
    return flag_id


def review_queue(db: sqlite_utils.Database, *, why: str = "", urgency: str = "", concern: str = "",
                 mailbox: str = "", include_reviewed: bool = False) -> list[QueueItem]:
    """Low-confidence and needs_listen messages, flagged ones, and a sample of routine ones."""
    flagged = {f["message_id"] for f in open_flags(db)}
    reviewed = {r[0] for r in db.execute("select distinct message_id from reviews").fetchall()}
    items = []
    for row in db["messages"].rows_where(order_by="received_at desc"):
        m = decode_row(row)
        reasons = []
        if m["needs_review"] or (m["triage_confidence"] or 0) < LOW_CONFIDENCE:
            reasons.append("low_confidence")
        if m["needs_listen"]:
            reasons.append("needs_listen")
        if m["id"] in flagged:
            reasons.append("flagged")
        if m["urgency"] == "routine" and not reasons and in_routine_sample(m["sha256"]):
            reasons.append("sample")
        if not reasons or (why and why not in reasons):
            continue
        if (urgency and m["urgency"] != urgency) or (concern and m["concern"] != concern):
            continue
        if mailbox and m["mailbox"] != mailbox:
            continue
        done = m["id"] in reviewed and m["id"] not in flagged
        if done and not include_reviewed:
            continue
        items.append(QueueItem(message=m, why=tuple(reasons), reviewed=done))
    # Most urgent first, flagged before the rest of a tier, then newest.
    return sorted(items, key=lambda i: (URGENCY_RANK.get(i.message["urgency"], 9), "flagged" not in i.why))


def record_review(db: sqlite_utils.Database, schedule: Schedule, message_id: int, *, reviewer: str,
                  urgency: str, concern: str, reason: str, now: datetime | None = None) -> dict:
    """Confirm or correct a label. A correction needs a reason and becomes the message's label."""
    if urgency not in URGENCIES:
        raise ReviewError(f"unknown urgency {urgency!r}")
    if concern not in CONCERNS:
        raise ReviewError(f"unknown concern {concern!r}")
    message = get_message(db, message_id)
    if message is None:
        raise ReviewError(f"no message {message_id}")
    agreed = urgency == message["urgency"] and concern == message["concern"]
    reason = reason.strip()[:2000]
    if not agreed and not reason:
        raise ReviewError("say why the label is wrong: a correction needs a reason")
    now = now or utcnow()
    with db.conn:
        db["reviews"].insert({
            "message_id": message_id, "reviewer": reviewer, "at": iso(now),
            "prior_urgency": message["urgency"], "prior_concern": message["concern"],
            "urgency": urgency, "concern": concern, "agreed": int(agreed), "reason": reason,
        })
        # Confirmations are labels too: retraining and its kept-out judging set need both kinds,
        # or they only ever see the system's mistakes.
        verdict = f"Reviewer {reviewer}: {reason}" if reason else f"Confirmed by {reviewer}"
        label = TriageResult(urgency=urgency, concern=concern, confidence=1.0,
                             reasons=[Reason(kind="review", label=verdict)],
                             rules_version=message["rules_version"] or "",
                             model_version=message["model_version"] or "")
        record_label(db, message_id, label, produced_by=f"user:{reviewer}")
        if not agreed:
            changes = {"urgency": urgency, "concern": concern, "needs_review": 0}
            if message["status"] == "open":  # a raised urgency makes the callback due sooner, never later
                received = datetime.fromisoformat(message["received_at"])
                sooner = iso(due_at(schedule, received, urgency, concern, bool(message["needs_listen"])))
                changes["due_at"] = min(sooner, message["due_at"] or sooner)
            db["messages"].update(message_id, changes)
        else:
            db["messages"].update(message_id, {"needs_review": 0})
        db.execute("update flags set resolved_at = ?, resolved_by = ? where message_id = ? and resolved_at is null",
                   [iso(now), reviewer, message_id])
        audit(db, reviewer, "review_confirm" if agreed else "review_correct", message_id, {
            "from": [message["urgency"], message["concern"]], "to": [urgency, concern]})
    return get_message(db, message_id)


def latest_reviews(db: sqlite_utils.Database) -> list[dict]:
    """Each reviewed message once (its latest review), with the system's first label beside it."""
    return list(db.query("""
        select r.*, h.urgency as system_urgency, h.concern as system_concern
        from reviews r
        join (select message_id, max(id) as id from reviews group by message_id) last on last.id = r.id
        left join triage_history h on h.id = (
            select min(id) from triage_history where message_id = r.message_id and produced_by like 'system:%')
        order by r.at desc
    """))


def disagreements(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("""
        select r.*, m.mailbox, m.received_at from reviews r join messages m on m.id = r.message_id
        where r.agreed = 0 order by r.at desc
    """))


@dataclass(frozen=True)
class Confusion:
    labels: tuple[str, ...]
    counts: dict[tuple[str, str], int]  # (system, reviewer) -> n
    total: int
    correct: int

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None

    def cell(self, system: str, reviewer: str) -> int:
        return self.counts.get((system, reviewer), 0)


def confusion(rows: list[dict], field: str, labels: tuple[str, ...]) -> Confusion:
    """System label (rows) against reviewer label (columns) over reviewed messages."""
    counts: dict[tuple[str, str], int] = {}
    total = correct = 0
    for r in rows:
        system, truth = r[f"system_{field}"], r[field]
        if system is None:
            continue
        counts[(system, truth)] = counts.get((system, truth), 0) + 1
        total += 1
        correct += system == truth
    return Confusion(labels=labels, counts=counts, total=total, correct=correct)


EXPORT_FIELDS = ("message_id", "reviewed_at", "reviewer", "system_urgency", "system_concern",
                 "urgency", "concern", "reason", "text")


def corrections(db: sqlite_utils.Database) -> list[dict]:
    """Every correction with the text it applies to: the input for retraining and for audits."""
    rows = db.query("""
        select r.message_id, r.at as reviewed_at, r.reviewer, r.prior_urgency as system_urgency,
               r.prior_concern as system_concern, r.urgency, r.concern, r.reason,
               coalesce(m.translation, m.transcript) as text
        from reviews r join messages m on m.id = r.message_id where r.agreed = 0 order by r.id
    """)
    return [{k: row[k] for k in EXPORT_FIELDS} for row in rows]


def _inert(value):
    """A cell a spreadsheet will not run as a formula (callers' words are untrusted)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    writer.writerows({k: _inert(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def to_jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
