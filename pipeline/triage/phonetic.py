"""Sounds-like matching of red-flag key phrases, for phone-ASR mis-hearings.

Whisper on 8 kHz phone audio turns "bleeding through the bandage" into "leading through the
bandage", "I can't breathe" into "I can't breed", "my chest is tight" into "my chest is tied".
Each `sounds_like` phrase of a rule (rules/red_flags.yaml) is compared with every window of the
same number of words in the transcript by sound: words become Metaphone keys (jellyfish) and the
key strings are compared with rapidfuzz. A window counts when
  - at least one of its words is spelled exactly as in the phrase (an anchor: keeps it cheap and
    keeps unrelated sentences out),
  - the Metaphone strings are at least SOUND_CUTOFF similar, each word's at least WORD_CUTOFF and
    each word's spelling at least SPELLING_CUTOFF (two unrelated words can share a Metaphone key), and
  - negations agree ("I can breathe" never matches "I can't breathe").
The regex patterns run first; sound matches only add mentions they did not find. ConText then
judges them like any other mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz import fuzz

SOUND_CUTOFF = 80
WORD_CUTOFF = 60  # every word must also sound roughly alike ("foot hurts" is not "chest hurts")
SPELLING_CUTOFF = 55  # ...and, unless it sounds the same, be spelled alike ("still pain" is not "chest pain")
_WORD = re.compile(r"[A-Za-z']+")
NEGATIONS = ("n't", "nt", "not", "no", "cannot")


@lru_cache(maxsize=20000)
def sound_key(word: str) -> str:
    word = word.lower().replace("'", "")
    return jellyfish.metaphone(word) or word


def _negated(word: str) -> bool:
    w = word.lower()
    return w.endswith("nt") and w not in ("want", "went", "front", "urgent", "recent", "different") \
        or w in ("not", "no", "cannot", "never")


@dataclass(frozen=True)
class SoundPhrase:
    rule_id: str
    phrase: str
    words: tuple[str, ...]
    key: str
    negated: tuple[bool, ...]


@dataclass(frozen=True)
class SoundHit:
    rule_id: str
    phrase: str
    start: int
    end: int
    score: float


class SoundMatcher:
    def __init__(self, phrases: list[tuple[str, str]]):
        self.phrases: list[SoundPhrase] = []
        self.by_anchor: dict[str, list[tuple[SoundPhrase, int]]] = {}
        for rule_id, phrase in phrases:
            words = tuple(w.lower().replace("'", "") for w in _WORD.findall(phrase))
            sp = SoundPhrase(rule_id, phrase, words, " ".join(sound_key(w) for w in words),
                             tuple(_negated(w) for w in words))
            self.phrases.append(sp)
            for pos, w in enumerate(words):
                if len(w) >= 3 and w not in ("the", "and", "my", "his", "her", "is"):
                    self.by_anchor.setdefault(w, []).append((sp, pos))

    def find(self, text: str) -> list[SoundHit]:
        tokens = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
        lowered = [t[0].lower().replace("'", "") for t in tokens]
        hits: list[SoundHit] = []
        seen: set[tuple[str, int]] = set()
        for i, w in enumerate(lowered):
            for sp, pos in self.by_anchor.get(w, ()):
                first = i - pos
                last = first + len(sp.words)
                if first < 0 or last > len(tokens) or (sp.rule_id, first) in seen:
                    continue
                window = lowered[first:last]
                if tuple(window) == sp.words:
                    continue  # the exact words are the regular expressions' call (they may exclude "almost passed out")
                if tuple(_negated(x) for x in window) != sp.negated:
                    continue
                keys = [sound_key(x) for x in window]
                score = fuzz.ratio(" ".join(keys), sp.key)
                if score >= SOUND_CUTOFF and all(
                        k == sound_key(w) or fuzz.ratio(k, sound_key(w)) >= WORD_CUTOFF
                        and fuzz.ratio(x, w) >= SPELLING_CUTOFF
                        for k, x, w in zip(keys, window, sp.words, strict=True)):
                    seen.add((sp.rule_id, first))
                    hits.append(SoundHit(sp.rule_id, sp.phrase, tokens[first][1], tokens[last - 1][2], score))
        return hits
