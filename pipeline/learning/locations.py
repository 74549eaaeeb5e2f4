"""Where retraining reads and writes, from the [learning] settings (relative to the project folder)."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..paths import PROJECT_ROOT


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
