"""Alerts over real transports: an SMTP server on loopback (aiosmtpd) and a local HTTP receiver
that checks the HMAC signature. Down receivers are retried and logged; processing never waits."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller

from pipeline import alerts
from pipeline.config import AlertsConfig
from pipeline.store import get_message, open_db
from tests.factories import add_message

SECRET = "test-shared-secret"
NY = ZoneInfo("America/New_York")
WED_10 = datetime(2026, 11, 25, 10, 0, tzinfo=NY)
SAT_22 = datetime(2026, 11, 28, 22, 0, tzinfo=NY)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float = 30.0):
    """Poll until `predicate()` is truthy (a safety limit, not a speed assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


class Receiver:
    """A real HTTP server in a thread that verifies each webhook's signature itself."""

    def __init__(self, statuses=(200,), hold: threading.Event | None = None):
        self.requests: list[dict] = []
        self.statuses = list(statuses)
        self.hold = hold
        self.entered = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                timestamp = self.headers["X-Vmtriage-Timestamp"]
                expected = "sha256=" + hmac.new(SECRET.encode(), timestamp.encode() + b"." + body,
                                                hashlib.sha256).hexdigest()
                signed = hmac.compare_digest(expected, self.headers.get("X-Vmtriage-Signature", ""))
                receiver.entered.set()
                if receiver.hold is not None:
                    receiver.hold.wait(30)
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                status = status if signed else 401
                receiver.requests.append({"payload": json.loads(body), "signed": signed, "status": status})
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's naming
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture(autouse=True)
def stop_dispatchers():
    yield
    alerts.stop_all()


@pytest.fixture
def db(config):
    return open_db(config.paths.db)


def with_alerts(config, **settings):
    base = {"retries": 3, "backoff_s": 0.05, "timeout_s": 10.0}
    return replace(config, alerts=AlertsConfig(**{**base, **settings}))


def webhook_config(config, url, **settings):
    return with_alerts(config, webhook_url=url, webhook_secret=SECRET, **settings)


def alert_rows(db, message_id):
    return list(db["alerts"].rows_where("message_id = ?", [message_id], order_by="id"))


def test_an_emergency_is_e_mailed_to_the_on_call_person(config, db, smtp_server):
    controller, mailbox = smtp_server
    config = with_alerts(config, smtp_host="127.0.0.1", smtp_port=controller.port, smtp_to=("oncall@example.org",))
    mid = add_message(db, received=WED_10, due=WED_10, urgency="emergency", concern="symptoms", mailbox="main")
    alerts.notify_if_needed(db, config, get_message(db, mid))
    mail = wait_for(lambda: mailbox.messages)[0]
    assert "EMERGENCY" in mail["Subject"]
    assert mail["To"] == "oncall@example.org"
    assert f"/messages/{mid}" in mail.get_payload()
    wait_for(lambda: alert_rows(db, mid)[0]["state"] == "sent")


def test_an_urgent_webhook_is_signed_and_accepted(config, db):
    receiver = Receiver()
    try:
        config = webhook_config(config, receiver.url)
        mid = add_message(db, received=WED_10, due=WED_10, urgency="urgent", concern="post_op")
        alerts.notify_if_needed(db, config, get_message(db, mid))
        wait_for(lambda: alert_rows(db, mid)[0]["state"] == "sent")
        assert receiver.requests[0]["signed"]
        assert receiver.requests[0]["payload"]["urgency"] == "urgent"
    finally:
        receiver.close()


def test_a_webhook_with_the_wrong_secret_is_refused_and_retried(config, db):
    receiver = Receiver()
    try:
        config = with_alerts(config, webhook_url=receiver.url, webhook_secret="not-the-secret")
        mid = add_message(db, received=WED_10, due=WED_10, urgency="urgent")
        alerts.notify_if_needed(db, config, get_message(db, mid))
        wait_for(lambda: alert_rows(db, mid)[0]["state"] == "failed")
        assert [r["status"] for r in receiver.requests] == [401, 401, 401]
    finally:
        receiver.close()


def test_the_alert_carries_only_the_configured_fields(config, db):
    receiver = Receiver()
    try:
        config = webhook_config(config, receiver.url)
        mid = add_message(db, received=WED_10, due=WED_10, urgency="emergency", numbers=("555-010-0123",),
                          text="This is Jane Doe, born May 2 1950, my chest hurts.")
        alerts.notify_if_needed(db, config, get_message(db, mid))
        wait_for(lambda: receiver.requests)
        payload = receiver.requests[0]["payload"]
        assert set(payload) == {"alert_id", "message_id", "urgency", "concern", "mailbox", "callback_number", "link"}
        assert payload["callback_number"] == "555-010-0123"
        assert "Jane" not in json.dumps(payload)
    finally:
        receiver.close()


def test_a_routine_message_is_not_alerted(config, db):
    config = webhook_config(config, "http://127.0.0.1:9/hook")
    mid = add_message(db, received=SAT_22, due=SAT_22 + timedelta(days=2), urgency="routine")
    assert alerts.notify_if_needed(db, config, get_message(db, mid)) == []


def test_a_closed_message_raised_to_emergency_later_is_not_alerted(config, db):
    config = webhook_config(config, "http://127.0.0.1:9/hook")
    mid = add_message(db, received=SAT_22, due=SAT_22, urgency="emergency")
    db["messages"].update(mid, {"status": "closed"})
    assert alerts.notify_if_needed(db, config, get_message(db, mid)) == []


def test_urgent_alerts_can_be_limited_to_after_hours(config, db):
    config = webhook_config(config, "http://127.0.0.1:9/hook", urgencies=("emergency",),
                            after_hours_urgencies=("urgent",), retries=1)
    daytime = add_message(db, received=WED_10, due=WED_10, urgency="urgent")
    night = add_message(db, received=SAT_22, due=SAT_22, urgency="urgent")
    assert alerts.notify_if_needed(db, config, get_message(db, daytime)) == []
    assert len(alerts.notify_if_needed(db, config, get_message(db, night))) == 1


def test_a_second_notify_for_the_same_message_adds_nothing(config, db):
    config = webhook_config(config, "http://127.0.0.1:9/hook", retries=1)
    mid = add_message(db, received=WED_10, due=WED_10, urgency="emergency")
    alerts.notify_if_needed(db, config, get_message(db, mid))
    assert alerts.notify_if_needed(db, config, get_message(db, mid)) == []
    assert len(alert_rows(db, mid)) == 1


def test_a_down_receiver_is_retried_and_every_try_logged(config, db):
    config = webhook_config(config, f"http://127.0.0.1:{free_port()}/hook")  # nothing listens there
    mid = add_message(db, received=WED_10, due=WED_10, urgency="emergency")
    [alert_id] = alerts.notify_if_needed(db, config, get_message(db, mid))
    wait_for(lambda: alert_rows(db, mid)[0]["state"] == "failed")
    tries = list(db["alert_attempts"].rows_where("alert_id = ?", [alert_id]))
    assert len(tries) == 3
    assert all(t["ok"] == 0 and "ConnectError" in t["error"] for t in tries)


def test_a_receiver_that_comes_back_gets_the_alert(config, db):
    receiver = Receiver(statuses=(503, 503, 200))
    try:
        config = webhook_config(config, receiver.url)
        mid = add_message(db, received=WED_10, due=WED_10, urgency="emergency")
        alerts.notify_if_needed(db, config, get_message(db, mid))
        row = wait_for(lambda: (r := alert_rows(db, mid)[0])["state"] == "sent" and r)
        assert row["attempts"] == 3
    finally:
        receiver.close()


def test_notify_returns_while_the_receiver_is_still_holding_the_request(config, db):
    hold = threading.Event()
    receiver = Receiver(hold=hold)
    try:
        config = webhook_config(config, receiver.url)
        mid = add_message(db, received=WED_10, due=WED_10, urgency="emergency")
        ids = alerts.notify_if_needed(db, config, get_message(db, mid))
        assert receiver.entered.wait(30)  # the receiver has the request and is not answering
        assert ids and alert_rows(db, mid)[0]["state"] == "pending"  # yet processing went on
        later = add_message(db, received=WED_10, due=WED_10, urgency="routine")  # the store is free
        assert get_message(db, later)["status"] == "open"
        hold.set()
        wait_for(lambda: alert_rows(db, mid)[0]["state"] == "sent")
    finally:
        receiver.close()


def test_alerts_left_pending_are_sent_by_the_next_dispatcher(config, db):
    receiver = Receiver()
    try:
        config = webhook_config(config, receiver.url)
        mid = add_message(db, received=WED_10, due=WED_10, urgency="emergency")
        alerts.stop_all()
        db.execute("insert into alerts (message_id, urgency, channel, destination, payload, state, attempts, "
                   "created_at, next_attempt_at) values (?, 'emergency', 'webhook', ?, ?, 'pending', 0, "
                   "'2026-11-25T15:00:00+00:00', '2026-11-25T15:00:00+00:00')",
                   [mid, receiver.url, json.dumps({"message_id": mid})])
        db.conn.commit()
        alerts.dispatcher_for(config)  # as `vmtriage run` does at start
        wait_for(lambda: alert_rows(db, mid)[0]["state"] == "sent")
    finally:
        receiver.close()


@pytest.mark.slow
def test_the_worker_stores_an_emergency_voicemail_while_the_alert_receiver_is_down(config, processor):
    from pipeline.worker import process_now
    from tests.conftest import VOICEMAILS

    config = webhook_config(config, f"http://127.0.0.1:{free_port()}/hook")
    db = open_db(config.paths.db)
    outcome = process_now(db, config, processor, VOICEMAILS / "chest_pain.wav", mailbox="main")
    message = get_message(db, outcome["message_id"])
    assert message["urgency"] == "emergency"
    rows = wait_for(lambda: [r for r in alert_rows(db, message["id"]) if r["state"] == "failed"])
    assert rows[0]["attempts"] == 3
