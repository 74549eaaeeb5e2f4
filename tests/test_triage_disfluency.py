"""Stammers and fillers ("it's it's", "um") do not hide a red flag, and reasons keep the caller's words."""

from __future__ import annotations

import pytest

from pipeline.paths import RULES_DIR
from pipeline.triage import Triager
from pipeline.triage.disfluency import clean


@pytest.fixture(scope="module")
def rules_only():
    return Triager(RULES_DIR, model_path=None)


def test_repeated_words_and_fillers_are_removed():
    assert clean("I'm, um, I'm six weeks and the, the, the pain").text == "I'm six weeks and the pain"


def test_spoken_phone_digits_are_not_collapsed():
    assert clean("call me at five five five one two one two").text == "call me at five five five one two one two"


def test_a_stammered_red_flag_still_sets_its_floor(rules_only):
    assert rules_only.triage("my, my chest is is uh tight and heavy").urgency == "emergency"


def test_reasons_point_at_the_original_words(rules_only):
    text = "so um I I can't, can't breathe"
    reason = next(r for r in rules_only.triage(text).reasons if r.rule_id == "breathing_trouble")
    assert text[reason.start:reason.end] == reason.matched and "breathe" in reason.matched
