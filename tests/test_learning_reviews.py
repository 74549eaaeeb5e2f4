"""Reviewer labels are read from the label history; the split is stable; hard cases are grouped."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.learning.corrections import in_evaluation_set, reviews, split_reviews
from pipeline.learning.hard_cases import hard_cases
from pipeline.records import Reason
from pipeline.store import open_db

from .learning_helpers import review, store_message


def test_latest_reviewer_label_wins_and_history_keeps_every_label(tmp_path):
    db = open_db(tmp_path / "db")
    mid = store_message(db, "my chest feels tight", "routine", "other", key="a")
    review(db, mid, "urgent", "symptoms", user="qa1")
    review(db, mid, "emergency", "symptoms", user="qa2")
    [r] = reviews(db)
    assert (r.reviewed_urgency, r.reviewer, r.system_urgency) == ("emergency", "user:qa2", "routine")
    history = [(h["urgency"], h["produced_by"], h["model_version"])
               for h in db["triage_history"].rows_where("message_id = ?", [mid], order_by="id")]
    assert history == [("routine", "system:triage", "m1"), ("urgent", "user:qa1", ""),
                       ("emergency", "user:qa2", "")]


def test_unreviewed_messages_are_not_training_data(tmp_path):
    db = open_db(tmp_path / "db")
    store_message(db, "I need a refill", "routine", "refill", key="a")
    assert reviews(db) == []


def test_a_message_is_always_on_the_same_side_of_the_split():
    shas = [f"{n:064x}" for n in range(2000)]
    first = [in_evaluation_set(s, 0.3) for s in shas]
    assert first == [in_evaluation_set(s, 0.3) for s in shas]
    assert 0.25 < sum(first) / len(first) < 0.35


def test_split_never_puts_a_message_on_both_sides(tmp_path):
    db = open_db(tmp_path / "db")
    for n in range(40):
        review(db, store_message(db, f"message {n}", "routine", "other", key=f"k{n}"), "routine", "billing")
    split = split_reviews(reviews(db), 0.3)
    train, evaluate = {r.message_id for r in split.train}, {r.message_id for r in split.evaluate}
    assert not train & evaluate and len(train | evaluate) == 40 and evaluate


def test_hard_cases_are_grouped_by_kind_of_error(tmp_path):
    db = open_db(tmp_path / "db")
    chest = Reason(kind="rule", label="chest pain", rule_id="chest_pain", urgency="emergency")
    cases = {
        "missed_emergency": ("my lips are going blue", "urgent", "symptoms", "emergency", "symptoms", []),
        "missed_urgent": ("fever of 102 after my surgery", "routine", "post_op", "urgent", "post_op", []),
        "over_triage": ("my chest pain from last year is gone", "emergency", "symptoms", "routine", "symptoms",
                        [chest]),
        "wrong_concern": ("question about my bill", "routine", "scheduling", "routine", "billing", []),
    }
    ids = {}
    for kind, (text, su, sc, ru, rc, reasons) in cases.items():
        ids[kind] = store_message(db, text, su, sc, key=kind, reasons=reasons)
        review(db, ids[kind], ru, rc)
    agreed = store_message(db, "refill please", "routine", "refill", key="ok")
    review(db, agreed, "routine", "refill")
    report = hard_cases(reviews(db))
    assert {k: [c.message_id for c in v] for k, v in report.groups.items()} == {k: [v] for k, v in ids.items()}
    assert report.agreed == 1
    assert report.rules_behind_over_triage == {"chest_pain": 1}
    assert sorted(report.missed_without_rule) == sorted([ids["missed_emergency"], ids["missed_urgent"]])


def test_hard_cases_list_unclear_audio_separately(tmp_path):
    db = open_db(tmp_path / "db")
    mid = store_message(db, "[inaudible] bleeding", "routine", "other", key="a", needs_listen=True)
    review(db, mid, "urgent", "symptoms")
    report = hard_cases(reviews(db))
    assert report.needs_listen == [mid] and report.counts["missed_urgent"] == 1


def test_reviewer_labels_below_a_red_flag_are_counted_by_reviewer(tmp_path):
    db = open_db(tmp_path / "db")
    chest = Reason(kind="rule", label="chest pain", rule_id="chest_pain", urgency="emergency")
    negated = Reason(kind="context", label="chest pain (negated)", rule_id="chest_pain", urgency="emergency")
    below = store_message(db, "crushing chest pain now", "emergency", "symptoms", key="a", reasons=[chest])
    review(db, below, "routine", "other", user="careless")
    fine = store_message(db, "no chest pain, need a refill", "routine", "refill", key="b", reasons=[negated])
    review(db, fine, "routine", "billing", user="qa1")
    report = hard_cases(reviews(db))
    assert report.below_rule_floor == [below]
    assert report.by_reviewer == {"user:careless": {"over_triage": 1}, "user:qa1": {"wrong_concern": 1}}


def test_hard_cases_command_prints_the_groups_as_json(tmp_path):
    db = open_db(tmp_path / "db")
    mid = store_message(db, "fever of 102 after my surgery", "routine", "post_op", key="a")
    review(db, mid, "urgent", "post_op")
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "db"), "hard-cases", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["counts"]["missed_urgent"] == 1 and report["groups"]["missed_urgent"][0]["message_id"] == mid
