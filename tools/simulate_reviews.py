"""One retraining run on simulated reviewer corrections, with before and after figures.

A practice whose patients have their own way of talking (tools/practice_messages.py) leaves
voicemails; the system labels them with the model in use; QA reviewers label a share of them
(honestly, with a little noise, or, with --poison, one reviewer marks every urgent message
routine); `retrain` then trains a candidate and the safety gate decides. Figures: the gate's sets
(held-out, reviewed messages kept out of training) and next week's traffic from the same practice,
which neither model has seen, before and after.

    PYTHONPATH=. .venv/bin/python tools/simulate_reviews.py [--messages 400] [--poison] [--json]

Everything is written under a temporary folder (or --workdir): never into data/ or models/.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from practice_messages import practice_messages  # noqa: E402

from pipeline.config import Config, LearningConfig  # noqa: E402
from pipeline.learning.corrections import reviews  # noqa: E402
from pipeline.learning.examples import Example  # noqa: E402
from pipeline.learning.hard_cases import hard_cases  # noqa: E402
from pipeline.learning.locations import model_in_use  # noqa: E402
from pipeline.learning.metrics import FIGURES  # noqa: E402
from pipeline.learning.retrain import evaluate  # noqa: E402
from pipeline.learning.triage_backend import labeller, run_retrain  # noqa: E402
from pipeline.paths import RULES_DIR  # noqa: E402
from pipeline.records import CONCERNS, AudioInfo, Transcript, TriageResult  # noqa: E402
from pipeline.retriage import retriage  # noqa: E402
from pipeline.schedule import load_schedule  # noqa: E402
from pipeline.store import insert_message, open_db, record_label  # noqa: E402
from pipeline.triage import Triager  # noqa: E402

AUDIO = AudioInfo(20.0, 8000, 1, "pcm_mulaw", "wav", -20.0, -3.0, 0.0, 0.3, 0.4, 0.85)


def store_traffic(db, triager: Triager, messages) -> list[int]:
    results = triager.triage_many([m.text for m in messages])
    ids = []
    for m, result in zip(messages, results, strict=True):
        ids.append(insert_message(
            db, sha256=hashlib.sha256(m.key.encode()).hexdigest(), file_name=f"{m.key}.wav",
            mailbox="", archive_path="/simulated", received_at="2026-11-20T15:00:00+00:00", audio=AUDIO,
            transcript=Transcript(text=m.text, language="en", language_probability=1.0), triage=result,
            due_at="2026-11-21T15:00:00+00:00"))
    return ids


def simulate_reviewers(db, ids, messages, *, share: float, noise: float, poison: bool, confirmations: bool,
                       seed: int) -> dict:
    """Reviewers audit a share of messages. Like the web app, only a correction is written to the label
    history unless `confirmations` is set (then an agreeing review is recorded as a label too)."""
    rng = random.Random(seed)
    counts = {"reviewed": 0, "corrected": 0, "noisy": 0, "poisoned": 0}
    for mid, m in zip(ids, messages, strict=True):
        if rng.random() >= share:
            continue
        counts["reviewed"] += 1
        urgency, concern, who = m.urgency, m.concern, "user:qa1"
        if poison and urgency != "routine" and rng.random() < 0.8:
            urgency, concern, who = "routine", "other", "user:careless"
            counts["poisoned"] += 1
        elif rng.random() < noise:
            concern = rng.choice(CONCERNS)
            counts["noisy"] += 1
        stored = db.execute("select urgency, concern from messages where id = ?", [mid]).fetchone()
        if tuple(stored) == (urgency, concern) and not confirmations:
            continue
        counts["corrected"] += tuple(stored) != (urgency, concern)
        record_label(db, mid, TriageResult(urgency=urgency, concern=concern, reasons=[], confidence=1.0),
                     produced_by=who)
    return counts


def run(args) -> dict:
    work = Path(args.workdir or tempfile.mkdtemp(prefix="vmtriage-sim-"))
    config = Config(learning=LearningConfig(tolerance=args.tolerance)).with_paths(data_dir=work / "data")
    db = open_db(config.paths.db)
    current = model_in_use(config)
    traffic = practice_messages(args.messages, seed=args.seed)
    next_week = [Example(m.key, m.text, m.urgency, m.concern) for m in practice_messages(300, seed=args.seed + 1000)]
    ids = store_traffic(db, Triager(RULES_DIR, model_path=current), traffic)
    counts = simulate_reviewers(db, ids, traffic, share=args.review_share, noise=args.noise, poison=args.poison,
                                confirmations=args.confirmations, seed=args.seed)
    report = hard_cases(reviews(db))
    label = labeller(RULES_DIR)
    next_before = evaluate(label(current), next_week)
    outcome = run_retrain(config, db, actor="system:simulation")
    next_after = evaluate(label(model_in_use(config)), next_week)
    relabel = retriage(db, Triager(RULES_DIR, model_path=model_in_use(config)),
                       load_schedule(RULES_DIR / "schedule.toml"))
    return {
        "workdir": str(work), "messages": len(traffic), "reviewers": counts,
        "hard_cases_before": report.counts, "missed_without_rule": len(report.missed_without_rule),
        "retrain": outcome.as_dict(),
        "retriage": {"examined": relabel.examined, "changed": relabel.changed,
                     "kept_reviewer_label": relabel.kept_human_label, "raised_to_urgent_plus": len(relabel.raised)},
        "next_week": {"before": next_before.as_dict(), "after": next_after.as_dict(),
                      "model_before": str(current.name if current else "rules-only"),
                      "model_after": outcome.active},
    }


def _fmt(v) -> str:
    return "  n/a " if v is None else f"{v:6.3f}"


def print_table(result: dict) -> None:
    r = result["retrain"]
    print(f"practice messages {result['messages']}, reviewers {result['reviewers']}")
    print(f"hard cases before retraining: {result['hard_cases_before']} "
          f"(missed with no rule firing: {result['missed_without_rule']})")
    print(f"training examples {r['data']['train_examples']} = {r['data']['base_examples']} base + "
          f"{r['data']['reviewed_train']} reviewed; reviewed kept out for judging: {r['data']['reviewed_eval']}")
    sets = {"held-out (tests/data)": (r["before"]["heldout"], r["after"]["heldout"]),
            "reviewed, kept out": (r["before"]["reviewed"], r["after"]["reviewed"]),
            "next week's traffic": (result["next_week"]["before"], result["next_week"]["after"])}
    print(f"{'set':<24}{'figure':<22}{'before':>8}{'after':>8}")
    for name, (before, after) in sets.items():
        for fig in FIGURES:
            print(f"{name:<24}{fig:<22}{_fmt(before[fig]):>8}{_fmt(after[fig]):>8}")
        print(f"{'':<24}{'n (urgent+)':<22}{before['n']:>4} ({before['n_urgent_plus']})")
    verdict = "PROMOTED" if r["promoted"] else "REFUSED"
    print(f"{verdict} {r['version']} (was {r['current']}); in use: {r['active']}")
    for reason in r["reasons"]:
        print(f"  - {reason}")
    print(f"retriage with the model in use: {result['retriage']}")
    if result["next_week"]["model_after"] != r["active"]:
        print("note: next week's 'after' used", result["next_week"]["model_after"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--review-share", type=float, default=0.6, help="share of messages a reviewer labels")
    parser.add_argument("--noise", type=float, default=0.03, help="share of honest reviews with a wrong concern")
    parser.add_argument("--poison", action="store_true", help="one reviewer labels most urgent messages routine")
    parser.add_argument("--confirmations", action="store_true",
                        help="also record agreeing reviews as labels (the web app records corrections only)")
    parser.add_argument("--tolerance", type=float, default=LearningConfig().tolerance)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", help="keep the simulated database and models here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)


if __name__ == "__main__":
    main()
