"""Measure triage on a labelled JSONL set (`vmtriage eval triage`).

Reports urgent-or-higher recall and precision, emergency recall, urgency and concern confusion
matrices, concern accuracy and macro-F1, the misses, and batch throughput. When the real patient
phrases of the Figure Eight "Medical Speech, Transcription, and Intent" set are present
(../shared/data/real/medical_speech/overview-of-recordings.csv) it also reports how many "Heart
hurts" / "Hard to breath" phrases are flagged urgent or higher and the false-alarm share on benign
prompts. That file is optional and never copied into the repository.
"""

from __future__ import annotations

import csv
import resource
import time
from collections import Counter
from pathlib import Path

from sklearn.metrics import f1_score

from ..records import CONCERNS, URGENCIES
from . import Triager
from .batch import triage_batch
from .train import read_jsonl

DEFAULT_HELDOUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "triage_heldout.jsonl"
_REPO = Path(__file__).resolve().parents[2]
# ../shared next to the main checkout (/work/main) or next to the worktrees folder (/work/wt/<name>).
REAL_PHRASE_CANDIDATES = tuple(base / "shared" / "data" / "real" / "medical_speech" / "overview-of-recordings.csv"
                               for base in (_REPO.parent, _REPO.parent.parent))
ALARMING_PROMPTS = ("Heart hurts", "Hard to breath")
BENIGN_PROMPTS = ("Acne", "Hair falling out", "Skin issue", "Foot ache", "Knee pain", "Joint pain", "Shoulder pain",
                  "Neck pain", "Back pain", "Ear ache", "Feeling cold", "Muscle pain", "Cough")


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def confusion(truth: list[str], pred: list[str], labels: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """rows: true label, columns: predicted label (only labels that occur)."""
    used = [lab for lab in labels if lab in truth or lab in pred]
    counts = Counter(zip(truth, pred, strict=True))
    return {t: {p: counts[(t, p)] for p in used} for t in used}


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the batch's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def evaluate(triager: Triager, items: list[dict], processes: int = 1) -> dict:
    """`processes` > 1 triages the set on that many cores (batch.py); 1 in a running service."""
    texts = [i["text"] for i in items]
    triager.triage_many(texts[:5])  # warm up (lazy spaCy and regex set-up) as a running worker already is
    t0, c0 = time.perf_counter(), _cpu_seconds()
    results = triage_batch(triager, texts, processes)
    seconds, cpu_seconds = time.perf_counter() - t0, _cpu_seconds() - c0
    tu = [i["urgency"] for i in items]
    pu = [r.urgency for r in results]
    tc = [i["concern"] for i in items]
    pc = [r.concern for r in results]
    up_true = [u != "routine" for u in tu]
    up_pred = [u != "routine" for u in pu]
    tp = sum(a and b for a, b in zip(up_true, up_pred, strict=True))
    misses = []
    for item, res in zip(items, results, strict=True):
        if item["urgency"] != res.urgency or item["concern"] != res.concern:
            misses.append({
                "id": item.get("id"), "tag": item.get("tag", ""), "text": item["text"],
                "expected": f"{item['urgency']}/{item['concern']}", "got": f"{res.urgency}/{res.concern}",
                "under_triaged": URGENCIES.index(res.urgency) > URGENCIES.index(item["urgency"]),
                "needs_review": res.needs_review,
                "reasons": [r.label for r in res.reasons if r.kind in ("rule", "context", "classifier")][:4],
            })
    misses.sort(key=lambda m: (not m["under_triaged"], m["expected"]))
    hard = [n for n, i in enumerate(items) if i.get("hard")]
    return {
        "messages": len(items),
        "hard_share": _ratio(len(hard), len(items)),
        "urgent_plus_recall": _ratio(tp, sum(up_true)),
        "urgent_plus_precision": _ratio(tp, sum(up_pred)),
        "emergency_recall": _ratio(sum(t == p == "emergency" for t, p in zip(tu, pu, strict=True)),
                                   tu.count("emergency")),
        # Over-triage at the top: of the messages called emergency, how many were.
        "emergency_precision": _ratio(sum(t == p == "emergency" for t, p in zip(tu, pu, strict=True)),
                                      pu.count("emergency")),
        # The misses that matter most: labelled below the truth and not sent to a person either.
        "under_triaged_unreviewed": sum(m["under_triaged"] and not m["needs_review"] for m in misses),
        "urgency_accuracy": _ratio(sum(t == p for t, p in zip(tu, pu, strict=True)), len(items)),
        "concern_accuracy": _ratio(sum(t == p for t, p in zip(tc, pc, strict=True)), len(items)),
        "concern_macro_f1": round(float(f1_score(tc, pc, average="macro", zero_division=0)), 4),
        "hard_urgent_plus_recall": _ratio(sum(up_true[n] and up_pred[n] for n in hard), sum(up_true[n] for n in hard)),
        "needs_review_share": _ratio(sum(r.needs_review for r in results), len(items)),
        "urgency_confusion": confusion(tu, pu, URGENCIES),
        "concern_confusion": confusion(tc, pc, CONCERNS),
        "throughput_msgs_per_s": round(len(items) / seconds, 1) if seconds else None,
        "processes": processes,
        # Wall-clock speed depends on what else the machine runs; per CPU-second it does not.
        "throughput_msgs_per_cpu_s": round(len(items) / cpu_seconds, 1) if cpu_seconds else None,
        "rules_version": triager.ruleset.version,
        "model_version": triager.model_version,
        "misses": misses,
    }


def evaluate_real_phrases(triager: Triager, path: Path | None = None) -> dict | None:
    """Share of alarming real phrases flagged urgent+, and false alarms on benign ones (None when absent)."""
    path = path or next((p for p in REAL_PHRASE_CANDIDATES if p.is_file()), None)
    if path is None or not path.is_file():
        return None
    with path.open(newline="", encoding="utf-8") as fh:
        rows = [(r["phrase"], r["prompt"]) for r in csv.DictReader(fh)]
    unique = sorted(set(rows))
    phrases = [p for p, _ in unique]
    results = triager.triage_many(phrases)
    out: dict = {"unique_phrases": len(unique)}
    for group, prompts in (("alarming", ALARMING_PROMPTS), ("benign", BENIGN_PROMPTS)):
        flagged = [r.urgency != "routine" for (_, prompt), r in zip(unique, results, strict=True) if prompt in prompts]
        out[f"{group}_phrases"] = len(flagged)
        out[f"{group}_flagged_urgent_plus"] = _ratio(sum(flagged), len(flagged))
    # Which benign prompts raise false alarms: phrase text stays out of the report (counts only).
    out["benign_false_alarms_by_prompt"] = dict(Counter(
        prompt for (_, prompt), r in zip(unique, results, strict=True)
        if prompt in BENIGN_PROMPTS and r.urgency != "routine"))
    return out


def load_items(path: Path | None) -> list[dict]:
    return read_jsonl(Path(path or DEFAULT_HELDOUT))
