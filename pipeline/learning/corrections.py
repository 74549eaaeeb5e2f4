"""Reviewer labels, read from the store's label history (triage_history, produced_by 'user:<name>').

The latest label a person gave each message is its reviewed label; the latest machine label before
it is what the reviewer saw and judged. Reviewed messages are split by a hash of the recording's
SHA-256: the same message always lands on the same side (training or the rolling evaluation set),
so a model is never scored on a message it learned from, however often it is retrained.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import sqlite_utils

from ..records import URGENCY_RANK
from .examples import Example

_REVIEWED = """
select m.id as message_id, m.sha256, m.transcript, m.translation, m.needs_listen, m.asr_confidence,
       m.listen_reasons, m.received_at,
       u.urgency as reviewed_urgency, u.concern as reviewed_concern, u.produced_by as reviewer,
       u.created_at as reviewed_at,
       s.urgency as system_urgency, s.concern as system_concern, s.produced_by as system_producer,
       s.reasons as system_reasons, s.rules_version, s.model_version
from messages m
join triage_history u on u.id = (
    select max(id) from triage_history where message_id = m.id and produced_by like 'user:%')
left join triage_history s on s.id = (
    select max(id) from triage_history where message_id = m.id and id < u.id and produced_by not like 'user:%')
{where}
order by m.id
"""


def stored_reasons(stored: str) -> list[dict]:
    try:
        reasons = json.loads(stored or "[]")
    except json.JSONDecodeError:
        return []
    return [r for r in reasons if isinstance(r, dict)]


@dataclass(frozen=True)
class Review:
    message_id: int
    sha256: str
    text: str  # what triage read: the English translation when there is one
    reviewed_urgency: str
    reviewed_concern: str
    reviewer: str  # user:<name>
    reviewed_at: str
    system_urgency: str | None  # the machine label the reviewer judged (None if there was none)
    system_concern: str | None
    system_reasons: str  # JSON list of Reason, as stored
    rules_version: str
    model_version: str
    needs_listen: bool
    asr_confidence: float | None
    received_at: str

    @property
    def changed(self) -> bool:
        """The reviewer corrected the machine (rather than confirming it)."""
        return (self.reviewed_urgency, self.reviewed_concern) != (self.system_urgency, self.system_concern)

    @property
    def below_rule_floor(self) -> bool:
        """The reviewer set a lower urgency than a red-flag rule asserted: worth a second look."""
        floors = [URGENCY_RANK[r["urgency"]] for r in stored_reasons(self.system_reasons)
                  if r.get("kind") == "rule" and r.get("urgency") in URGENCY_RANK]
        return bool(floors) and URGENCY_RANK[self.reviewed_urgency] > min(floors)

    def example(self) -> Example:
        return Example(f"msg:{self.message_id}", self.text, self.reviewed_urgency, self.reviewed_concern,
                       f"review:{self.reviewer}")


def reviews(db: sqlite_utils.Database, since: str | None = None) -> list[Review]:
    """Every message a person has labelled, with its latest reviewed label."""
    where, params = ("where m.received_at >= ?", [since]) if since else ("", [])
    cursor = db.execute(_REVIEWED.format(where=where), params)
    columns = [c[0] for c in cursor.description]
    out = []
    for values in cursor.fetchall():
        row = dict(zip(columns, values, strict=True))
        out.append(Review(
            message_id=row["message_id"], sha256=row["sha256"],
            text=(row["translation"] or row["transcript"] or "").strip(),
            reviewed_urgency=row["reviewed_urgency"], reviewed_concern=row["reviewed_concern"],
            reviewer=row["reviewer"], reviewed_at=row["reviewed_at"] or "",
            system_urgency=row["system_urgency"], system_concern=row["system_concern"],
            system_reasons=row["system_reasons"] or "[]", rules_version=row["rules_version"] or "",
            model_version=row["model_version"] or "", needs_listen=bool(row["needs_listen"]),
            asr_confidence=row["asr_confidence"], received_at=row["received_at"],
        ))
    return out


def in_evaluation_set(sha256: str, share: float) -> bool:
    """Deterministic side of the split: a stable function of the recording's hash alone."""
    bucket = int(hashlib.sha256(f"vmtriage-review-split:{sha256}".encode()).hexdigest()[:8], 16)
    return bucket / 0x1_0000_0000 < share


@dataclass
class ReviewSplit:
    train: list[Review]
    evaluate: list[Review]
    skipped_empty: int  # reviewed messages with no text to learn from (no speech)


def split_reviews(all_reviews: list[Review], share: float) -> ReviewSplit:
    usable = [r for r in all_reviews if r.text]
    evaluate = [r for r in usable if in_evaluation_set(r.sha256, share)]
    held = {r.message_id for r in evaluate}
    return ReviewSplit([r for r in usable if r.message_id not in held], evaluate, len(all_reviews) - len(usable))
