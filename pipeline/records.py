"""The records that flow between stages: plain data, easy to test and to store."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

URGENCIES = ("emergency", "urgent", "routine")
URGENCY_RANK = {"emergency": 0, "urgent": 1, "routine": 2}
CONCERNS = (
    "post_op",
    "medication",
    "refill",
    "symptoms",
    "test_results",
    "scheduling",
    "billing",
    "referral",
    "records",
    "new_patient",
    "other",
)


def more_urgent(a: str, b: str) -> str:
    """The more urgent of two urgency labels."""
    return a if URGENCY_RANK[a] <= URGENCY_RANK[b] else b


@dataclass(frozen=True)
class AudioInfo:
    """What the decoder measured about a recording."""

    duration_s: float
    source_sample_rate: int
    source_channels: int
    codec: str
    container: str
    loudness_dbfs: float
    peak_dbfs: float
    clipped_share: float
    leading_silence_s: float
    trailing_silence_s: float
    speech_share: float


@dataclass(frozen=True)
class Word:
    start: float
    end: float
    word: str
    probability: float


@dataclass
class Transcript:
    text: str
    language: str
    language_probability: float
    words: list[Word] = field(default_factory=list)
    confidence: float = 0.0
    no_speech_prob: float = 0.0
    needs_listen: bool = False
    listen_reasons: list[str] = field(default_factory=list)
    translation: str | None = None
    engine: str = ""
    model: str = ""
    prompt: str = ""  # the domain prompt Whisper was given (not stored): quality looks for copies of it
    # A final sentence quality.drop_hallucinated_tail took out of `text` as made up. Stored, and still
    # read by triage: if it was real speech heard badly, a red flag in it must still count.
    dropped_tail: str = ""

    @property
    def triage_text(self) -> str:
        """English text for triage: the translation when the caller spoke another language; else the
        text with any dropped final sentence (over-triage costs minutes, under-triage can cost a life)."""
        if self.translation:
            return self.translation
        return f"{self.text} {self.dropped_tail}".strip() if self.dropped_tail else self.text


@dataclass(frozen=True)
class Reason:
    """One piece of evidence behind a label, shown to people as a chip."""

    kind: str  # rule | context | classifier | quality | policy
    label: str  # human-readable
    rule_id: str = ""
    matched: str = ""
    urgency: str = ""
    concern: str = ""
    context: str = ""  # negated | family | hypothetical | historical
    probability: float | None = None
    start: int | None = None  # character offsets in the triage text
    end: int | None = None


@dataclass
class Extraction:
    callback_numbers: list[str] = field(default_factory=list)
    date_of_birth: str | None = None
    caller_name: str | None = None
    patient_name: str | None = None
    medications: list[str] = field(default_factory=list)
    days_since_procedure: int | None = None


@dataclass
class TriageResult:
    urgency: str
    concern: str
    reasons: list[Reason]
    confidence: float
    needs_review: bool = False
    rules_version: str = ""
    model_version: str = ""
    extraction: Extraction = field(default_factory=Extraction)


@dataclass
class CallMetadata:
    """What a phone system said about a call (Asterisk .txt or JSON sidecar)."""

    caller_number: str | None = None
    caller_name: str | None = None
    received_at: str | None = None  # ISO 8601 with offset
    mailbox: str | None = None
    duration_s: float | None = None
    source: str = ""


def to_dict(record: Any) -> dict:
    return asdict(record)
