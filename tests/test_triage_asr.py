"""Phone-ASR mis-hearings of red-flag words still count (sounds-like matching, fuzzy drug names),
without turning ordinary sentences into alarms."""

from __future__ import annotations

import pytest

from pipeline.paths import RULES_DIR
from pipeline.triage import Triager


@pytest.fixture(scope="module")
def rules_only():
    return Triager(RULES_DIR, model_path=None)


def floors(triager, text):
    return {r.rule_id for r in triager.triage(text).reasons if r.kind == "rule"}


@pytest.mark.parametrize(("text", "rule_id"), [
    ("the decision is leading through the bandage", "wound_problem"),
    ("I can't breed", "breathing_trouble"),
    ("i cant breed very well", "breathing_trouble"),
    ("my chest is tied", "chest_pain"),
    ("I'm having chess pain", "chest_pain"),
    ("his speech is lured", "stroke_signs"),
    ("i'm on war farin and my gums are bleeding", "blood_thinner_bleeding"),
    ("I take eliquiss and there's blood in my urine", "blood_thinner_bleeding"),
])
def test_misheard_red_flags_still_set_their_floor(rules_only, text, rule_id):
    assert rule_id in floors(rules_only, text)


@pytest.mark.parametrize("text", [
    "I can breathe fine now",
    "my foot hurts when I walk",
    "it hurts when I bend my arm",
    "I'm leading a support group next week",
    "we're trying to breed our dogs",
    "my feet still pain me after the massage",
    "I had a shouder pain yesterday",
])
def test_similar_sounding_ordinary_sentences_do_not_alarm(rules_only, text):
    assert rules_only.triage(text).urgency == "routine"


def test_a_sound_match_says_so_in_its_reason(rules_only):
    reason = next(r for r in rules_only.triage("I can't breed").reasons if r.kind == "rule")
    assert "sounds like" in reason.label
