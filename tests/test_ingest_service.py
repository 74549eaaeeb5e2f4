"""The inbox service end to end: `vmtriage watch` as a real process on real folders, real watchdog,
real SQLite and real Whisper (`tiny.en`: these tests are about plumbing, not accuracy)."""

from __future__ import annotations

import hashlib
import json
import shutil
import signal
import time
from pathlib import Path

import pytest

from tests.bad_files import make_bad_files
from tests.conftest import VOICEMAILS
from tests.service_process import ServiceProcess, write_config

pytestmark = pytest.mark.slow

FIXTURES = sorted(VOICEMAILS.glob("*.wav"))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def make_service(tmp_path):
    made = []

    def make(**ingest) -> ServiceProcess:
        made.append(ServiceProcess(tmp_path, write_config(tmp_path, **ingest)))
        return made[-1]

    yield make
    for svc in made:
        if svc.alive():
            svc.kill9()


@pytest.fixture
def service(make_service):
    return make_service()


def test_files_present_before_start_are_processed(service):
    (service.inbox / "line 2").mkdir()
    shutil.copy(FIXTURES[0], service.inbox / "before start.wav")
    shutil.copy(FIXTURES[1], service.inbox / "line 2" / "also before.wav")
    service.start()
    service.wait_for(lambda: service.count("messages") == 2, what="two messages")
    mailboxes = sorted(r[0] for r in service.query("select mailbox from messages"))
    assert mailboxes == ["", "line 2"]


def test_slow_chunked_copy_is_processed_once_after_complete(make_service):
    service = make_service(stable_seconds=2.0)
    service.start()
    data = FIXTURES[0].read_bytes()
    target = service.inbox / "slow copy.wav"
    chunks = 10
    for n in range(chunks):  # ~5 s of appends, each closing the file, pauses shorter than stable_seconds (2 s)
        with open(target, "ab") as fh:
            fh.write(data[n * len(data) // chunks:(n + 1) * len(data) // chunks])
        time.sleep(0.5)
    service.wait_for(lambda: service.count("messages") == 1 and service.idle(), what="the message")
    time.sleep(2)
    assert service.count("jobs") == 1
    assert service.count("quarantine") == 0
    assert service.count("duplicates") == 0
    assert service.query("select sha256 from messages") == [(sha(FIXTURES[0]),)]


def test_kill_9_while_transcribing_then_restart_gives_one_message_per_recording(service):
    for n, fixture in enumerate(FIXTURES):
        shutil.copy(fixture, service.inbox / f"call {n}.wav")
    service.start()
    # `decoded` is the state while Whisper runs.
    service.wait_for(lambda: service.count("jobs", "state = 'decoded'") == 1, what="a job being transcribed")
    service.kill9()
    interrupted = service.query("select id from jobs where state = 'decoded'")
    assert interrupted
    service.start()
    service.wait_for(lambda: service.count("messages") == len(FIXTURES) and service.idle(), what="all messages")
    shas = sorted(r[0] for r in service.query("select sha256 from messages"))
    assert shas == sorted(sha(f) for f in FIXTURES)
    assert service.count("triage_history") == len(FIXTURES)
    assert service.query("select attempts from jobs where id = ?", interrupted[0]) == [(2,)]


def test_bad_files_are_quarantined_with_reasons_and_good_files_still_processed(service, tmp_path):
    service.start()
    marker = tmp_path / "executed"
    staging = tmp_path / "staging"
    expected = make_bad_files(staging, marker)
    assert len(expected) >= 20
    for path in staging.iterdir():
        shutil.move(str(path), service.inbox / path.name)
    shutil.copy(FIXTURES[0], service.inbox / "good one.wav")
    service.wait_for(lambda: service.count("quarantine") == len(expected) and service.count("messages") == 1
                     and service.idle(), timeout=240, what="quarantine and the good message")
    rows = service.query("select file_name, reason_code, reason, path from quarantine")
    by_name = {name: (code, reason, Path(path)) for name, code, reason, path in rows}
    assert set(by_name) == set(expected)
    for name, (code, reason, path) in by_name.items():
        assert code in expected[name], (name, code)
        assert len(reason) > 20
        assert path.is_file()
        assert path.with_name(path.name + ".reason.txt").read_text().startswith(f"file: {name}")
    assert not marker.exists()
    assert service.alive()
    shutil.copy(FIXTURES[1], service.inbox / "good after bad.wav")
    service.wait_for(lambda: service.count("messages") == 2, what="a good file after the bad ones")


def test_same_recording_twice_under_other_names_is_one_message(service):
    service.start()
    shutil.copy(FIXTURES[0], service.inbox / "first.wav")
    service.wait_for(lambda: service.count("jobs") == 1, what="the first job")
    (service.inbox / "other line").mkdir()
    shutil.copy(FIXTURES[0], service.inbox / "other line" / "copy of first.wav")
    service.wait_for(lambda: service.count("duplicates") == 1 and service.idle(), what="the duplicate")
    service.wait_for(lambda: service.count("messages") == 1, what="the message")
    assert service.count("jobs") == 1


def test_asterisk_sidecar_before_audio_is_joined(service):
    service.start()
    folder = service.inbox / "100"
    folder.mkdir()
    (folder / "msg0001.txt").write_text(
        ";\n; Message Information file\n;\n[message]\norigmailbox=100\ncallerid=\"Pat Doe\" <5550001111>\n"
        "origtime=1700000000\nduration=9\n"
    )
    service.wait_for(lambda: service.count("sidecars") == 1, what="the sidecar, before its recording")
    shutil.copy(FIXTURES[0], folder / "msg0001.wav")
    service.wait_for(lambda: service.count("messages") == 1, what="the message")
    assert service.query("select received_at, caller_number, caller_name, mailbox from messages") == [
        ("2023-11-14T22:13:20+00:00", "5550001111", "Pat Doe", "100")]


def test_json_sidecar_after_stored_audio_is_joined(service):
    service.start()
    shutil.copy(FIXTURES[2], service.inbox / "late.wav")
    service.wait_for(lambda: service.count("messages") == 1, what="the message")
    (service.inbox / "late.json").write_text(json.dumps(
        {"caller_number": "+1 (555) 000-2222", "caller_name": "Sam", "received_at": "2024-03-05T09:30:00-05:00"}))
    service.wait_for(lambda: service.query("select caller_number from messages") == [("+15550002222",)],
                     what="metadata on the stored message")
    received_at, due_at = service.query("select received_at, due_at from messages")[0]
    assert received_at == "2024-03-05T14:30:00+00:00"
    assert due_at.startswith("2024-03")
    assert service.count("sidecars", "state = 'attached'") == 1


def test_sigterm_lets_the_current_job_finish(service):
    service.start()
    shutil.copy(FIXTURES[2], service.inbox / "in progress.wav")
    service.wait_for(lambda: service.count("jobs", "state = 'decoded'") == 1, what="transcription")
    service.proc.send_signal(signal.SIGTERM)
    assert service.proc.wait(timeout=120) == 0
    assert service.query("select state from jobs") == [("done",)]
    assert service.count("messages") == 1
