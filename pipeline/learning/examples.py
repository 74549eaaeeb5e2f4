"""Labelled texts: the unit of training and evaluation data (JSONL, one object per line)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ..records import CONCERNS, URGENCIES


@dataclass(frozen=True)
class Example:
    id: str
    text: str
    urgency: str
    concern: str
    source: str = ""  # e.g. corpus file name, or "review:<user>"


def load_jsonl(path: Path, source: str | None = None) -> list[Example]:
    """Objects with at least `text`, `urgency` and `concern` (and usually `id`); blank lines skipped."""
    examples = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            item = json.loads(line)
            if item["urgency"] not in URGENCIES or item["concern"] not in CONCERNS:
                raise ValueError(f"{path}:{n}: unknown label {item['urgency']!r}/{item['concern']!r}")
            examples.append(Example(str(item.get("id", f"{path.stem}:{n}")), item["text"], item["urgency"],
                                    item["concern"], source or path.name))
    return examples


def data_sha256(examples: list[Example]) -> str:
    """A hash of what a model learns from (text and labels, in order): the model card's data identity."""
    digest = hashlib.sha256()
    for e in examples:
        digest.update(json.dumps([e.text, e.urgency, e.concern], ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()
