"""Ingestion pieces on real folders and real SQLite, without Whisper."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.ingest import (
    InboxWatcher,
    StabilityTracker,
    declares_complete,
    is_temporary,
    open_for_writing,
    quarantine_file,
    take_file,
    take_sidecar,
)
from pipeline.logs import setup_logging
from pipeline.sidecars import SidecarError, parse_asterisk, parse_json_sidecar
from pipeline.store import open_db
from pipeline.worker import ServiceAlreadyRunning, ServiceLock, claim_job, release_claims, run_job
from tests.conftest import VOICEMAILS

RECORDING = VOICEMAILS / "refill.wav"


@pytest.fixture
def db(config):
    return open_db(config.paths.db)


def drop(config, name: str, source: Path = RECORDING) -> Path:
    target = config.paths.inbox / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return target


@pytest.mark.parametrize("name", ["a.wav.part", "a.tmp", "a.wav~", ".hidden.wav", "a.wav.crdownload"])
def test_temporary_names_are_not_recordings(name):
    assert is_temporary(Path(name))


@pytest.mark.parametrize("name", ["msg0001.wav", "Anruf von Frau Müller.m4a", "call 2.mp3"])
def test_ordinary_names_are_recordings(name):
    assert not is_temporary(Path(name))


def test_a_finished_wav_declares_itself_complete_and_a_partial_copy_does_not(tmp_path):
    data = RECORDING.read_bytes()
    finished, partial = tmp_path / "done.wav", tmp_path / "half.wav"
    finished.write_bytes(data)
    partial.write_bytes(data[: len(data) // 2])  # a copy still under way: the header counts the whole
    assert declares_complete(finished, len(data))
    assert not declares_complete(partial, len(data) // 2)


def test_a_recording_that_is_not_wav_cannot_declare_itself_complete(tmp_path):
    mp3 = tmp_path / "call.mp3"
    mp3.write_bytes(b"ID3" + bytes(200))
    assert not declares_complete(mp3, 203)


def _ready_after_two_looks(tracker: StabilityTracker, path: Path) -> list[Path]:
    tracker.touch(path)
    tracker.ready()  # first look records size and mtime
    time.sleep(0.15)
    return tracker.ready()


def test_a_finished_wav_is_taken_without_the_full_stability_wait(tmp_path):
    wav = tmp_path / "done.wav"
    shutil.copy(RECORDING, wav)
    assert _ready_after_two_looks(StabilityTracker(stable_seconds=60, finished_seconds=0.1), wav) == [wav]


def test_a_partial_wav_waits_the_full_stability_time(tmp_path):
    wav = tmp_path / "half.wav"
    wav.write_bytes(RECORDING.read_bytes()[:5000])
    assert _ready_after_two_looks(StabilityTracker(stable_seconds=60, finished_seconds=0.1), wav) == []


def test_asterisk_file_gives_call_time_caller_and_mailbox():
    meta = parse_asterisk('[message]\norigmailbox=201\ncallerid="Ann Lee" <5551234567>\n'
                          "origdate=Tue Nov 14 10:13:20 PM UTC 2023\norigtime=1700000000\nduration=42\n")
    assert (meta.caller_name, meta.caller_number, meta.received_at, meta.mailbox, meta.duration_s) == (
        "Ann Lee", "5551234567", "2023-11-14T22:13:20+00:00", "201", 42.0)


def test_asterisk_unknown_caller_has_no_name():
    meta = parse_asterisk("[message]\ncallerid=Unknown\norigtime=1700000000\n")
    assert (meta.caller_name, meta.caller_number) == (None, None)


def test_text_without_message_section_is_a_bad_sidecar():
    with pytest.raises(SidecarError):
        parse_asterisk("buy milk\n")


def test_json_sidecar_time_is_stored_in_utc():
    meta = parse_json_sidecar(json.dumps({"caller_number": "555-010-9999", "received_at": "2024-01-02T08:00:00-05:00",
                                          "mailbox": "peds"}))
    assert (meta.caller_number, meta.received_at, meta.mailbox) == ("5550109999", "2024-01-02T13:00:00+00:00", "peds")


def test_taking_a_file_archives_it_before_removing_it(config, db):
    path = drop(config, "front desk/msg 1.wav")
    job_id = take_file(db, config, path)
    job = db["jobs"].get(job_id)
    assert not path.exists()
    assert Path(job["archive_path"]).read_bytes() == RECORDING.read_bytes()
    assert job["mailbox"] == "front desk"


def test_a_kept_original_seen_again_is_neither_a_new_job_nor_a_duplicate(config, db):
    config = replace(config, ingest=replace(config.ingest, keep_originals=True))
    path = drop(config, "msg.wav")
    take_file(db, config, path)
    take_file(db, config, path)
    assert (db["jobs"].count, db["duplicates"].count) == (1, 0)
    assert path.exists()


def test_unicode_and_long_names_are_taken(config, db):
    name = "Rückruf für Zoë — " + "long " * 40 + ".wav"
    job_id = take_file(db, config, drop(config, name))
    assert db["jobs"].get(job_id)["file_name"] == name


def test_a_long_name_can_be_quarantined(config, db):
    name = "ß" * 120 + ".wav"  # 244 bytes: a time stamp in front would pass the 255-byte limit
    path = config.paths.inbox / name
    path.parent.mkdir(parents=True)
    path.write_bytes(b"")
    take_file(db, config, path)
    row = db["quarantine"].get(1)
    assert row["reason_code"] == "empty" and Path(row["path"]).is_file()


def test_a_symbolic_link_out_of_the_inbox_is_not_followed(config, db, tmp_path):
    outside = tmp_path / "secret.wav"
    shutil.copy(RECORDING, outside)
    config.paths.inbox.mkdir(parents=True)
    (config.paths.inbox / "link.wav").symlink_to(outside)
    (config.paths.inbox / "linked folder").symlink_to(tmp_path, target_is_directory=True)
    watcher = InboxWatcher(config.paths.db, config)
    watcher.scan()
    assert watcher.idle()
    assert take_file(db, config, config.paths.inbox / "link.wav") is None
    assert outside.exists() and db["jobs"].count == 0


def test_a_file_held_open_for_writing_is_seen_as_incomplete(tmp_path):
    path = tmp_path / "copying.wav"
    with open(path, "ab") as fh:
        fh.write(b"RIFF")
        fh.flush()
        assert open_for_writing(os.stat(path))
    assert not open_for_writing(os.stat(path))


def test_a_sidecar_that_came_first_is_joined_to_its_recording(config, db):
    side = config.paths.inbox / "201" / "msg0007.txt"
    side.parent.mkdir(parents=True)
    side.write_text("[message]\ncallerid=<5550001234>\norigtime=1700000000\n")
    take_sidecar(db, config, side)
    job_id = take_file(db, config, drop(config, "201/msg0007.wav"))
    meta = json.loads(db["jobs"].get(job_id)["metadata"])
    assert (meta["caller_number"], meta["received_at"]) == ("5550001234", "2023-11-14T22:13:20+00:00")
    assert db["sidecars"].get(1)["state"] == "attached"


def test_the_sidecar_of_a_duplicate_copy_is_joined_to_the_first_copy(config, db):
    job_id = take_file(db, config, drop(config, "first.wav"))
    side = config.paths.inbox / "msg0002.json"
    side.write_text(json.dumps({"caller_number": "5550002000"}))
    take_sidecar(db, config, side)
    take_file(db, config, drop(config, "msg0002.wav"))
    assert db["duplicates"].count == 1
    assert json.loads(db["jobs"].get(job_id)["metadata"])["caller_number"] == "5550002000"


def test_two_workers_never_claim_the_same_job(config, db):
    db["jobs"].insert_all({"sha256": f"{n:064x}", "state": "received", "attempts": 0} for n in range(60))
    claimed: dict[str, list[int]] = {"a": [], "b": []}

    def claim_all(worker):
        own = open_db(config.paths.db)
        while job := claim_job(own, worker, 3):
            claimed[worker].append(job["id"])

    threads = [threading.Thread(target=claim_all, args=(w,)) for w in claimed]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(claimed["a"] + claimed["b"]) == list(range(1, 61))


def test_claims_of_a_killed_service_are_released_at_start(config, db):
    db["jobs"].insert({"sha256": "0" * 64, "state": "decoded", "attempts": 1, "claimed_by": "worker-1"})
    assert claim_job(db, "worker-1", 3) is None
    release_claims(db)
    assert claim_job(db, "worker-1", 3)["id"] == 1


def test_a_job_that_keeps_killing_the_service_is_quarantined_and_its_archive_kept(config, db):
    job_id = take_file(db, config, drop(config, "poison.wav"))
    db["jobs"].update(job_id, {"state": "decoded", "attempts": config.ingest.max_attempts})
    assert run_job(db, config, None, db["jobs"].get(job_id)) is None  # never reaches the processor
    job = db["jobs"].get(job_id)
    row = db["quarantine"].get(1)
    assert (job["state"], row["reason_code"], row["job_id"]) == ("quarantined", "processing_failed", job_id)
    assert Path(job["archive_path"]).is_file() and Path(row["path"]).is_file()


def test_a_job_resumed_after_its_message_was_stored_runs_the_hooks_and_stores_nothing_new(config, db):
    from pipeline.records import AudioInfo, Transcript, TriageResult
    from pipeline.store import insert_message

    job_id = take_file(db, config, drop(config, "stored before the crash.wav"))
    job = db["jobs"].get(job_id)
    audio = AudioInfo(6.0, 8000, 1, "pcm_mulaw", "wav", -20.0, -3.0, 0.0, 0.1, 0.1, 0.8)
    message_id = insert_message(db, sha256=job["sha256"], file_name=job["file_name"], mailbox="",
                                archive_path=job["archive_path"], received_at=job["created_at"], audio=audio,
                                transcript=Transcript("text", "en", 1.0), due_at=job["created_at"],
                                triage=TriageResult("routine", "other", [], 0.9))
    seen = []
    assert run_job(db, config, None, job, after_store=[lambda _db, mid: seen.append(mid)]) == message_id
    assert seen == [message_id]
    assert (db["messages"].count, db["jobs"].get(job_id)["state"]) == (1, "done")


def test_a_second_service_on_the_same_database_refuses_to_start(config):
    first = ServiceLock(config.paths.db)
    first.acquire()
    try:
        with pytest.raises(ServiceAlreadyRunning):
            ServiceLock(config.paths.db).acquire()
    finally:
        first.release()
    again = ServiceLock(config.paths.db)
    again.acquire()  # free once the first let go (or died)
    again.release()


def test_quarantine_lists_reasons_as_json_and_requeue_puts_the_file_back(config, db, tmp_path):
    bad = drop(config, "line 3/broken.wav")
    bad.write_bytes(b"not audio at all")
    quarantine_file(db, config, bad, file_name=bad.name, mailbox="line 3", code="not_audio",
                    reason="not a recording ffmpeg can read")
    runner = CliRunner()
    args = ["--db", str(config.paths.db), "--inbox", str(config.paths.inbox)]
    listed = runner.invoke(main, [*args, "quarantine", "--json"])
    rows = json.loads(listed.output)
    assert [(r["file_name"], r["reason_code"]) for r in rows] == [("broken.wav", "not_audio")]
    Path(rows[0]["path"]).write_bytes(RECORDING.read_bytes())  # a person fixed it
    (config.paths.inbox / "line 3").rmdir()  # and the mailbox folder was emptied meanwhile
    requeued = runner.invoke(main, [*args, "requeue", str(rows[0]["id"])])
    assert requeued.exit_code == 0, requeued.output
    assert (config.paths.inbox / "line 3" / "broken.wav").read_bytes() == RECORDING.read_bytes()
    assert json.loads(runner.invoke(main, [*args, "quarantine", "--json"]).output) == []


def test_log_lines_are_json_with_ids_and_no_file_names(config, db):
    stream = io.StringIO()
    setup_logging(stream=stream)
    try:
        take_file(db, config, drop(config, "Jane Roe 555 0100.wav"))
    finally:
        logging.getLogger().handlers.clear()
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines and lines[-1]["event"] == "received" and lines[-1]["job_id"] == 1
    assert "Jane" not in stream.getvalue() and "0100" not in stream.getvalue()


def test_a_late_sidecar_moves_the_due_time_by_the_mailbox_own_targets(config, db, tmp_path):
    from datetime import UTC, datetime

    from pipeline.ingest import late_metadata_to_message
    from pipeline.records import CallMetadata
    from pipeline.schedule import due_at, load_schedule
    from pipeline.store import get_message
    from tests.factories import add_message

    rules = tmp_path / "rules"
    shutil.copytree(config.paths.rules_dir, rules)
    with (rules / "schedule.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[targets.mailbox.surgery]\nroutine = "1 hour"\n')
    config = replace(config, paths=replace(config.paths, rules_dir=rules))
    schedule = load_schedule(rules / "schedule.toml")
    stored = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
    message_id = add_message(db, received=stored, due=stored, mailbox="surgery")
    called = datetime(2026, 11, 18, 14, 0, tzinfo=UTC)  # the phone system says the call came earlier
    late_metadata_to_message(db, config, message_id, CallMetadata(received_at=called.isoformat()), schedule)
    own = due_at(schedule, called, "routine", "refill", False, "surgery")
    assert own != due_at(schedule, called, "routine", "refill", False, "")  # the override matters here
    assert datetime.fromisoformat(get_message(db, message_id)["due_at"]) == own
