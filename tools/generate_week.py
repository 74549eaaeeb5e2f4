"""Generate a realistic week of voicemails and callbacks, for trying `vmtriage report`.

Messages are stored through the real store (insert_message), due times come from the real
schedule (rules/schedule.toml), and a simulated front office works the real ranked list
(store.open_messages) and records each attempt with callbacks.record_attempt. Nothing here is a
real patient: numbers are in the fictional 555-01xx range and transcripts are stock phrases.

    python tools/generate_week.py --db data/week.db --start 2026-11-16
    vmtriage --db data/week.db report --since 2026-11-16 --until 2026-11-23 --out data/week.html

Arrivals surge on Monday morning and after lunch; Friday afternoon runs with one assistant
instead of two; emergencies go to the on-call clinician at any hour.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipeline.callbacks import record_attempt, set_callback_number  # noqa: E402
from pipeline.paths import RULES_DIR  # noqa: E402
from pipeline.records import AudioInfo, CallMetadata, Extraction, Transcript, TriageResult  # noqa: E402
from pipeline.schedule import is_open, load_schedule, plan_due, windows_on  # noqa: E402
from pipeline.store import get_message, insert_message, iso, open_db, open_messages  # noqa: E402

DAY_VOLUME = (78, 56, 50, 52, 58, 14, 11)  # Monday .. Sunday
HOUR_WEIGHT = [1, 0.5, 0.3, 0.3, 0.4, 0.8, 2, 5, 9, 8, 7, 6, 5, 7, 6, 5, 4, 3, 2.5, 2, 1.5, 1.2, 1, 1]
WEEKEND_HOUR_WEIGHT = [0.5, 0.3, 0.2, 0.2, 0.2, 0.4, 0.8, 1.5, 3, 4, 4, 4, 3.5, 3, 3, 3, 3, 3, 2.5, 2, 1.5, 1, 1, 0.8]
URGENCY = (("emergency", 0.03), ("urgent", 0.14), ("routine", 0.83))
CONCERNS = {
    "emergency": (("symptoms", 70), ("post_op", 15), ("medication", 15)),
    "urgent": (("post_op", 30), ("medication", 25), ("symptoms", 30), ("test_results", 15)),
    "routine": (("refill", 22), ("scheduling", 22), ("test_results", 12), ("billing", 10), ("records", 8),
                ("referral", 8), ("new_patient", 6), ("symptoms", 6), ("medication", 3), ("other", 3)),
}
PHRASES = {
    "symptoms": "I have had a cough and a fever since Sunday, please call me back.",
    "post_op": "I had my procedure last week and the incision looks red, please call.",
    "medication": "The new medicine makes me dizzy, should I keep taking it?",
    "refill": "I need a refill of my blood pressure pills sent to the pharmacy.",
    "scheduling": "I need to move my appointment next week, please call me back.",
    "test_results": "I am calling about my blood test results from last week.",
    "billing": "I have a question about a bill I received.",
    "records": "I need a copy of my vaccination records for work.",
    "referral": "I am waiting on a referral to the cardiologist.",
    "new_patient": "I would like to become a new patient.",
    "other": "Hello? Sorry, wrong number.",
}
OUTCOMES = (("reached", 0.58), ("left_message", 0.2), ("no_answer", 0.14), ("wrong_number", 0.03),
            ("resolved_without_call", 0.05))
AUDIO = AudioInfo(duration_s=25.0, source_sample_rate=8000, source_channels=1, codec="pcm_s16le", container="wav",
                  loudness_dbfs=-24.0, peak_dbfs=-3.0, clipped_share=0.0, leading_silence_s=0.3,
                  trailing_silence_s=0.8, speech_share=0.75)
STEP = timedelta(minutes=5)


def pick(rng: random.Random, weighted) -> str:
    names, weights = zip(*weighted, strict=True)
    return rng.choices(names, weights=weights)[0]


def mailbox_for(rng: random.Random, concern: str) -> str:
    if concern == "post_op":
        return "surgery" if rng.random() < 0.8 else "main"
    if concern == "billing":
        return "billing" if rng.random() < 0.7 else "main"
    return "pediatrics" if rng.random() < 0.18 else "main"


def arrivals(rng: random.Random, start: date, schedule) -> list[dict]:
    out = []
    for offset, volume in enumerate(DAY_VOLUME):
        day = start + timedelta(days=offset)
        weights = WEEKEND_HOUR_WEIGHT if day.weekday() >= 5 else HOUR_WEIGHT
        for _ in range(volume):
            hour = rng.choices(range(24), weights=weights)[0]
            received = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=schedule.timezone)
            urgency = pick(rng, URGENCY)
            concern = pick(rng, CONCERNS[urgency])
            out.append({"received": received, "urgency": urgency, "concern": concern,
                        "mailbox": mailbox_for(rng, concern), "needs_listen": rng.random() < 0.05})
    return sorted(out, key=lambda m: m["received"])


def store(db, schedule, item: dict, n: int, rng: random.Random) -> int:
    number = f"555-01{rng.randrange(100):02d}"
    second = f"555-01{rng.randrange(100):02d}" if rng.random() < 0.3 else None
    plan = plan_due(schedule, item["received"], item["urgency"], item["concern"], item["needs_listen"],
                    item["mailbox"])
    transcript = Transcript(text=PHRASES[item["concern"]], language="en", language_probability=0.98,
                            confidence=0.4 if item["needs_listen"] else 0.9, needs_listen=item["needs_listen"],
                            engine="synthetic", model="none")
    triage = TriageResult(urgency=item["urgency"], concern=item["concern"], reasons=[], confidence=0.9,
                          extraction=Extraction(callback_numbers=[number]))
    return insert_message(
        db, sha256=hashlib.sha256(f"week-{n}-{item['received'].isoformat()}".encode()).hexdigest(),
        file_name=f"week-{n:04d}.wav", mailbox=item["mailbox"], archive_path=f"/archive/week-{n:04d}.wav",
        received_at=iso(item["received"]), audio=AUDIO, transcript=transcript, triage=triage,
        due_at=iso(plan.due_at), metadata=CallMetadata(caller_number=second),
    )


def assistants_on_duty(schedule, now: datetime) -> int:
    if not is_open(schedule, now):
        return 0
    local = now.astimezone(schedule.timezone)
    if local.weekday() == 4 and local.hour >= 12:
        return 1  # Friday afternoon: one assistant
    if local.weekday() == 0 and local.hour < 10:
        return 1  # Monday morning: the other is at the front desk
    return 2


def in_window(schedule, now: datetime) -> bool:
    local = now.astimezone(schedule.timezone)
    return any(a <= local.time() < b for a, b in windows_on(schedule, local.date()))


def workable(row: dict, now_iso: str, window: bool) -> bool:
    if row.get("attempts") and row["due_at"] > now_iso:
        return False  # re-queued: wait for its new due time
    if row["urgency"] in ("emergency", "urgent") or row["needs_listen"]:
        return True
    return window or row["due_at"] <= now_iso  # routine calls in the windows, or when overdue


def attempt(db, schedule, rng, row: dict, now: datetime, user: str) -> None:
    if row.get("needs_number"):
        if rng.random() < 0.7:
            set_callback_number(db, row["id"], f"555-01{rng.randrange(100):02d}", user=user)
        else:
            return
    outcome = pick(rng, OUTCOMES)
    if (row.get("attempts") or 0) >= 3 and outcome in ("left_message", "no_answer"):
        outcome = "resolved_without_call"  # third try unanswered: a letter goes out and it closes
    record_attempt(db, schedule, row["id"], outcome, user=user, now=now)


def simulate(db, schedule, rng, items: list[dict], start: date, end: datetime) -> None:
    pending = list(items)
    busy_until: dict[str, datetime] = {}
    oncall_next: dict[int, datetime] = {}
    now = datetime.combine(start, time(0), tzinfo=schedule.timezone)
    n = 0
    while now <= end:
        while pending and pending[0]["received"] <= now:
            item = pending.pop(0)
            n += 1
            mid = store(db, schedule, item, n, rng)
            if item["urgency"] == "emergency" or (item["urgency"] == "urgent" and not is_open(schedule, now)):
                delay = rng.choice((2, 4, 6, 8, 12, 18, 25)) if item["urgency"] == "emergency" else rng.randint(10, 75)
                oncall_next[mid] = item["received"] + timedelta(minutes=delay)
        for mid, at in list(oncall_next.items()):  # the on-call clinician, any hour
            if at <= now:
                row = get_message(db, mid)
                if row["status"] == "open":
                    attempt(db, schedule, rng, row, at, "oncall")
                    row = get_message(db, mid)
                    if row["status"] == "open":
                        oncall_next[mid] = at + timedelta(minutes=rng.randint(10, 30))
                        continue
                del oncall_next[mid]
        staff = [f"ma{k + 1}" for k in range(assistants_on_duty(schedule, now))]
        free = [s for s in staff if busy_until.get(s, now) <= now]
        if free:
            now_iso, window = iso(now), in_window(schedule, now)
            queue = [r for r in open_messages(db, now=now)
                     if r["id"] not in oncall_next and workable(r, now_iso, window)]
            for user, row in zip(free, queue, strict=False):
                at = now + timedelta(minutes=rng.randrange(5))
                attempt(db, schedule, rng, row, at, user)
                busy_until[user] = at + timedelta(minutes=rng.randint(4, 9))
        now += STEP


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="data/week.db")
    parser.add_argument("--start", default="2026-11-16", help="a Monday (YYYY-MM-DD)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    path = Path(args.db)
    if path.exists():
        path.unlink()
    schedule = load_schedule(RULES_DIR / "schedule.toml")
    rng = random.Random(args.seed)
    start = date.fromisoformat(args.start)
    db = open_db(path)
    items = arrivals(rng, start, schedule)
    end = datetime.combine(start + timedelta(days=7), time(0), tzinfo=schedule.timezone)
    simulate(db, schedule, rng, items, start, end)
    attempts = db.execute("select count(*) from callbacks").fetchone()[0]
    still_open = db.execute("select count(*) from messages where status = 'open'").fetchone()[0]
    print(f"{path}: {len(items)} messages, {attempts} attempts, {still_open} open at the end of the week")


if __name__ == "__main__":
    main()
