"""Structured logs: one JSON object per line, with ids and states, never PHI.

Callers log an event name and ids through `extra` (`log.info("stored", extra={"job_id": 3,
"message_id": 7})`). File names, transcripts, caller names, numbers and dates of birth are never
passed here: a file name can itself hold a patient's name.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else came from `extra` and is written as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            # The class only: exception messages can carry paths and so file names.
            out["error"] = record.exc_info[0].__name__
        return json.dumps(out, ensure_ascii=False, default=str)


def setup_logging(verbose: bool = False, stream=None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonLineFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    # Third-party libraries log at WARNING only (PyRuSH, for one, chatters at INFO).
    root.setLevel(logging.WARNING)
    logging.getLogger("vmtriage").setLevel(logging.DEBUG if verbose else logging.INFO)
