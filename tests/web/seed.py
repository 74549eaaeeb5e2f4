"""Seed a database the way the worker would: real fixture recordings archived, real triage, stored
through store.insert_message. Used by the web tests and by make_screenshots.py.

Transcripts are the fixtures' spoken text (what Whisper hears in them, without running Whisper);
word times are spread over the measured speech so that clicking a word seeks close to it.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from pipeline import quality
from pipeline.accounts import add_user
from pipeline.audio import decode
from pipeline.config import Config
from pipeline.hashing import sha256_file
from pipeline.ingest import archive_path_for
from pipeline.records import CallMetadata, Transcript, Word
from pipeline.schedule import due_at, load_schedule
from pipeline.store import insert_message, iso, open_db, utcnow
from pipeline.triage import Triager
from tests.conftest import VOICEMAILS, voicemail_specs

PASSWORD = "correct horse battery"
# What a phone system's sidecar would say about each call (names and numbers are invented).
CALLERS = {
    "chest_pain.wav": ("Robert Smith", "+1 555 212 0144", "front-desk", 7),
    "post_op_bleeding.wav": ("Mary Jones", "+1 555 212 0199", "surgery", 25),
    "refill.wav": ("Linda Brown", "+1 555 212 0170", "front-desk", 50),
    "billing.wav": ("James Wilson", "+1 555 212 0123", "billing", 95),
}


def spread_words(text: str, start_s: float, end_s: float) -> list[Word]:
    """Word times proportional to word length across the speech (an approximation of Whisper's)."""
    tokens = text.split()
    total = sum(len(t) + 1 for t in tokens) or 1
    out, at = [], start_s
    for t in tokens:
        length = (end_s - start_s) * (len(t) + 1) / total
        out.append(Word(start=round(at, 2), end=round(at + length, 2), word=" " + t, probability=0.9))
        at += length
    return out


def store_recording(db, config: Config, triager: Triager, wav: Path, text: str, *, caller: tuple,
                    now: datetime, asr_confidence: float = 0.9) -> int:
    name, number, mailbox, minutes_ago = caller
    decoded = decode(wav)
    info = decoded.info
    sha = sha256_file(wav)
    archived = archive_path_for(config.paths.data_dir, sha, wav.suffix)
    archived.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(wav, archived)
    text = " ".join(text.split())
    words = spread_words(text, info.leading_silence_s, info.duration_s - info.trailing_silence_s)
    transcript = Transcript(text=text, language="en", language_probability=0.99, words=words,
                            confidence=asr_confidence, engine="fixture", model="spoken-text")
    transcript = quality.apply(transcript, info, min_confidence=config.transcription.min_confidence)
    triage = triager.triage(text)
    if transcript.needs_listen:
        triage.needs_review = True
    received = now - timedelta(minutes=minutes_ago)
    schedule = load_schedule(config.paths.rules_dir / "schedule.toml")
    due = due_at(schedule, received, triage.urgency, triage.concern, transcript.needs_listen)
    return insert_message(
        db, sha256=sha, file_name=wav.name, mailbox=mailbox, archive_path=str(archived), received_at=iso(received),
        audio=info, transcript=transcript, triage=triage, due_at=iso(due),
        metadata=CallMetadata(caller_number=number, caller_name=name, mailbox=mailbox, source="fixture"),
    )


def seed_messages(config: Config, triager: Triager, *, unclear: str = "billing.wav") -> dict[str, int]:
    """The four fixture voicemails as stored messages; `unclear` gets a low transcription confidence."""
    db = open_db(config.paths.db)
    now = utcnow()
    ids = {}
    for spec in voicemail_specs():
        wav = VOICEMAILS / spec["file"]
        conf = 0.3 if spec["file"] == unclear else 0.9
        ids[spec["file"]] = store_recording(db, config, triager, wav, spec["text"], caller=CALLERS[spec["file"]],
                                            now=now, asr_confidence=conf)
    return ids


def seed_users(config: Config) -> None:
    db = open_db(config.paths.db)
    for name, role in (("alice", "assistant"), ("rita", "reviewer"), ("adam", "admin")):
        add_user(db, name, role, PASSWORD, actor="test")


def with_free_port(config: Config, port: int) -> Config:
    return replace(config, web=replace(config.web, host="127.0.0.1", port=port, base_url=f"http://127.0.0.1:{port}"))
