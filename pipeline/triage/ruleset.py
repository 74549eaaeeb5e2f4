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


@dataclass(frozen=True)
class RedFlagRule:
    id: str
    urgency: str
    concern: str
    label: str
    patterns: tuple[str, ...]
    fire_examples: tuple[str, ...] = ()
    not_fire_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConcernCue:
    concern: str
    label: str
    weight: float
    patterns: tuple[re.Pattern, ...]
    examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    red_flags: tuple[RedFlagRule, ...]
    concern_cues: tuple[ConcernCue, ...]
    version: str
    by_id: dict[str, RedFlagRule] = field(default_factory=dict)


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


def load_red_flags(path: Path) -> tuple[RedFlagRule, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rules = []
    seen = set()
    for entry in raw.get("rules", []):
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
            fire_examples=tuple(examples.get("fire", ())),
            not_fire_examples=tuple(examples.get("not_fire", ())),
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
            patterns=tuple(re.compile(_compile(p, f"{path.name} {concern}"), re.I) for p in entry["patterns"]),
            examples=tuple(entry.get("examples", ())),
        ))
    return tuple(cues)


def load_ruleset(rules_dir: Path) -> RuleSet:
    rules_dir = Path(rules_dir)
    red_flags = load_red_flags(rules_dir / "red_flags.yaml")
    cues = load_concern_cues(rules_dir / "concerns.yaml")
    return RuleSet(red_flags, cues, rules_version(rules_dir), {r.id: r for r in red_flags})
