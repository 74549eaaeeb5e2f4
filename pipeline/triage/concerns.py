"""Score concern cues in a transcript: a pure function of the text and the cue list."""

from __future__ import annotations

from dataclasses import dataclass

from .ruleset import ConcernCue


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
