"""One TOML configuration file with defaults that run as they are.

Lookup order: `--config PATH`, then `$VMTRIAGE_CONFIG`, then `vmtriage.toml` in the working
directory if present, else the defaults below. Relative paths are resolved against the
project folder so `make run` works from a fresh clone.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path

from .paths import DEFAULT_DATA_DIR, DEFAULT_INBOX, PROJECT_ROOT, RULES_DIR


@dataclass(frozen=True)
class PathsConfig:
    inbox: Path = DEFAULT_INBOX
    data_dir: Path = DEFAULT_DATA_DIR
    db: Path = DEFAULT_DATA_DIR / "vmtriage.db"
    rules_dir: Path = RULES_DIR


@dataclass(frozen=True)
class TranscriptionConfig:
    engine: str = "faster-whisper"  # or "openai-whisper"
    model: str = "base"
    compute_type: str = "int8"
    beam_size: int = 5
    language: str = ""  # empty: detect
    languages: tuple[str, ...] = ("en", "es")  # callers' languages: detection picks among these (empty: any)
    use_domain_prompt: bool = True
    prompt_file: str = "prompt.txt"  # under rules_dir; prompt.<lang>.txt beside it for other languages
    translation_prompt_file: str = "prompt_sentences.txt"  # English sentences steer translations better
    prompt_mode: str = "initial_prompt"  # or "hotwords" or "both" (hotwords: faster-whisper only)
    word_timestamps: bool = True  # per-word times and probabilities (an extra alignment pass)
    hallucination_silence_threshold: float = 0.0  # s; >0 skips silences this long around suspect text
    condition_on_previous_text: bool = False  # True lets one mis-heard window steer the next
    temperature_fallback: bool = True  # re-decode at higher temperature when a window looks garbled
    translate_non_english: bool = True
    cpu_threads: int = 0  # 0: let CTranslate2 decide
    vad_filter: bool = True
    vad_threshold: float = 0.35  # Silero speech probability (audio.vad_options: 0.5 cut phone speech short)
    min_confidence: float = 0.55  # below this the message needs a person to listen
    allow_download: bool = False


@dataclass(frozen=True)
class AudioConfig:
    max_duration_s: float = 600.0
    max_size_mb: float = 100.0


@dataclass(frozen=True)
class IngestConfig:
    # Size and mtime unchanged this long, and no process holding the file open for writing, means the
    # copy is complete. Every second here is a second before an emergency can be listed.
    stable_seconds: float = 1.5
    # A WAV whose header counts exactly the bytes on disk is finished (writers fill in the sizes when
    # they close it; a partial copy of a finished file is shorter than its header says): it is taken
    # after this much stillness instead.
    finished_wav_seconds: float = 0.25
    # Then wait this long for a phone-system sidecar; one that comes later is still joined (and audited).
    sidecar_wait_seconds: float = 0.25
    sidecar_orphan_minutes: float = 60.0  # a sidecar without its recording this long is quarantined
    rescan_seconds: float = 60.0  # full inbox rescan, a safety net for missed events
    poll_seconds: float = 0.1
    keep_originals: bool = False
    workers: int = 1  # each loads its own Whisper model; 1 suits 2 cores (CTranslate2 uses both)
    # Backlog mode: with at least `backlog_jobs` recordings waiting (after a weekend or an outage),
    # the service swaps its workers for `backlog_workers` workers sharing the cores and one Whisper
    # model, which clear a queue faster than one; when the queue is empty it swaps back (one worker
    # lists a lone new message soonest). 0 turns it off.
    backlog_jobs: int = 8
    backlog_workers: int = 2
    max_attempts: int = 3
    retry_backoff_s: float = 5.0


@dataclass(frozen=True)
class WebConfig:
    host: str = "127.0.0.1"
    port: int = 8000
    secure_cookies: bool = False
    idle_timeout_minutes: int = 30
    base_url: str = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class AlertsConfig:
    """Who is told at once about emergency and urgent messages (pipeline/alerts.py)."""

    urgencies: tuple[str, ...] = ("emergency", "urgent")  # always alerted, day or night
    after_hours_urgencies: tuple[str, ...] = ()  # alerted only when the practice is closed
    # What an alert carries; anything more is PHI the practice must choose to send. Allowed:
    # urgency, concern, mailbox, callback_number, link, received_at, due_at, needs_listen,
    # caller_name, caller_number, reasons, transcript.
    fields: tuple[str, ...] = ("urgency", "concern", "mailbox", "callback_number", "link")
    base_url: str = ""  # for links to the message; empty: [web] base_url
    smtp_host: str = ""  # empty: no e-mail
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password_env: str = "VMTRIAGE_SMTP_PASSWORD"  # the password is read from this variable
    smtp_from: str = "vmtriage@localhost"
    smtp_to: tuple[str, ...] = ()
    webhook_url: str = ""  # empty: no webhook
    webhook_secret: str = ""  # HMAC-SHA256 key; or leave empty and set the variable below
    webhook_secret_env: str = "VMTRIAGE_WEBHOOK_SECRET"
    retries: int = 6  # delivery tries per alert and channel
    backoff_s: float = 2.0  # wait after the first failure; doubles after each one (capped at 5 minutes)
    timeout_s: float = 10.0  # per try
    drain_s: float = 15.0  # at exit, wait this long for alerts still being sent


@dataclass(frozen=True)
class LearningConfig:
    """Retraining from reviewers (pipeline/learning/)."""

    models_dir: str = ""  # triage model versions; empty: <data_dir>/models/triage (they hold patient words)
    base_corpus: str = "models/triage_corpus.jsonl"  # relative to the project folder
    heldout: str = "tests/data/triage_heldout.jsonl"
    tolerance: float = 0.01  # largest drop allowed in emergency recall, urgent+ precision, concern accuracy
    review_eval_share: float = 0.3  # share of reviewed messages kept out of training to judge candidates


@dataclass(frozen=True)
class Config:
    paths: PathsConfig = field(default_factory=PathsConfig)
    transcription: TranscriptionConfig = field(default_factory=TranscriptionConfig)
    audio: AudioConfig = field(default_factory=AudioConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    web: WebConfig = field(default_factory=WebConfig)
    alerts: AlertsConfig = field(default_factory=AlertsConfig)
    learning: LearningConfig = field(default_factory=LearningConfig)
    source: str = "defaults"

    def with_paths(self, **changes) -> Config:
        changes = {k: Path(v) for k, v in changes.items() if v is not None}
        paths = replace(self.paths, **changes)
        if "data_dir" in changes and "db" not in changes:
            paths = replace(paths, db=paths.data_dir / "vmtriage.db")
        return replace(self, paths=paths)


class ConfigError(ValueError):
    pass


def _coerce(section_cls, values: dict, section: str, base: Path):
    known = {f.name: f for f in fields(section_cls)}
    out = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"unknown setting [{section}] {key}; known: {sorted(known)}")
        default = known[key].default
        if isinstance(default, Path):
            value = Path(value).expanduser()
            value = value if value.is_absolute() else base / value
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"[{section}] {key} must be true or false")
        elif isinstance(default, int | float) and not isinstance(value, int | float):
            raise ConfigError(f"[{section}] {key} must be a number")
        out[key] = value
    return section_cls(**out)


def load_config(path: str | Path | None = None) -> Config:
    path = path or os.environ.get("VMTRIAGE_CONFIG")
    if path is None and Path("vmtriage.toml").is_file():
        path = "vmtriage.toml"
    if path is None:
        return Config()
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist")
    with open(path, "rb") as fh:
        try:
            raw = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    path_keys = set(raw.get("paths", {}))
    base = path.resolve().parent
    sections = {}
    for f in fields(Config):
        if f.name == "source":
            continue
        section_cls = f.default_factory  # type: ignore[misc]
        if f.name in raw:
            sections[f.name] = _coerce(section_cls, raw.pop(f.name), f.name, base)
    if raw:
        raise ConfigError(f"{path}: unknown section(s) {sorted(raw)}")
    config = Config(**sections, source=str(path))
    if "data_dir" in path_keys and "db" not in path_keys:  # the database follows a moved data folder
        config = replace(config, paths=replace(config.paths, db=config.paths.data_dir / "vmtriage.db"))
    return config


def as_dict(config) -> dict:
    """A JSON-friendly view of the configuration (for the admin page and `vmtriage config`)."""
    if is_dataclass(config):
        return {f.name: "***" if f.name.endswith(("secret", "password")) and getattr(config, f.name)
                else as_dict(getattr(config, f.name)) for f in fields(config)}
    if isinstance(config, Path):
        try:
            return str(config.relative_to(PROJECT_ROOT))
        except ValueError:
            return str(config)
    return config
