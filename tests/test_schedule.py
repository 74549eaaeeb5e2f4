"""Due times with a frozen clock: weekends, holidays, after hours, half days and DST changes.

Every received time is given explicitly, so the "clock" is frozen by construction.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from pipeline.paths import RULES_DIR
from pipeline.schedule import ScheduleError, load_schedule, plan_due, retry_due, schedule_from_dict

NY = ZoneInfo("America/New_York")

SCHEDULE_TOML = """
timezone = "America/New_York"
[business_hours]
mon = ["08:00", "17:00"]
tue = ["08:00", "17:00"]
wed = ["08:00", "17:00"]
thu = ["08:00", "17:00"]
fri = ["08:00", "17:00"]
[callback_windows]
windows = [["11:00", "12:00"], ["15:00", "16:30"]]
[holidays]
dates = ["2026-11-26", "2026-12-25"]
[special_hours]
"2026-12-24" = ["08:00", "12:00"]
[targets]
emergency = "now"
urgent = "60 minutes"
routine = "end of next window"
[targets.concern.billing]
routine = "next business day"
[targets.mailbox.surgery]
urgent = "30 minutes"
routine = "same day"
[targets.mailbox.surgery.concern.records]
routine = "next business day"
[needs_listen]
hours = 4
"""


@pytest.fixture
def schedule():
    return schedule_from_dict(tomllib.loads(SCHEDULE_TOML))


def local(*args) -> datetime:
    return datetime(*args, tzinfo=NY)


def due(schedule, received, urgency="routine", concern="scheduling", **kw):
    return plan_due(schedule, received, urgency, concern, **kw).due_at


def test_the_shipped_schedule_loads():
    schedule = load_schedule(RULES_DIR / "schedule.toml")
    assert schedule.targets["urgent"].minutes == 60


def test_urgent_is_due_sixty_minutes_after_receipt(schedule):
    assert due(schedule, local(2026, 11, 25, 10, 0), "urgent") == local(2026, 11, 25, 11, 0)


def test_emergency_is_due_at_once_and_alerts(schedule):
    plan = plan_due(schedule, local(2026, 11, 28, 3, 0), "emergency", "symptoms")
    assert plan.due_at == local(2026, 11, 28, 3, 0)
    assert plan.alert_now and plan.after_hours


def test_urgent_on_a_saturday_night_runs_on_the_clock(schedule):
    plan = plan_due(schedule, local(2026, 11, 28, 22, 0), "urgent", "post_op")
    assert plan.due_at == local(2026, 11, 28, 23, 0)
    assert plan.alert_now


def test_routine_in_the_morning_is_due_at_the_end_of_the_late_morning_window(schedule):
    assert due(schedule, local(2026, 11, 25, 10, 0)) == local(2026, 11, 25, 12, 0)


def test_routine_during_a_window_waits_for_the_next_window(schedule):
    assert due(schedule, local(2026, 11, 25, 11, 30)) == local(2026, 11, 25, 16, 30)


def test_routine_before_a_holiday_skips_the_holiday(schedule):
    # Wednesday afternoon before Thanksgiving (Thursday): the next window is Friday late morning.
    assert due(schedule, local(2026, 11, 25, 16, 0)) == local(2026, 11, 27, 12, 0)


def test_routine_on_friday_evening_is_due_monday(schedule):
    plan = plan_due(schedule, local(2026, 11, 27, 18, 0), "routine", "refill")
    assert plan.due_at == local(2026, 11, 30, 12, 0)
    assert plan.after_hours and not plan.alert_now


def test_billing_is_due_by_the_close_of_the_next_business_day(schedule):
    assert due(schedule, local(2026, 11, 27, 10, 0), concern="billing") == local(2026, 11, 30, 17, 0)


def test_billing_on_the_weekend_is_due_by_monday_close(schedule):
    assert due(schedule, local(2026, 11, 28, 9, 0), concern="billing") == local(2026, 11, 30, 17, 0)


def test_billing_before_a_holiday_counts_the_next_open_day(schedule):
    assert due(schedule, local(2026, 11, 25, 10, 0), concern="billing") == local(2026, 11, 27, 17, 0)


def test_a_concern_override_does_not_touch_other_urgencies(schedule):
    assert due(schedule, local(2026, 11, 25, 10, 0), "urgent", "billing") == local(2026, 11, 25, 11, 0)


def test_a_mailbox_override_beats_the_default(schedule):
    assert due(schedule, local(2026, 11, 25, 10, 0), "urgent", "post_op", mailbox="surgery") == \
        local(2026, 11, 25, 10, 30)
    assert due(schedule, local(2026, 11, 25, 9, 0), mailbox="surgery") == local(2026, 11, 25, 17, 0)


def test_a_mailbox_concern_override_beats_the_mailbox_rule(schedule):
    plan = plan_due(schedule, local(2026, 11, 27, 9, 0), "routine", "records", mailbox="surgery")
    assert plan.due_at == local(2026, 11, 30, 17, 0)
    assert plan.rule == "mailbox surgery concern records"


def test_an_override_may_not_make_urgent_later():
    raw = tomllib.loads(SCHEDULE_TOML)
    raw["targets"]["mailbox"]["surgery"]["urgent"] = "90 minutes"
    with pytest.raises(ScheduleError, match="later than the default"):
        schedule_from_dict(raw)


def test_urgent_may_not_wait_for_a_window():
    raw = tomllib.loads(SCHEDULE_TOML)
    raw["targets"]["urgent"] = "end of next window"
    with pytest.raises(ScheduleError, match="must be 'now' or minutes"):
        schedule_from_dict(raw)


def test_needs_listen_is_due_the_same_day(schedule):
    # Routine would wait until Friday (Thursday is a holiday); unclear audio is heard by Wednesday's close.
    plan = plan_due(schedule, local(2026, 11, 25, 15, 30), "routine", "other", needs_listen=True)
    assert plan.due_at == local(2026, 11, 25, 17, 0)
    assert plan.rule == "needs_listen"


def test_needs_listen_after_hours_is_due_hours_after_the_next_opening(schedule):
    assert due(schedule, local(2026, 11, 28, 14, 0), concern="billing", needs_listen=True) == \
        local(2026, 11, 30, 12, 0)


def test_half_day_drops_the_afternoon_window(schedule):
    # Christmas Eve closes at noon, Christmas is a holiday: next window is Monday late morning.
    assert due(schedule, local(2026, 12, 24, 11, 30)) == local(2026, 12, 28, 12, 0)


def test_urgent_across_the_autumn_dst_change_is_sixty_real_minutes():
    schedule = schedule_from_dict(tomllib.loads(SCHEDULE_TOML))
    received = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, the first of two 01:30s
    assert due(schedule, received, "urgent").astimezone(UTC) - received == timedelta(minutes=60)


def test_urgent_across_the_spring_dst_change_is_sixty_real_minutes(schedule):
    received = local(2026, 3, 8, 1, 30)  # EST; 02:00 jumps to 03:00
    result = due(schedule, received, "urgent")
    assert result.astimezone(UTC) - received.astimezone(UTC) == timedelta(minutes=60)
    assert (result.hour, result.minute) == (3, 30)


def test_window_after_spring_forward_is_noon_daylight_time(schedule):
    result = due(schedule, local(2026, 3, 7, 20, 0))  # Saturday before the change
    assert result.astimezone(UTC) == datetime(2026, 3, 9, 16, 0, tzinfo=UTC)


def test_window_after_fall_back_is_noon_standard_time(schedule):
    result = due(schedule, local(2026, 10, 30, 18, 0))  # Friday before the change
    assert result.astimezone(UTC) == datetime(2026, 11, 2, 17, 0, tzinfo=UTC)


def test_retry_after_an_unreached_urgent_call_is_thirty_minutes(schedule):
    assert retry_due(schedule, "urgent", local(2026, 11, 28, 22, 0)) == local(2026, 11, 28, 22, 30)


def test_retry_after_an_unreached_routine_call_is_the_next_window(schedule):
    assert retry_due(schedule, "routine", local(2026, 11, 25, 11, 15)) == local(2026, 11, 25, 16, 30)


def test_naive_times_are_refused(schedule):
    with pytest.raises(ValueError, match="timezone-aware"):
        plan_due(schedule, datetime(2026, 11, 25, 10, 0), "routine", "refill")


def test_a_routine_clock_target_after_hours_counts_from_the_next_opening():
    raw = tomllib.loads(SCHEDULE_TOML)
    raw["targets"]["mailbox"]["pediatrics"] = {"routine": "2 hours"}
    schedule = schedule_from_dict(raw)
    assert due(schedule, local(2026, 11, 28, 9, 0), mailbox="pediatrics") == local(2026, 11, 30, 10, 0)


def test_same_day_after_hours_means_the_close_of_the_next_open_day(schedule):
    assert due(schedule, local(2026, 11, 27, 19, 0), mailbox="surgery") == local(2026, 11, 30, 17, 0)
