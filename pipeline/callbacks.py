"""Callback attempts: record an outcome, close the message or re-queue it with a new due time."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils

from .schedule import Schedule, next_window_end
from .store import audit, get_message, iso, utcnow

OUTCOMES = ("reached", "left_message", "no_answer", "wrong_number", "resolved_without_call")
CLOSING_OUTCOMES = ("reached", "resolved_without_call")


class CallbackError(ValueError):
    pass


def retry_due(schedule: Schedule, urgency: str, now: datetime) -> datetime:
    """When to try again after an attempt that did not reach the caller."""
    if urgency == "emergency":
        return now + timedelta(minutes=10)
    if urgency == "urgent":
        return now + timedelta(minutes=30)
    return next_window_end(schedule, now)


def record_attempt(db: sqlite_utils.Database, schedule: Schedule, message_id: int, outcome: str, *,
                   user: str, note: str = "", now: datetime | None = None) -> dict:
    """Store one attempt; returns the message row after the change."""
    if outcome not in OUTCOMES:
        raise CallbackError(f"unknown outcome {outcome!r}; use one of {', '.join(OUTCOMES)}")
    message = get_message(db, message_id)
    if message is None:
        raise CallbackError(f"no message {message_id}")
    if message["status"] != "open":
        raise CallbackError(f"message {message_id} is already closed")
    now = now or utcnow()
    with db.conn:
        db["callbacks"].insert({"message_id": message_id, "outcome": outcome, "user": user,
                                "at": iso(now), "note": note})
        if outcome in CLOSING_OUTCOMES:
            db["messages"].update(message_id, {"status": "closed", "closed_at": iso(now)})
        else:
            db["messages"].update(message_id, {"due_at": iso(retry_due(schedule, message["urgency"], now))})
        audit(db, user, "callback_attempt", message_id, {"outcome": outcome})
    return get_message(db, message_id)
