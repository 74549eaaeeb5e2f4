"""One Whisper model shared by several transcribing threads, their decoding calls stacked into batches.

Backlog mode runs several messages at once. Each thread keeps faster-whisper's own sequential logic
(seeking, prompts, temperature fallback, word timestamps); only `generate` calls (beam search, half
of the CPU time) that arrive together with the same options are decoded as one CTranslate2 batch,
and each caller gets its own result back. Beam search at batch 1 waits on memory more than it
computes: with `base`, int8, one thread and the 87-token domain prompt, a batch of 2 costs 10% and
a batch of 4 15% less CPU per search. On 2 cores that is ~5% of a message's CPU at best, and the
waiting for partners ate it (backlog arms measured equal), so `ingest.backlog_batch` is 1 by default.
The encoder is compute-bound (a batch costs more CPU per window, not less), so `encode`, `align`
and `detect_language` go straight through, as does every call with options of its own (a fallback at
another temperature) or a prompt whose start-of-transcript token sits elsewhere (CTranslate2 refuses
to batch those). Batched results are identical to the lone ones (tests/test_batching.py).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np


@dataclass
class _Request:
    features: np.ndarray  # the encoder output, batch 1
    prompt: list[int]
    result: object = None
    error: BaseException | None = None
    done: bool = False


@dataclass
class _Group:
    """Calls with one key waiting to be decoded together."""

    since: float
    requests: list[_Request] = field(default_factory=list)


def _frozen(value):
    return tuple(_frozen(v) for v in value) if isinstance(value, list | tuple) else value


class BatchingWhisper:
    """Stands in for a `ctranslate2.models.Whisper`; thread-safe.

    A group of `generate` calls is decoded once it holds `batch_size` calls, once every thread
    inside a `session()` is waiting (nobody else can join), or once its first call has waited
    `wait_s`. Threads mark their transcriptions with `session()`, so an idle worker is never
    waited for.
    """

    def __init__(self, model, sot_token: int, batch_size: int, wait_s: float = 0.5):
        self._model = model
        self._sot = sot_token
        self.batch_size = max(1, batch_size)
        self.wait_s = wait_s
        self._cond = threading.Condition()
        self._groups: dict[tuple, _Group] = {}
        self._active = 0
        self._waiting = 0
        self.batches: Counter[int] = Counter()  # generate calls made, by batch size (tests, measuring)

    def __getattr__(self, name):  # encode, align, detect_language, is_multilingual, n_mels, ...
        return getattr(self._model, name)

    @contextmanager
    def session(self) -> Iterator[None]:
        with self._cond:
            self._active += 1
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()  # those waiting for this thread wait no longer

    def generate(self, features, prompts, **options):
        if self.batch_size == 1 or len(prompts) != 1 or self._sot not in prompts[0]:
            return self._alone(features, prompts, options)
        prompt = list(prompts[0])
        key = (prompt.index(self._sot), len(prompt), _frozen(sorted(options.items())))
        request = _Request(np.asarray(features), prompt)
        with self._cond:
            group = self._groups.setdefault(key, _Group(time.monotonic()))
            group.requests.append(request)
            self._waiting += 1
            self._cond.notify_all()
            while not request.done:
                if self._groups.get(key) is group and self._ready(group):
                    del self._groups[key]
                    self._waiting -= len(group.requests)
                    self._cond.release()
                    try:
                        self._decode(group.requests, options)
                    finally:
                        self._cond.acquire()
                        self._cond.notify_all()
                    break
                pending = self._groups.get(key) is group  # else another caller is decoding it
                self._cond.wait(max(0.001, group.since + self.wait_s - time.monotonic()) if pending else None)
        if request.error is not None:
            raise request.error
        return [request.result]

    def _ready(self, group: _Group) -> bool:
        return (len(group.requests) >= self.batch_size or self._waiting >= self._active
                or time.monotonic() - group.since >= self.wait_s)

    def _alone(self, features, prompts, options):
        self.batches[len(prompts)] += 1
        return self._model.generate(features, prompts, **options)

    def _decode(self, requests: list[_Request], options: dict) -> None:
        """One CTranslate2 call for the group; each request gets its own slice of the results."""
        import ctranslate2

        try:
            if len(requests) == 1:
                stacked = ctranslate2.StorageView.from_array(np.ascontiguousarray(requests[0].features))
            else:
                stacked = ctranslate2.StorageView.from_array(
                    np.ascontiguousarray(np.concatenate([r.features for r in requests])))
            results = self._alone(stacked, [r.prompt for r in requests], options)
            for request, result in zip(requests, results, strict=True):
                request.result = result
        except BaseException as exc:  # noqa: BLE001 - every caller of the batch sees the failure
            for request in requests:
                request.error = exc
        finally:
            for request in requests:
                request.done = True
