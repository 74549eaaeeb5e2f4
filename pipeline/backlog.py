"""Backlog mode's one Whisper model, shared by all its workers.

Every worker used to load its own model. One model that CTranslate2 runs for several callers at once
(`num_workers`) costs the same CPU per message, loads once (the swap into backlog mode is shorter)
and holds one copy of the weights. With `ingest.backlog_batch` > 1 the workers' beam searches are
also stacked into batches (batching.py).
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace

from .config import Config
from .transcribe import FasterWhisperTranscriber, load_whisper_model


def backlog_threads(config: Config, workers: int) -> tuple[int, int]:
    """(CPU threads per model call, model calls run in parallel) for `workers` backlog workers.

    One thread per call unless set: several one-thread calls keep the cores busier and spend less
    CPU per message than one call spread over every core (`make bench`, ratio 4).
    """
    cores = os.cpu_count() or 1
    threads = config.transcription.cpu_threads or max(1, cores // max(1, workers))
    return threads, max(1, min(workers, cores // threads))


class SharedWhisper:
    """Loaded by the first worker that asks (not the service's thread, which keeps watching the inbox)."""

    def __init__(self, config: Config, workers: int):
        threads, self.parallel = backlog_threads(config, workers)
        self.config = replace(config.transcription, cpu_threads=threads)
        self.batch_size = max(1, config.ingest.backlog_batch)
        self.rules_dir = config.paths.rules_dir
        self._model = None
        self._lock = threading.Lock()

    @staticmethod
    def applies(config: Config) -> bool:
        return config.transcription.engine == "faster-whisper"

    def model(self):
        with self._lock:
            if self._model is None:
                self._model = load_whisper_model(self.config, workers=self.parallel, batch_size=self.batch_size)
            return self._model

    def transcriber(self) -> FasterWhisperTranscriber:
        """A worker's own transcriber (its prompts, its encoder memory) around the shared model."""
        return FasterWhisperTranscriber(self.config, self.rules_dir, model=self.model())
