"""The transcript as the message page shows it: words that can seek the audio, evidence highlighted.

Reasons carry character offsets into the triage text; Whisper words carry times. Both are mapped
onto the same tokens so that a highlighted word also plays from where it was said.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Token:
    text: str
    start_s: float | None = None  # where the word begins in the audio, when known
    mark: str = ""  # "" | emergency | urgent | routine | context | cue
    title: str = ""  # the reason, shown on hover
    space_before: str = ""


def _marks(reasons: list[dict]) -> list[tuple[int, int, str, str]]:
    spans = []
    for r in reasons or []:
        if r.get("start") is None or r.get("end") is None:
            continue
        if r.get("kind") == "rule":
            mark = r.get("urgency") or "urgent"
        elif r.get("kind") == "context":
            mark = "context"
        else:
            mark = "cue"
        spans.append((int(r["start"]), int(r["end"]), mark, r.get("label", "")))
    return spans


_STRENGTH = {"emergency": 0, "urgent": 1, "routine": 2, "cue": 3, "context": 4}


def _word_times(text: str, words: list[dict]) -> dict[int, float]:
    """Character offset of each Whisper word in the text -> its start time (in order, skipping misses)."""
    times, cursor = {}, 0
    for w in words or []:
        needle = (w.get("word") or "").strip()
        if not needle:
            continue
        at = text.find(needle, cursor)
        if at < 0 or at - cursor > 80:  # lost alignment here; try the next word from the same place
            continue
        times[at] = float(w.get("start") or 0.0)
        cursor = at + len(needle)
    return times


def tokens(text: str, words: list[dict] | None = None, reasons: list[dict] | None = None) -> list[Token]:
    text = text or ""
    times = _word_times(text, words or [])
    starts = sorted(times)
    spans = _marks(reasons or [])
    out, prev_end = [], 0
    for m in _WORD.finditer(text):
        a, b = m.span()
        i = bisect_left(starts, a)
        start_s = times[starts[i]] if i < len(starts) and starts[i] < b else None
        hits = sorted((s for s in spans if s[0] < b and s[1] > a), key=lambda s: _STRENGTH[s[2]])
        mark, title = (hits[0][2], hits[0][3]) if hits else ("", "")
        out.append(Token(text=m.group(), start_s=start_s, mark=mark, title=title, space_before=text[prev_end:a]))
        prev_end = b
    return out


@dataclass(frozen=True)
class Run:
    """Consecutive tokens with the same mark, so a highlighted phrase reads as one span."""

    mark: str
    title: str
    tokens: tuple[Token, ...]
    space_before: str = ""


def runs(toks: list[Token]) -> list[Run]:
    out: list[Run] = []
    for t in toks:
        if out and out[-1].mark == t.mark and out[-1].title == t.title:
            out[-1] = Run(out[-1].mark, out[-1].title, out[-1].tokens + (t,), out[-1].space_before)
        else:
            out.append(Run(t.mark, t.title, (t,), t.space_before))
    return out
