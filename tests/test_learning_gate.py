"""The promotion rule: urgent-or-higher recall never drops; the rest only within the tolerance."""

from __future__ import annotations

from pipeline.learning.gate import judge
from pipeline.learning.metrics import Figures, Label, figures


def _figs(urgent_recall=0.98, emergency_recall=0.96, urgent_precision=0.9, concern_accuracy=0.9) -> Figures:
    return Figures(100, 50, 20, urgent_recall, emergency_recall, urgent_precision, concern_accuracy)


def test_figures_count_urgent_or_higher_together():
    gold = [Label("emergency", "symptoms"), Label("urgent", "post_op"), Label("routine", "refill")]
    said = [Label("urgent", "symptoms"), Label("urgent", "post_op"), Label("urgent", "billing")]
    f = figures(gold, said)
    assert (f.urgent_recall, f.emergency_recall, f.urgent_precision) == (1.0, 0.0, round(2 / 3, 4))
    assert f.concern_accuracy == round(2 / 3, 4)


def test_figures_with_nothing_to_measure_are_none():
    f = figures([Label("routine", "refill")], [Label("routine", "refill")])
    assert f.urgent_recall is None and f.emergency_recall is None and f.urgent_precision is None


def test_any_drop_in_urgent_recall_is_refused_whatever_the_tolerance():
    verdict = judge({"heldout": _figs()}, {"heldout": _figs(urgent_recall=0.97, concern_accuracy=0.99)}, 0.5)
    assert not verdict.promote and "urgent_recall" in verdict.reasons[0]


def test_drop_within_tolerance_is_allowed_beyond_it_refused():
    current = {"heldout": _figs(), "reviewed": _figs()}
    small = {"heldout": _figs(urgent_precision=0.895), "reviewed": _figs()}
    large = {"heldout": _figs(), "reviewed": _figs(concern_accuracy=0.85)}
    assert judge(current, small, 0.01).promote
    refused = judge(current, large, 0.01)
    assert not refused.promote and refused.reasons[0].startswith("reviewed: concern_accuracy")


def test_a_set_without_urgent_messages_does_not_block():
    empty = Figures(0, 0, 0, None, None, None, None)
    verdict = judge({"reviewed": empty}, {"reviewed": empty}, 0.01)
    assert verdict.promote and verdict.notes == ["reviewed: empty, nothing checked"]


def test_a_weaker_classifier_is_refused_even_when_the_rules_hide_it():
    gold = [Label("urgent", "symptoms")] * 10
    current = [Label("urgent", "symptoms", model_urgency="urgent")] * 10
    weaker = [Label("urgent", "symptoms", model_urgency="routine")] * 3 + [
        Label("urgent", "symptoms", model_urgency="urgent")] * 7
    verdict = judge({"heldout": figures(gold, current)}, {"heldout": figures(gold, weaker)}, 0.01)
    assert figures(gold, weaker).urgent_recall == 1.0
    assert not verdict.promote and "model_urgent_recall" in verdict.reasons[0]
