"""A triager that follows the active model version, so a running service picks up a promotion or a
rollback (`vmtriage model use`) with its next message, without a restart. Checking costs a read of
the small ACTIVE file per message; the model is reloaded only when the version changes. One is
shared by a service's workers (loading it takes seconds; triaging a message, milliseconds), so
`triage` takes a lock: the rule matcher was not written for concurrent callers."""

from __future__ import annotations

import threading

from ..config import Config
from ..triage import Triager
from ..triage.classifier import load_model
from .locations import model_in_use


class ActiveTriager:
    def __init__(self, config: Config):
        self.config = config
        self.path = model_in_use(config)
        self.triager = Triager(config.paths.rules_dir, model_path=self.path)
        self._lock = threading.Lock()

    def triage(self, text: str):
        with self._lock:
            return self.current().triage(text)

    def current(self) -> Triager:
        path = model_in_use(self.config)
        if path != self.path:
            self.triager.model = load_model(path) if path else None
            self.path = path
        return self.triager
