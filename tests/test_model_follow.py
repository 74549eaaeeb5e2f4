"""A running service follows `vmtriage model use` with its next message, without a restart."""

from __future__ import annotations

from pipeline.config import Config, LearningConfig
from pipeline.learning.follow import ActiveTriager
from pipeline.learning.versions import ModelVersions
from pipeline.triage.classifier import DEFAULT_MODEL, load_model, save_model


def test_active_triager_switches_when_the_active_version_changes(tmp_path):
    versions = ModelVersions(tmp_path / "models")
    versions.add(DEFAULT_MODEL, {"produced_by": "bundled"}, version="v1")
    other = load_model(DEFAULT_MODEL)
    other.version = "v2"
    save_model(other, tmp_path / "v2.joblib")
    versions.add(tmp_path / "v2.joblib", {"produced_by": "system:retrain"}, version="v2")
    versions.use("v2", "system:retrain")
    active = ActiveTriager(Config(learning=LearningConfig(models_dir=str(tmp_path / "models"))))
    assert active.current().model_version == "v2"
    versions.use("v1", "user:lead")
    assert active.current().model_version == load_model(DEFAULT_MODEL).version
    assert active.current().triage("I need a refill").model_version == load_model(DEFAULT_MODEL).version
