"""Re-triage keeps label history, never overrides a reviewer, and re-ranks raised messages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.paths import RULES_DIR
from pipeline.records import AudioInfo, Transcript, TriageResult
from pipeline.retriage import retriage
from pipeline.schedule import load_schedule
from pipeline.store import get_message, insert_message, open_db, record_label
from pipeline.triage import Triager

AUDIO = AudioInfo(12.0, 8000, 1, "pcm_mulaw", "wav", -20.0, -3.0, 0.0, 0.2, 0.3, 0.9)


@pytest.fixture(scope="module")
def triager():
    return Triager(RULES_DIR)


def _store_with_old_label(db, text: str, sha: str) -> int:
    stale = TriageResult(urgency="routine", concern="other", reasons=[], confidence=0.5,
                         rules_version="rules-old", model_version="")
    return insert_message(db, sha256=sha, file_name="a.wav", mailbox="", archive_path="/nowhere",
                          received_at="2026-11-23T15:00:00+00:00", audio=AUDIO,
                          transcript=Transcript(text=text, language="en", language_probability=1.0),
                          triage=stale, due_at="2026-11-24T17:00:00+00:00")


def test_retriage_relabels_keeps_history_and_reports_raised(tmp_path, triager):
    db = open_db(tmp_path / "db")
    message_id = _store_with_old_label(db, "My chest feels tight and I can't catch my breath", "a" * 64)
    summary = retriage(db, triager, load_schedule(RULES_DIR / "schedule.toml"))
    assert summary.changed == 1 and summary.raised == [message_id]
    message = get_message(db, message_id)
    assert message["urgency"] == "emergency"
    assert message["due_at"] == "2026-11-23T15:00:00+00:00", "an emergency is due at once"
    history = list(db["triage_history"].rows_where("message_id = ?", [message_id], order_by="id"))
    assert [(h["urgency"], h["produced_by"]) for h in history] == [
        ("routine", "system:triage"), ("emergency", "system:retriage")]
    assert history[0]["rules_version"] == "rules-old"


def test_retriage_never_overrides_a_reviewer_label(tmp_path, triager):
    db = open_db(tmp_path / "db")
    message_id = _store_with_old_label(db, "My chest feels tight", "b" * 64)
    human = TriageResult(urgency="urgent", concern="symptoms", reasons=[], confidence=1.0)
    record_label(db, message_id, human, produced_by="user:qa1")
    summary = retriage(db, triager, load_schedule(RULES_DIR / "schedule.toml"))
    assert summary.kept_human_label == 1 and summary.changed == 0


def test_retriage_since_skips_older_messages(tmp_path, triager):
    db = open_db(tmp_path / "db")
    _store_with_old_label(db, "My chest feels tight", "c" * 64)
    since = datetime(2026, 11, 25, tzinfo=UTC).date().isoformat()
    assert retriage(db, triager, load_schedule(RULES_DIR / "schedule.toml"), since=since).examined == 0
