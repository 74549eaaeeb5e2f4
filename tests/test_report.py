"""Report figures on a small fixture history whose right answers were worked out by hand.

Wednesday 25 November 2026 (the test schedule: open 08-17, windows 11-12 and 15-16:30, Thursday a
holiday, billing by the next business day, surgery's urgent target 30 minutes), report as of
Thursday 00:00:

  #  urgency    concern     mailbox  received  target       attempts                      verdict
  1  emergency  symptoms    main     09:00     09:00        reached 09:05                 within (grace 10)
  2  emergency  symptoms    main     13:00     13:00        reached 13:20                 missed
  3  urgent     post_op     main     10:00     11:00        no_answer 10:30, reached 11:30  within
  4  urgent     post_op     surgery  14:00     14:30        reached 15:30                 missed
  5  routine    refill      main     10:00     12:00        reached 11:30                 within
  6  routine    billing     main     10:00     Fri 17:00    left_message 16:00            within, still open
  7  routine    scheduling  main     11:30     16:30        none                          missed, still open
  8  routine    scheduling  main     16:00     Fri 12:00    none                          pending, still open
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from pipeline.callbacks import record_attempt
from pipeline.report import build_report, to_csv, to_html
from pipeline.schedule import plan_due, schedule_from_dict
from pipeline.store import open_db
from tests.factories import add_message
from tests.test_schedule import SCHEDULE_TOML

NY = ZoneInfo("America/New_York")


def wed(hour, minute=0):
    return datetime(2026, 11, 25, hour, minute, tzinfo=NY)


HISTORY = [  # urgency, concern, mailbox, received, [(outcome, at)]
    ("emergency", "symptoms", "main", wed(9), [("reached", wed(9, 5))]),
    ("emergency", "symptoms", "main", wed(13), [("reached", wed(13, 20))]),
    ("urgent", "post_op", "main", wed(10), [("no_answer", wed(10, 30)), ("reached", wed(11, 30))]),
    ("urgent", "post_op", "surgery", wed(14), [("reached", wed(15, 30))]),
    ("routine", "refill", "main", wed(10), [("reached", wed(11, 30))]),
    ("routine", "billing", "main", wed(10), [("left_message", wed(16))]),
    ("routine", "scheduling", "main", wed(11, 30), []),
    ("routine", "scheduling", "main", wed(16), []),
]


@pytest.fixture
def schedule():
    return schedule_from_dict(tomllib.loads(SCHEDULE_TOML))


@pytest.fixture
def db(tmp_path, schedule):
    db = open_db(tmp_path / "history.db")
    for urgency, concern, mailbox, received, attempts in HISTORY:
        due = plan_due(schedule, received, urgency, concern, mailbox=mailbox).due_at
        mid = add_message(db, received=received, due=due, urgency=urgency, concern=concern, mailbox=mailbox)
        for outcome, at in attempts:
            record_attempt(db, schedule, mid, outcome, user="ma", now=at)
    # Outside the period: must not be counted.
    add_message(db, received=datetime(2026, 11, 24, 10, tzinfo=NY), due=datetime(2026, 11, 24, 12, tzinfo=NY))
    return db


@pytest.fixture
def report(db, schedule):
    return build_report(db, schedule, since=date(2026, 11, 25), until=date(2026, 11, 26))


def by_key(report, group):
    return {g["key"]: g for g in report.figures["within_target"][group]}


def test_overall_share_within_target(report):
    summary = report.figures["summary"]
    assert (summary["messages"], summary["counted"], summary["within_target"]) == (8, 7, 4)
    assert summary["share_within_target"] == round(4 / 7, 4)


def test_share_within_target_by_urgency(report):
    groups = by_key(report, "urgency")
    assert [(k, g["within"], g["counted"]) for k, g in groups.items()] == \
        [("emergency", 1, 2), ("urgent", 1, 2), ("routine", 2, 3)]


def test_share_within_target_by_mailbox(report):
    groups = by_key(report, "mailbox")
    assert (groups["surgery"]["within"], groups["surgery"]["counted"]) == (0, 1)
    assert (groups["main"]["within"], groups["main"]["counted"]) == (4, 6)


def test_share_within_target_by_hour_of_arrival(report):
    groups = by_key(report, "hour")
    assert {k: (g["within"], g["counted"]) for k, g in groups.items()} == \
        {"9": (1, 1), "10": (3, 3), "11": (0, 1), "13": (0, 1), "14": (0, 1), "16": (0, 0)}


def test_share_within_target_by_weekday(report):
    assert {k: g["counted"] for k, g in by_key(report, "weekday").items()} == {"wed": 7}


def test_median_time_to_first_attempt_by_urgency(report):
    medians = {r["urgency"]: r["median_first_attempt_min"] for r in report.figures["response_times"]}
    assert medians == {"emergency": 12.5, "urgent": 60.0, "routine": 225.0}


def test_median_time_to_resolution_of_urgent_calls(report):
    urgent = next(r for r in report.figures["response_times"] if r["urgency"] == "urgent")
    assert (urgent["resolved"], urgent["median_resolution_min"]) == (2, 90.0)


def test_daily_volume(report):
    [day] = report.figures["daily_volume"]
    assert (day["date"], day["emergency"], day["urgent"], day["routine"]) == ("2026-11-25", 2, 2, 4)


def test_backlog_at_noon_and_at_close(report):
    timeline = {p["at"][11:16]: p for p in report.figures["backlog_timeline"]}
    assert (timeline["12:00"]["open"], timeline["12:00"]["past_target"]) == (2, 0)
    assert (timeline["17:00"]["open"], timeline["17:00"]["past_target"]) == (3, 1)


def test_still_open_and_never_called_past_target(report):
    summary = report.figures["summary"]
    assert (summary["open"], summary["open_past_target_not_called"]) == (3, 1)


def test_outcome_counts(report):
    assert report.figures["summary"]["outcomes"] == {"reached": 5, "no_answer": 1, "left_message": 1}


def test_attempts_after_the_as_of_moment_are_ignored(db, schedule):
    early = build_report(db, schedule, since=date(2026, 11, 25), until=date(2026, 11, 26),
                         now=wed(12))  # as of Wednesday noon
    urgency = {g["key"]: g for g in early.figures["within_target"]["urgency"]}
    # By noon only #1, #3, #5, #6, #7 have arrived; #6's 16:00 attempt has not happened yet.
    assert early.figures["summary"]["messages"] == 5
    assert (urgency["emergency"]["within"], urgency["emergency"]["counted"]) == (1, 1)
    assert early.figures["summary"]["outcomes"] == {"reached": 3, "no_answer": 1}


def test_csv_has_one_row_per_message_and_no_phone_numbers(report):
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert len(rows) == 8
    assert [r["within_target"] for r in rows].count("pending") == 1
    assert "555" not in to_csv(report)


def test_html_embeds_its_charts(report):
    html = to_html(report)
    assert html.count("data:image/png;base64,") == 4
    assert "4 of 7 messages (57%)" in html


def test_report_command_writes_json(db, tmp_path):
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        __import__("pipeline.cli", fromlist=["main"]).main,
        ["--db", str(tmp_path / "history.db"), "report", "--since", "2026-11-25", "--until", "2026-11-26",
         "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["summary"]["messages"] == 8
