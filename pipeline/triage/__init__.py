"""Triage: decide how urgent a message is and what it is about, with the reasons why.

Rules (rules/*.yaml, matched with regular expressions, sounds-like matching and medspaCy ConText)
set an urgency floor; a scikit-learn classifier (models/triage_classifier.joblib) may raise it and
says when it is unsure; policy.py combines them; extract.py fills in callback numbers, names,
date of birth, medications and days since a procedure.
"""

from __future__ import annotations

from pathlib import Path

from ..records import TriageResult
from .classifier import TriageModel, load_model
from .concerns import blames_medicine, cue_hits
from .extract import Extractor
from .facts import MEDICINE_WORD, read_facts
from .matcher import RedFlagMatcher
from .medications import MedicationFinder
from .policy import decide
from .ruleset import RuleSet, load_ruleset

_DEFAULT = object()


class Triager:
    """Loads rules, matcher and model once; `triage()` is then cheap per message.

    `model_path=None` runs on rules alone; by default the bundled model is used when present.
    """

    def __init__(self, rules_dir: Path, model_path=_DEFAULT):
        self.ruleset: RuleSet = load_ruleset(rules_dir)
        self.matcher = RedFlagMatcher(self.ruleset)
        self.medications = MedicationFinder(self.ruleset.medications)
        self.extractor = Extractor(self.ruleset.vocabulary)
        self._skip_unknown = [(r.id, tuple(c.fact for c in r.requires if c.if_unknown == "skip"))
                              for r in self.ruleset.red_flags if any(c.if_unknown == "skip" for c in r.requires)]
        self.model: TriageModel | None = load_model() if model_path is _DEFAULT else (
            load_model(model_path) if model_path else None)

    def _inapplicable(self, facts) -> frozenset[str]:
        """Rules that need a fact the message does not state (and skip when it is unknown): their
        mentions would show nothing and set no floor, so their patterns need not run (speed)."""
        return frozenset(rule_id for rule_id, facts_needed in self._skip_unknown
                         if any(facts.get(name) is None for name in facts_needed))

    @property
    def model_version(self) -> str:
        return self.model.version if self.model else ""

    def triage(self, text: str) -> TriageResult:
        return self.triage_many([text])[0]

    def triage_many(self, texts: list[str]) -> list[TriageResult]:
        opinions = self.model.opinions(texts) if self.model and texts else [None] * len(texts)
        thresholds = self.model.thresholds if self.model else None
        return [self._decide(text, opinion, thresholds) for text, opinion in zip(texts, opinions, strict=True)]

    def _decide(self, text: str, opinion, thresholds) -> TriageResult:
        meds = self.medications.find(text)
        facts = read_facts(text, self.ruleset.vocabulary, meds, self.ruleset.blood_thinner_phrases)
        mentions = self.matcher.mentions(text, self._inapplicable(facts))
        blamed = blames_medicine(text, self.ruleset.medicine_cause, [(m.start, m.end) for m in meds], MEDICINE_WORD)
        result = decide(mentions, facts, cue_hits(text, self.ruleset.concern_cues),
                        self.ruleset, opinion, thresholds, text=text, blames_medicine=blamed)
        result.extraction = self.extractor.extract(text, meds, facts)
        return result


__all__ = ["Triager", "TriageResult"]
