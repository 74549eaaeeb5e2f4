"""The blind triage sets parse and use the whole label vocabulary (no score thresholds here:
they are for measuring, never for tuning)."""

import json
from pathlib import Path

import pytest

from pipeline.records import CONCERNS, URGENCIES

DATA = Path(__file__).parent / "data"
BLIND_SETS = ["triage_blind.jsonl", "triage_blind2.jsonl", "triage_blind3.jsonl", "triage_blind4.jsonl",
              "triage_blind5.jsonl", "triage_blind6.jsonl", "triage_blind7.jsonl", "triage_blind8.jsonl",
              "triage_blind9.jsonl", "triage_blind10.jsonl", "triage_blind11.jsonl",
              "triage_blind12.jsonl", "triage_blind13.jsonl", "triage_blind14.jsonl", "triage_blind15.jsonl",
              "triage_blind16.jsonl", "triage_blind17.jsonl"]


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("name", BLIND_SETS)
def test_blind_set_rows_have_valid_labels_and_unique_ids(name):
    rows = _rows(name)
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert {"id", "text", "urgency", "concern", "hard", "why"} <= set(r)
        assert r["urgency"] in URGENCIES and r["concern"] in CONCERNS
        assert r["text"].strip() and r["why"].strip() and isinstance(r["hard"], bool)


@pytest.mark.parametrize("name", BLIND_SETS)
def test_blind_set_covers_every_concern_and_urgency(name):
    rows = _rows(name)
    assert {r["concern"] for r in rows} == set(CONCERNS)
    assert {r["urgency"] for r in rows} == set(URGENCIES)


@pytest.mark.parametrize("name", BLIND_SETS)
def test_blind_set_texts_are_distinct(name):
    rows = _rows(name)
    assert len({r["text"] for r in rows}) == len(rows)
