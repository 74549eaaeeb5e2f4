"""Score concern cues in a transcript: a pure function of the text and the cue list."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .ruleset import ConcernCue, MedicineCause


@dataclass(frozen=True)
class CueHit:
    concern: str
    matched: str
    start: int
    end: int
    weight: float


def cue_hits(text: str, cues: tuple[ConcernCue, ...]) -> list[CueHit]:
    hits = []
    for cue in cues:
        for pattern in cue.patterns:
            for m in pattern.finditer(text):
                hits.append(CueHit(cue.concern, m.group(0), m.start(), m.end(), cue.weight))
    return hits


def concern_scores(hits: list[CueHit]) -> dict[str, float]:
    scores: dict[str, float] = {}
    for hit in hits:
        scores[hit.concern] = scores.get(hit.concern, 0.0) + hit.weight
    return scores


def blames_medicine(text: str, cause: MedicineCause | None, medicine_spans: list[tuple[int, int]],
                    medicine_word: re.Pattern) -> bool:
    """The caller names a medicine as the cause of a symptom: a cause phrase ("since I started",
    "got my flu shot") with a medicine (a known name or a word such as "pill") close by."""
    if cause is None:
        return False
    for m in cause.pattern.finditer(text):
        lo, hi = max(0, m.start() - cause.window), m.end() + cause.window
        if any(lo <= a < hi for a, _ in medicine_spans) or medicine_word.search(text, lo, hi):
            return True
    return False
