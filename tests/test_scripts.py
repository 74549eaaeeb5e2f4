"""Callback scripts from rules/scripts.yaml: one per concern, urgency lines first, shown with a message."""

from __future__ import annotations

import shutil

import pytest
import yaml

from pipeline.paths import RULES_DIR
from pipeline.records import CONCERNS
from pipeline.scripts import ScriptError, load_scripts, script_for


def test_every_concern_has_a_script_with_questions():
    scripts = load_scripts(RULES_DIR)
    assert set(scripts) == set(CONCERNS)
    assert all(script.ask for script in scripts.values())


def test_a_missing_concern_is_an_error(tmp_path):
    raw = yaml.safe_load((RULES_DIR / "scripts.yaml").read_text())
    del raw["scripts"]["billing"]
    (tmp_path / "scripts.yaml").write_text(yaml.safe_dump(raw))
    with pytest.raises(ScriptError, match="no script for billing"):
        load_scripts(tmp_path)


def test_an_emergency_script_starts_with_the_911_line():
    script = script_for(load_scripts(RULES_DIR), "symptoms", "emergency")
    assert "911" in script.lines[0]


def test_a_routine_script_starts_with_its_own_words():
    script = script_for(load_scripts(RULES_DIR), "billing", "routine")
    assert script.lines[0] == script.say[0]


def test_the_practice_name_fills_the_placeholders(tmp_path):
    shutil.copy(RULES_DIR / "scripts.yaml", tmp_path / "scripts.yaml")
    raw = yaml.safe_load((tmp_path / "scripts.yaml").read_text())
    raw["practice"] = {"name": "Maple Street Clinic", "phone": "555-0100"}
    (tmp_path / "scripts.yaml").write_text(yaml.safe_dump(raw))
    scripts = load_scripts(tmp_path)
    assert "Maple Street Clinic" in scripts["new_patient"].say[0]
    assert "555-0100" in scripts["other"].voicemail


def test_the_answering_machine_message_names_no_concern():
    voicemail = load_scripts(RULES_DIR)["test_results"].voicemail
    assert "result" not in voicemail.lower()


def test_the_script_command_shows_the_script_with_the_message(tmp_path):
    from datetime import UTC, datetime

    from click.testing import CliRunner

    from pipeline.cli import main
    from pipeline.store import open_db
    from tests.factories import add_message

    db_path = tmp_path / "vmtriage.db"
    received = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    mid = add_message(open_db(db_path), received=received, due=received, urgency="urgent", concern="medication",
                      text="The new pills make my lips swell.")
    result = CliRunner().invoke(main, ["--db", str(db_path), "script", str(mid)])
    assert result.exit_code == 0, result.output
    assert "lips swell" in result.output
    assert "Medication side effects" in result.output
    assert "within the hour" in result.output  # the urgent preamble
