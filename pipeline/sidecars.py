"""Read what a phone system says about a call: Asterisk/FreePBX voicemail `.txt` or a JSON sidecar.

A sidecar shares its recording's name stem (`msg0001.txt` beside `msg0001.wav`). Parsing is
pure: text in, `CallMetadata` out, or a `SidecarError` a person can read. Nothing in a sidecar
is ever executed or interpolated; values are only copied into fields.
"""

from __future__ import annotations

import configparser
import json
import re
from datetime import UTC, datetime

from .records import CallMetadata

MAX_SIDECAR_BYTES = 64 * 1024
# `"Mary Jones" <5551234567>`, `<5551234567>`, `5551234567`, `Unknown`, `"" <>`
CALLERID = re.compile(r'^\s*(?:"(?P<qname>[^"]*)"|(?P<name>[^<]*?))\s*(?:<(?P<number>[^>]*)>)?\s*$')
NUMBER_CHARS = re.compile(r"[^\d+]")


class SidecarError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def clean_number(raw: str | None) -> str | None:
    """Digits (and a leading +) of a caller ID; None when nothing dialable is left."""
    if not raw:
        return None
    digits = NUMBER_CHARS.sub("", raw.strip())
    digits = digits[:1] + digits[1:].replace("+", "")
    return digits if sum(c.isdigit() for c in digits) >= 3 else None


def parse_callerid(value: str) -> tuple[str | None, str | None]:
    """(name, number) from an Asterisk callerid value."""
    match = CALLERID.match(value or "")
    if not match:
        return None, clean_number(value)
    name = (match.group("qname") if match.group("qname") is not None else match.group("name") or "").strip()
    number = match.group("number")
    if number is None and clean_number(name) and not re.search(r"[A-Za-z]", name):
        name, number = "", name  # a bare number
    if name.lower() in ("", "unknown", "anonymous", "private", "unavailable"):
        name = None
    return name, clean_number(number)


def _iso_from_epoch(value: str) -> str | None:
    try:
        return datetime.fromtimestamp(int(value.strip()), UTC).isoformat(timespec="seconds")
    except (ValueError, OverflowError, OSError):
        return None


def _iso_from_text(value: object) -> str | None:
    """ISO 8601 in UTC (as the store keeps times); a time without an offset is this machine's local time."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _float_or_none(value: object) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def parse_asterisk(text: str) -> CallMetadata:
    """The `[message]` section of an Asterisk/FreePBX voicemail information file."""
    parser = configparser.ConfigParser(interpolation=None, strict=False, comment_prefixes=(";", "#"))
    try:
        parser.read_string(text)
    except configparser.Error as exc:
        kind = exc.__class__.__name__
        raise SidecarError("bad_sidecar", f"not an Asterisk voicemail information file ({kind})") from exc
    if not parser.has_section("message"):
        raise SidecarError("bad_sidecar", "the .txt file has no [message] section (not an Asterisk voicemail file)")
    section = parser["message"]
    name, number = parse_callerid(section.get("callerid", ""))
    return CallMetadata(
        caller_number=number,
        caller_name=name,
        received_at=_iso_from_epoch(section.get("origtime", "")),
        mailbox=(section.get("origmailbox") or "").strip() or None,
        duration_s=_float_or_none(section.get("duration")),
        source="asterisk",
    )


def parse_json_sidecar(text: str) -> CallMetadata:
    """A JSON object with any of `caller_number`, `caller_name`, `received_at`, `mailbox`, `duration_s`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SidecarError("bad_sidecar", f"the .json sidecar is not valid JSON (line {exc.lineno})") from exc
    if not isinstance(data, dict):
        raise SidecarError("bad_sidecar", "the .json sidecar is not a JSON object")
    text_or_none = lambda key: str(data[key]).strip() or None if data.get(key) not in (None, "") else None  # noqa: E731
    return CallMetadata(
        caller_number=clean_number(text_or_none("caller_number")),
        caller_name=text_or_none("caller_name"),
        received_at=_iso_from_text(data.get("received_at")),
        mailbox=text_or_none("mailbox"),
        duration_s=_float_or_none(data.get("duration_s", data.get("duration"))),
        source="json",
    )


def parse_sidecar(suffix: str, raw: bytes) -> CallMetadata:
    if len(raw) > MAX_SIDECAR_BYTES:
        raise SidecarError("bad_sidecar", f"the sidecar is {len(raw)} bytes, more than a phone system writes")
    text = raw.decode("utf-8", errors="replace")
    if suffix.lower() == ".json":
        return parse_json_sidecar(text)
    return parse_asterisk(text)
