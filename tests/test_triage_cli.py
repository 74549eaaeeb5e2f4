"""`vmtriage eval triage` and `vmtriage triage` output shapes (the CLI contract)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pipeline.cli import main

ITEMS = [
    {"id": "a", "text": "I can't breathe and my lips are blue", "urgency": "emergency", "concern": "symptoms",
     "hard": False},
    {"id": "b", "text": "I need a refill of my metformin", "urgency": "routine", "concern": "refill", "hard": False},
    {"id": "c", "text": "no chest pain, just need my forms", "urgency": "routine", "concern": "records", "hard": True},
]


def test_eval_triage_reports_the_agreed_figures(tmp_path):
    data = tmp_path / "set.jsonl"
    data.write_text("\n".join(json.dumps(i) for i in ITEMS))
    out = CliRunner().invoke(main, ["eval", "triage", "--data", str(data), "--json", "--no-real"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert {"urgent_plus_recall", "emergency_recall", "urgent_plus_precision", "concern_accuracy",
            "concern_macro_f1", "urgency_confusion", "concern_confusion", "misses", "throughput_msgs_per_s",
            "rules_version", "model_version"} <= set(report)
    assert report["messages"] == 3


def test_triage_json_names_rules_and_model_versions():
    out = CliRunner().invoke(main, ["triage", "--json", "my incision is draining pus"])
    result = json.loads(out.output)
    assert result["rules_version"].startswith("rules-") and result["model_version"].startswith("triage-clf-")
    assert (result["urgency"], result["concern"]) == ("urgent", "post_op")


def test_triage_jsonl_answers_every_line_in_order(tmp_path):
    lines = "\n".join(json.dumps({"id": i["id"], "text": i["text"]}) for i in ITEMS)
    out = CliRunner().invoke(main, ["triage", "--jsonl", "-"], input=lines)
    results = [json.loads(line) for line in out.output.splitlines()]
    assert [(r["id"], r["urgency"]) for r in results] == [("a", "emergency"), ("b", "routine"), ("c", "routine")]


def test_eval_triage_counts_over_triage_and_unreviewed_misses(tmp_path):
    items = [
        {"id": "e", "text": "I have crushing chest pain right now and I'm sweating", "urgency": "emergency",
         "concern": "symptoms", "hard": False},
        # Labelled emergency on purpose (a wrong label): the engine's routine answer is an unreviewed miss.
        {"id": "r", "text": "Hi, I'd like to reschedule my appointment on Thursday, thanks.", "urgency": "emergency",
         "concern": "scheduling", "hard": False},
        # Labelled routine on purpose: the engine's emergency is over-triage at the top.
        {"id": "o", "text": "my husband's face is drooping and he can't lift his arm", "urgency": "routine",
         "concern": "symptoms", "hard": False},
    ]
    data = tmp_path / "set.jsonl"
    data.write_text("\n".join(json.dumps(i) for i in items))
    report = json.loads(CliRunner().invoke(main, ["eval", "triage", "--data", str(data), "--json", "--no-real"]).output)
    assert report["emergency_precision"] == 0.5
    assert report["under_triaged_unreviewed"] == 1
