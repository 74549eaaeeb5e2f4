"""The committed corpus, held-out set and classifier artifact: sizes, coverage, separation, metadata."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from pipeline.records import CONCERNS, URGENCIES
from pipeline.triage.classifier import DEFAULT_MODEL, load_model, model_info
from pipeline.triage.evaluate import DEFAULT_HELDOUT
from pipeline.triage.train import DEFAULT_CORPUS


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_training_corpus_is_large_and_covers_every_label():
    data = rows(DEFAULT_CORPUS)
    assert len(data) >= 1500
    assert {d["urgency"] for d in data} == set(URGENCIES)
    assert {d["concern"] for d in data} == set(CONCERNS)


def test_training_corpus_covers_the_traps():
    tags = {d["tag"] for d in rows(DEFAULT_CORPUS)}
    assert {"negation", "family", "hypothetical", "resolved", "minimising", "admin", "buried", "mixed", "asr",
            "spanish"} <= tags


def test_heldout_set_is_big_enough_and_hard_enough():
    data = rows(DEFAULT_HELDOUT)
    assert len(data) >= 300
    assert sum(d["hard"] for d in data) / len(data) >= 0.30


def test_heldout_messages_never_appear_in_training():
    train = {d["text"].lower() for d in rows(DEFAULT_CORPUS)}
    assert not [d["id"] for d in rows(DEFAULT_HELDOUT) if d["text"].lower() in train]


# Sets still used for measuring; spent ones join the corpus (models/make_corpus.py, RETIRED_SETS).
@pytest.mark.parametrize("name", ["triage_blind14.jsonl", "triage_blind15.jsonl", "triage_blind16.jsonl",
                                  "triage_blind17.jsonl"])
def test_blind_messages_never_appear_in_training(name):
    train = {d["text"].lower() for d in rows(DEFAULT_CORPUS)}
    blind = DEFAULT_HELDOUT.with_name(name)
    assert not [d["id"] for d in rows(blind) if d["text"].lower() in train]


def test_artifact_records_version_data_hash_and_metrics():
    info = model_info(DEFAULT_MODEL)
    assert info["version"].startswith("triage-clf-")
    assert info["data_sha256"] == hashlib.sha256(DEFAULT_CORPUS.read_bytes()).hexdigest()
    assert {"urgency_accuracy", "concern_accuracy", "urgent_plus_recall"} <= set(info["metrics"])


def test_artifact_predicts_probabilities_for_every_label():
    model = load_model(DEFAULT_MODEL)
    (opinion,) = model.opinions(["I need a refill of my metformin"])
    assert set(opinion.urgency) == set(URGENCIES)
    assert abs(sum(opinion.concern.values()) - 1) < 1e-6
