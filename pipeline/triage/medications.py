"""Find medication names (rules/medications.yaml), exactly or by a close spelling.

Phone ASR splits or bends drug names ("war farin", "lisnopril", "eloquis"): each word, and each
pair of adjacent words joined, is compared with the known names using rapidfuzz; a close match
(ratio >= FUZZY_CUTOFF) counts. Short words are only matched exactly to keep false hits rare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .ruleset import Medication

FUZZY_CUTOFF = 86
MIN_FUZZY_LEN = 6
_WORD = re.compile(r"[a-záéíóúñ]+(?:-[a-z]+)?", re.I)


@dataclass(frozen=True)
class MedicationHit:
    name: str
    drug_class: str
    matched: str
    start: int
    end: int
    exact: bool


class MedicationFinder:
    def __init__(self, medications: tuple[Medication, ...]):
        self.lookup: dict[str, Medication] = {}
        for med in medications:
            for alias in (med.name, *med.aliases):
                self.lookup[alias.lower()] = med
        self.single = {k: v for k, v in self.lookup.items() if " " not in k}
        self.multi = [k for k in self.lookup if " " in k]
        self.choices = [k for k in self.single if len(k) >= MIN_FUZZY_LEN]

    def find(self, text: str) -> list[MedicationHit]:
        words = [(m.group(0).lower(), m.start(), m.end()) for m in _WORD.finditer(text)]
        hits: list[MedicationHit] = []
        lowered = text.lower()
        for phrase in self.multi:
            for m in re.finditer(rf"\b{re.escape(phrase)}\b", lowered):
                med = self.lookup[phrase]
                hits.append(MedicationHit(med.name, med.drug_class, text[m.start():m.end()], m.start(), m.end(), True))
        candidates: list[tuple[str, int, int]] = []
        for i, (w, s, e) in enumerate(words):
            if w in self.single:
                med = self.single[w]
                hits.append(MedicationHit(med.name, med.drug_class, text[s:e], s, e, True))
                continue
            if len(w) >= MIN_FUZZY_LEN:
                candidates.append((w, s, e))
            if i + 1 < len(words):
                joined = w + words[i + 1][0]
                if joined in self.single:
                    med = self.single[joined]
                    hits.append(MedicationHit(med.name, med.drug_class, text[s:words[i + 1][2]], s, words[i + 1][2],
                                              True))
                elif len(joined) >= MIN_FUZZY_LEN + 2 and len(words[i + 1][0]) >= 3:
                    candidates.append((joined, s, words[i + 1][2]))
        if candidates and self.choices:
            scores = process.cdist([c[0] for c in candidates], self.choices, scorer=fuzz.ratio,
                                   score_cutoff=FUZZY_CUTOFF)
            for (_cand, s, e), row in zip(candidates, scores, strict=True):
                best = int(row.argmax())
                if row[best] >= FUZZY_CUTOFF and not any(h.start <= s < h.end for h in hits):
                    med = self.single[self.choices[best]]
                    hits.append(MedicationHit(med.name, med.drug_class, text[s:e], s, e, False))
        hits.sort(key=lambda h: h.start)
        return hits
