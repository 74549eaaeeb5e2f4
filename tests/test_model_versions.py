"""Model versions sit side by side with a card each; `use` switches back to exactly the same bytes."""

from __future__ import annotations

import pytest

from pipeline.hashing import sha256_file
from pipeline.learning.versions import ModelVersions, VersionError


def _artifact(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_versions_are_listed_with_their_cards_and_the_active_one(tmp_path):
    versions = ModelVersions(tmp_path / "models")
    a = versions.add(_artifact(tmp_path, "a", b"first"), {"produced_by": "system:retrain"}, version="v1")
    versions.add(_artifact(tmp_path, "b", b"second"), {"produced_by": "user:qa1"}, version="v2")
    versions.use("v2", "user:lead")
    listed = versions.list()
    assert [(v.version, v.active, v.card["produced_by"]) for v in listed] == [
        ("v1", False, "system:retrain"), ("v2", True, "user:qa1")]
    assert a.card["artifact_sha256"] == sha256_file(tmp_path / "a")
    assert (tmp_path / "models" / "v1" / "card.md").read_text().startswith("# Triage model v1")


def test_use_goes_back_to_the_byte_identical_artifact(tmp_path):
    versions = ModelVersions(tmp_path / "models")
    versions.add(_artifact(tmp_path, "a", b"first model"), {}, version="v1")
    versions.use("v1", "system:retrain")
    versions.add(_artifact(tmp_path, "b", b"second model"), {}, version="v2")
    versions.use("v2", "system:retrain")
    versions.use("v1", "user:lead")
    assert versions.active_artifact().read_bytes() == b"first model"
    assert [(h["version"], h["previous"], h["actor"]) for h in versions.history()] == [
        ("v1", None, "system:retrain"), ("v2", "v1", "system:retrain"), ("v1", "v2", "user:lead")]


def test_a_changed_artifact_is_not_used(tmp_path):
    versions = ModelVersions(tmp_path / "models")
    version = versions.add(_artifact(tmp_path, "a", b"first"), {}, version="v1")
    version.path.write_bytes(b"tampered")
    with pytest.raises(VersionError, match="changed"):
        versions.use("v1", "user:lead")
    assert versions.active_version() is None


def test_unknown_version_is_an_error(tmp_path):
    with pytest.raises(VersionError, match="no model version"):
        ModelVersions(tmp_path / "models").use("../etc", "user:lead")
