"""Find red-flag mentions with medspaCy: regex target rules, then ConText for their context.

ConText (no downloaded model; a blank English pipeline) marks each mention negated, family,
hypothetical or historical, so "no chest pain" and "my father had a stroke" are kept as
reasons but set no urgency floor.
"""

from __future__ import annotations

from dataclasses import dataclass

from loguru import logger

from .ruleset import RuleSet

# PyRuSH logs every token at DEBUG: transcripts are PHI and must never reach a log.
logger.disable("PyRuSH")
logger.disable("medspacy")

CONTEXT_FLAGS = ("is_negated", "is_family", "is_hypothetical", "is_historical")


@dataclass(frozen=True)
class Mention:
    rule_id: str
    text: str
    start: int  # character offsets
    end: int
    context: str  # "" when the mention is current, asserted and about the caller/patient


def build_nlp(ruleset: RuleSet):
    import medspacy
    from medspacy.ner import TargetRule

    nlp = medspacy.load(
        medspacy_enable=["medspacy_pyrush", "medspacy_target_matcher", "medspacy_context"]
    )
    matcher = nlp.get_pipe("medspacy_target_matcher")
    matcher.add([
        TargetRule(rule.id, rule.id, pattern=f"(?i){pattern}")
        for rule in ruleset.red_flags
        for pattern in rule.patterns
    ])
    return nlp


def _context_of(ent) -> str:
    for flag in CONTEXT_FLAGS:
        if getattr(ent._, flag):
            return flag.removeprefix("is_")
    return ""


def mentions_in(doc) -> list[Mention]:
    return [
        Mention(ent.label_, ent.text, ent.start_char, ent.end_char, _context_of(ent))
        for ent in doc.ents
    ]
