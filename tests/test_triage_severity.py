"""The severity layer (rules/severity.yaml): each escalation raises its own examples to its urgency
and leaves its counter-examples alone; it never lowers anything."""

from __future__ import annotations

import pytest

from pipeline.paths import RULES_DIR
from pipeline.triage import Triager
from pipeline.triage.ruleset import load_ruleset

RULESET = load_ruleset(RULES_DIR)
FIRE = [(e.id, e.urgency, s) for e in RULESET.escalations for s in e.fire_examples]
NOT_FIRE = [(e.id, s) for e in RULESET.escalations for s in e.not_fire_examples]


@pytest.fixture(scope="module")
def rules_only():
    return Triager(RULES_DIR, model_path=None)


def rule_ids(result) -> set[str]:
    return {r.rule_id for r in result.reasons if r.kind == "rule"}


def test_every_escalation_has_examples_both_ways():
    assert RULESET.escalations
    assert not [e.id for e in RULESET.escalations if not e.fire_examples or not e.not_fire_examples]


@pytest.mark.parametrize(("esc_id", "urgency", "sentence"), FIRE, ids=[f"{i}:{s[:40]}" for i, _, s in FIRE])
def test_escalation_raises_its_examples(rules_only, esc_id, urgency, sentence):
    result = rules_only.triage(sentence)
    assert esc_id in rule_ids(result) and result.urgency == urgency


@pytest.mark.parametrize(("esc_id", "sentence"), NOT_FIRE, ids=[f"{i}:{s[:40]}" for i, s in NOT_FIRE])
def test_escalation_leaves_its_counter_examples(rules_only, esc_id, sentence):
    assert esc_id not in rule_ids(rules_only.triage(sentence))


def test_an_escalation_reason_names_the_flag_it_raises_and_the_modifier(rules_only):
    result = rules_only.triage("my brother is on lithium, he's vomiting and shaky and now he's confused")
    reason = next(r for r in result.reasons if r.rule_id == "toxic_drug_level_with_brain_signs")
    assert "raises:" in reason.label and reason.matched == "confused"


def test_a_denied_modifier_does_not_escalate(rules_only):
    result = rules_only.triage("my brother is on lithium, he's vomiting and shaky but he is not confused")
    assert result.urgency == "urgent"
