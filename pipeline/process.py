"""One recording through every stage: decode, transcribe, check quality, triage, schedule.

`Processor` holds what is expensive to load (Whisper model, triage pipeline, schedule) and is
created once per worker. `analyse()` is the pure-ish core: audio in, a `ProcessedMessage` out;
storing it is the caller's job.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from . import audio as audio_stage
from . import quality
from .config import Config
from .learning.follow import ActiveTriager
from .records import AudioInfo, CallMetadata, Reason, Transcript, TriageResult
from .schedule import due_at, load_schedule
from .transcribe import Transcriber, build_transcriber
from .triage import Triager


@dataclass
class ProcessedMessage:
    audio: AudioInfo
    transcript: Transcript
    triage: TriageResult
    due_at: datetime
    timings_ms: dict[str, float] = field(default_factory=dict)




def surface_unclear(triage: TriageResult, transcript: Transcript) -> TriageResult:
    """Unclear audio is never silently routine: it is flagged for review with its reasons."""
    if not transcript.needs_listen:
        return triage
    triage.needs_review = True
    for reason in transcript.listen_reasons:
        triage.reasons.append(Reason(kind="quality", label=reason))
    return triage


def threads_per_worker(config: Config) -> Config:
    """With several workers, each gets its share of the cores for CTranslate2 (unless set explicitly).

    Every worker loads its own model; left to decide, each would use all cores, and on a small
    machine the oversubscribed threads spend about 10% more CPU for the same work (`make bench`).
    """
    workers = max(1, config.ingest.workers)
    if workers == 1 or config.transcription.cpu_threads:
        return config
    threads = max(1, (os.cpu_count() or 1) // workers)
    return replace(config, transcription=replace(config.transcription, cpu_threads=threads))


class Processor:
    def __init__(self, config: Config, transcriber: Transcriber | None = None, triager: Triager | None = None,
                 active: ActiveTriager | None = None):
        """`active`: a triager shared with the service's other workers (else this one loads its own)."""
        config = threads_per_worker(config)
        self.config = config
        self.transcriber = transcriber or build_transcriber(config.transcription, config.paths.rules_dir)
        self.active = None if triager else active or ActiveTriager(config)  # follows promotions and rollbacks
        self.triager = triager or self.active.triager
        self.schedule = load_schedule(config.paths.rules_dir / "schedule.toml")

    def analyse(self, path: Path, received: datetime, metadata: CallMetadata | None = None,
                on_stage=None, mailbox: str = "") -> ProcessedMessage:
        """Run every stage on one file; `on_stage(name)` is called as each completes (job states)."""
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        decoded = audio_stage.decode(path, max_duration_s=self.config.audio.max_duration_s,
                                     max_size_mb=self.config.audio.max_size_mb)
        timings["decode"] = _ms(t0)
        on_stage and on_stage("decoded")
        t0 = time.perf_counter()
        transcript = self.transcriber.transcribe(decoded.samples)
        transcript = quality.apply(transcript, decoded.info, min_confidence=self.config.transcription.min_confidence)
        timings["transcribe"] = _ms(t0)
        on_stage and on_stage("transcribed")
        t0 = time.perf_counter()
        text = transcript.triage_text
        triage = surface_unclear(self.active.triage(text) if self.active else self.triager.triage(text), transcript)
        mailbox = mailbox or (metadata.mailbox if metadata else "") or ""
        due = due_at(self.schedule, received, triage.urgency, triage.concern, transcript.needs_listen, mailbox)
        timings["triage"] = _ms(t0)
        on_stage and on_stage("triaged")
        return ProcessedMessage(decoded.info, transcript, triage, due, timings)


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)
