"""Backlog mode: a queue of recordings swaps the one worker for two, and back once it is empty."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipeline.ingest import take_file
from pipeline.store import open_db
from pipeline.worker import Service, waiting_jobs

from .conftest import VOICEMAILS

ASR_SET = Path(__file__).parent / "data" / "asr"


def _wait(condition, timeout_s: float = 240.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def test_waiting_jobs_counts_only_unclaimed_queued_recordings(config):
    db = open_db(config.paths.db)
    keep = replace(config, ingest=replace(config.ingest, keep_originals=True))
    for name in ("refill.wav", "billing.wav"):
        take_file(db, keep, VOICEMAILS / name)
    assert waiting_jobs(db) == 2
    db.execute("update jobs set claimed_by = 'worker-1' where id = 1")
    assert waiting_jobs(db) == 1


@pytest.mark.slow
def test_a_backlog_is_cleared_by_two_workers_once_each_then_one_worker_takes_over(config):
    config = replace(config, transcription=replace(config.transcription, model="tiny.en"),
                     ingest=replace(config.ingest, keep_originals=True, backlog_jobs=3, backlog_workers=2))
    db = open_db(config.paths.db)
    service = Service(config)
    stored_by: list[tuple[str, int]] = []
    service.after_store.append(lambda _db, message_id: stored_by.append((threading.current_thread().name, message_id)))
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    try:
        _wait(lambda: service.workers and service.workers[0].ready.is_set())
        first = service.workers[0].name
        recordings = sorted(VOICEMAILS.glob("*.wav")) + sorted(ASR_SET.glob("vm0[1-3].wav"))
        for path in recordings:
            take_file(db, config, path)
        _wait(lambda: len(stored_by) == len(recordings))
        _wait(lambda: not service.backlog_mode and not service.retired
              and service.workers and service.workers[0].ready.is_set())
        after = [w.name for w in service.workers]
    finally:
        service.stop_event.set()
        thread.join(timeout=60)
    workers = {name for name, _ in stored_by}
    assert len(workers - {first}) == 2  # the backlog pair (the first may finish one it had claimed)
    assert sorted(m for _, m in stored_by) == list(range(1, len(recordings) + 1))  # each once
    assert db.execute("select count(*) from messages").fetchone()[0] == len(recordings)
    assert len(after) == 1 and after[0] not in workers | {first}  # a fresh lone worker after


@pytest.mark.slow
def test_backlog_workers_share_one_model_and_transcribe_as_one_worker_does(config):
    """Four workers calling one tiny.en model at once: each job once, and the messages' text and
    words as the one-at-a-time worker gives them (a message that falls back to sampling at a higher
    temperature may differ from run to run, so one difference is allowed)."""
    from pipeline.process import Processor
    from pipeline.store import get_message

    config = replace(config, transcription=replace(config.transcription, model="tiny.en"),
                     ingest=replace(config.ingest, keep_originals=True, backlog_jobs=3, backlog_workers=4))
    recordings = sorted(VOICEMAILS.glob("*.wav")) + sorted(ASR_SET.glob("vm0[1-4].wav"))
    lone = Processor(config)
    expected = {p.name: lone.analyse(p, datetime.now(UTC)).transcript for p in recordings}
    db = open_db(config.paths.db)
    service = Service(config, lone)
    del lone
    stored: list[int] = []
    models: set[int] = set()

    def note(_db, message_id):
        worker = threading.current_thread()
        models.add(id(worker.processor.transcriber.model))
        stored.append(message_id)

    service.after_store.append(note)
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    try:
        _wait(lambda: service.workers and service.workers[0].ready.is_set())
        for path in recordings:
            take_file(db, config, path)
        _wait(lambda: service.backlog_mode and len(service.workers) == 4)
        backlog_workers = list(service.workers)
        _wait(lambda: all(w.processor for w in backlog_workers))
        shared = {id(w.processor.transcriber.model) for w in backlog_workers}
        _wait(lambda: len(stored) == len(recordings))
    finally:
        service.stop_event.set()
        thread.join(timeout=60)
    assert sorted(stored) == list(range(1, len(recordings) + 1))  # each job once
    assert len(models) <= 2  # the lone worker's model and the one the backlog workers share
    assert len(shared) == 1  # one model for the four
    differ = []
    for message_id in stored:
        message = get_message(db, message_id)
        want = expected[message["file_name"]]
        if message["transcript"] != want.text or [w["word"] for w in message["words"]] != [w.word for w in want.words]:
            differ.append(message["file_name"])
    assert len(differ) <= 1, differ
