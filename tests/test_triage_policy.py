"""The safety policy: rules set a floor the classifier never lowers; the classifier may raise; an
unsure classifier asks for review; every label carries its reasons and versions."""

from __future__ import annotations

import pytest

from pipeline.paths import RULES_DIR
from pipeline.triage import Triager
from pipeline.triage.facts import read_facts
from pipeline.triage.policy import ModelOpinion, Thresholds, decide


@pytest.fixture(scope="module")
def triager():
    return Triager(RULES_DIR)


def opinion(routine: float, urgent: float, emergency: float, concern: str = "symptoms") -> ModelOpinion:
    return ModelOpinion({"routine": routine, "urgent": urgent, "emergency": emergency}, {concern: 0.9, "other": 0.1},
                        "test-model")


def decide_text(triager: Triager, text: str, op: ModelOpinion):
    meds = triager.medications.find(text)
    facts = read_facts(text, triager.ruleset.vocabulary, meds, triager.ruleset.blood_thinner_phrases)
    return decide(triager.matcher.mentions(text), facts, [], triager.ruleset, op, Thresholds(), text=text)


def test_classifier_saying_routine_never_lowers_an_emergency_floor(triager):
    result = decide_text(triager, "I have crushing chest pain right now", opinion(0.99, 0.005, 0.005))
    assert result.urgency == "emergency"


def test_classifier_saying_routine_never_lowers_an_urgent_floor(triager):
    result = decide_text(triager, "I'm on warfarin and my gums keep bleeding", opinion(0.98, 0.01, 0.01))
    assert result.urgency == "urgent"


def test_strong_disagreement_with_a_rule_is_sent_for_review(triager):
    result = decide_text(triager, "I have crushing chest pain right now", opinion(0.99, 0.005, 0.005))
    assert result.needs_review


def test_a_sure_classifier_may_raise_a_routine_message(triager):
    result = decide_text(triager, "something feels very wrong with me today", opinion(0.05, 0.9, 0.05))
    assert result.urgency == "urgent"
    assert any(r.kind == "classifier" and r.probability for r in result.reasons)


def test_an_unsure_classifier_keeps_routine_but_asks_for_review(triager):
    result = decide_text(triager, "something feels a bit off today", opinion(0.55, 0.4, 0.05))
    assert (result.urgency, result.needs_review) == ("routine", True)


def test_the_classifier_alone_never_raises_a_short_message_to_emergency(triager):
    result = decide_text(triager, "refill on my heart pills please", opinion(0.01, 0.04, 0.95))
    assert (result.urgency, result.needs_review) == ("urgent", True)


LONG_UNFLAGGED = ("hi it's about my dad, he's just sitting in his chair and he isn't really answering me "
                  "when I talk to him, can somebody call me back")


def test_a_sure_classifier_alone_raises_a_long_message_to_emergency_for_review(triager):
    result = decide_text(triager, LONG_UNFLAGGED, opinion(0.05, 0.1, 0.85))
    assert not [r for r in result.reasons if r.kind == "rule"]  # nothing but the classifier sees it
    assert (result.urgency, result.needs_review) == ("emergency", True)
    assert any(r.label == "classifier raised to emergency" for r in result.reasons)


def test_a_less_sure_classifier_alone_stops_at_urgent(triager):
    result = decide_text(triager, LONG_UNFLAGGED, opinion(0.05, 0.55, 0.4))
    assert (result.urgency, result.needs_review) == ("urgent", True)


def test_a_long_message_is_raised_to_urgent_from_a_lower_probability_than_a_short_one(triager):
    between = opinion(0.35, 0.6, 0.05)  # P(urgent+) 0.65: above raise_urgent_long, below raise_urgent
    assert Thresholds().raise_urgent_long < 0.65 < Thresholds().raise_urgent
    long_result = decide_text(triager, LONG_UNFLAGGED, between)
    short_result = decide_text(triager, "my knee hurts when I walk", between)
    assert (long_result.urgency, long_result.needs_review) == ("urgent", True)
    assert (short_result.urgency, short_result.needs_review) == ("routine", True)


def test_a_classifier_emergency_over_an_urgent_rule_raises_it_for_review(triager):
    result = decide_text(triager, "I'm on warfarin and my gums keep bleeding", opinion(0.01, 0.39, 0.6))
    assert (result.urgency, result.needs_review) == ("emergency", True)
    assert any(r.label == "classifier raised to emergency" for r in result.reasons)


def test_an_urgent_rule_stays_urgent_when_the_classifier_doubts_an_emergency(triager):
    result = decide_text(triager, "I'm on warfarin and my gums keep bleeding", opinion(0.1, 0.45, 0.45))
    assert result.urgency == "urgent"


def test_no_classifier_raise_over_words_judged_a_bill_or_the_past(triager):
    result = decide_text(triager, "I opened the bill and I can't breathe, it's four hundred dollars",
                         opinion(0.02, 0.08, 0.9))
    assert (result.urgency, result.needs_review) == ("routine", True)


def test_a_rule_marked_for_review_always_asks_for_a_person(triager):
    result = triager.triage("I keep thinking my family would be better off without me, but I'm safe tonight")
    assert (result.urgency, result.needs_review) == ("urgent", True)


def test_a_symptom_red_flag_soon_after_a_procedure_is_post_op(triager):
    result = triager.triage("I had my hip replaced five days ago and since this morning I can't catch my breath")
    assert (result.urgency, result.concern) == ("emergency", "post_op")


def test_the_concern_of_the_alarming_flag_wins_in_a_mixed_message(triager):
    result = triager.triage("I need a refill of my lisinopril and my incision from Monday's surgery is draining pus")
    assert (result.urgency, result.concern) == ("urgent", "post_op")


def test_every_label_carries_reasons_and_versions(triager):
    result = triager.triage("Hi, I need to reschedule my appointment on Thursday.")
    assert result.reasons
    assert result.rules_version.startswith("rules-")
    assert result.model_version == triager.model.version


def test_rule_reasons_name_the_rule_and_the_words(triager):
    result = triager.triage("my husband's face is drooping")
    reason = next(r for r in result.reasons if r.kind == "rule")
    assert (reason.rule_id, reason.matched) == ("stroke_signs", "face is drooping")


def test_post_op_fever_below_the_threshold_sets_no_floor_but_says_why(triager):
    result = decide_text(triager, "I had surgery four days ago and my temperature is 99.2",
                         opinion(0.9, 0.05, 0.05, "post_op"))
    assert result.urgency == "routine"
    assert any(r.rule_id == "post_op_fever" and "condition not met" in r.label for r in result.reasons)


def test_post_op_fever_in_celsius_counts(triager):
    result = decide_text(triager, "I had surgery four days ago and my temperature is 38.6",
                         opinion(0.9, 0.05, 0.05, "post_op"))
    assert result.urgency == "urgent"


def test_infant_fever_needs_an_infant(triager):
    young = decide_text(triager, "my 7 week old has a fever of 100.5", opinion(0.9, 0.05, 0.05))
    older = decide_text(triager, "my 7 year old has a fever of 100.5", opinion(0.9, 0.05, 0.05))
    assert (young.urgency, older.urgency) == ("urgent", "routine")


def test_preterm_contractions_are_an_emergency_but_term_contractions_are_not(triager):
    preterm = decide_text(triager, "I'm 31 weeks pregnant and having contractions", opinion(0.9, 0.05, 0.05))
    term = decide_text(triager, "I'm 39 weeks pregnant and having contractions", opinion(0.9, 0.05, 0.05))
    assert (preterm.urgency, term.urgency) == ("emergency", "routine")


def test_rules_alone_work_without_a_model():
    result = Triager(RULES_DIR, model_path=None).triage("I can't catch my breath")
    assert (result.urgency, result.model_version) == ("emergency", "")


def test_an_emergency_brought_on_by_a_new_medicine_is_a_medication_concern(triager):
    result = triager.triage("I started the new antibiotic yesterday and now I have hives and my throat is closing")
    assert (result.urgency, result.concern) == ("emergency", "medication")


def test_an_urgent_flag_with_a_modifier_sets_an_emergency_floor():
    rules_only = Triager(RULES_DIR, model_path=None)
    assert rules_only.triage("my brother is on lithium and he is shaky").urgency == "urgent"
    assert rules_only.triage("my brother is on lithium and he is shaky and confused").urgency == "emergency"


def test_a_symptom_message_dating_a_recent_procedure_is_post_op(triager):
    result = triager.triage("I had my gallbladder surgery five days ago and I haven't had a bowel movement since")
    assert result.concern == "post_op"
