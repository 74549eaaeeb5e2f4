"""Bundled Whisper models are verified by SHA-256 before loading."""

from __future__ import annotations

from pipeline.model_registry import ensure_bundled, load_manifest, sha256_file


def test_bundled_base_model_is_assembled_and_matches_its_checksum():
    spec = load_manifest()["base"]
    directory = ensure_bundled(spec)
    assert sha256_file(directory / "model.bin") == spec.sha256
    assert (directory / "tokenizer.json").is_file()
