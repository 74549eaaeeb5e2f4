"""Where the project's data folders live (rules, model manifests, the default inbox)."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = PROJECT_ROOT / "rules"
MODELS_DIR = PROJECT_ROOT / "models"
DEFAULT_INBOX = PROJECT_ROOT / "inbox"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
