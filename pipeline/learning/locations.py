"""Where retraining reads and writes, from the [learning] settings (relative to the project folder)."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..paths import PROJECT_ROOT
from ..triage.classifier import DEFAULT_MODEL
from .versions import ModelVersions


def _resolve(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def models_dir(config: Config) -> Path:
    """Retrained models learn words from patients' messages: they live with the practice's data, not in git."""
    value = config.learning.models_dir
    return _resolve(value) if value else config.paths.data_dir / "models" / "triage"


def base_corpus(config: Config) -> Path:
    return _resolve(config.learning.base_corpus)


def heldout(config: Config) -> Path:
    return _resolve(config.learning.heldout)


def model_in_use(config: Config) -> Path | None:
    """The artifact triage loads: the active version, else the bundled model, else None (rules alone)."""
    active = ModelVersions(models_dir(config)).active_artifact()
    if active is not None:
        return active
    return DEFAULT_MODEL if DEFAULT_MODEL.is_file() else None
