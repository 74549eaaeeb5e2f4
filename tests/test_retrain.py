"""Retraining from reviewers, with the real training function on small corpora.

One story, run once for the module: a first model (A) is trained on a small base corpus; honest
reviewers then label many messages and the candidate (B) is promoted; then a reviewer labels
red-flag messages routine and that candidate is refused. Each test checks one consequence.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import Config, LearningConfig
from pipeline.hashing import sha256_file
from pipeline.learning.examples import Example, load_jsonl
from pipeline.learning.locations import model_in_use, models_dir
from pipeline.learning.triage_backend import labeller, run_retrain, triage_backend, write_jsonl
from pipeline.learning.versions import ModelVersions
from pipeline.paths import PROJECT_ROOT, RULES_DIR
from pipeline.retriage import retriage
from pipeline.schedule import load_schedule
from pipeline.store import open_db
from pipeline.triage import Triager

from .learning_helpers import review, store_message

CORPUS = PROJECT_ROOT / "models" / "triage_corpus.jsonl"
HELDOUT = PROJECT_ROOT / "tests" / "data" / "triage_heldout.jsonl"


def _small_base(corpus: list[Example], per_concern: int = 8) -> list[Example]:
    """A few of every concern, and of every urgency within symptoms, so every class can be learned."""
    picked, seen = [], defaultdict(int)
    for e in corpus:
        key = (e.concern, e.urgency if e.concern in ("symptoms", "post_op", "medication") else "")
        if seen[key] < per_concern:
            seen[key] += 1
            picked.append(e)
    return picked


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("retrain")
    corpus = load_jsonl(CORPUS)
    base = _small_base(corpus)
    write_jsonl(base, tmp / "base.jsonl")
    write_jsonl(load_jsonl(HELDOUT)[::5], tmp / "heldout.jsonl")
    config = Config(learning=LearningConfig(base_corpus=str(tmp / "base.jsonl"), heldout=str(tmp / "heldout.jsonl"),
                                            tolerance=0.05)).with_paths(data_dir=tmp / "data")
    backend = triage_backend(config)
    backend = dataclasses.replace(backend, bundled=None)  # start from rules alone
    db = open_db(config.paths.db)
    out = {"config": config, "db": db, "backend": backend}

    # A: the first model, against rules alone (nothing to lose: the classifier only raises).
    out["a"] = run_retrain(config, db, tolerance=1.0, backend=backend, actor="user:lead")
    texts = [e.text for e in load_jsonl(tmp / "heldout.jsonl")]
    out["a_labels"] = labeller(RULES_DIR)(model_in_use(config))(texts)
    out["texts"] = texts

    # B: honest reviewers label messages the base corpus did not have.
    used = {e.id for e in base}
    rest = [e for e in corpus if e.id not in used]
    for n, e in enumerate(rest[:260]):
        mid = store_message(db, e.text, "routine", "other", key=f"honest-{n}", model_version=out["a"].version)
        review(db, mid, e.urgency, e.concern, user="qa1")
    out["unreviewed"] = store_message(db, "My chest feels tight and I can't catch my breath", "routine", "other",
                                      key="unreviewed", model_version=out["a"].version)
    out["b"] = run_retrain(config, db, backend=backend, actor="user:lead")
    out["active_after_b"] = (models_dir(config) / "ACTIVE").read_bytes()

    # C: a reviewer labels red-flag messages routine.
    red = [e for e in rest[260:] if e.urgency != "routine"][:240]
    for n, e in enumerate(red):
        mid = store_message(db, e.text, e.urgency, e.concern, key=f"poison-{n}", model_version=out["b"].version)
        review(db, mid, "routine", "other", user="mallory")
    out["c"] = run_retrain(config, db, backend=backend, actor="user:lead")
    out["d"] = run_retrain(config, db, backend=backend, actor="user:lead", exclude_reviewers=("mallory",))
    return out


def test_first_model_is_promoted_over_rules_alone(story):
    assert story["a"].promoted and story["a"].current == "rules-only"


def test_candidate_that_improves_is_promoted(story):
    b = story["b"]
    assert b.promoted, b.reasons
    assert b.current == story["a"].version and b.active == b.version
    assert b.after["reviewed"]["concern_accuracy"] > b.before["reviewed"]["concern_accuracy"]
    card = ModelVersions(models_dir(story["config"])).get(b.version).card
    assert card["parent"] == story["a"].version and card["data"]["reviewed_train"] == b.data["reviewed_train"]
    assert card["data"]["reviewed_eval"] > 0 and card["metrics"]["heldout"]["n"] == len(story["texts"])
    assert card["judged_with_rules"] == Triager(RULES_DIR, model_path=None).ruleset.version


def test_poisoned_corrections_that_lower_urgent_recall_are_refused(story):
    c = story["c"]
    assert not c.promoted
    assert any("urgent_recall" in reason for reason in c.reasons), c.reasons
    assert c.active == story["b"].version
    assert (models_dir(story["config"]) / "ACTIVE").read_bytes() == story["active_after_b"]
    assert c.version not in {v.version for v in ModelVersions(models_dir(story["config"])).list()}
    assert ModelVersions(models_dir(story["config"])).history()[-1]["event"] == "refused"


def test_excluding_a_reviewer_leaves_their_labels_out(story):
    d = story["d"]
    assert not d.promoted and d.reasons[0].startswith("nothing new to learn")
    assert d.data["excluded_reviewers"] == ["user:mallory"] and "user:mallory" not in d.data["reviewers"]


def test_retrain_command_says_why_nothing_changed(story, tmp_path):
    config = story["config"]
    toml = tmp_path / "vmtriage.toml"
    toml.write_text(f'[paths]\ndata_dir = "{config.paths.data_dir}"\n[learning]\n'
                    f'base_corpus = "{config.learning.base_corpus}"\nheldout = "{config.learning.heldout}"\n')
    result = CliRunner().invoke(main, ["--config", str(toml), "retrain", "--exclude-reviewer", "mallory", "--json"])
    assert result.exit_code == 0, result.output
    outcome = json.loads(result.output)
    assert outcome["active"] == story["b"].version and outcome["reasons"][0].startswith("nothing new to learn")


def test_retrain_command_names_a_missing_corpus(tmp_path):
    toml = tmp_path / "vmtriage.toml"
    toml.write_text(f'[paths]\ndata_dir = "{tmp_path}"\n[learning]\nbase_corpus = "{tmp_path / "none.jsonl"}"\n')
    result = CliRunner().invoke(main, ["--config", str(toml), "retrain"])
    assert result.exit_code != 0 and "none.jsonl" in result.output


def test_rollback_restores_the_earlier_version_exactly(story, tmp_path):
    config = story["config"]
    copy = tmp_path / "models"
    shutil.copytree(models_dir(config), copy)
    toml = tmp_path / "vmtriage.toml"
    toml.write_text(f'[learning]\nmodels_dir = "{copy}"\n')
    result = CliRunner().invoke(main, ["--config", str(toml), "model", "use", story["a"].version, "--user", "lead"])
    assert result.exit_code == 0, result.output
    versions = ModelVersions(copy)
    a = versions.get(story["a"].version)
    assert versions.active_version() == story["a"].version
    assert sha256_file(a.path) == a.card["artifact_sha256"]
    rolled_back = Config(learning=LearningConfig(models_dir=str(copy)))
    assert labeller(RULES_DIR)(model_in_use(rolled_back))(story["texts"]) == story["a_labels"]
    listed = json.loads(CliRunner().invoke(main, ["--config", str(toml), "model", "list", "--json"]).output)
    assert [(v["version"], v["active"]) for v in listed] == [(story["a"].version, True),
                                                            (story["b"].version, False)]


def test_label_history_keeps_every_version_and_who_produced_it(story):
    db, config = story["db"], story["config"]
    retriage(db, Triager(RULES_DIR, model_path=model_in_use(config)), load_schedule(RULES_DIR / "schedule.toml"))
    history = [(h["produced_by"], h["model_version"]) for h in
               db["triage_history"].rows_where("message_id = ?", [story["unreviewed"]], order_by="id")]
    assert history == [("system:triage", story["a"].version), ("system:retriage", story["b"].version)]
    reviewed = [h["produced_by"] for h in db["triage_history"].rows_where("message_id = 1", order_by="id")]
    assert reviewed == ["system:triage", "user:qa1"], "a reviewer's label is kept, not re-labelled"


def test_models_trained_on_patient_messages_live_with_the_data_not_in_git(story):
    assert Path(models_dir(story["config"])).is_relative_to(story["config"].paths.data_dir)
