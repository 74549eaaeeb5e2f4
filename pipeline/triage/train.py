"""Train the triage classifier (`vmtriage train-triage`) from a labelled JSONL corpus.

Features: TF-IDF of word 1-2-grams and character 2-5-grams within word boundaries (robust to ASR
spelling damage). Heads: linear SVMs calibrated with sigmoid scaling (CalibratedClassifierCV), one
for urgency and one for concern. 20 % of the corpus is held back to measure the heads; the saved
model is then refitted on everything. The artifact records its version, the SHA-256 of the
corpus and the validation metrics.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime
from pathlib import Path

from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from .classifier import DEFAULT_MODEL, TriageModel, save_model
from .policy import Thresholds

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "models" / "triage_corpus.jsonl"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def make_vectorizer() -> FeatureUnion:
    return FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=20000, sublinear_tf=True,
                                  lowercase=True, token_pattern=r"(?u)\b\w[\w']*\b")),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, max_features=40000,
                                  sublinear_tf=True, lowercase=True)),
    ])


def make_head() -> CalibratedClassifierCV:
    return CalibratedClassifierCV(LinearSVC(C=0.5, class_weight="balanced"), cv=3, method="sigmoid")


def _fit(texts, urgencies, concerns):
    vec = make_vectorizer()
    x = vec.fit_transform(texts)
    return vec, make_head().fit(x, urgencies), make_head().fit(x, concerns)


def train(corpus: Path = DEFAULT_CORPUS, out: Path = DEFAULT_MODEL, seed: int = 13) -> TriageModel:
    t0 = time.perf_counter()
    data_bytes = Path(corpus).read_bytes()
    data_sha = hashlib.sha256(data_bytes).hexdigest()
    items = read_jsonl(corpus)
    texts = [i["text"] for i in items]
    urg = [i["urgency"] for i in items]
    con = [i["concern"] for i in items]
    tr, va = train_test_split(range(len(items)), test_size=0.2, random_state=seed, stratify=urg)
    vec, uh, ch = _fit([texts[i] for i in tr], [urg[i] for i in tr], [con[i] for i in tr])
    xv = vec.transform([texts[i] for i in va])
    pu, pc = uh.predict(xv), ch.predict(xv)
    yu, yc = [urg[i] for i in va], [con[i] for i in va]
    urgent_plus_true = [u != "routine" for u in yu]
    urgent_plus_pred = [u != "routine" for u in pu]
    metrics = {
        "validation_size": len(va),
        "urgency_accuracy": round(accuracy_score(yu, pu), 4),
        "urgent_plus_recall": round(recall_score(urgent_plus_true, urgent_plus_pred), 4),
        "concern_accuracy": round(accuracy_score(yc, pc), 4),
        "concern_macro_f1": round(f1_score(yc, pc, average="macro"), 4),
        "training_size": len(items),
    }
    vec, uh, ch = _fit(texts, urg, con)  # the saved model learns from everything
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    model = TriageModel(version=f"triage-clf-{stamp}-{data_sha[:8]}", data_sha256=data_sha, metrics=metrics,
                        thresholds=Thresholds(), vectorizer=vec, urgency_head=uh, concern_head=ch)
    metrics["train_seconds"] = round(time.perf_counter() - t0, 1)
    save_model(model, Path(out))
    return model
