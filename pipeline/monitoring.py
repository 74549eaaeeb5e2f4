"""Response-time monitoring: how long callbacks really take, and where they pile up.

Per message: time to first attempt and to resolution, and whether the first attempt met the
target (the first due time, kept in `messages.target_at`). A message not yet attempted counts as
missed once its target has passed, and is left out (pending) before that. An at-once target
("now") counts as met within the schedule's `at_once_grace_minutes`.

Everything is computed "as of" a moment: attempts and closures after it are ignored, so a report
for last week reads the same tomorrow. Times are grouped in the practice's local time.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

import sqlite_utils

from .records import URGENCIES
from .schedule import WEEKDAYS, Schedule, hours_on, target_met
from .store import iso

GROUPS = ("urgency", "concern", "mailbox", "hour", "weekday")
CSV_FIELDS = ("id", "received", "weekday", "hour", "urgency", "concern", "mailbox", "needs_listen", "target",
              "first_attempt", "closed", "attempts", "minutes_to_first_attempt", "minutes_to_resolution",
              "within_target", "last_outcome")


@dataclass(frozen=True)
class MessageTiming:
    id: int
    received: datetime  # local time
    urgency: str
    concern: str
    mailbox: str
    needs_listen: bool
    target: datetime
    first_attempt: datetime | None
    closed: datetime | None
    attempts: int
    outcomes: tuple[str, ...]
    within_target: bool | None  # None: not attempted and not yet due

    @property
    def minutes_to_first_attempt(self) -> float | None:
        return _minutes(self.received, self.first_attempt)

    @property
    def minutes_to_resolution(self) -> float | None:
        return _minutes(self.received, self.closed)

    @property
    def hour(self) -> int:
        return self.received.hour

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.received.weekday()]

    def row(self) -> dict:
        """One line of the CSV export: no names, numbers or words from the message."""
        def fmt(dt):
            return dt.isoformat(timespec="minutes") if dt else ""

        def num(x):
            return "" if x is None else round(x, 1)

        return {
            "id": self.id, "received": fmt(self.received), "weekday": self.weekday, "hour": self.hour,
            "urgency": self.urgency, "concern": self.concern, "mailbox": self.mailbox,
            "needs_listen": int(self.needs_listen), "target": fmt(self.target),
            "first_attempt": fmt(self.first_attempt), "closed": fmt(self.closed), "attempts": self.attempts,
            "minutes_to_first_attempt": num(self.minutes_to_first_attempt),
            "minutes_to_resolution": num(self.minutes_to_resolution),
            "within_target": {True: "yes", False: "no", None: "pending"}[self.within_target],
            "last_outcome": self.outcomes[-1] if self.outcomes else "",
        }


def _minutes(start: datetime, end: datetime | None) -> float | None:
    return None if end is None else (end - start).total_seconds() / 60


def _dt(value: str | None, schedule: Schedule) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(schedule.timezone) if value else None


# --- reading the store ---------------------------------------------------------------------------

def load_history(db: sqlite_utils.Database, since: datetime, until: datetime) -> tuple[list[dict], list[dict]]:
    """Messages received in [since, until) and their callback attempts."""
    messages = list(db.query(
        "select id, received_at, urgency, concern, mailbox, needs_listen, due_at, target_at, closed_at, status "
        "from messages where received_at >= ? and received_at < ? order by received_at, id",
        [iso(since), iso(until)]))
    ids = [m["id"] for m in messages]
    attempts: list[dict] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        attempts += list(db.query(
            f"select message_id, outcome, at from callbacks where message_id in ({','.join('?' * len(chunk))}) "
            "order by at, id", chunk))
    return messages, attempts


# --- per message ---------------------------------------------------------------------------------

def message_timings(messages: list[dict], attempts: list[dict], schedule: Schedule,
                    as_of: datetime) -> list[MessageTiming]:
    by_message: dict[int, list[dict]] = defaultdict(list)
    for attempt in attempts:
        if datetime.fromisoformat(attempt["at"]) <= as_of:
            by_message[attempt["message_id"]].append(attempt)
    out = []
    for m in messages:
        received = _dt(m["received_at"], schedule)
        target = _dt(m.get("target_at") or m["due_at"], schedule)
        tries = by_message.get(m["id"], [])
        first = _dt(tries[0]["at"], schedule) if tries else None
        closed = _dt(m["closed_at"], schedule)
        if closed is not None and closed > as_of:
            closed = None
        if first is not None:
            within = target_met(schedule, target, received, first)
        else:
            grace = timedelta(minutes=schedule.at_once_grace_minutes) if target <= received else timedelta(0)
            within = False if as_of > target + grace else None
        out.append(MessageTiming(
            id=m["id"], received=received, urgency=m["urgency"], concern=m["concern"], mailbox=m["mailbox"] or "",
            needs_listen=bool(m["needs_listen"]), target=target, first_attempt=first, closed=closed,
            attempts=len(tries), outcomes=tuple(t["outcome"] for t in tries), within_target=within,
        ))
    return out


# --- figures -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GroupFigure:
    key: str
    messages: int  # received in the period
    counted: int  # with a verdict (attempted, or past target)
    within: int
    share: float | None  # within / counted
    median_first_attempt_min: float | None
    median_resolution_min: float | None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, -(-9 * len(ordered) // 10) - 1))], 1)  # nearest rank


def group_figure(key: str, items: list[MessageTiming]) -> GroupFigure:
    counted = [t for t in items if t.within_target is not None]
    within = sum(1 for t in counted if t.within_target)
    return GroupFigure(
        key=key, messages=len(items), counted=len(counted), within=within,
        share=round(within / len(counted), 4) if counted else None,
        median_first_attempt_min=_median([t.minutes_to_first_attempt for t in items
                                          if t.minutes_to_first_attempt is not None]),
        median_resolution_min=_median([t.minutes_to_resolution for t in items if t.minutes_to_resolution is not None]),
    )


def _group_order(group: str, keys: set) -> list:
    if group == "urgency":
        return [u for u in URGENCIES if u in keys] + sorted(k for k in keys if k not in URGENCIES)
    if group == "weekday":
        return [d for d in WEEKDAYS if d in keys]
    return sorted(keys)


def share_within_target(timings: list[MessageTiming], group: str) -> list[GroupFigure]:
    buckets: dict = defaultdict(list)
    for t in timings:
        buckets[getattr(t, group)].append(t)
    return [group_figure(str(key), buckets[key]) for key in _group_order(group, set(buckets))]


def backlog_timeline(timings: list[MessageTiming], schedule: Schedule, start: datetime,
                     end: datetime) -> list[dict]:
    """At the top of every hour: messages open (received, not closed) and open past their target."""
    points = []
    t = start.astimezone(schedule.timezone).replace(minute=0, second=0, microsecond=0)
    while t <= end:
        open_now = [m for m in timings if m.received <= t and (m.closed is None or m.closed > t)]
        past = [m for m in open_now if m.target < t and (m.first_attempt is None or m.first_attempt > t)]
        span = hours_on(schedule, t.date())
        points.append({"at": t.isoformat(timespec="minutes"), "open": len(open_now), "past_target": len(past),
                       "practice_open": bool(span and span[0] <= t.time() < span[1])})
        t = (t + timedelta(hours=1)).astimezone(schedule.timezone)
    return points


def backlog_by_hour_of_day(timeline: list[dict]) -> list[dict]:
    """Mean open and past-target counts at each hour of the day, over the days in the period."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for point in timeline:
        hour = datetime.fromisoformat(point["at"]).hour
        sums[hour][0] += point["open"]
        sums[hour][1] += point["past_target"]
        sums[hour][2] += 1
    return [{"hour": h, "mean_open": round(s[0] / s[2], 2), "mean_past_target": round(s[1] / s[2], 2)}
            for h, s in sorted(sums.items())]


def daily_volume(timings: list[MessageTiming], schedule: Schedule) -> list[dict]:
    days: dict[date, Counter] = defaultdict(Counter)
    for t in timings:
        days[t.received.date()][t.urgency] += 1
        if hours_on(schedule, t.received.date()) is None or not _in_hours(schedule, t.received):
            days[t.received.date()]["after_hours"] += 1
    return [{"date": d.isoformat(), "weekday": WEEKDAYS[d.weekday()], "total": sum(c[u] for u in URGENCIES),
             **{u: c[u] for u in URGENCIES}, "after_hours": c["after_hours"]} for d, c in sorted(days.items())]


def _in_hours(schedule: Schedule, local: datetime) -> bool:
    span = hours_on(schedule, local.date())
    return bool(span and span[0] <= local.time() < span[1])


def response_times(timings: list[MessageTiming]) -> list[dict]:
    out = []
    for urgency in URGENCIES:
        items = [t for t in timings if t.urgency == urgency]
        if not items:
            continue
        first = [t.minutes_to_first_attempt for t in items if t.minutes_to_first_attempt is not None]
        resolved = [t.minutes_to_resolution for t in items if t.minutes_to_resolution is not None]
        out.append({"urgency": urgency, "messages": len(items), "attempted": len(first), "resolved": len(resolved),
                    "median_first_attempt_min": _median(first), "p90_first_attempt_min": _p90(first),
                    "median_resolution_min": _median(resolved), "p90_resolution_min": _p90(resolved)})
    return out


def figures(timings: list[MessageTiming], schedule: Schedule, since: datetime, until: datetime,
            as_of: datetime) -> dict:
    """Every figure the report shows, as plain data (the JSON format)."""
    counted = [t for t in timings if t.within_target is not None]
    timeline = backlog_timeline(timings, schedule, since, min(until, as_of))
    open_at_end = [t for t in timings if t.closed is None]
    return {
        "period": {"since": since.isoformat(timespec="minutes"), "until": until.isoformat(timespec="minutes"),
                   "as_of": as_of.isoformat(timespec="minutes"), "timezone": str(schedule.timezone)},
        "summary": {
            "messages": len(timings),
            "closed": len(timings) - len(open_at_end),
            "open": len(open_at_end),
            "open_past_target_not_called": sum(1 for t in open_at_end
                                               if t.within_target is False and t.first_attempt is None),
            "needs_listen": sum(1 for t in timings if t.needs_listen),
            "counted": len(counted),
            "within_target": sum(1 for t in counted if t.within_target),
            "share_within_target": round(sum(1 for t in counted if t.within_target) / len(counted), 4)
            if counted else None,
            "attempts": sum(t.attempts for t in timings),
            "outcomes": dict(Counter(o for t in timings for o in t.outcomes)),
        },
        "response_times": response_times(timings),
        "within_target": {group: [asdict(g) for g in share_within_target(timings, group)] for group in GROUPS},
        "daily_volume": daily_volume(timings, schedule),
        "backlog_by_hour_of_day": backlog_by_hour_of_day(timeline),
        "backlog_timeline": timeline,
    }


def findings(figs: dict, min_messages: int = 5) -> list[str]:
    """A few plain sentences for the manager: where callbacks are slowest."""
    out = []
    summary = figs["summary"]
    if summary["share_within_target"] is not None:
        out.append(f"{summary['within_target']} of {summary['counted']} messages "
                   f"({summary['share_within_target']:.0%}) got a first call back within target.")
    for group, label in (("mailbox", "mailbox"), ("concern", "concern"), ("weekday", "day"), ("hour", "hour")):
        rows = [g for g in figs["within_target"][group] if g["counted"] >= min_messages and g["share"] is not None]
        if len(rows) < 2:
            continue
        worst = min(rows, key=lambda g: g["share"])
        key = f"{int(worst['key']):02d}:00" if group == "hour" else worst["key"]
        out.append(f"Lowest share within target by {label}: {key}, {worst['share']:.0%} "
                   f"({worst['within']} of {worst['counted']}).")
    # The peak while staff are in: what they face (the weekend pile shows in the chart anyway).
    staffed = [p for p in figs["backlog_timeline"] if p["practice_open"]] or figs["backlog_timeline"]
    peak = max(staffed, key=lambda p: p["open"], default=None)
    if peak and peak["open"]:
        at = datetime.fromisoformat(peak["at"])
        out.append(f"During opening hours the backlog peaked at {peak['open']} open messages "
                   f"({peak['past_target']} past target, not yet called) on {WEEKDAYS[at.weekday()].title()} "
                   f"{at:%d %b} at {at:%H:%M}.")
    end = figs["backlog_timeline"][-1] if figs["backlog_timeline"] else None
    if end and end["open"]:
        out.append(f"At the end of the period {end['open']} messages were open, {end['past_target']} of them "
                   "past target and not yet called.")
    return out
