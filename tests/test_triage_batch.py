"""Batch triage on every core gives what one process gives, in the same order."""

from __future__ import annotations

import json

import pytest

from pipeline.paths import RULES_DIR
from pipeline.triage import Triager
from pipeline.triage.batch import MIN_PARALLEL, triage_batch
from pipeline.triage.evaluate import DEFAULT_HELDOUT


@pytest.fixture(scope="module")
def triager():
    return Triager(RULES_DIR)


def _label(result):
    return (result.urgency, result.concern, result.needs_review, [r.label for r in result.reasons])


def test_two_processes_give_the_same_results_in_order(triager):
    texts = [json.loads(line)["text"] for line in DEFAULT_HELDOUT.read_text(encoding="utf-8").splitlines()]
    texts = texts[:MIN_PARALLEL + 50]
    assert [_label(r) for r in triage_batch(triager, texts, processes=2)] == \
        [_label(r) for r in triager.triage_many(texts)]


def test_a_small_batch_stays_in_this_process(triager, monkeypatch):
    from pipeline.triage import batch

    class NoPool:
        @staticmethod
        def get_all_start_methods():
            return ["fork"]

        @staticmethod
        def get_context(*_a, **_k):
            raise AssertionError("a small batch must not start processes")

    monkeypatch.setattr(batch, "multiprocessing", NoPool)
    results = triage_batch(triager, ["I can't breathe and my lips are blue", "refill please"], processes=2)
    assert [r.urgency for r in results] == ["emergency", "routine"]
