"""Severity layer: an urgent red flag becomes an emergency with a modifier (rules/severity.yaml).

Telephone-triage protocols send the same complaint to different dispositions depending on who has
it and what comes with it: vomiting is urgent, vomiting with ketones and fast breathing in a type 1
diabetic is an emergency; a drug-level warning is urgent, with confusion it is an emergency. Each
escalation names the urgent rules it applies to (`when`) and modifiers, any one of which is enough
(`with_any`: a phrase, or a fact from facts.py such as an age or a blood pressure), unless a phrase
says the danger has passed (`unless`). A modifier phrase counts only when it is not denied just
before ("no confusion"). Like red flags, every
escalation carries sentences it must and must not raise, and the tests run them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..records import URGENCIES
from .disfluency import clean
from .facts import Facts, condition_holds
from .ruleset import Condition, RedFlagRule, RuleError, _conditions

_DENIAL_BEFORE = re.compile(r"\b(no|not|without|denies|never|any)\s+(\w+\s+){0,2}$|n't\s+(\w+\s+){0,2}$", re.I)


@dataclass(frozen=True)
class Escalation:
    id: str
    label: str
    urgency: str
    when: tuple[str, ...]
    pattern: re.Pattern | None
    facts: tuple[Condition, ...]  # any one of them holding is a modifier
    concern: str = ""  # empty: the concern of the rule it raises
    unless: re.Pattern | None = None  # e.g. "she's better now": the danger has passed
    fire_examples: tuple[str, ...] = ()
    not_fire_examples: tuple[str, ...] = ()


def load_escalations(path: Path, rule_ids: set[str]) -> tuple[Escalation, ...]:
    if not path.is_file():
        return ()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for entry in raw.get("escalations", []):
        where = f"{path.name} escalation {entry['id']}"
        unknown = [r for r in entry["when"] if r not in rule_ids]
        if unknown:
            raise RuleError(f"{where}: unknown red flags {unknown}")
        urgency = entry.get("urgency", "emergency")
        if urgency not in URGENCIES:
            raise RuleError(f"{where}: urgency must come from the label vocabulary")
        phrases, facts = [], []
        for item in entry["with_any"]:
            if "pattern" in item:
                try:
                    re.compile(item["pattern"])
                except re.error as exc:
                    raise RuleError(f"{where}: bad pattern {item['pattern']!r}: {exc}") from exc
                phrases.append(item["pattern"])
            else:
                facts.extend(_conditions(item["fact"], where))
        examples = entry.get("examples", {}) or {}
        out.append(Escalation(
            id=entry["id"], label=entry.get("label", entry["id"]), urgency=urgency, when=tuple(entry["when"]),
            pattern=re.compile("|".join(f"(?:{p})" for p in phrases), re.I) if phrases else None,
            facts=tuple(facts), concern=entry.get("concern", ""),
            unless=re.compile(entry["unless"], re.I) if entry.get("unless") else None,
            fire_examples=tuple(examples.get("fire", ())), not_fire_examples=tuple(examples.get("not_fire", ())),
        ))
    return tuple(out)


def _asserted_phrase(pattern: re.Pattern, text: str) -> str | None:
    for m in pattern.finditer(text):
        if not _DENIAL_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            return m.group(0)
    return None


def escalate(floor_rules: list[RedFlagRule], text: str, facts: Facts,
             escalations: tuple[Escalation, ...]) -> list[tuple[Escalation, RedFlagRule, str]]:
    """(escalation, the red flag it raises, what modified it) for every escalation that applies."""
    fired = {r.id: r for r in floor_rules}
    out = []
    cleaned = None
    for esc in escalations:
        base = next((fired[r] for r in esc.when if r in fired), None)
        if base is None:
            continue
        cleaned = cleaned if cleaned is not None else clean(text).text
        if esc.unless is not None and esc.unless.search(cleaned):
            continue
        why = next((f"{c.fact}={facts.get(c.fact)}" for c in esc.facts
                    if facts.get(c.fact) is not None and condition_holds(c, facts)), None)
        if why is None and esc.pattern is not None:
            why = _asserted_phrase(esc.pattern, cleaned)
        if why is not None:
            out.append((esc, base, why))
    return out
