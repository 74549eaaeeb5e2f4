"""A triager that follows the active model version, so a running service picks up a promotion or a
rollback (`vmtriage model use`) with its next message, without a restart. Checking costs a read of
the small ACTIVE file per message; the model is reloaded only when the version changes."""

from __future__ import annotations

from ..config import Config
from ..triage import Triager
from ..triage.classifier import load_model
from .locations import model_in_use


class ActiveTriager:
    def __init__(self, config: Config):
        self.config = config
        self.path = model_in_use(config)
        self.triager = Triager(config.paths.rules_dir, model_path=self.path)

    def current(self) -> Triager:
        path = model_in_use(self.config)
        if path != self.path:
            self.triager.model = load_model(path) if path else None
            self.path = path
        return self.triager
