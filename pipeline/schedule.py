"""Due times: when each message must be called back, from rules/schedule.toml.

Pure functions of (received time, urgency, concern, mailbox, needs_listen, schedule). Every time
in and out is timezone-aware. The practice's calendar (hours, windows, holidays) is applied in its
own time zone, and clock targets ("60 minutes") are added in UTC, so daylight-saving changes come
out right both ways.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CLOCK_URGENCIES = ("emergency", "urgent")  # run on the clock, after hours too, and alert at once
TARGET_KINDS = ("now", "minutes", "end_of_next_window", "same_day", "next_business_day")


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    """One response target: a kind (see TARGET_KINDS) and, for `minutes`, how many."""

    kind: str
    minutes: int = 0

    def __str__(self) -> str:
        if self.kind == "minutes":
            return f"{self.minutes} minutes"
        return self.kind.replace("_", " ")


@dataclass(frozen=True)
class Schedule:
    timezone: ZoneInfo
    hours: dict[int, tuple[time, time]]  # weekday number -> (open, close)
    windows: tuple[tuple[time, time], ...]
    holidays: frozenset[date]
    special_hours: dict[date, tuple[time, time]] = field(default_factory=dict)
    weekday_windows: dict[int, tuple[tuple[time, time], ...]] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=lambda: dict(DEFAULT_TARGETS))
    concern_targets: dict[str, dict[str, Target]] = field(default_factory=dict)
    mailbox_targets: dict[str, dict[str, Target]] = field(default_factory=dict)
    mailbox_concern_targets: dict[tuple[str, str], dict[str, Target]] = field(default_factory=dict)
    retry: dict[str, Target] = field(default_factory=lambda: dict(DEFAULT_RETRY))
    needs_listen_hours: float = 4.0
    at_once_grace_minutes: int = 10


DEFAULT_TARGETS = {"emergency": Target("now"), "urgent": Target("minutes", 60),
                   "routine": Target("end_of_next_window")}
DEFAULT_RETRY = {"emergency": Target("minutes", 10), "urgent": Target("minutes", 30),
                 "routine": Target("end_of_next_window")}


@dataclass(frozen=True)
class DuePlan:
    """A due time and why: what the list shows next to the time."""

    due_at: datetime
    target: Target
    rule: str  # which setting chose the target, e.g. "concern billing"
    after_hours: bool
    alert_now: bool  # emergency/urgent: someone is told at once, not at the next opening


# --- loading -------------------------------------------------------------------------------------

def _t(value: str) -> time:
    try:
        hour, minute = value.split(":")
        return time(int(hour), int(minute))
    except (ValueError, AttributeError) as exc:
        raise ScheduleError(f"bad time {value!r}; use HH:MM") from exc


def _span(value, what: str) -> tuple[time, time]:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ScheduleError(f"{what}: expected [\"HH:MM\", \"HH:MM\"]")
    opens, closes = _t(value[0]), _t(value[1])
    if closes <= opens:
        raise ScheduleError(f"{what}: closes before it opens")
    return opens, closes


_MINUTES = re.compile(r"^\s*(\d+)\s*(minutes?|min|m|hours?|h)\s*$")


def parse_target(text: str, what: str = "target") -> Target:
    """'now', 'N minutes', 'N hours', 'end of next window', 'same day', 'next business day'."""
    if not isinstance(text, str | int):
        raise ScheduleError(f"{what}: expected a string, got {text!r}")
    if isinstance(text, int):
        return Target("minutes", text) if text else Target("now")
    norm = text.strip().lower().replace("-", " ").replace("_", " ")
    if norm in ("now", "at once", "0 minutes"):
        return Target("now")
    match = _MINUTES.match(norm)
    if match:
        n = int(match.group(1))
        minutes = n * 60 if match.group(2).startswith("h") else n
        return Target("minutes", minutes) if minutes else Target("now")
    kind = norm.replace(" ", "_")
    if kind in TARGET_KINDS:
        return Target(kind)
    raise ScheduleError(f"{what}: unknown target {text!r}; use now, 'N minutes', 'N hours', "
                        "'end of next window', 'same day' or 'next business day'")


def _targets(raw: dict, what: str) -> dict[str, Target]:
    out = {}
    for urgency, text in raw.items():
        if urgency not in DEFAULT_TARGETS:
            raise ScheduleError(f"{what}: unknown urgency {urgency!r}")
        out[urgency] = parse_target(text, f"{what}.{urgency}")
    return out


def _check_safe(targets: dict[str, Target], defaults: dict[str, Target], what: str) -> None:
    """Emergency and urgent targets stay on the clock, and an override may only make them sooner."""
    for urgency in CLOCK_URGENCIES:
        target = targets.get(urgency)
        if target is None:
            continue
        if target.kind not in ("now", "minutes"):
            raise ScheduleError(f"{what}.{urgency}: must be 'now' or minutes, not {target}")
        base = defaults.get(urgency)
        if base is not None and target.minutes > base.minutes:
            raise ScheduleError(f"{what}.{urgency}: {target} is later than the default {base}")


def load_schedule(path: Path) -> Schedule:
    with open(path, "rb") as fh:
        try:
            raw = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ScheduleError(f"{path}: {exc}") from exc
    return schedule_from_dict(raw)


def schedule_from_dict(raw: dict) -> Schedule:
    hours = {}
    for day, span in raw.get("business_hours", {}).items():
        if day not in WEEKDAYS:
            raise ScheduleError(f"business_hours: unknown day {day!r}; use {', '.join(WEEKDAYS)}")
        hours[WEEKDAYS.index(day)] = _span(span, f"business_hours.{day}")
    window_raw = dict(raw.get("callback_windows", {}))
    windows = tuple(_span(w, "callback_windows") for w in window_raw.pop("windows", []))
    weekday_windows = {}
    for day, spans in window_raw.items():
        if day not in WEEKDAYS:
            raise ScheduleError(f"callback_windows: unknown key {day!r}")
        weekday_windows[WEEKDAYS.index(day)] = tuple(_span(w, f"callback_windows.{day}") for w in spans)
    special = {date.fromisoformat(d): _span(span, f"special_hours.{d}")
               for d, span in raw.get("special_hours", {}).items()}

    target_raw = dict(raw.get("targets", {}))
    concern_raw = target_raw.pop("concern", {})
    mailbox_raw = target_raw.pop("mailbox", {})
    # Older files spelled the clock targets as emergency_minutes / urgent_minutes.
    for urgency in CLOCK_URGENCIES:
        if f"{urgency}_minutes" in target_raw:
            target_raw.setdefault(urgency, int(target_raw.pop(f"{urgency}_minutes")))
    legacy_hours = target_raw.pop("needs_listen_hours", None)
    targets = {**DEFAULT_TARGETS, **_targets(target_raw, "targets")}
    _check_safe(targets, {}, "targets")
    concern_targets = {c: _targets(t, f"targets.concern.{c}") for c, t in concern_raw.items()}
    mailbox_targets, mailbox_concern_targets = {}, {}
    for box, spec in mailbox_raw.items():
        spec = dict(spec)
        for concern, t in spec.pop("concern", {}).items():
            mailbox_concern_targets[(box, concern)] = _targets(t, f"targets.mailbox.{box}.concern.{concern}")
        mailbox_targets[box] = _targets(spec, f"targets.mailbox.{box}")
    for what, overrides in ([(f"targets.concern.{c}", t) for c, t in concern_targets.items()]
                            + [(f"targets.mailbox.{b}", t) for b, t in mailbox_targets.items()]
                            + [(f"targets.mailbox.{b}.concern.{c}", t)
                               for (b, c), t in mailbox_concern_targets.items()]):
        _check_safe(overrides, targets, what)
    retry = {**DEFAULT_RETRY, **_targets(raw.get("retry", {}), "retry")}
    _check_safe(retry, {}, "retry")
    listen_hours = raw.get("needs_listen", {}).get("hours", legacy_hours if legacy_hours is not None else 4)
    return Schedule(
        timezone=ZoneInfo(raw.get("timezone", "UTC")),
        hours=hours,
        windows=windows,
        holidays=frozenset(date.fromisoformat(d) for d in raw.get("holidays", {}).get("dates", [])),
        special_hours=special,
        weekday_windows=weekday_windows,
        targets=targets,
        concern_targets=concern_targets,
        mailbox_targets=mailbox_targets,
        mailbox_concern_targets=mailbox_concern_targets,
        retry=retry,
        needs_listen_hours=float(listen_hours),
        at_once_grace_minutes=int(raw.get("monitoring", {}).get("at_once_grace_minutes", 10)),
    )


# --- the calendar --------------------------------------------------------------------------------

def hours_on(schedule: Schedule, day: date) -> tuple[time, time] | None:
    """Opening and closing time on `day`, or None when closed (weekend, holiday)."""
    if day in schedule.holidays:
        return None
    if day in schedule.special_hours:
        return schedule.special_hours[day]
    return schedule.hours.get(day.weekday())


def is_business_day(schedule: Schedule, day: date) -> bool:
    return hours_on(schedule, day) is not None


def _local(schedule: Schedule, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=schedule.timezone)


def _after(moment: datetime, minutes: int) -> datetime:
    """`moment` plus real elapsed minutes (UTC arithmetic: a DST change does not shift it)."""
    return (moment.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(moment.tzinfo)


def business_days_from(schedule: Schedule, start: date, limit: int = 60) -> Iterator[date]:
    day = start
    for _ in range(limit):
        if is_business_day(schedule, day):
            yield day
        day += timedelta(days=1)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError("times must be timezone-aware")


def is_open(schedule: Schedule, moment: datetime) -> bool:
    _require_aware(moment)
    local = moment.astimezone(schedule.timezone)
    span = hours_on(schedule, local.date())
    return span is not None and span[0] <= local.time() < span[1]


def next_opening(schedule: Schedule, moment: datetime) -> datetime:
    """`moment` itself when open, else the next time the practice opens."""
    _require_aware(moment)
    local = moment.astimezone(schedule.timezone)
    for day in business_days_from(schedule, local.date()):
        opens, closes = hours_on(schedule, day)
        if day == local.date():
            if local.time() >= closes:
                continue
            if local.time() >= opens:
                return moment
        return _local(schedule, day, opens)
    return moment


def windows_on(schedule: Schedule, day: date) -> tuple[tuple[time, time], ...]:
    """The callback windows of a business day, clipped to its hours (a half day loses its afternoon)."""
    span = hours_on(schedule, day)
    if span is None:
        return ()
    windows = schedule.weekday_windows.get(day.weekday(), schedule.windows) or (span,)
    clipped = []
    for start, end in windows:
        start, end = max(start, span[0]), min(end, span[1])
        if start < end:
            clipped.append((start, end))
    return tuple(clipped) or (span,)


def next_window_end(schedule: Schedule, moment: datetime) -> datetime:
    """The end of the first callback window that starts after `moment`."""
    _require_aware(moment)
    local = moment.astimezone(schedule.timezone)
    for day in business_days_from(schedule, local.date()):
        for start, end in windows_on(schedule, day):
            if _local(schedule, day, start) > local:
                return _local(schedule, day, end)
    return _after(moment, 24 * 60)


def close_of_day(schedule: Schedule, moment: datetime) -> datetime:
    """The close of the business day `moment` falls in, or of the next one when closed."""
    opening = next_opening(schedule, moment).astimezone(schedule.timezone)
    span = hours_on(schedule, opening.date())
    return _local(schedule, opening.date(), span[1]) if span else _after(moment, 24 * 60)


def next_business_close(schedule: Schedule, moment: datetime) -> datetime:
    """The close of the first business day that opens after `moment` (one full business day)."""
    _require_aware(moment)
    local = moment.astimezone(schedule.timezone)
    for day in business_days_from(schedule, local.date()):
        opens, closes = hours_on(schedule, day)
        if _local(schedule, day, opens) > local:
            return _local(schedule, day, closes)
    return _after(moment, 24 * 60)


# --- due times -----------------------------------------------------------------------------------

def target_for(schedule: Schedule, urgency: str, concern: str, mailbox: str = "") -> tuple[Target, str]:
    """The most specific target: mailbox+concern, then mailbox, then concern, then the urgency default."""
    candidates = (
        (f"mailbox {mailbox} concern {concern}", schedule.mailbox_concern_targets.get((mailbox, concern))),
        (f"mailbox {mailbox}", schedule.mailbox_targets.get(mailbox)),
        (f"concern {concern}", schedule.concern_targets.get(concern)),
    )
    for rule, table in candidates:
        if table and urgency in table:
            return table[urgency], rule
    target = schedule.targets.get(urgency) or schedule.targets["emergency"]  # unknown urgency: safest
    return target, f"urgency {urgency}"


def apply_target(schedule: Schedule, target: Target, moment: datetime, *, on_clock: bool) -> datetime:
    """The due time `target` gives for something that happened at `moment`.

    `on_clock` targets count from `moment` itself, day or night; others count from the next
    opening when the practice is closed.
    """
    if target.kind == "now":
        return moment if on_clock else next_opening(schedule, moment)
    if target.kind == "minutes":
        return _after(moment if on_clock else next_opening(schedule, moment), target.minutes)
    if target.kind == "end_of_next_window":
        return next_window_end(schedule, moment)
    if target.kind == "same_day":
        return close_of_day(schedule, moment)
    if target.kind == "next_business_day":
        return next_business_close(schedule, moment)
    raise ScheduleError(f"unknown target kind {target.kind!r}")


def plan_due(schedule: Schedule, received: datetime, urgency: str, concern: str,
             needs_listen: bool = False, mailbox: str = "") -> DuePlan:
    """The due time of a new message, with the rule that chose it."""
    _require_aware(received)
    target, rule = target_for(schedule, urgency, concern, mailbox or "")
    on_clock = urgency in CLOCK_URGENCIES or urgency not in DEFAULT_TARGETS
    due = apply_target(schedule, target, received, on_clock=on_clock)
    if needs_listen:
        # Unclear audio is heard the same day: within a few hours of receipt (or of the next
        # opening), and before that day closes.
        start = next_opening(schedule, received)
        heard_by = min(_after(start, round(schedule.needs_listen_hours * 60)), close_of_day(schedule, received))
        if heard_by < due:
            due, rule = heard_by, "needs_listen"
    return DuePlan(due_at=due.astimezone(schedule.timezone), target=target, rule=rule,
                   after_hours=not is_open(schedule, received), alert_now=on_clock)


def due_at(schedule: Schedule, received: datetime, urgency: str, concern: str,
           needs_listen: bool = False, mailbox: str = "") -> datetime:
    """When a new message must be called back (see `plan_due`)."""
    return plan_due(schedule, received, urgency, concern, needs_listen, mailbox).due_at


def retry_due(schedule: Schedule, urgency: str, now: datetime) -> datetime:
    """When to try again after an attempt that did not reach the caller."""
    target = schedule.retry.get(urgency) or schedule.retry["emergency"]
    on_clock = urgency in CLOCK_URGENCIES or urgency not in DEFAULT_TARGETS
    return apply_target(schedule, target, now, on_clock=on_clock).astimezone(schedule.timezone)


def target_met(schedule: Schedule, target_at: datetime, received: datetime, first_attempt: datetime) -> bool:
    """Whether a first attempt met its target; an at-once target allows the monitoring grace."""
    if target_at <= received:
        return first_attempt <= _after(received, schedule.at_once_grace_minutes)
    return first_attempt <= target_at
