"""Shared test fixtures: temporary folders and a Processor loaded once per session (real Whisper)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.config import Config

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VOICEMAILS = FIXTURES / "voicemails"


def voicemail_specs() -> list[dict]:
    return yaml.safe_load((FIXTURES / "voicemails.yaml").read_text())


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """Defaults, with the inbox, data folder and database under a fresh temporary folder."""
    base = Config()
    return base.with_paths(inbox=tmp_path / "inbox", data_dir=tmp_path / "data")


@pytest.fixture(scope="session")
def processor():
    """The default pipeline (bundled `base` model), loaded once: loading is the slow part."""
    from pipeline.process import Processor

    return Processor(Config())
