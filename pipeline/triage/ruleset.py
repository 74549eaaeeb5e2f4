"""Load the clinical rules from rules/*.yaml into plain records (the knowledge is data, not code)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..records import CONCERNS, URGENCIES


class RuleError(ValueError):
    pass


FACT_NAMES = ("temperature_f", "days_since_procedure", "youngest_age_days", "oldest_age_years",
              "weeks_pregnant", "on_blood_thinner", "pregnant", "procedure_mentioned", "medication_mentioned",
              "glucose_mg_dl", "fever_or_headache", "systolic_bp", "diastolic_bp", "inr", "hemoglobin",
              "potassium", "potassium_low", "sodium", "sodium_high", "frail_elder", "postpartum", "serotonergic_drugs",
              "severe_hypertension", "insulin_mentioned", "critical_medicine",
              "cannot_miss_medicine", "temperature_at_stated_limit",
              "cleared_after_visit")


@dataclass(frozen=True)
class Condition:
    """One `requires:` entry: a fact must lie within [min, max] (or equal `equals`)."""

    fact: str
    min: float | None = None
    max: float | None = None
    equals: object = None
    if_unknown: str = "skip"  # fire | skip: what to do when the message does not state the fact


@dataclass(frozen=True)
class RedFlagRule:
    id: str
    urgency: str
    concern: str
    label: str
    patterns: tuple[str, ...]
    sounds_like: tuple[str, ...] = ()
    requires: tuple[Condition, ...] = ()
    fire_examples: tuple[str, ...] = ()
    not_fire_examples: tuple[str, ...] = ()
    order: int = 0  # position in the file: earlier rules win ties
    review: bool = False  # a person should always look at a message this rule fires on
    names_cause: bool = False  # with a more urgent symptom flag, this flag's concern names the cause
    keeps_when: tuple[str, ...] = ()  # contexts that do not cancel this flag ("historical": over, yet still urgent)
    keeps_concern: bool = False  # the medicine-as-cause cue does not turn this flag's `symptoms` into `medication`


@dataclass(frozen=True)
class ConcernCue:
    concern: str
    label: str
    weight: float
    patterns: tuple[re.Pattern, ...]
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class MedicineCause:
    """Phrases that blame a symptom on a medicine ("since I started the ...", "got my flu shot")."""

    pattern: re.Pattern
    window: int = 80
    fire_examples: tuple[str, ...] = ()
    not_fire_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContextRuleSpec:
    literal: str
    category: str
    direction: str
    pattern: object = None
    max_scope: int | None = None


@dataclass(frozen=True)
class Medication:
    name: str
    drug_class: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class FactVocabulary:
    procedure_words: tuple[str, ...] = ()
    infant_words: dict = field(default_factory=dict)
    relative_days: dict = field(default_factory=dict)
    weekday_days: int = 7
    care_home_words: tuple[str, ...] = ()
    serotonergic_medications: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    red_flags: tuple[RedFlagRule, ...]
    concern_cues: tuple[ConcernCue, ...]
    version: str
    by_id: dict[str, RedFlagRule] = field(default_factory=dict)
    context_rules: tuple[ContextRuleSpec, ...] = ()
    medications: tuple[Medication, ...] = ()
    blood_thinner_phrases: tuple[str, ...] = ()
    vocabulary: FactVocabulary = field(default_factory=FactVocabulary)
    recent_cues: tuple[str, ...] = ()  # "an hour ago", "this morning": a relative's "had" is happening now
    escalations: tuple = ()  # severity.Escalation: urgent red flags that modifiers make emergencies
    medicine_cause: MedicineCause | None = None  # concerns.yaml: a symptom blamed on a medicine


def rules_version(rules_dir: Path) -> str:
    """A short hash of every file under rules/: which rules produced a label."""
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(rules_dir).rglob("*") if p.is_file()):
        digest.update(path.relative_to(rules_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return "rules-" + digest.hexdigest()[:12]


def _compile(pattern: str, where: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise RuleError(f"{where}: bad pattern {pattern!r}: {exc}") from exc
    return pattern


def _conditions(raw: dict, where: str) -> tuple[Condition, ...]:
    out = []
    for fact, spec in (raw or {}).items():
        if fact not in FACT_NAMES:
            raise RuleError(f"{where}: unknown fact {fact!r} (known: {', '.join(FACT_NAMES)})")
        if spec.get("if_unknown", "skip") not in ("fire", "skip"):
            raise RuleError(f"{where}: if_unknown must be fire or skip")
        out.append(Condition(fact, spec.get("min"), spec.get("max"), spec.get("equals"),
                             spec.get("if_unknown", "skip")))
    return tuple(out)


def load_red_flags(path: Path) -> tuple[RedFlagRule, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rules = []
    seen = set()
    for order, entry in enumerate(raw.get("rules", [])):
        rid = entry["id"]
        where = f"{path.name} rule {rid}"
        if rid in seen:
            raise RuleError(f"{where}: duplicate id")
        seen.add(rid)
        if entry["urgency"] not in URGENCIES or entry["concern"] not in CONCERNS:
            raise RuleError(f"{where}: urgency/concern must come from the label vocabulary")
        examples = entry.get("examples", {}) or {}
        rules.append(RedFlagRule(
            id=rid,
            urgency=entry["urgency"],
            concern=entry["concern"],
            label=entry.get("label", rid),
            patterns=tuple(_compile(p, where) for p in entry["patterns"]),
            sounds_like=tuple(entry.get("sounds_like", ())),
            requires=_conditions(entry.get("requires"), where),
            fire_examples=tuple(examples.get("fire", ())),
            not_fire_examples=tuple(examples.get("not_fire", ())),
            order=order,
            review=bool(entry.get("review", False)),
            names_cause=bool(entry.get("names_cause", False)),
            keeps_when=tuple(entry.get("keeps_when", ())),
            keeps_concern=bool(entry.get("keeps_concern", False)),
        ))
    return tuple(rules)


def load_concern_cues(path: Path) -> tuple[ConcernCue, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cues = []
    for concern, entry in raw.get("concerns", {}).items():
        if concern not in CONCERNS:
            raise RuleError(f"{path.name}: unknown concern {concern!r}")
        cues.append(ConcernCue(
            concern=concern,
            label=entry.get("label", concern),
            weight=float(entry.get("weight", 1)),
            # One alternation per concern: one scan of the text instead of one per pattern.
            patterns=(re.compile("|".join(f"(?:{_compile(p, f'{path.name} {concern}')})" for p in entry["patterns"]),
                                 re.I),),
            examples=tuple(entry.get("examples", ())),
        ))
    return tuple(cues)


def load_medicine_cause(path: Path) -> MedicineCause | None:
    raw = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("medicine_as_cause")
    if not raw:
        return None
    examples = raw.get("examples", {}) or {}
    where = f"{path.name} medicine_as_cause"
    pattern = re.compile("|".join(f"(?:{_compile(p, where)})" for p in raw["patterns"]), re.I)
    return MedicineCause(pattern, int(raw.get("window", 80)), tuple(examples.get("fire", ())),
                         tuple(examples.get("not_fire", ())))


def load_context_rules(path: Path) -> tuple[ContextRuleSpec, ...]:
    if not path.is_file():
        return ()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(
        ContextRuleSpec(str(r["literal"]), r["category"], r.get("direction", "BIDIRECTIONAL"), r.get("pattern"),
                        r.get("max_scope"))
        for r in raw.get("rules", [])
    )


def load_recent_cues(path: Path) -> tuple[str, ...]:
    if not path.is_file():
        return ()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(str(c).lower() for c in raw.get("recent_cues", ()))


def load_medications(path: Path) -> tuple[tuple[Medication, ...], tuple[str, ...]]:
    if not path.is_file():
        return (), ()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    meds = tuple(Medication(m["name"], m.get("class", ""), tuple(str(a) for a in m.get("also", ())))
                 for m in raw.get("medications", []))
    return meds, tuple(raw.get("blood_thinner_phrases", ()))


def load_vocabulary(path: Path) -> FactVocabulary:
    if not path.is_file():
        return FactVocabulary()
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return FactVocabulary(tuple(raw.get("procedure_words", ())), dict(raw.get("infant_words", {})),
                          dict(raw.get("relative_days", {})), int(raw.get("weekday_days", 7)),
                          tuple(str(w).lower() for w in raw.get("care_home_words", ())),
                          tuple(raw.get("serotonergic_medications", ())))


def load_ruleset(rules_dir: Path) -> RuleSet:
    from .severity import load_escalations  # severity builds on the records above

    rules_dir = Path(rules_dir)
    red_flags = load_red_flags(rules_dir / "red_flags.yaml")
    cues = load_concern_cues(rules_dir / "concerns.yaml")
    meds, thinner_phrases = load_medications(rules_dir / "medications.yaml")
    return RuleSet(red_flags, cues, rules_version(rules_dir), {r.id: r for r in red_flags},
                   context_rules=load_context_rules(rules_dir / "context.yaml"),
                   medications=meds, blood_thinner_phrases=thinner_phrases,
                   vocabulary=load_vocabulary(rules_dir / "facts.yaml"),
                   recent_cues=load_recent_cues(rules_dir / "context.yaml"),
                   escalations=load_escalations(rules_dir / "severity.yaml", {r.id for r in red_flags}),
                   medicine_cause=load_medicine_cause(rules_dir / "concerns.yaml"))
