"""The third blind triage set parses and uses the whole label vocabulary (no score thresholds here)."""

import json
from pathlib import Path

from pipeline.records import CONCERNS, URGENCIES

BLIND3 = Path(__file__).parent / "data" / "triage_blind3.jsonl"


def _rows():
    return [json.loads(line) for line in BLIND3.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_blind3_rows_have_valid_labels_and_unique_ids():
    rows = _rows()
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == {"id", "text", "urgency", "concern", "hard", "why"}
        assert r["urgency"] in URGENCIES and r["concern"] in CONCERNS
        assert r["text"].strip() and r["why"].strip() and isinstance(r["hard"], bool)


def test_blind3_covers_every_concern_and_urgency():
    rows = _rows()
    assert {r["concern"] for r in rows} == set(CONCERNS)
    assert {r["urgency"] for r in rows} == set(URGENCIES)


def test_blind3_texts_are_distinct():
    rows = _rows()
    assert len({r["text"] for r in rows}) == len(rows)
