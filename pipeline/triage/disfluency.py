"""Remove the hesitations of speech before red flags are matched.

Callers stammer and Whisper writes it down: "my chest, it's it's been tight", "I'm, um, I'm six
weeks", "the, the, the pain". A rule written for "it's been tight" should not need to know about
every stammer, so fillers (um, uh, er) and immediately repeated words are removed first. The
cleaned text keeps a map back to the original, so reasons still point at the caller's own words.

Number words are never collapsed ("five five five" is a phone number, not a stammer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import NUMBER_WORDS

# A filler with the comma or space before it ("my chest, um, hurts" -> "my chest hurts").
_FILLER = re.compile(r"(?:,\s*|\s+|^)(?:u+m+|u+h+m*|e+r+m*|hmm+|a+h+)\b,?(?=\s|$)", re.I)
# A word said again straight away, with an optional comma between: "it's it's", "the, the, the".
_REPEAT = re.compile(r"\b([A-Za-z][A-Za-z']*)\b(?:,?\s+\1\b)+", re.I)


@dataclass(frozen=True)
class Cleaned:
    text: str
    origin: tuple[int, ...]  # origin[i]: offset in the original text of cleaned character i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of a cleaned span."""
        if not self.origin:
            return start, end
        return self.origin[start], self.origin[max(start, end - 1)] + 1


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _filler_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _FILLER.finditer(text)]


def _repeat_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _REPEAT.finditer(text):
        if m.group(1).lower() not in NUMBER_WORDS:
            # keep the last repetition (nearest to what follows), drop the ones before it
            last = m.group(0).lower().rfind(m.group(1).lower())
            spans.append((m.start(), m.start() + last))
    return spans


def _drop(text: str, origin: list[int], spans: list[tuple[int, int]]) -> tuple[str, list[int]]:
    parts, kept, pos = [], [], 0
    for a, b in _merge(spans):
        parts.append(text[pos:a])
        kept.extend(origin[pos:a])
        pos = b
    parts.append(text[pos:])
    kept.extend(origin[pos:])
    return "".join(parts), kept


def clean(text: str) -> Cleaned:
    """Fillers first ("I'm, um, I'm" -> "I'm I'm"), then repeated words ("I'm")."""
    if not _FILLER.search(text) and not _REPEAT.search(text):
        return Cleaned(text, ())
    out, origin = text, list(range(len(text) + 1))
    for finder in (_filler_spans, _repeat_spans):
        spans = finder(out)
        if spans:
            body, kept = _drop(out, origin[:-1], spans)
            out, origin = body, kept + [origin[-1]]
    return Cleaned(out, tuple(origin))
