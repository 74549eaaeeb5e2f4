"""Alerts: tell the on-call person at once about emergency and urgent messages, by e-mail and/or webhook.

`notify_if_needed(db, config, message_row)` is what the worker calls after storing a message. It
only writes alert rows (one per channel) and wakes a background dispatcher, so a slow or down
receiver never holds up processing. The dispatcher delivers with retries and exponential backoff
and logs every try in `alert_attempts`. Rows are the queue: alerts still pending when the process
stops are sent by the next one, and a lease on each row keeps two processes from sending it twice.

An alert carries only the fields the practice configured ([alerts] fields; default urgency,
concern, mailbox, callback number and a link to the message). Logs carry ids and states only.
Webhooks are signed: header X-Vmtriage-Signature = "sha256=" + hex HMAC-SHA256 over
"<X-Vmtriage-Timestamp>.<body>" with the shared secret.
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import json
import logging
import os
import smtplib
import threading
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import httpx
import sqlite_utils

from .config import AlertsConfig, Config
from .schedule import Schedule, is_open, load_schedule
from .store import iso, open_db, utcnow

log = logging.getLogger("vmtriage.alerts")

ALLOWED_FIELDS = ("urgency", "concern", "mailbox", "callback_number", "link", "received_at", "due_at",
                  "needs_listen", "caller_name", "caller_number", "reasons", "transcript")
MAX_BACKOFF_S = 300.0


class AlertConfigError(ValueError):
    pass


def _tuple(value) -> tuple[str, ...]:
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


# --- what to send --------------------------------------------------------------------------------

def should_alert(row: dict, schedule: Schedule, cfg: AlertsConfig) -> bool:
    """Open emergency and urgent messages always (by default); some urgencies only after hours."""
    if row.get("status", "open") != "open":
        return False  # a closed message (relabelled later) needs no one woken up
    if row["urgency"] in _tuple(cfg.urgencies):
        return True
    if row["urgency"] in _tuple(cfg.after_hours_urgencies):
        return not is_open(schedule, datetime.fromisoformat(row["received_at"]))
    return False


def message_link(config: Config, message_id: int) -> str:
    base = (config.alerts.base_url or config.web.base_url).rstrip("/")
    return f"{base}/messages/{message_id}"


def alert_payload(row: dict, config: Config) -> dict:
    """The alert's content: the message id plus the configured fields, nothing else."""
    fields = _tuple(config.alerts.fields)
    unknown = [f for f in fields if f not in ALLOWED_FIELDS]
    if unknown:
        raise AlertConfigError(f"[alerts] fields: unknown {unknown}; allowed: {', '.join(ALLOWED_FIELDS)}")
    payload: dict = {"message_id": row["id"]}
    for name in fields:
        if name == "link":
            payload["link"] = message_link(config, row["id"])
        elif name == "reasons":
            payload["reasons"] = [r["label"] for r in row.get("reasons") or [] if isinstance(r, dict)]
        else:
            payload[name] = row.get(name)
    return payload


def channels(cfg: AlertsConfig) -> list[tuple[str, str]]:
    """(channel, destination) for every configured channel."""
    out = []
    if cfg.smtp_host and _tuple(cfg.smtp_to):
        out.append(("email", ", ".join(_tuple(cfg.smtp_to))))
    if cfg.webhook_url:
        out.append(("webhook", cfg.webhook_url))
    return out


# --- the worker's entry point --------------------------------------------------------------------

_schedules: dict[tuple[Path, float], Schedule] = {}


def _schedule(config: Config) -> Schedule:
    path = config.paths.rules_dir / "schedule.toml"
    key = (path, path.stat().st_mtime)
    if key not in _schedules:
        _schedules[key] = load_schedule(path)
    return _schedules[key]


def notify_if_needed(db: sqlite_utils.Database, config: Config, row: dict, now: datetime | None = None) -> list[int]:
    """Queue alerts for a stored message if its urgency calls for one; returns the new alert ids.

    Never raises and never waits for delivery. Calling it again for the same message and urgency
    adds nothing (a resumed job or a second call is harmless); a raised urgency alerts again.
    """
    try:
        if not should_alert(row, _schedule(config), config.alerts):
            return []
        targets = channels(config.alerts)
        if not targets:
            log.warning("message=%s urgency=%s: no alert channel configured", row["id"], row["urgency"])
            return []
        payload = json.dumps(alert_payload(row, config), sort_keys=True)
        now_iso = iso(now or utcnow())
        ids = []
        with db.conn:
            for channel, destination in targets:
                cursor = db.execute(
                    "insert or ignore into alerts (message_id, urgency, channel, destination, payload, state, "
                    "attempts, created_at, next_attempt_at) values (?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
                    [row["id"], row["urgency"], channel, destination, payload, now_iso, now_iso],
                )
                if cursor.rowcount:
                    ids.append(cursor.lastrowid)
        if ids:
            log.info("message=%s urgency=%s alerts=%s queued", row["id"], row["urgency"], ids)
            dispatcher_for(config).wake()
        return ids
    except Exception:  # noqa: BLE001 - an alert problem must never stop a message being stored
        log.exception("message=%s: could not queue alerts", row.get("id"))
        return []


# --- delivery ------------------------------------------------------------------------------------

def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value for a webhook body."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_signature(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """For receivers: whether `header` is the right signature (constant-time compare)."""
    return hmac.compare_digest(sign(secret, timestamp, body), header or "")


def send_webhook(cfg: AlertsConfig, alert_id: int, payload: dict, now: datetime) -> None:
    secret = cfg.webhook_secret or os.environ.get(cfg.webhook_secret_env, "")
    if not secret:
        raise AlertConfigError("no webhook secret: set [alerts] webhook_secret or $" + cfg.webhook_secret_env)
    body = json.dumps({"alert_id": alert_id, **payload}, sort_keys=True).encode()
    timestamp = str(int(now.timestamp()))
    response = httpx.post(cfg.webhook_url, content=body, timeout=cfg.timeout_s, headers={
        "Content-Type": "application/json",
        "X-Vmtriage-Timestamp": timestamp,
        "X-Vmtriage-Signature": sign(secret, timestamp, body),
        "Idempotency-Key": f"vmtriage-alert-{alert_id}",
    })
    response.raise_for_status()


def email_message(cfg: AlertsConfig, alert_id: int, payload: dict) -> EmailMessage:
    msg = EmailMessage()
    urgency = str(payload.get("urgency") or "urgent").upper()
    concern = f" ({payload['concern']})" if payload.get("concern") else ""
    msg["Subject"] = f"[vmtriage] {urgency} voicemail #{payload['message_id']}{concern}"
    msg["From"] = cfg.smtp_from
    msg["To"] = ", ".join(_tuple(cfg.smtp_to))
    msg["X-Vmtriage-Alert-Id"] = str(alert_id)
    lines = [f"{key.replace('_', ' ')}: {value}" for key, value in payload.items()]
    msg.set_content("A voicemail needs a call back now.\n\n" + "\n".join(lines) + "\n")
    return msg


def send_email(cfg: AlertsConfig, alert_id: int, payload: dict) -> None:
    with smtplib.SMTP(cfg.smtp_host, cfg.smtp_port, timeout=cfg.timeout_s) as smtp:
        if cfg.smtp_starttls:
            smtp.starttls()
        password = os.environ.get(cfg.smtp_password_env, "")
        if cfg.smtp_username:
            smtp.login(cfg.smtp_username, password)
        smtp.send_message(email_message(cfg, alert_id, payload))


def _claim(db: sqlite_utils.Database, alert_id: int, now: datetime, lease_s: float) -> bool:
    """Take one pending alert for this process (the lease expires if the process dies mid-send)."""
    with db.conn:
        cursor = db.execute(
            "update alerts set next_attempt_at = ? where id = ? and state = 'pending' and next_attempt_at <= ?",
            [iso(now + timedelta(seconds=lease_s)), alert_id, iso(now)],
        )
    return cursor.rowcount == 1


def deliver_due(db: sqlite_utils.Database, config: Config, now: datetime | None = None) -> int:
    """One pass: try every pending alert that is due; returns how many were tried."""
    cfg = config.alerts
    tried = 0
    now = now or utcnow()
    due = list(db.query("select * from alerts where state = 'pending' and next_attempt_at <= ? order by id",
                        [iso(now)]))
    for alert in due:
        if not _claim(db, alert["id"], now, lease_s=2 * cfg.timeout_s + 5):
            continue
        tried += 1
        attempt = alert["attempts"] + 1
        error = ""
        try:
            payload = json.loads(alert["payload"])
            if alert["channel"] == "email":
                send_email(cfg, alert["id"], payload)
            elif alert["channel"] == "webhook":
                send_webhook(cfg, alert["id"], payload, utcnow())
            else:
                raise AlertConfigError(f"unknown channel {alert['channel']!r}")
        except Exception as exc:  # noqa: BLE001 - every failure is logged and retried
            error = f"{exc.__class__.__name__}: {exc}"[:300]
        at = utcnow()
        changes: dict = {"attempts": attempt, "last_error": error or None}
        if not error:
            changes.update(state="sent", sent_at=iso(at))
        elif attempt >= cfg.retries or error.startswith("AlertConfigError"):
            changes.update(state="failed")
        else:
            wait = min(cfg.backoff_s * 2 ** (attempt - 1), MAX_BACKOFF_S)
            changes.update(next_attempt_at=iso(at + timedelta(seconds=wait)))
        with db.conn:
            db["alert_attempts"].insert({"alert_id": alert["id"], "at": iso(at), "ok": int(not error),
                                         "error": error or None})
            db["alerts"].update(alert["id"], changes)
        log_level = logging.INFO if not error else logging.WARNING
        log.log(log_level, "alert=%s message=%s channel=%s try=%s state=%s%s", alert["id"], alert["message_id"],
                alert["channel"], attempt, changes.get("state", "pending"),
                f" error={error.split(':')[0]}" if error else "")
    return tried


def pending_count(db: sqlite_utils.Database) -> int:
    return db.execute("select count(*) from alerts where state = 'pending'").fetchone()[0]


def next_pending_at(db: sqlite_utils.Database) -> datetime | None:
    value = db.execute("select min(next_attempt_at) from alerts where state = 'pending'").fetchone()[0]
    return datetime.fromisoformat(value) if value else None


# --- the background dispatcher -------------------------------------------------------------------

class AlertDispatcher(threading.Thread):
    """A daemon thread that delivers alerts for one database, sleeping until the next one is due."""

    def __init__(self, config: Config):
        super().__init__(name="vmtriage-alerts", daemon=True)
        self.config = config
        self._wake = threading.Event()
        self._halt = threading.Event()
        self.idle = threading.Event()

    def wake(self) -> None:
        self.idle.clear()
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._halt.set()
        self._wake.set()
        self.join(timeout)

    def run(self) -> None:
        db = open_db(self.config.paths.db)  # this thread's own connection
        while not self._halt.is_set():
            self._wake.clear()
            try:
                deliver_due(db, self.config)
                upcoming = next_pending_at(db)
            except Exception:  # noqa: BLE001 - keep the dispatcher alive through store hiccups
                log.exception("alert dispatcher pass failed")
                upcoming = utcnow() + timedelta(seconds=5)
            if upcoming is None:
                self.idle.set()
                wait = 60.0
            else:
                wait = min(max((upcoming - utcnow()).total_seconds(), 0.05), 60.0)
            self._wake.wait(wait)

    def drain(self, timeout: float) -> bool:
        """Wait until nothing is pending (sent or given up), at most `timeout` seconds."""
        return self.idle.wait(timeout)


_dispatchers: dict[Path, AlertDispatcher] = {}
_lock = threading.Lock()
_drain_registered = False


def dispatcher_for(config: Config) -> AlertDispatcher:
    """The running dispatcher for this database, started on first use (it resumes pending alerts)."""
    key = Path(config.paths.db).resolve()
    with _lock:
        dispatcher = _dispatchers.get(key)
        if dispatcher is None or not dispatcher.is_alive():
            dispatcher = AlertDispatcher(config)
            dispatcher.start()
            _dispatchers[key] = dispatcher
            global _drain_registered
            if not _drain_registered:
                atexit.register(_drain_all)
                _drain_registered = True
        return dispatcher


def stop_all(timeout: float = 5.0) -> None:
    with _lock:
        dispatchers = list(_dispatchers.values())
        _dispatchers.clear()
    for dispatcher in dispatchers:
        dispatcher.stop(timeout)


def _drain_all() -> None:
    """At exit, give alerts in flight a short time to go out; the rest are sent on the next start."""
    for dispatcher in list(_dispatchers.values()):
        if not dispatcher.drain(dispatcher.config.alerts.drain_s):
            log.warning("alerts still pending at exit; they are sent when vmtriage next runs")
    stop_all()


def alert_log(db: sqlite_utils.Database, limit: int = 100) -> list[dict]:
    """The most recent alerts with their delivery tries (the alert log)."""
    rows = list(db.query("select * from alerts order by id desc limit ?", [limit]))
    for row in rows:
        row["tries"] = list(db["alert_attempts"].rows_where("alert_id = ?", [row["id"]], order_by="id"))
        row.pop("payload", None)  # the log view shows delivery, not content
    return rows
