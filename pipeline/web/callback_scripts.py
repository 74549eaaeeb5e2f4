"""The callback script for a message, shaped for the page: {"title", "lines", "voicemail"}."""

from __future__ import annotations

from pathlib import Path

from ..scripts import ScriptError, load_scripts, script_for


def callback_script(rules_dir: Path, concern: str, urgency: str = "routine") -> dict | None:
    """What to say and ask when calling back; None (show nothing) when no script applies."""
    try:
        script = script_for(load_scripts(rules_dir), concern, urgency)
    except (ScriptError, KeyError, FileNotFoundError):
        return None
    return {"title": script.title, "lines": script.lines, "voicemail": script.voicemail}
