"""Due times: when each message must be called back, from rules/schedule.toml.

Pure functions of (received time, urgency, concern, needs_listen, schedule). All times are
timezone-aware; the practice's local calendar (business hours, windows, holidays) is applied in
its own time zone so daylight-saving changes come out right.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ADMIN_CONCERNS = ("billing", "records")


@dataclass(frozen=True)
class Schedule:
    timezone: ZoneInfo
    hours: dict[int, tuple[time, time]]  # weekday number -> (open, close)
    windows: tuple[tuple[time, time], ...]
    holidays: frozenset[date]
    emergency_minutes: int = 0
    urgent_minutes: int = 60
    needs_listen_hours: float = 4.0
    admin_concerns: tuple[str, ...] = ADMIN_CONCERNS
    extra: dict = field(default_factory=dict)


def _t(value: str) -> time:
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


def load_schedule(path: Path) -> Schedule:
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    hours = {
        WEEKDAYS.index(day): (_t(span[0]), _t(span[1]))
        for day, span in raw.get("business_hours", {}).items()
    }
    windows = tuple((_t(a), _t(b)) for a, b in raw.get("callback_windows", {}).get("windows", []))
    targets = raw.get("targets", {})
    return Schedule(
        timezone=ZoneInfo(raw.get("timezone", "UTC")),
        hours=hours,
        windows=windows,
        holidays=frozenset(date.fromisoformat(d) for d in raw.get("holidays", {}).get("dates", [])),
        emergency_minutes=int(targets.get("emergency_minutes", 0)),
        urgent_minutes=int(targets.get("urgent_minutes", 60)),
        needs_listen_hours=float(targets.get("needs_listen_hours", 4)),
        admin_concerns=tuple(targets.get("admin_concerns", ADMIN_CONCERNS)),
    )


def is_business_day(schedule: Schedule, day: date) -> bool:
    return day.weekday() in schedule.hours and day not in schedule.holidays


def _local(schedule: Schedule, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=schedule.timezone)


def business_days_from(schedule: Schedule, start: date, limit: int = 60):
    day = start
    for _ in range(limit):
        if is_business_day(schedule, day):
            yield day
        day += timedelta(days=1)


def is_open(schedule: Schedule, moment: datetime) -> bool:
    local = moment.astimezone(schedule.timezone)
    if not is_business_day(schedule, local.date()):
        return False
    opens, closes = schedule.hours[local.weekday()]
    return opens <= local.time() < closes


def next_window_end(schedule: Schedule, moment: datetime) -> datetime:
    """The end of the first callback window that starts after `moment` (on a business day)."""
    local = moment.astimezone(schedule.timezone)
    windows = schedule.windows or (schedule.hours.get(local.weekday()) or (time(9), time(17)),)
    for day in business_days_from(schedule, local.date()):
        for start, end in windows:
            if _local(schedule, day, start) > local:
                return _local(schedule, day, end)
    return moment + timedelta(days=1)


def next_business_close(schedule: Schedule, moment: datetime) -> datetime:
    """The close of the next business day after the day of `moment`."""
    local = moment.astimezone(schedule.timezone)
    for day in business_days_from(schedule, local.date() + timedelta(days=1)):
        return _local(schedule, day, schedule.hours[day.weekday()][1])
    return moment + timedelta(days=1)


def due_at(schedule: Schedule, received: datetime, urgency: str, concern: str,
           needs_listen: bool = False) -> datetime:
    if urgency == "emergency":
        return received + timedelta(minutes=schedule.emergency_minutes)
    if urgency == "urgent":
        return received + timedelta(minutes=schedule.urgent_minutes)
    if concern in schedule.admin_concerns and not needs_listen:
        due = next_business_close(schedule, received)
    else:
        due = next_window_end(schedule, received)
    if needs_listen:
        # Unclear audio is heard the same day: within a few hours of receipt or of the next opening.
        start = received if is_open(schedule, received) else next_opening(schedule, received)
        due = min(due, start + timedelta(hours=schedule.needs_listen_hours))
    return due


def next_opening(schedule: Schedule, moment: datetime) -> datetime:
    local = moment.astimezone(schedule.timezone)
    for day in business_days_from(schedule, local.date()):
        opens, closes = schedule.hours[day.weekday()]
        if day == local.date() and local.time() >= closes:
            continue
        if day == local.date() and local.time() >= opens:
            return moment
        return _local(schedule, day, opens)
    return moment
