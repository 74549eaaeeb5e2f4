"""`vmtriage report`: the response-time report as HTML (charts embedded), JSON or CSV.

The figures come from monitoring.py; this module only draws and formats them. Charts are
matplotlib PNGs embedded as base64, so the HTML is one file a manager can open or e-mail.
"""

from __future__ import annotations

import base64
import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import jinja2
import sqlite_utils

from .monitoring import CSV_FIELDS, MessageTiming, figures, findings, load_history, message_timings
from .schedule import Schedule
from .store import utcnow

COLOURS = {"emergency": "#c0392b", "urgent": "#e67e22", "routine": "#2e86c1"}
BUCKETS = ((15, "≤15 min"), (60, "15–60 min"), (240, "1–4 h"), (1440, "4–24 h"), (4320, "1–3 days"),
           (float("inf"), "> 3 days"))


@dataclass
class Report:
    figures: dict
    timings: list[MessageTiming]
    findings: list[str]


def build_report(db: sqlite_utils.Database, schedule: Schedule, since: date, until: date | None = None,
                 now: datetime | None = None) -> Report:
    """Messages received from `since` (local midnight) up to `until` (exclusive; default: now)."""
    now = now or utcnow()
    start = datetime.combine(since, time(0), tzinfo=schedule.timezone)
    end = datetime.combine(until, time(0), tzinfo=schedule.timezone) if until else now
    as_of = min(end, now)
    messages, attempts = load_history(db, start, as_of)  # nothing that had not happened yet
    timings = message_timings(messages, attempts, schedule, as_of)
    figs = figures(timings, schedule, start, end, as_of)
    return Report(figs, timings, findings(figs))


# --- formats -------------------------------------------------------------------------------------

def to_json(report: Report) -> str:
    return json.dumps(report.figures, indent=2)


def to_csv(report: Report) -> str:
    """One row per message (no names, numbers or words from the message)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(t.row() for t in report.timings)
    return out.getvalue()


def to_html(report: Report) -> str:
    charts = {
        "response": chart_response_times(report.timings),
        "volume": chart_daily_volume(report.figures["daily_volume"]),
        "backlog": chart_backlog(report.figures["backlog_timeline"]),
        "by_hour": chart_share_by_hour(report.figures["within_target"]["hour"]),
    }
    return _TEMPLATE.render(f=report.figures, findings=report.findings, charts=charts,
                            generated=utcnow().isoformat(timespec="minutes"), pct=_pct, mins=_mins)


def _pct(share) -> str:
    return "–" if share is None else f"{share:.0%}"


def _mins(minutes) -> str:
    if minutes is None:
        return "–"
    if minutes < 90:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} days"


# --- charts --------------------------------------------------------------------------------------

def _figure(width=8.0, height=3.2):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", alpha=0.3)
    return plt, fig, ax


def _png(plt, fig) -> str:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def bucket_of(minutes: float | None) -> str:
    if minutes is None:
        return "not yet called"
    return next(label for limit, label in BUCKETS if minutes <= limit)


def chart_response_times(timings: list[MessageTiming]) -> str:
    """Grouped bars: how many messages got their first call back within each time band, by urgency."""
    plt, fig, ax = _figure()
    labels = [label for _, label in BUCKETS] + ["not yet called"]
    width = 0.27
    for n, urgency in enumerate(COLOURS):
        items = [t for t in timings if t.urgency == urgency]
        if not items:
            continue
        counts = [sum(1 for t in items if bucket_of(t.minutes_to_first_attempt) == label) for label in labels]
        xs = [i + (n - 1) * width for i in range(len(labels))]
        ax.bar(xs, counts, width, color=COLOURS[urgency], label=f"{urgency} (n={len(items)})")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylabel("messages")
    ax.set_title("Time from voicemail to first call back")
    ax.legend(frameon=False)
    return _png(plt, fig)


def chart_daily_volume(days: list[dict]) -> str:
    plt, fig, ax = _figure()
    labels = [f"{d['weekday'].title()} {d['date'][5:]}" for d in days]
    bottom = [0] * len(days)
    for urgency, colour in COLOURS.items():
        values = [d[urgency] for d in days]
        ax.bar(labels, values, bottom=bottom, color=colour, label=urgency)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.plot(labels, [d["after_hours"] for d in days], "k.--", label="of which after hours")
    ax.set_ylabel("voicemails")
    ax.set_title("Voicemails received per day")
    ax.legend(frameon=False, ncols=4)
    return _png(plt, fig)


def chart_backlog(timeline: list[dict]) -> str:
    """Open messages at every hour; shaded where the practice is closed."""
    plt, fig, ax = _figure(9.0, 3.4)
    times = [datetime.fromisoformat(p["at"]).replace(tzinfo=None) for p in timeline]
    ax.plot(times, [p["open"] for p in timeline], color="#2e86c1", label="open")
    ax.fill_between(times, [p["past_target"] for p in timeline], color="#c0392b", alpha=0.5,
                    label="past target, not yet called")
    for p, t in zip(timeline, times, strict=True):
        if not p["practice_open"]:
            ax.axvspan(t, t + timedelta(hours=1), color="#999", alpha=0.12, lw=0)
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.DayLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%a %d"))
    ax.set_ylabel("messages")
    ax.set_title("Backlog through the week (grey: practice closed)")
    ax.legend(frameon=False, loc="upper left")
    return _png(plt, fig)


def chart_share_by_hour(rows: list[dict]) -> str:
    plt, fig, ax = _figure(8.0, 2.8)
    rows = [r for r in rows if r["share"] is not None]
    hours = [int(r["key"]) for r in rows]
    ax.bar(hours, [r["share"] * 100 for r in rows], color="#16a085")
    for h, r in zip(hours, rows, strict=True):
        ax.text(h, 2, str(r["counted"]), ha="center", fontsize=7, color="white")
    ax.set_xticks(range(0, 24, 2))
    ax.set_ylim(0, 100)
    ax.set_xlabel("hour the voicemail arrived (numbers: messages)")
    ax.set_ylabel("% within target")
    ax.set_title("Share called back within target, by hour of arrival")
    return _png(plt, fig)


_TEMPLATE = jinja2.Environment(autoescape=True).from_string("""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Callback report</title>
<style>
body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222;padding:0 1em}
h1{margin-bottom:.2em} .muted{color:#666} table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{padding:.25em .7em;border-bottom:1px solid #ddd;text-align:right} th:first-child,td:first-child{text-align:left}
.cards{display:flex;gap:1em;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:9em}
.card b{font-size:1.6em;display:block} img{max-width:100%} .bad{color:#c0392b;font-weight:600}
details{margin:1em 0} table.compact td,table.compact th{padding:.2em .25em;font-size:.8em}
</style></head><body>
<h1>Callback report</h1>
<p class="muted">Voicemails received {{ f.period.since[:10] }} to {{ f.period.until[:16].replace('T', ' ') }}
({{ f.period.timezone }}), figures as of {{ f.period.as_of[:16].replace('T', ' ') }}. Generated {{ generated }} UTC.</p>
<div class="cards">
<div class="card"><b>{{ f.summary.messages }}</b>voicemails</div>
<div class="card"><b>{{ pct(f.summary.share_within_target) }}</b>first call back within target</div>
<div class="card"><b>{{ f.summary.open }}</b>still open</div>
<div class="card"><b class="{{ 'bad' if f.summary.open_past_target_not_called else '' }}">
{{ f.summary.open_past_target_not_called }}</b>open, past target, never called</div>
<div class="card"><b>{{ f.summary.needs_listen }}</b>needed a person to listen</div>
</div>
<h2>What stands out</h2>
<ul>{% for line in findings %}<li>{{ line }}</li>{% endfor %}</ul>

<h2>How fast callers hear back</h2>
<img alt="Bar chart of time to first call back by urgency" src="data:image/png;base64,{{ charts.response }}">
<table><tr><th>urgency</th><th>voicemails</th><th>called</th><th>median to first call</th><th>90% called within</th>
<th>resolved</th><th>median to resolution</th></tr>
{% for r in f.response_times %}<tr><td>{{ r.urgency }}</td><td>{{ r.messages }}</td><td>{{ r.attempted }}</td>
<td>{{ mins(r.median_first_attempt_min) }}</td><td>{{ mins(r.p90_first_attempt_min) }}</td><td>{{ r.resolved }}</td>
<td>{{ mins(r.median_resolution_min) }}</td></tr>{% endfor %}</table>

<h2>Volume</h2>
<img alt="Stacked bars of voicemails per day by urgency" src="data:image/png;base64,{{ charts.volume }}">

<h2>Backlog</h2>
<img alt="Line chart of open messages through the week" src="data:image/png;base64,{{ charts.backlog }}">
<p>Average number of messages open at each hour of the day:</p>
<table class="compact"><tr><th>hour</th>
{% for r in f.backlog_by_hour_of_day %}<th>{{ '%02d' % r.hour }}</th>{% endfor %}</tr>
<tr><td>open</td>{% for r in f.backlog_by_hour_of_day %}<td>{{ '%.0f' % r.mean_open }}</td>{% endfor %}</tr>
<tr><td>past target</td>{% for r in f.backlog_by_hour_of_day %}<td>{{ '%.0f' % r.mean_past_target }}</td>
{% endfor %}</tr></table>

<h2>Within target, by group</h2>
<img alt="Bars of share within target by hour of arrival" src="data:image/png;base64,{{ charts.by_hour }}">
{% for group, title in [('urgency', 'Urgency'), ('concern', 'Concern'), ('mailbox', 'Mailbox'),
                        ('weekday', 'Day received'), ('hour', 'Hour received')] %}
<h3>{{ title }}</h3>
<table><tr><th>{{ group }}</th><th>voicemails</th><th>counted</th><th>within target</th><th>share</th>
<th>median to first call</th><th>median to resolution</th></tr>
{% for g in f.within_target[group] %}<tr><td>{{ g.key }}</td><td>{{ g.messages }}</td><td>{{ g.counted }}</td>
<td>{{ g.within }}</td><td>{{ pct(g.share) }}</td><td>{{ mins(g.median_first_attempt_min) }}</td>
<td>{{ mins(g.median_resolution_min) }}</td></tr>{% endfor %}</table>
{% endfor %}
<h2>Call outcomes</h2>
<table><tr><th>outcome</th><th>attempts</th></tr>
{% for k, v in f.summary.outcomes.items() %}<tr><td>{{ k.replace('_', ' ') }}</td><td>{{ v }}</td></tr>{% endfor %}
</table>
<details><summary>How these figures are counted</summary>
<p>The target is the due time the message got when it arrived (from rules/schedule.toml: emergency at once,
urgent within 60 minutes, routine by the end of the next callback window, billing and records by the next
business day). A message counts as within target when its first call-back attempt (any outcome) came by then;
an "at once" target allows a few minutes' grace. A message not yet called counts as missed once its target has
passed, and is not counted before. "Counted" is the number of messages with a verdict. Times are clock time,
so a routine voicemail left on Friday night and returned on Monday morning shows a long time but can still be
within target.</p></details>
</body></html>
""")
