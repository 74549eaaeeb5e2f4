"""QA reviews: the queue, corrections as new labels, accuracy and the export."""

from __future__ import annotations

import csv
import io

import pytest

from pipeline.records import CONCERNS, URGENCIES
from pipeline.reviews import (
    ReviewError,
    confusion,
    corrections,
    flag_message,
    latest_reviews,
    record_review,
    review_queue,
    to_csv,
)
from pipeline.schedule import load_schedule
from pipeline.store import get_message, open_db
from tests.web.seed import seed_messages


@pytest.fixture
def seeded_db(config, triager):
    ids = seed_messages(config, triager)
    return open_db(config.paths.db), load_schedule(config.paths.rules_dir / "schedule.toml"), ids


def test_the_queue_holds_unclear_and_flagged_messages(seeded_db):
    db, _, ids = seeded_db
    flag_message(db, ids["chest_pain.wav"], user="alice", note="sounds like a panic attack")
    why = {item.message["id"]: item.why for item in review_queue(db)}
    assert "needs_listen" in why[ids["billing.wav"]]
    assert "flagged" in why[ids["chest_pain.wav"]]


def test_a_correction_becomes_the_label_and_keeps_the_systems_label_in_history(seeded_db):
    db, schedule, ids = seeded_db
    message_id = ids["refill.wav"]
    record_review(db, schedule, message_id, reviewer="rita", urgency="urgent", concern="medication",
                  reason="dizzy on the new dose")
    assert (get_message(db, message_id)["urgency"], get_message(db, message_id)["concern"]) == ("urgent", "medication")
    history = list(db["triage_history"].rows_where("message_id = ?", [message_id], order_by="id"))
    assert [h["produced_by"] for h in history] == ["system:triage", "user:rita"]


def test_a_confirmation_is_kept_as_a_reviewer_label_for_retraining(seeded_db):
    db, schedule, ids = seeded_db
    message_id = ids["refill.wav"]
    before = get_message(db, message_id)
    record_review(db, schedule, message_id, reviewer="rita", urgency=before["urgency"], concern=before["concern"],
                  reason="")
    history = list(db["triage_history"].rows_where("message_id = ?", [message_id], order_by="id"))
    assert [h["produced_by"] for h in history] == ["system:triage", "user:rita"]
    assert (history[-1]["urgency"], history[-1]["concern"]) == (before["urgency"], before["concern"])


def test_a_correction_without_a_reason_is_refused(seeded_db):
    db, schedule, ids = seeded_db
    with pytest.raises(ReviewError):
        record_review(db, schedule, ids["refill.wav"], reviewer="rita", urgency="urgent", concern="refill", reason="")


def test_raising_urgency_never_makes_the_callback_due_later(seeded_db):
    db, schedule, ids = seeded_db
    message_id = ids["billing.wav"]
    before = get_message(db, message_id)["due_at"]
    after = record_review(db, schedule, message_id, reviewer="rita", urgency="emergency", concern="symptoms",
                          reason="fainting")["due_at"]
    assert after <= before


def test_accuracy_counts_the_systems_first_label_against_the_reviewers(seeded_db):
    db, schedule, ids = seeded_db
    record_review(db, schedule, ids["chest_pain.wav"], reviewer="rita", urgency="emergency", concern="symptoms",
                  reason="")
    record_review(db, schedule, ids["refill.wav"], reviewer="rita", urgency="urgent", concern="refill", reason="x")
    matrix = confusion(latest_reviews(db), "urgency", URGENCIES)
    assert (matrix.total, matrix.correct) == (2, 1)
    assert matrix.cell("routine", "urgent") == 1 and matrix.cell("emergency", "emergency") == 1
    assert confusion(latest_reviews(db), "concern", CONCERNS).accuracy == 1.0


def test_the_csv_export_cannot_smuggle_a_spreadsheet_formula(seeded_db):
    db, schedule, ids = seeded_db
    record_review(db, schedule, ids["refill.wav"], reviewer="rita", urgency="urgent", concern="refill",
                  reason="=HYPERLINK(\"http://x\")")
    row = next(csv.DictReader(io.StringIO(to_csv(corrections(db)))))
    assert row["reason"].startswith("'=")
