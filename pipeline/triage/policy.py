"""Combine rule evidence into a label (design.md, "Safety policy").

Asserted red flags set a floor that nothing lowers. Mentions that ConText marks negated,
family, hypothetical or historical stay visible as reasons but set no floor. The concern of
the most urgent red flag wins (the alarming part of a mixed message), else the best-scoring cue.
"""

from __future__ import annotations

from ..records import URGENCY_RANK, Reason, TriageResult
from .concerns import CueHit, concern_scores
from .matcher import Mention
from .ruleset import RuleSet


def rule_floor(mentions: list[Mention], ruleset: RuleSet) -> tuple[str, str | None]:
    """The urgency floor and its concern from asserted red flags (routine, None when none)."""
    asserted = [ruleset.by_id[m.rule_id] for m in mentions if not m.context]
    if not asserted:
        return "routine", None
    top = min(asserted, key=lambda r: URGENCY_RANK[r.urgency])
    return top.urgency, top.concern


def mention_reasons(mentions: list[Mention], ruleset: RuleSet) -> list[Reason]:
    reasons = []
    for m in mentions:
        rule = ruleset.by_id[m.rule_id]
        if m.context:
            label = f"{rule.label} ({m.context}, no floor)"
            kind = "context"
        else:
            label = rule.label
            kind = "rule"
        reasons.append(Reason(kind=kind, label=label, rule_id=rule.id, matched=m.text, urgency=rule.urgency,
                              concern=rule.concern, context=m.context, start=m.start, end=m.end))
    return reasons


def decide(mentions: list[Mention], hits: list[CueHit], ruleset: RuleSet) -> TriageResult:
    urgency, flag_concern = rule_floor(mentions, ruleset)
    scores = concern_scores(hits)
    reasons = mention_reasons(mentions, ruleset)
    if flag_concern:
        concern = flag_concern
    elif scores:
        concern = max(scores, key=lambda c: (scores[c], c == "symptoms"))
    else:
        concern = "other"
    for hit in hits:
        if hit.concern == concern:
            reasons.append(Reason(kind="cue", label=f"mentions {hit.matched!r}", matched=hit.matched,
                                  concern=hit.concern, start=hit.start, end=hit.end))
    ranked = sorted(scores.values(), reverse=True)
    margin = (ranked[0] - (ranked[1] if len(ranked) > 1 else 0)) / ranked[0] if ranked else 0.0
    confidence = 0.95 if flag_concern else round(0.5 + 0.45 * margin, 3) if scores else 0.3
    return TriageResult(
        urgency=urgency,
        concern=concern,
        reasons=reasons,
        confidence=confidence,
        needs_review=confidence < 0.6,
        rules_version=ruleset.version,
    )
