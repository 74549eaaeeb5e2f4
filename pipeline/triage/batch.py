"""Triage a large batch on every core (`vmtriage eval triage`, `vmtriage triage --jsonl`).

Triage is pure Python and holds the GIL, so one process uses one core. Worker processes are forked
from the process that already loaded the rules, ConText and the classifier: they inherit them
without reloading (several seconds each) or pickling them. Only the commands call this: forking a
process that runs threads (the service: watcher, Whisper workers) is not safe, and the service
triages one message at a time anyway.
"""

from __future__ import annotations

import multiprocessing
import os

from ..records import TriageResult

# Below this a pool costs more than it saves (forking and collecting results take ~0.1 s).
MIN_PARALLEL = 200
_inherited = None  # the parent's Triager, seen by the forked children


def _triage_chunk(texts: list[str]) -> list[TriageResult]:
    return _inherited.triage_many(texts)


def triage_batch(triager, texts: list[str], processes: int | None = None) -> list[TriageResult]:
    """Results in the order of `texts`; the same as `triager.triage_many(texts)`, on `processes`
    cores (default: all)."""
    global _inherited
    processes = processes or os.cpu_count() or 1
    if processes <= 1 or len(texts) < MIN_PARALLEL or "fork" not in multiprocessing.get_all_start_methods():
        return triager.triage_many(texts)
    size = -(-len(texts) // (processes * 4))  # a few chunks per process evens out long messages
    chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
    _inherited = triager
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            parts = pool.map(_triage_chunk, chunks)
    finally:
        _inherited = None
    return [result for part in parts for result in part]
