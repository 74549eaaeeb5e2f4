"""The Whisper model registry: find a model by name, assemble bundled parts, verify SHA-256.

Bundled models come from PyPI packages (see models/manifest.toml), so a practice that runs
offline has them. A bundled model is always verified before it is loaded: a missing, partial
or tampered file is a `ModelError` that names the fix, never a silent load.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .hashing import sha256_file
from .paths import MODELS_DIR

SUPPORT_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
REINSTALL_HINT = "run `make setup` (or `pip install --force-reinstall {package}`)"


class ModelError(RuntimeError):
    """A model that cannot be used, with the reason and the fix in the message."""


@dataclass(frozen=True)
class ModelSpec:
    name: str
    source: str  # bundled | local | hub
    description: str = ""
    package: str = ""
    module: str = ""
    directory: str = ""
    parts: tuple[str, ...] = ()
    sha256: str = ""
    hub_name: str = ""
    path: str = ""
    multilingual: bool = True


@dataclass(frozen=True)
class ModelStatus:
    name: str
    source: str
    present: bool
    verified: bool
    path: str
    detail: str


def load_manifest(manifest: Path | None = None) -> dict[str, ModelSpec]:
    manifest = manifest or MODELS_DIR / "manifest.toml"
    with open(manifest, "rb") as fh:
        raw = tomllib.load(fh)
    specs = {}
    for name, entry in raw.get("models", {}).items():
        entry = dict(entry)
        entry["parts"] = tuple(entry.get("parts", ()))
        specs[name] = ModelSpec(name=name, **entry)
    return specs


def model_cache_dir() -> Path:
    """Assembled models live beside the packages they came from (inside the virtual environment)."""
    override = os.environ.get("VMTRIAGE_MODEL_CACHE")
    return Path(override) if override else Path(sys.prefix) / "share" / "vmtriage-models"




def _package_dir(module: str, spec: ModelSpec) -> Path:
    found = importlib.util.find_spec(module)
    if found is None or not found.submodule_search_locations:
        raise ModelError(
            f"model {spec.name!r}: package {module!r} is not installed; "
            + REINSTALL_HINT.format(package=spec.package)
        )
    return Path(next(iter(found.submodule_search_locations)))


def _part_paths(spec: ModelSpec) -> list[Path]:
    paths = []
    for part in spec.parts:
        module, _, rel = part.rpartition(":")
        if module:
            paths.append(_package_dir(module, spec) / rel)
        else:
            paths.append(_package_dir(spec.module, spec) / spec.directory / rel)
    return paths


def _assemble(spec: ModelSpec, target: Path) -> None:
    """Concatenate the parts into target/model.bin (atomically) and copy the support files."""
    parts = _part_paths(spec)
    missing = [str(p) for p in parts if not p.is_file()]
    if missing:
        raise ModelError(
            f"model {spec.name!r}: missing part(s) {missing}; " + REINSTALL_HINT.format(package=spec.package)
        )
    target.mkdir(parents=True, exist_ok=True)
    source_dir = _package_dir(spec.module, spec) / spec.directory
    for name in SUPPORT_FILES:
        if (source_dir / name).is_file():
            shutil.copyfile(source_dir / name, target / name)
    tmp = target / "model.bin.tmp"
    with open(tmp, "wb") as out:
        for part in parts:
            with open(part, "rb") as fh:
                shutil.copyfileobj(fh, out, 1 << 20)
    os.replace(tmp, target / "model.bin")


def _bundled_dir(spec: ModelSpec) -> Path:
    if len(spec.parts) == 1 and ":" not in spec.parts[0]:
        # One part: use the package's own folder, no copy needed.
        return _package_dir(spec.module, spec) / spec.directory
    return model_cache_dir() / spec.name


def resolve_model(name_or_path: str, *, allow_download: bool = False) -> tuple[str, ModelSpec | None]:
    """Return something faster-whisper can load (a verified directory, or a hub name if allowed)."""
    candidate = Path(name_or_path).expanduser()
    if candidate.is_dir():
        if not (candidate / "model.bin").is_file():
            raise ModelError(f"{candidate} has no model.bin: not a CTranslate2 Whisper model directory")
        return str(candidate), None
    specs = load_manifest()
    spec = specs.get(name_or_path)
    if spec is None:
        if allow_download:
            return name_or_path, None
        bundled = sorted(s for s in specs if specs[s].source == "bundled")
        raise ModelError(
            f"unknown model {name_or_path!r}: bundled models are {bundled}; "
            "give a local model directory, or allow a hub download with --allow-download"
        )
    if spec.source == "hub":
        if not allow_download:
            raise ModelError(
                f"model {spec.name!r} is not bundled; it would be downloaded from {spec.hub_name!r}. "
                "Pass --allow-download (needs internet) or point to a local model directory."
            )
        return spec.hub_name, spec
    if spec.source == "local":
        return resolve_model(spec.path, allow_download=False)[0], spec
    return str(ensure_bundled(spec)), spec


def _is_assembled(spec: ModelSpec, directory: Path) -> bool:
    return directory.parent == model_cache_dir()


def ensure_bundled(spec: ModelSpec) -> Path:
    """Assemble (on first use) and verify a bundled model; return its directory.

    A model.bin that fails its SHA-256 is refused, never silently rebuilt: it was damaged or
    altered, and a person should know (`vmtriage models --repair` rebuilds it from the packages).
    """
    directory = _bundled_dir(spec)
    model_bin = directory / "model.bin"
    if not model_bin.is_file() and _is_assembled(spec, directory):
        _assemble(spec, directory)  # first use, or an assembly interrupted before its atomic rename
    if not model_bin.is_file():
        raise ModelError(
            f"model {spec.name!r}: {model_bin} is missing; " + REINSTALL_HINT.format(package=spec.package)
        )
    actual = sha256_file(model_bin)
    if actual != spec.sha256:
        fix = ("run `vmtriage models --repair` to rebuild it from the installed packages"
               if _is_assembled(spec, directory) else REINSTALL_HINT.format(package=spec.package))
        raise ModelError(
            f"model {spec.name!r}: SHA-256 mismatch for {model_bin} (expected {spec.sha256}, got {actual}); "
            f"the file is damaged, incomplete or was altered. Refusing to load it; {fix}"
        )
    return directory


def repair_bundled(spec: ModelSpec) -> Path:
    """Rebuild an assembled model from its packages, then verify it."""
    directory = _bundled_dir(spec)
    if _is_assembled(spec, directory):
        shutil.rmtree(directory, ignore_errors=True)
    return ensure_bundled(spec)


def model_status(spec: ModelSpec) -> ModelStatus:
    if spec.source == "hub":
        return ModelStatus(spec.name, spec.source, False, False, spec.hub_name, "not bundled; needs --allow-download")
    try:
        directory = ensure_bundled(spec) if spec.source == "bundled" else Path(resolve_model(spec.path)[0])
    except ModelError as exc:
        present = _model_bin_present(spec)
        return ModelStatus(spec.name, spec.source, present is not None, False, str(present or ""), str(exc))
    return ModelStatus(spec.name, spec.source, True, True, str(directory), spec.description)


def _model_bin_present(spec: ModelSpec) -> Path | None:
    """The model.bin on disk whatever its content, or None."""
    try:
        directory = _bundled_dir(spec) if spec.source == "bundled" else Path(spec.path).expanduser()
    except ModelError:
        return None
    return directory if (directory / "model.bin").is_file() else None
