"""Every red-flag rule's own examples (rules/red_flags.yaml): it fires on `fire`, not on `not_fire`."""

from __future__ import annotations

import pytest

from pipeline.paths import RULES_DIR
from pipeline.triage import Triager
from pipeline.triage.ruleset import load_ruleset

RULESET = load_ruleset(RULES_DIR)
FIRE = [(r.id, s) for r in RULESET.red_flags for s in r.fire_examples]
NOT_FIRE = [(r.id, s) for r in RULESET.red_flags for s in r.not_fire_examples]


@pytest.fixture(scope="module")
def rules_only():
    return Triager(RULES_DIR, model_path=None)


def floor_rules(triager: Triager, text: str) -> set[str]:
    return {r.rule_id for r in triager.triage(text).reasons if r.kind == "rule"}


def test_every_rule_has_examples_both_ways():
    missing = [r.id for r in RULESET.red_flags if not r.fire_examples or not r.not_fire_examples]
    assert not missing


@pytest.mark.parametrize(("rule_id", "sentence"), FIRE, ids=[f"{i}:{s[:40]}" for i, s in FIRE])
def test_rule_fires_on_its_examples(rules_only, rule_id, sentence):
    assert rule_id in floor_rules(rules_only, sentence)


@pytest.mark.parametrize(("rule_id", "sentence"), NOT_FIRE, ids=[f"{i}:{s[:40]}" for i, s in NOT_FIRE])
def test_rule_does_not_fire_on_its_counter_examples(rules_only, rule_id, sentence):
    assert rule_id not in floor_rules(rules_only, sentence)


@pytest.mark.parametrize("cue", [c for c in RULESET.concern_cues], ids=lambda c: c.concern)
def test_concern_cue_examples_point_to_their_concern(rules_only, cue):
    for sentence in cue.examples:
        assert rules_only.triage(sentence).concern == cue.concern, sentence


def _blames(triager: Triager, text: str) -> bool:
    from pipeline.triage.concerns import blames_medicine
    from pipeline.triage.facts import MEDICINE_WORD

    spans = [(m.start, m.end) for m in triager.medications.find(text)]
    return blames_medicine(text, RULESET.medicine_cause, spans, MEDICINE_WORD)


@pytest.mark.parametrize("sentence", RULESET.medicine_cause.fire_examples)
def test_a_symptom_blamed_on_a_medicine_is_found(rules_only, sentence):
    assert _blames(rules_only, sentence)


@pytest.mark.parametrize("sentence", RULESET.medicine_cause.not_fire_examples)
def test_a_medicine_mentioned_without_blame_is_not_a_cause(rules_only, sentence):
    assert not _blames(rules_only, sentence)


def test_a_symptom_blamed_on_a_new_medicine_is_a_medication_concern(rules_only):
    result = rules_only.triage("since I started the new blood pressure pill my ankles are puffy and I feel dizzy")
    assert result.concern == "medication"


def test_an_overdose_stays_a_symptoms_concern_though_a_medicine_is_named(rules_only):
    result = rules_only.triage("she started the new sertraline last week and tonight she swallowed the whole bottle")
    assert (result.urgency, result.concern) == ("emergency", "symptoms")
