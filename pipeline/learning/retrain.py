"""Retrain from reviewers, behind a safety gate.

1. Training data: the base corpus plus the reviewed messages on the training side of the split.
2. Evaluation: the current model (the active version, else the bundled one, else rules alone) and
   the candidate, each through the whole triage (rules floor + classifier), on the held-out set
   and on the rolling set of reviewed messages that training never sees.
3. Gate (gate.py): promote only if urgent-or-higher recall does not drop on either set and nothing
   else drops beyond the tolerance. A promoted candidate becomes a new version with its card and
   the active one; a refused candidate is not kept, and the refusal is logged with its reasons.

How a model is trained, saved and used is the `Backend`'s business (triage_backend.py), so this
module holds only the procedure.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlite_utils

from .corrections import reviews, split_reviews
from .examples import Example, data_sha256
from .gate import Verdict, judge
from .metrics import FIGURES, Figures, Label, figures
from .versions import ModelVersions, new_version_id, now_iso

LabelFn = Callable[[list[str]], list[Label]]


@dataclass(frozen=True)
class Backend:
    """The triage model as retraining sees it."""

    train: Callable[[list[Example], str, Path], None]  # (examples, version, where to write the artifact)
    labeller: Callable[[Path | None], LabelFn]  # artifact (None: rules alone) -> full-triage labels of texts
    describe: Callable[[Path], dict]  # artifact -> {"version", "data_sha256", ...} as stored inside it
    bundled: Path | None = None  # the model shipped with the software, used when no version is active
    rules_version: str = ""  # the rules both models were judged with


@dataclass
class RetrainOutcome:
    promoted: bool
    version: str | None  # the candidate's version (kept only when promoted)
    current: str  # what the candidate was measured against
    active: str  # the version in use after this run
    tolerance: float
    reasons: list[str]
    notes: list[str]
    data: dict
    before: dict[str, dict]
    after: dict[str, dict]

    def as_dict(self) -> dict:
        return asdict(self)


def evaluate(label_fn: LabelFn, examples: list[Example]) -> Figures:
    predicted = label_fn([e.text for e in examples]) if examples else []
    return figures([Label(e.urgency, e.concern) for e in examples], predicted)


def current_model(versions: ModelVersions, backend: Backend) -> tuple[str, Path | None]:
    """(name, artifact) of the model in use: the active version, else the bundled model, else rules alone."""
    active = versions.active_version()
    if active:
        return active, versions.get(active).path
    if backend.bundled and backend.bundled.is_file():
        return f"bundled:{backend.describe(backend.bundled).get('version', '')}", backend.bundled
    return "rules-only", None


def adopt_bundled(versions: ModelVersions, backend: Backend, actor: str, measured: dict[str, Figures]) -> str:
    """Keep the shipped model as a version before replacing it, so `model use` can go back to it."""
    info = backend.describe(backend.bundled)
    version = info.get("version") or "bundled"
    if version not in {v.version for v in versions.list()}:
        versions.add(backend.bundled, {"produced_by": "bundled", "parent": None,
                                       "data_sha256": info.get("data_sha256", ""),
                                       "metrics": {k: v.as_dict() for k, v in measured.items()},
                                       "training_metrics": info.get("metrics", {}),
                                       "what_changed": ["the model shipped with vmtriage, kept when the first "
                                                        "retrained model replaced it"]}, version=version)
    versions.use(version, actor, event="adopt")
    return version


def _what_changed(parent: str, data: dict, before: dict[str, Figures], after: dict[str, Figures]) -> list[str]:
    lines = [f"retrained from {parent} with {data['reviewed_train']} reviewed message(s) "
             f"({data['corrections_train']} correction(s)) added to {data['base_examples']} base examples"]
    for set_name, fig in after.items():
        for name in FIGURES:
            old, new = getattr(before[set_name], name), getattr(fig, name)
            if old is not None and new is not None and abs(new - old) > 1e-9:
                lines.append(f"{set_name} {name}: {old:.4f} -> {new:.4f}")
    return lines


def retrain(db: sqlite_utils.Database, versions: ModelVersions, backend: Backend, **options) -> RetrainOutcome:
    """Train, judge and promote or refuse (options: see `_retrain`), one run at a time."""
    with versions.exclusive():
        return _retrain(db, versions, backend, **options)


def _retrain(db: sqlite_utils.Database, versions: ModelVersions, backend: Backend, *, base: list[Example],
             heldout: list[Example], tolerance: float, eval_share: float, actor: str,
             exclude_reviewers: tuple[str, ...] = ()) -> RetrainOutcome:
    """`exclude_reviewers` (names or user:names) leaves out a reviewer's labels from training and judging."""
    excluded = {r if r.startswith("user:") else f"user:{r}" for r in exclude_reviewers}
    split = split_reviews([r for r in reviews(db) if r.reviewer not in excluded], eval_share)
    train_set = base + [r.example() for r in split.train]
    eval_sets = {"heldout": heldout, "reviewed": [r.example() for r in split.evaluate]}
    data = {
        "base_examples": len(base),
        "reviewed_train": len(split.train),
        "corrections_train": sum(r.changed for r in split.train),
        "reviewed_eval": len(split.evaluate),
        "reviewed_without_text": split.skipped_empty,
        "heldout_examples": len(heldout),
        "train_examples": len(train_set),
        "reviewed_train_by_urgency": dict(Counter(r.reviewed_urgency for r in split.train)),
        "reviewers": sorted({r.reviewer for r in split.train + split.evaluate}),
        "excluded_reviewers": sorted(excluded),
        "below_rule_floor_by_reviewer": dict(Counter(r.reviewer for r in split.train + split.evaluate
                                                     if r.below_rule_floor)),
    }
    current_name, current_path = current_model(versions, backend)
    train_sha = data_sha256(train_set)
    if versions.active_version() and versions.get(current_name).card.get("data_sha256") == train_sha:
        return RetrainOutcome(promoted=False, version=None, current=current_name, active=current_name,
                              tolerance=tolerance, reasons=[f"nothing new to learn: {current_name} was trained on "
                                                            "exactly these examples"], notes=[], data=data,
                              before={}, after={})
    current_labels = backend.labeller(current_path)
    before = {name: evaluate(current_labels, examples) for name, examples in eval_sets.items()}

    version = new_version_id(train_sha)
    with tempfile.TemporaryDirectory(prefix="vmtriage-candidate-") as tmp:
        artifact = Path(tmp) / "candidate.joblib"
        backend.train(train_set, version, artifact)
        candidate_labels = backend.labeller(artifact)
        after = {name: evaluate(candidate_labels, examples) for name, examples in eval_sets.items()}
        verdict: Verdict = judge(before, after, tolerance)
        gate = {"promote": verdict.promote, "tolerance": tolerance, "reasons": verdict.reasons,
                "notes": verdict.notes}
        if verdict.promote:
            if current_name.startswith("bundled:"):
                current_name = adopt_bundled(versions, backend, actor, before)
            card = {"produced_by": actor, "created_at": now_iso(), "parent": None if current_name == "rules-only"
                    else current_name, "data_sha256": train_sha, "judged_with_rules": backend.rules_version,
                    "data": data,
                    "metrics": {k: v.as_dict() for k, v in after.items()},
                    "baseline_metrics": {k: v.as_dict() for k, v in before.items()}, "gate": gate,
                    "what_changed": _what_changed(current_name, data, before, after)}
            versions.add(artifact, card, version=version)
            versions.use(version, actor, event="promote")
        else:
            versions.log({"event": "refused", "candidate": version, "current": current_name, "actor": actor,
                          "reasons": verdict.reasons, "data": data,
                          "before": {k: v.as_dict() for k, v in before.items()},
                          "after": {k: v.as_dict() for k, v in after.items()}})
    return RetrainOutcome(
        promoted=verdict.promote, version=version, current=current_name,
        active=versions.active_version() or current_name, tolerance=tolerance, reasons=verdict.reasons,
        notes=verdict.notes, data=data, before={k: v.as_dict() for k, v in before.items()},
        after={k: v.as_dict() for k, v in after.items()})
