"""Callback attempts: record an outcome, close the message or re-queue it with a new due time.

Outcomes:
- `reached`, `resolved_without_call`: the message closes.
- `left_message`, `no_answer`: the message stays open and is due again (see [retry] in
  rules/schedule.toml: 10 minutes for emergencies, 30 for urgent, the next window for routine).
- `wrong_number`: the number cannot simply be dialled again. It is remembered as bad; the message
  switches to the next known number (the caller ID or another number said in the message) and is
  due again as above. When no good number is left, the message stays open, keeps its due time and
  is marked `needs_number`, so a person finds the number in the chart (then `set_callback_number`).
"""

from __future__ import annotations

import json
from datetime import datetime

import sqlite_utils

from .schedule import Schedule, retry_due
from .store import audit, get_message, iso, utcnow

OUTCOMES = ("reached", "left_message", "no_answer", "wrong_number", "resolved_without_call")
CLOSING_OUTCOMES = ("reached", "resolved_without_call")


class CallbackError(ValueError):
    pass


def _digits(number: str | None) -> str:
    return "".join(ch for ch in number or "" if ch.isdigit())[-10:]


def known_numbers(message: dict) -> list[str]:
    """Every number we have for the caller, in the order to try them."""
    extraction = message.get("extraction") or {}
    candidates = [message.get("callback_number"), *(extraction.get("callback_numbers") or []),
                  message.get("caller_number")]
    out, seen = [], set()
    for number in candidates:
        key = _digits(number)
        if key and key not in seen:
            seen.add(key)
            out.append(number)
    return out


def next_good_number(message: dict, bad: list[str]) -> str | None:
    bad_keys = {_digits(n) for n in bad}
    return next((n for n in known_numbers(message) if _digits(n) not in bad_keys), None)


def record_attempt(db: sqlite_utils.Database, schedule: Schedule, message_id: int, outcome: str, *,
                   user: str, note: str = "", now: datetime | None = None,
                   new_number: str | None = None) -> dict:
    """Store one attempt; returns the message row after the change.

    `new_number`: a number the caller (or the chart) gave during this attempt; it becomes the
    callback number for the next try.
    """
    if outcome not in OUTCOMES:
        raise CallbackError(f"unknown outcome {outcome!r}; use one of {', '.join(OUTCOMES)}")
    message = get_message(db, message_id)
    if message is None:
        raise CallbackError(f"no message {message_id}")
    if message["status"] != "open":
        raise CallbackError(f"message {message_id} is already closed")
    now = now or utcnow()
    changes: dict = {"attempts": (message.get("attempts") or 0) + 1}
    if outcome in CLOSING_OUTCOMES:
        changes.update(status="closed", closed_at=iso(now))
    else:
        changes["due_at"] = iso(retry_due(schedule, message["urgency"], now))
    if outcome == "wrong_number":
        bad = json.loads(message.get("bad_numbers") or "[]")
        if message.get("callback_number"):
            bad.append(message["callback_number"])
        changes["bad_numbers"] = json.dumps(bad)
        good = next_good_number(message, bad)
        changes["callback_number"] = good
        changes["needs_number"] = int(good is None)
        if good is None:  # nothing to dial: keep the original due time, a person must find the number
            changes["due_at"] = message["due_at"]
    if new_number:
        changes.update(callback_number=new_number.strip(), needs_number=0)
    with db.conn:
        db["callbacks"].insert({"message_id": message_id, "outcome": outcome, "user": user,
                                "at": iso(now), "note": note, "number": message.get("callback_number")})
        db["messages"].update(message_id, changes)
        audit(db, user, "callback_attempt", message_id, {"outcome": outcome})
    return get_message(db, message_id)


def set_callback_number(db: sqlite_utils.Database, message_id: int, number: str, *, user: str) -> dict:
    """A person found the right number (e.g. in the chart): use it for the next attempt."""
    if get_message(db, message_id) is None:
        raise CallbackError(f"no message {message_id}")
    with db.conn:
        db["messages"].update(message_id, {"callback_number": number.strip(), "needs_number": 0})
        audit(db, user, "set_callback_number", message_id, {})
    return get_message(db, message_id)


def attempts_for(db: sqlite_utils.Database, message_id: int) -> list[dict]:
    """The attempts on one message, oldest first."""
    return list(db["callbacks"].rows_where("message_id = ?", [message_id], order_by="at, id"))
