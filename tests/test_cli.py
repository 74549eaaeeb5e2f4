"""The command-line contract (design.md): output shapes and clear errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import VOICEMAILS

REQUIRED_PROCESS_KEYS = {"id", "file", "sha256", "duration_s", "language", "transcript", "urgency", "concern",
                         "reasons", "received_at", "due_at", "timings_ms"}


def vmtriage(*args: str, db: Path, input_text: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline.cli", "--db", str(db), *args],
                          capture_output=True, text=True, input=input_text, timeout=600)


def test_triage_text_json_has_labels_and_reasons(tmp_path):
    out = vmtriage("triage", "--json", "My face is drooping and I can't move my arm", db=tmp_path / "db")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["urgency"] == "emergency"
    assert result["concern"] == "symptoms"
    assert any(r["rule_id"] for r in result["reasons"])
    assert result["rules_version"].startswith("rules-")


def test_triage_jsonl_writes_one_object_per_input_line(tmp_path):
    lines = [{"id": "a", "text": "I need a refill of my metformin"},
             {"id": "b", "text": "I have no chest pain, just a question about my bill"}]
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    out = vmtriage("triage", "--jsonl", str(data), db=tmp_path / "db")
    assert out.returncode == 0, out.stderr
    results = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in results] == ["a", "b"]
    assert [r["urgency"] for r in results] == ["routine", "routine"]
    assert results[0]["concern"] == "refill"
    assert {"id", "urgency", "concern", "reasons"} <= set(results[1])


def test_triage_jsonl_names_the_bad_line(tmp_path):
    data = tmp_path / "in.jsonl"
    data.write_text('{"id": 1, "text": "refill please"}\n{"text": "no id"}\n')
    out = vmtriage("triage", "--jsonl", str(data), db=tmp_path / "db")
    assert out.returncode != 0
    assert "line 2" in out.stderr


@pytest.mark.slow
def test_process_json_then_callbacks_json(tmp_path):
    audio = tmp_path / "vm.wav"
    shutil.copyfile(VOICEMAILS / "post_op_bleeding.wav", audio)
    out = vmtriage("process", "--json", str(audio), db=tmp_path / "db.sqlite")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert REQUIRED_PROCESS_KEYS <= set(result)
    assert result["urgency"] == "urgent" and result["concern"] == "post_op"
    assert set(result["timings_ms"]) >= {"decode", "transcribe", "triage"}
    assert audio.exists(), "`process` leaves the original where it was"
    listed = vmtriage("callbacks", "--json", db=tmp_path / "db.sqlite")
    rows = json.loads(listed.stdout)
    assert [r["id"] for r in rows] == [result["id"]]
    assert rows[0]["urgency"] == "urgent"


def test_process_rejects_a_file_that_is_not_audio_with_a_clear_error(tmp_path):
    bogus = tmp_path / "notes.wav"
    bogus.write_text("this is a text file, not a recording\n" * 20)
    out = vmtriage("process", "--json", str(bogus), db=tmp_path / "db.sqlite")
    assert out.returncode == 1
    result = json.loads(out.stdout)
    assert result["error"].startswith("not_audio:"), result["error"]
    assert bogus.exists(), "a rejected file is never lost"


def test_callback_outcome_closes_the_message(tmp_path, config, processor):
    from pipeline.store import open_db
    from pipeline.worker import process_now

    db_path = tmp_path / "db.sqlite"
    cfg = config.with_paths(db=db_path)
    message_id = process_now(open_db(db_path), cfg, processor, VOICEMAILS / "billing.wav")["message_id"]
    first = vmtriage("callback", str(message_id), "--outcome", "no_answer", db=db_path)
    assert first.returncode == 0 and "next due" in first.stdout
    second = vmtriage("callback", str(message_id), "--outcome", "reached", "--note", "sorted", db=db_path)
    assert second.returncode == 0 and "closed" in second.stdout
    assert json.loads(vmtriage("callbacks", "--json", db=db_path).stdout) == []


def test_unknown_config_setting_is_a_clear_error(tmp_path):
    cfg = tmp_path / "vmtriage.toml"
    cfg.write_text("[ingest]\nstable_secnds = 3\n")
    out = subprocess.run([sys.executable, "-m", "pipeline.cli", "--config", str(cfg), "callbacks"],
                         capture_output=True, text=True)
    assert out.returncode != 0
    assert "stable_secnds" in out.stderr
