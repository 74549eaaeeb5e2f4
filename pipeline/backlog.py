"""What a service's workers share: one triager for all, and backlog mode's one Whisper model.

Every worker used to load its own model and triager (about 2 s and 5 s on 2 cores), and the swap
into backlog mode waited for that. One model that CTranslate2 runs for several callers at once
(`num_workers`) costs the same CPU per message, loads once and holds one copy of the weights.
Stacking the workers' beam searches into batches was tried (session 5): results were identical but
batches of 2-4 saved at most about 5% CPU per message on 2 cores (the encoder got slower batched),
and waiting for a partner used that up, so it was not kept.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Generic, TypeVar

from .config import Config
from .transcribe import FasterWhisperTranscriber, load_whisper_model

T = TypeVar("T")


class LoadOnce(Generic[T]):
    """Built by the first worker thread that asks (not the service's thread, which keeps watching
    the inbox); later askers wait for it and get the same object."""

    def __init__(self, build: Callable[[], T]):
        self._build: Callable[[], T] | None = build
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        with self._lock:
            if self._build is not None:
                self._value, self._build = self._build(), None
            return self._value


def backlog_threads(config: Config, workers: int) -> tuple[int, int]:
    """(CPU threads per model call, model calls run in parallel) for `workers` backlog workers.

    One thread per call unless set: several one-thread calls keep the cores busier and spend less
    CPU per message than one call spread over every core (`make bench`, ratio 4).
    """
    cores = os.cpu_count() or 1
    threads = config.transcription.cpu_threads or max(1, cores // max(1, workers))
    return threads, max(1, min(workers, cores // threads))


class SharedWhisper:
    def __init__(self, config: Config, workers: int):
        threads, parallel = backlog_threads(config, workers)
        self.config = replace(config.transcription, cpu_threads=threads)
        self.rules_dir = config.paths.rules_dir
        self._model = LoadOnce(lambda: load_whisper_model(self.config, workers=parallel))

    @staticmethod
    def applies(config: Config) -> bool:
        return config.transcription.engine == "faster-whisper"

    def transcriber(self) -> FasterWhisperTranscriber:
        """A worker's own transcriber (its prompts, its encoder memory) around the shared model."""
        return FasterWhisperTranscriber(self.config, self.rules_dir, model=self._model.get())
