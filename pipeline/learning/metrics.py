"""The triage figures every model is judged by (issue 4's targets), from gold and predicted labels.

`model_urgent_recall` is the classifier's own urgent-or-higher recall, before the rules' floor: the
rules hide a weakened classifier on messages they catch, but the classifier is the safety net for
phrasings and mis-hearings no rule knows, so the gate watches it too.

A figure with nothing to measure (no urgent messages in the set, say) is None, not 0 or 1, so the
gate can tell "cannot say" from "perfect".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

URGENT_PLUS = ("emergency", "urgent")
FIGURES = ("urgent_recall", "emergency_recall", "urgent_precision", "concern_accuracy", "model_urgent_recall")


@dataclass(frozen=True)
class Label:
    urgency: str
    concern: str
    model_urgency: str | None = None  # what the classifier alone said (None: no classifier)


@dataclass(frozen=True)
class Figures:
    n: int
    n_urgent_plus: int
    n_emergency: int
    urgent_recall: float | None  # gold urgent-or-higher labelled urgent-or-higher
    emergency_recall: float | None  # gold emergency labelled emergency
    urgent_precision: float | None  # labelled urgent-or-higher that are
    concern_accuracy: float | None
    model_urgent_recall: float | None = None  # the classifier alone, before the rules' floor

    def as_dict(self) -> dict:
        return asdict(self)


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def figures(gold: list[Label], predicted: list[Label]) -> Figures:
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    pairs = list(zip(gold, predicted, strict=True))
    gold_up = [p for g, p in pairs if g.urgency in URGENT_PLUS]
    gold_em = [p for g, p in pairs if g.urgency == "emergency"]
    pred_up = [g for g, p in pairs if p.urgency in URGENT_PLUS]
    return Figures(
        n=len(pairs),
        n_urgent_plus=len(gold_up),
        n_emergency=len(gold_em),
        urgent_recall=_share(sum(p.urgency in URGENT_PLUS for p in gold_up), len(gold_up)),
        emergency_recall=_share(sum(p.urgency == "emergency" for p in gold_em), len(gold_em)),
        urgent_precision=_share(sum(g.urgency in URGENT_PLUS for g in pred_up), len(pred_up)),
        concern_accuracy=_share(sum(g.concern == p.concern for g, p in pairs), len(pairs)),
        model_urgent_recall=None if any(p.model_urgency is None for p in gold_up) else
        _share(sum(p.model_urgency in URGENT_PLUS for p in gold_up), len(gold_up)),
    )
