"""Callback scripts: what to say and what to ask for each concern, from rules/scripts.yaml.

`load_scripts(rules_dir)` returns one `CallbackScript` per concern; `script_for()` adds what the
message's urgency requires to be said first. The web page and the CLI both show these.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from .records import CONCERNS, URGENCIES


class ScriptError(ValueError):
    pass


@dataclass(frozen=True)
class CallbackScript:
    concern: str
    title: str
    say: tuple[str, ...] = ()
    ask: tuple[str, ...] = ()
    escalate: tuple[str, ...] = ()
    voicemail: str = ""  # what to leave on an answering machine (no health details)
    first: tuple[str, ...] = field(default=())  # said before the rest, for the message's urgency

    def as_dict(self) -> dict:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}

    @property
    def lines(self) -> list[str]:
        """Everything in the order it is used on the call (for plain-text views)."""
        return [*self.first, *self.say, *(f"Ask: {q}" for q in self.ask), *(f"Escalate: {e}" for e in self.escalate)]


def _strings(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ScriptError(f"{where}: expected a list of strings")


class ScriptBook(dict[str, CallbackScript]):
    """concern -> CallbackScript, plus the lines each urgency says first (`urgency_lines`)."""

    urgency_lines: dict[str, tuple[str, ...]]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"  # an unknown placeholder stays visible rather than failing


def load_scripts(rules_dir: str | Path) -> ScriptBook:
    """Every concern's script; raises ScriptError when the file is malformed or a concern is missing."""
    path = Path(rules_dir) / "scripts.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ScriptError(f"{path}: {exc}") from exc
    practice = raw.get("practice") or {}
    values = _Blank(practice=practice.get("name", "the practice"), practice_phone=practice.get("phone", ""))

    def fill(lines: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(line.format_map(values) for line in lines)

    voicemail = " ".join(str(raw.get("voicemail", "")).split()).format_map(values)
    urgency_lines = raw.get("urgency") or {}
    unknown = set(urgency_lines) - set(URGENCIES)
    if unknown:
        raise ScriptError(f"{path}: unknown urgency {sorted(unknown)}")
    entries = raw.get("scripts") or {}
    missing = [c for c in CONCERNS if c not in entries]
    if missing:
        raise ScriptError(f"{path}: no script for {', '.join(missing)}")
    scripts = ScriptBook()
    for concern, entry in entries.items():
        if concern not in CONCERNS:
            raise ScriptError(f"{path}: unknown concern {concern!r}")
        if not isinstance(entry, dict):
            raise ScriptError(f"{path}: {concern}: expected title/say/ask/escalate")
        scripts[concern] = CallbackScript(
            concern=concern,
            title=str(entry.get("title") or concern.replace("_", " ")),
            say=fill(_strings(entry.get("say"), f"{concern}.say")),
            ask=fill(_strings(entry.get("ask"), f"{concern}.ask")),
            escalate=fill(_strings(entry.get("escalate"), f"{concern}.escalate")),
            voicemail=voicemail,
        )
    scripts.urgency_lines = {u: fill(_strings(v, f"urgency.{u}")) for u, v in urgency_lines.items()}
    return scripts


def script_for(scripts: ScriptBook, concern: str, urgency: str = "routine") -> CallbackScript:
    """The script for a message: its concern's (or `other`'s), with the urgency's lines first."""
    base = scripts.get(concern) or scripts["other"]
    first = getattr(scripts, "urgency_lines", {}).get(urgency, ())
    return CallbackScript(**{**asdict(base), "first": first})
