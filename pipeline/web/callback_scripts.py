"""The callback script for a message: what to say and ask when calling back, for its concern.

rules/scripts.yaml and its loader (pipeline/scripts.py) belong to the callbacks work. This one
function uses that loader when it is present and otherwise reads the file leniently itself;
without the file it shows nothing. Either way the page gets {"title", "lines", "voicemail"}.
"""

from __future__ import annotations

from pathlib import Path

import yaml


def callback_script(rules_dir: Path, concern: str, urgency: str = "routine") -> dict | None:
    path = Path(rules_dir) / "scripts.yaml"
    if not path.is_file():
        return None
    try:
        from ..scripts import ScriptError, load_scripts, script_for  # the callbacks module, once merged
    except ImportError:
        return _read_yaml(path, concern, urgency)
    try:
        script = script_for(load_scripts(rules_dir), concern, urgency)
    except (ScriptError, KeyError):
        return None
    return {"title": script.title, "lines": script.lines, "voicemail": script.voicemail}


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


def _read_yaml(path: Path, concern: str, urgency: str) -> dict | None:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(raw, dict):
        return None
    entries = raw.get("scripts", raw)
    entry = entries.get(concern) or entries.get("other") if isinstance(entries, dict) else None
    if not isinstance(entry, dict):
        return {"title": concern.replace("_", " "), "lines": _strings(entry)} if entry else None
    urgency_lines = raw.get("urgency") if isinstance(raw.get("urgency"), dict) else {}
    lines = [*_strings(urgency_lines.get(urgency)), *_strings(entry.get("say")),
             *(f"Ask: {q}" for q in _strings(entry.get("ask"))),
             *(f"Escalate: {e}" for e in _strings(entry.get("escalate")))]
    return {"title": str(entry.get("title") or concern.replace("_", " ")), "lines": lines,
            "voicemail": " ".join(str(raw.get("voicemail", "")).split())}
