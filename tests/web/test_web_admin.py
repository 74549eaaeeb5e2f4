"""The administrators' pages: accounts and the quarantine, through the real app."""

from __future__ import annotations

from pipeline.accounts import authenticate
from pipeline.ingest import quarantine_file
from pipeline.store import open_db
from pipeline.web import create_app
from tests.conftest import VOICEMAILS

from .test_web_security import csrf_of, signed_in


def test_an_admin_adds_an_account_on_the_page_and_it_can_sign_in(seeded):
    config, _ = seeded
    client = signed_in(create_app(config), "adam")
    token = csrf_of(client, "/admin/users")
    response = client.post("/admin/users", data={"name": "nora", "role": "assistant", "password": "another secret",
                                                 "csrf": token})
    assert response.status_code == 303 and "added=nora" in response.headers["location"]
    assert authenticate(open_db(config.paths.db), "nora", "another secret", "127.0.0.1").role == "assistant"


def test_requeue_puts_a_quarantined_file_back_in_its_inbox_folder_and_is_audited(seeded, tmp_path):
    config, _ = seeded
    db = open_db(config.paths.db)
    copy = tmp_path / "refill.wav"
    copy.write_bytes((VOICEMAILS / "refill.wav").read_bytes())
    qid = quarantine_file(db, config, copy, file_name="refill.wav", mailbox="dr-patel", code="processing_failed",
                          reason="test")
    client = signed_in(create_app(config), "adam")
    assert "refill.wav" in client.get("/admin/quarantine").text
    response = client.post(f"/admin/quarantine/{qid}/requeue", data={"csrf": csrf_of(client, "/admin/quarantine")})
    assert response.status_code == 303
    assert (config.paths.inbox / "dr-patel" / "refill.wav").read_bytes() == (VOICEMAILS / "refill.wav").read_bytes()
    assert db["quarantine"].get(qid)["requeued_at"]
    assert list(db["audit_log"].rows_where("action = 'quarantine_requeue' and actor = 'adam'"))
