"""The callback script for a concern: what to ask and say when calling back.

rules/scripts.yaml belongs to the scripts work (pipeline/scripts.py). Until that lands this reads
the file itself, leniently, and shows nothing when it is absent: one function, easy to replace.
"""

from __future__ import annotations

from pathlib import Path

import yaml


def callback_script(rules_dir: Path, concern: str) -> dict | None:
    """{"title": str, "lines": [str]} for the concern (or its `default`), or None."""
    path = Path(rules_dir) / "scripts.yaml"
    if not path.is_file():
        return None
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return None
    if isinstance(raw, dict) and isinstance(raw.get("scripts"), dict | list):
        raw = raw["scripts"]
    if isinstance(raw, list):  # [{concern: ..., ...}, ...]
        raw = {item.get("concern"): item for item in raw if isinstance(item, dict)}
    if not isinstance(raw, dict):
        return None
    entry = raw.get(concern) or raw.get("default")
    if entry is None:
        return None
    if isinstance(entry, str):
        return {"title": concern.replace("_", " "), "lines": [entry]}
    if isinstance(entry, list):
        return {"title": concern.replace("_", " "), "lines": [str(x) for x in entry]}
    if isinstance(entry, dict):
        lines = []
        for key in ("say", "steps", "ask", "questions", "lines", "script", "escalate"):
            value = entry.get(key)
            if isinstance(value, str):
                lines.append(value)
            elif isinstance(value, list):
                lines.extend(str(x) if not isinstance(x, dict) else " ".join(map(str, x.values())) for x in value)
        return {"title": str(entry.get("title") or concern.replace("_", " ")), "lines": lines}
    return None
