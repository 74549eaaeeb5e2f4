"""The triage classifier as retraining sees it (the `Backend` of retrain.py), and the model in use.

Training is pipeline/triage/train.py's `train` on a JSONL file of the examples; the candidate's
version is then written into the artifact, so every label it produces names the registry version.
Labels come from the whole triage (rules floor + classifier), as patients would get them, plus the
classifier's own urgency for the gate.
"""

from __future__ import annotations

import json
import tempfile
from functools import cache
from pathlib import Path

import sqlite_utils

from ..config import Config
from ..triage import Triager
from ..triage.classifier import DEFAULT_MODEL, load_model, save_model
from ..triage.policy import classifier_urgency
from .examples import Example, load_jsonl
from .locations import base_corpus, heldout, models_dir
from .metrics import Label
from .retrain import Backend, RetrainOutcome, retrain
from .versions import ModelVersions


def write_jsonl(examples: list[Example], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for e in examples:
            fh.write(json.dumps({"id": e.id, "text": e.text, "urgency": e.urgency, "concern": e.concern},
                                ensure_ascii=False) + "\n")


def train_artifact(examples: list[Example], version: str, out: Path) -> None:
    from ..triage.train import train

    with tempfile.TemporaryDirectory(prefix="vmtriage-train-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_jsonl(examples, corpus)
        model = train(corpus=corpus, out=Path(tmp) / "model.joblib")
    model.version = version
    save_model(model, out)


@cache
def _rules_triager(rules_dir: Path) -> Triager:
    """Rules and matchers load once; only the classifier changes between models being compared."""
    return Triager(rules_dir, model_path=None)


def labeller(rules_dir: Path):
    def labels_with(artifact: Path | None):
        model = load_model(artifact) if artifact else None

        def label(texts: list[str]) -> list[Label]:
            triager = _rules_triager(rules_dir)
            triager.model = model
            results = triager.triage_many(texts)
            if model is None:
                return [Label(r.urgency, r.concern) for r in results]
            opinions = model.opinions(texts)
            alone = [classifier_urgency(o, model.thresholds, t) for o, t in zip(opinions, texts, strict=True)]
            return [Label(r.urgency, r.concern, a) for r, a in zip(results, alone, strict=True)]

        return label

    return labels_with


def describe(artifact: Path) -> dict:
    model = load_model(artifact)
    return {"version": model.version, "data_sha256": model.data_sha256, "metrics": model.metrics}


def triage_backend(config: Config) -> Backend:
    return Backend(train=train_artifact, labeller=labeller(config.paths.rules_dir), describe=describe,
                   bundled=DEFAULT_MODEL if DEFAULT_MODEL.is_file() else None,
                   rules_version=_rules_triager(config.paths.rules_dir).ruleset.version)


def run_retrain(config: Config, db: sqlite_utils.Database, *, tolerance: float | None = None,
                actor: str = "system:retrain", backend: Backend | None = None,
                exclude_reviewers: tuple[str, ...] = ()) -> RetrainOutcome:
    return retrain(db, ModelVersions(models_dir(config)), backend or triage_backend(config),
                   base=load_jsonl(base_corpus(config)), heldout=load_jsonl(heldout(config)),
                   tolerance=config.learning.tolerance if tolerance is None else tolerance,
                   eval_share=config.learning.review_eval_share, actor=actor, exclude_reviewers=exclude_reviewers)
