"""The learned half of triage: TF-IDF word and character n-grams into calibrated linear models,
one head for urgency and one for concern (trained by `vmtriage train-triage`, pipeline/triage/train.py).

Character n-grams make the model tolerant of ASR spelling damage ("breed"/"breathe", "chess pain")
that exact rules miss; the rules stay the floor. The artifact (models/triage_classifier.joblib)
carries its version, the SHA-256 of its training data, its validation metrics and the decision
thresholds chosen on validation data.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import joblib

from .policy import ModelOpinion, Thresholds

DEFAULT_MODEL = Path(__file__).resolve().parents[2] / "models" / "triage_classifier.joblib"


@dataclass
class TriageModel:
    version: str
    data_sha256: str
    metrics: dict
    thresholds: Thresholds
    vectorizer: object
    urgency_head: object
    concern_head: object

    def opinions(self, texts: list[str]) -> list[ModelOpinion]:
        features = self.vectorizer.transform(texts)
        pu = self.urgency_head.predict_proba(features)
        pc = self.concern_head.predict_proba(features)
        ul, cl = list(self.urgency_head.classes_), list(self.concern_head.classes_)
        return [ModelOpinion(dict(zip(ul, map(float, u), strict=True)), dict(zip(cl, map(float, c), strict=True)),
                             self.version) for u, c in zip(pu, pc, strict=True)]


def save_model(model: TriageModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The fitted objects go in as one pickled blob: joblib's own unpickler is pure Python and took
    # seconds over the 60k-entry vocabularies; the C unpickler reads the blob in milliseconds.
    payload = pickle.dumps((model.vectorizer, model.urgency_head, model.concern_head), protocol=5)
    joblib.dump({
        "version": model.version, "data_sha256": model.data_sha256, "metrics": model.metrics,
        "thresholds": model.thresholds.__dict__, "payload": payload,
    }, path, compress=3)


def load_model(path: Path | None = None) -> TriageModel | None:
    """The trained model, or None when there is none (triage then runs on rules alone)."""
    path = Path(path or DEFAULT_MODEL)
    if not path.is_file():
        return None
    raw = joblib.load(path)
    vectorizer, urgency_head, concern_head = pickle.loads(raw["payload"])  # our own artifact, from models/
    return TriageModel(raw["version"], raw["data_sha256"], raw["metrics"], Thresholds(**raw["thresholds"]),
                       vectorizer, urgency_head, concern_head)


def model_info(path: Path | None = None) -> dict:
    """Version, training-data hash and metrics of the saved model, without loading its weights."""
    raw = joblib.load(Path(path or DEFAULT_MODEL))
    return {k: raw[k] for k in ("version", "data_sha256", "metrics", "thresholds")}
