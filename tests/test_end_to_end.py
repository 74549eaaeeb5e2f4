"""The whole path on real audio: a real watchdog observer, real Whisper, a real SQLite file."""

from __future__ import annotations

import shutil
import threading
import time

from pipeline.store import open_db, open_messages
from pipeline.worker import Service

from .conftest import VOICEMAILS, voicemail_specs


def _wait_for_messages(db_path, count: int, timeout: float = 240.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if db_path.exists():
            rows = open_messages(open_db(db_path))
            if len(rows) >= count:
                return rows
        time.sleep(0.5)
    raise AssertionError(f"fewer than {count} message(s) stored within {timeout} s")


def test_dropped_voicemail_becomes_a_ranked_message_with_the_expected_label(config, processor):
    spec = next(s for s in voicemail_specs() if s["file"] == "chest_pain.wav")
    service = Service(config, processor=processor)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    try:
        mailbox = config.paths.inbox / "main-line"
        mailbox.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(VOICEMAILS / spec["file"], mailbox / "msg0001.wav")
        rows = _wait_for_messages(config.paths.db, 1)
    finally:
        service.stop_event.set()
        thread.join(timeout=30)
    message = rows[0]
    assert message["urgency"] == spec["urgency"]
    assert message["mailbox"] == "main-line"
    transcript = message["transcript"].lower()
    assert all(word in transcript for word in spec["key_words"]), transcript
    assert not (mailbox / "msg0001.wav").exists(), "the inbox file is removed once archived"
    assert (config.paths.data_dir / "archive").rglob("*.wav")


def test_emergency_is_ranked_above_routine_in_the_callback_list(config, processor):
    from pipeline.worker import process_now

    db = open_db(config.paths.db)
    for name in ("refill.wav", "chest_pain.wav"):
        assert "message_id" in process_now(db, config, processor, VOICEMAILS / name)
    ranked = open_messages(db)
    assert [r["urgency"] for r in ranked] == ["emergency", "routine"]
    assert ranked[1]["concern"] == "refill"
