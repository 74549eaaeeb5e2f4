"""Triage: decide how urgent a message is and what it is about, with the reasons why."""

from __future__ import annotations

from pathlib import Path

from ..records import TriageResult
from .concerns import cue_hits
from .matcher import build_nlp, mentions_in
from .policy import decide
from .ruleset import RuleSet, load_ruleset


class Triager:
    """Loads the rules and the medspaCy pipeline once; `triage()` is then cheap per message."""

    def __init__(self, rules_dir: Path):
        self.ruleset: RuleSet = load_ruleset(rules_dir)
        self.nlp = build_nlp(self.ruleset)

    def triage(self, text: str) -> TriageResult:
        return self._decide(self.nlp(text), text)

    def triage_many(self, texts: list[str]) -> list[TriageResult]:
        return [self._decide(doc, text) for doc, text in zip(self.nlp.pipe(texts), texts, strict=True)]

    def _decide(self, doc, text: str) -> TriageResult:
        return decide(mentions_in(doc), cue_hits(text, self.ruleset.concern_cues), self.ruleset)


__all__ = ["Triager", "TriageResult"]
