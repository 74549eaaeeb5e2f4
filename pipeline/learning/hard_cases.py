"""Hard cases: the messages reviewers corrected, grouped by the kind of error, to guide new rules.

Kinds, most dangerous first:
- missed_emergency  reviewer said emergency, the system said less
- missed_urgent     reviewer said urgent, the system said routine
- over_triage       the system said more urgent than the reviewer
- wrong_concern     urgency right, concern wrong
Cases whose audio was flagged unclear (needs_listen) are also listed under `needs_listen`: there
the transcript, not the rules, is the first suspect. For each case the report shows which rules
fired (or that none did), so a missed case with no rule is a candidate for a new one and an
over-triage behind one rule points at that rule.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from ..records import URGENCY_RANK
from .corrections import Review, stored_reasons

KINDS = ("missed_emergency", "missed_urgent", "over_triage", "wrong_concern")


@dataclass
class HardCase:
    message_id: int
    kind: str
    system: str  # urgency/concern the system gave
    reviewed: str  # urgency/concern the reviewer gave
    reviewer: str
    rules_fired: list[str]  # asserted rule ids behind the system label
    context_only: list[str]  # rule ids seen but set aside (negated, family, ...)
    classifier: list[str]  # classifier reasons, when it took part
    needs_listen: bool
    rules_version: str
    model_version: str
    text: str


@dataclass
class HardCaseReport:
    reviewed: int = 0
    agreed: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    groups: dict[str, list[HardCase]] = field(default_factory=dict)
    needs_listen: list[int] = field(default_factory=list)
    rules_behind_over_triage: dict[str, int] = field(default_factory=dict)
    missed_without_rule: list[int] = field(default_factory=list)
    by_reviewer: dict[str, dict[str, int]] = field(default_factory=dict)  # one careless reviewer shows here
    below_rule_floor: list[int] = field(default_factory=list)  # reviewer went under an asserted red flag

    def as_dict(self) -> dict:
        return asdict(self)


def error_kind(review: Review) -> str | None:
    if review.system_urgency is None or not review.changed:
        return None
    gold, said = URGENCY_RANK[review.reviewed_urgency], URGENCY_RANK[review.system_urgency]
    if gold < said:
        return "missed_emergency" if review.reviewed_urgency == "emergency" else "missed_urgent"
    if gold > said:
        return "over_triage"
    return "wrong_concern"


def _reasons(review: Review) -> tuple[list[str], list[str], list[str]]:
    reasons = stored_reasons(review.system_reasons)
    fired = [r.get("rule_id", "") for r in reasons if r.get("kind") == "rule"]
    context = [r.get("rule_id", "") for r in reasons if r.get("kind") == "context"]
    classifier = [r.get("label", "") for r in reasons if r.get("kind") == "classifier"]
    return fired, context, classifier


def hard_cases(all_reviews: list[Review]) -> HardCaseReport:
    report = HardCaseReport(reviewed=len(all_reviews), groups={k: [] for k in KINDS})
    over_rules: Counter[str] = Counter()
    for review in all_reviews:
        kind = error_kind(review)
        if kind is None:
            report.agreed += review.system_urgency is not None
            continue
        fired, context, classifier = _reasons(review)
        case = HardCase(review.message_id, kind, f"{review.system_urgency}/{review.system_concern}",
                        f"{review.reviewed_urgency}/{review.reviewed_concern}", review.reviewer, fired, context,
                        classifier, review.needs_listen, review.rules_version, review.model_version, review.text)
        report.groups[kind].append(case)
        per = report.by_reviewer.setdefault(review.reviewer, {})
        per[kind] = per.get(kind, 0) + 1
        if review.below_rule_floor:
            report.below_rule_floor.append(review.message_id)
        if review.needs_listen:
            report.needs_listen.append(review.message_id)
        if kind == "over_triage":
            over_rules.update(fired)
        if kind.startswith("missed") and not fired:
            report.missed_without_rule.append(review.message_id)
    report.counts = {k: len(v) for k, v in report.groups.items()}
    report.rules_behind_over_triage = dict(over_rules.most_common())
    return report
