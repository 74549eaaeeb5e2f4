"""Triage models side by side: <root>/<version>/ holds the artifact and its model card, and the
file <root>/ACTIVE names the version in use. Versions are never modified after they are written,
so going back to one (`use`) restores exactly the bytes, and so the predictions, it had.

The registry treats an artifact as opaque bytes: how it is trained and loaded is retrain.py's
business. Every change of the active version is appended to <root>/history.jsonl.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..hashing import sha256_file

ARTIFACT = "model.joblib"
CARD_JSON = "card.json"
CARD_MD = "card.md"
ACTIVE = "ACTIVE"
HISTORY = "history.jsonl"
LOCK = ".lock"


class VersionError(ValueError):
    pass




def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_version_id(artifact_sha256: str, at: datetime | None = None) -> str:
    """Sortable by time, unique by content: e.g. 20261127-160412-3fa2b1c0."""
    at = at or datetime.now(UTC)
    return f"{at:%Y%m%d-%H%M%S}-{artifact_sha256[:8]}"


@dataclass(frozen=True)
class ModelVersion:
    version: str
    path: Path  # the artifact
    card: dict
    active: bool

    @property
    def artifact_sha256(self) -> str:
        return self.card.get("artifact_sha256", "")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class ModelVersions:
    def __init__(self, root: Path):
        self.root = Path(root)

    # reading
    def active_version(self) -> str | None:
        pointer = self.root / ACTIVE
        if not pointer.is_file():
            return None
        return pointer.read_text(encoding="utf-8").strip() or None

    def get(self, version: str) -> ModelVersion:
        folder = self.root / version
        if not version or "/" in version or version.startswith(".") or not (folder / CARD_JSON).is_file():
            raise VersionError(f"no model version {version!r} in {self.root}")
        card = json.loads((folder / CARD_JSON).read_text(encoding="utf-8"))
        return ModelVersion(version, folder / ARTIFACT, card, version == self.active_version())

    def list(self) -> list[ModelVersion]:
        if not self.root.is_dir():
            return []
        names = sorted(p.name for p in self.root.iterdir()
                       if p.is_dir() and not p.name.startswith(".") and (p / CARD_JSON).is_file())
        return [self.get(name) for name in names]

    def active_artifact(self) -> Path | None:
        version = self.active_version()
        return self.get(version).path if version else None

    def history(self) -> list[dict]:
        path = self.root / HISTORY
        if not path.is_file():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    # writing
    def add(self, artifact: Path, card: dict, version: str | None = None) -> ModelVersion:
        """Copy an artifact in as a new version with its card; does not make it active."""
        sha = sha256_file(artifact)
        version = version or new_version_id(sha)
        if (self.root / version).exists():
            raise VersionError(f"model version {version!r} already exists")
        card = {**card, "version": version, "artifact_sha256": sha, "artifact_bytes": artifact.stat().st_size}
        card.setdefault("created_at", now_iso())
        staging = self.root / f".staging-{version}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        shutil.copyfile(artifact, staging / ARTIFACT)
        (staging / CARD_JSON).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (staging / CARD_MD).write_text(card_markdown(card), encoding="utf-8")
        os.replace(staging, self.root / version)  # a version appears whole or not at all
        return self.get(version)

    def use(self, version: str, actor: str, event: str = "use", detail: dict | None = None) -> ModelVersion:
        """Make VERSION active after checking its artifact is the one its card describes."""
        target = self.get(version)
        if not target.path.is_file() or sha256_file(target.path) != target.artifact_sha256:
            raise VersionError(f"model version {version!r}: artifact missing or changed since it was written")
        previous = self.active_version()
        self.root.mkdir(parents=True, exist_ok=True)
        _write_atomic(self.root / ACTIVE, version + "\n")
        self.log({"event": event, "version": version, "previous": previous, "actor": actor, **(detail or {})})
        return self.get(version)

    @contextmanager
    def exclusive(self):
        """One retraining or switch at a time: a second `retrain` waits rather than judging a stale model."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK, "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def log(self, entry: dict) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / HISTORY, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"at": now_iso(), **entry}, ensure_ascii=False) + "\n")


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.4f}" if isinstance(value, float) else str(value)


def card_markdown(card: dict) -> str:
    """The model card for people: what the model learned from, how it scored, what changed."""
    lines = [f"# Triage model {card['version']}", "",
             f"- created: {card.get('created_at', '')}",
             f"- produced by: {card.get('produced_by', '')}",
             f"- parent: {card.get('parent') or 'none'}",
             f"- artifact SHA-256: `{card.get('artifact_sha256', '')}`",
             f"- training data SHA-256: `{card.get('data_sha256', '')}`",
             f"- judged with rules: {card.get('judged_with_rules') or 'n/a'}", ""]
    if card.get("what_changed"):
        lines += ["## What changed", "", *[f"- {c}" for c in card["what_changed"]], ""]
    if card.get("data"):
        lines += ["## Data", "", *[f"- {k}: {_fmt(v)}" for k, v in card["data"].items()], ""]
    for set_name, figs in (card.get("metrics") or {}).items():
        lines += [f"## Figures: {set_name}", "", "| figure | value |", "|---|---|",
                  *[f"| {k} | {_fmt(v)} |" for k, v in figs.items()], ""]
    if card.get("gate"):
        gate = card["gate"]
        lines += ["## Safety gate", "", f"- decision: {'promoted' if gate.get('promote') else 'refused'}",
                  f"- tolerance: {gate.get('tolerance')}", *[f"- {r}" for r in gate.get("reasons", [])],
                  *[f"- {n}" for n in gate.get("notes", [])], ""]
    return "\n".join(lines)
