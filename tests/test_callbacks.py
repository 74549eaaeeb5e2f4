"""Callback attempts on a real SQLite store: outcomes close or re-queue; the ranked list order."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pipeline.callbacks import CallbackError, attempts_for, record_attempt, set_callback_number
from pipeline.schedule import schedule_from_dict
from pipeline.store import iso, open_db, open_messages
from tests.factories import add_message
from tests.test_schedule import SCHEDULE_TOML

NY = ZoneInfo("America/New_York")
WED_10 = datetime(2026, 11, 25, 10, 0, tzinfo=NY)


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "vmtriage.db")


@pytest.fixture
def schedule():
    return schedule_from_dict(tomllib.loads(SCHEDULE_TOML))


def test_reached_closes_the_message(db, schedule):
    mid = add_message(db, received=WED_10, due=WED_10 + timedelta(hours=2))
    row = record_attempt(db, schedule, mid, "reached", user="ma1", note="refill sent", now=WED_10 + timedelta(hours=1))
    assert row["status"] == "closed"
    assert row["closed_at"] == iso(WED_10 + timedelta(hours=1))


def test_resolved_without_call_closes_the_message(db, schedule):
    mid = add_message(db, received=WED_10, due=WED_10 + timedelta(hours=2))
    assert record_attempt(db, schedule, mid, "resolved_without_call", user="ma1", now=WED_10)["status"] == "closed"


def test_left_message_requeues_a_routine_call_to_the_next_window(db, schedule):
    mid = add_message(db, received=WED_10, due=datetime(2026, 11, 25, 12, 0, tzinfo=NY))
    row = record_attempt(db, schedule, mid, "left_message", user="ma1", now=datetime(2026, 11, 25, 11, 15, tzinfo=NY))
    assert row["status"] == "open"
    assert row["due_at"] == iso(datetime(2026, 11, 25, 16, 30, tzinfo=NY))
    assert row["attempts"] == 1


def test_no_answer_requeues_an_urgent_call_thirty_minutes_later(db, schedule):
    mid = add_message(db, received=WED_10, due=WED_10 + timedelta(hours=1), urgency="urgent", concern="post_op")
    row = record_attempt(db, schedule, mid, "no_answer", user="ma1", now=WED_10 + timedelta(minutes=20))
    assert row["due_at"] == iso(WED_10 + timedelta(minutes=50))


def test_requeue_keeps_the_first_due_time_as_the_target(db, schedule):
    first_due = WED_10 + timedelta(hours=1)
    mid = add_message(db, received=WED_10, due=first_due, urgency="urgent")
    row = record_attempt(db, schedule, mid, "no_answer", user="ma1", now=WED_10 + timedelta(minutes=50))
    assert row["target_at"] == iso(first_due)
    assert row["due_at"] != row["target_at"]


def test_wrong_number_switches_to_the_next_known_number(db, schedule):
    mid = add_message(db, received=WED_10, due=WED_10 + timedelta(hours=2), numbers=("555-010-0001",),
                      caller_number="555-010-0002")
    row = record_attempt(db, schedule, mid, "wrong_number", user="ma1", now=WED_10 + timedelta(minutes=30))
    assert row["callback_number"] == "555-010-0002"
    assert row["status"] == "open" and not row["needs_number"]
    assert attempts_for(db, mid)[0]["number"] == "555-010-0001"


def test_wrong_number_with_no_other_number_asks_a_person_to_find_one(db, schedule):
    due = WED_10 + timedelta(hours=2)
    mid = add_message(db, received=WED_10, due=due, numbers=("555-010-0001",))
    row = record_attempt(db, schedule, mid, "wrong_number", user="ma1", now=WED_10 + timedelta(minutes=30))
    assert row["needs_number"] == 1
    assert row["callback_number"] is None
    assert row["due_at"] == iso(due)  # stays where it was: the list keeps showing it


def test_a_number_from_the_chart_clears_needs_number(db, schedule):
    mid = add_message(db, received=WED_10, due=WED_10 + timedelta(hours=2), numbers=("555-010-0001",))
    record_attempt(db, schedule, mid, "wrong_number", user="ma1", now=WED_10)
    row = set_callback_number(db, mid, "555-010-0099", user="ma1")
    assert (row["callback_number"], row["needs_number"]) == ("555-010-0099", 0)


def test_a_bad_number_is_never_tried_again(db, schedule):
    mid = add_message(db, received=WED_10, due=WED_10 + timedelta(hours=2), numbers=("555-010-0001",),
                      caller_number="(555) 010-0001")  # the same number, written differently
    row = record_attempt(db, schedule, mid, "wrong_number", user="ma1", now=WED_10)
    assert row["needs_number"] == 1


def test_an_attempt_on_a_closed_message_is_refused(db, schedule):
    mid = add_message(db, received=WED_10, due=WED_10 + timedelta(hours=2))
    record_attempt(db, schedule, mid, "reached", user="ma1", now=WED_10)
    with pytest.raises(CallbackError, match="already closed"):
        record_attempt(db, schedule, mid, "reached", user="ma1", now=WED_10)


def test_an_unknown_outcome_is_refused(db, schedule):
    mid = add_message(db, received=WED_10, due=WED_10 + timedelta(hours=2))
    with pytest.raises(CallbackError, match="unknown outcome"):
        record_attempt(db, schedule, mid, "busy", user="ma1")


def test_attempts_are_audited_without_the_note(db, schedule):
    mid = add_message(db, received=WED_10, due=WED_10 + timedelta(hours=2))
    record_attempt(db, schedule, mid, "no_answer", user="ma1", note="patient's mother said call later", now=WED_10)
    audit_rows = list(db["audit_log"].rows_where("message_id = ?", [mid]))
    assert audit_rows[-1]["action"] == "callback_attempt"
    assert "mother" not in audit_rows[-1]["detail"]


def test_ranked_list_orders_by_tier_then_overdue_then_due_then_received(db):
    now = datetime(2026, 11, 25, 14, 0, tzinfo=NY)
    r_late = add_message(db, received=now - timedelta(hours=3), due=now + timedelta(hours=2))
    r_overdue = add_message(db, received=now - timedelta(hours=1), due=now - timedelta(minutes=5))
    r_soon_old = add_message(db, received=now - timedelta(hours=4), due=now + timedelta(hours=1))
    r_soon_new = add_message(db, received=now - timedelta(hours=2), due=now + timedelta(hours=1))
    urgent = add_message(db, received=now - timedelta(minutes=5), due=now + timedelta(minutes=55), urgency="urgent")
    emergency = add_message(db, received=now, due=now, urgency="emergency")
    order = [row["id"] for row in open_messages(db, now=now)]
    assert order == [emergency, urgent, r_overdue, r_soon_old, r_soon_new, r_late]


def test_closed_messages_leave_the_ranked_list(db, schedule):
    mid = add_message(db, received=WED_10, due=WED_10 + timedelta(hours=2))
    record_attempt(db, schedule, mid, "reached", user="ma1", now=WED_10)
    assert mid not in [row["id"] for row in open_messages(db, now=WED_10)]

