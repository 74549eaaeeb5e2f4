"""The web page's guards, through FastAPI's TestClient (real app, real SQLite, no browser)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from pipeline.store import get_message, open_db, utcnow
from pipeline.web import create_app
from tests.conftest import VOICEMAILS

from .seed import PASSWORD, seed_users, store_recording


@pytest.fixture
def app(seeded):
    config, ids = seeded
    return create_app(config), config, ids


def signed_in(app, name: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf": token})
    assert response.status_code == 303, response.text
    return client


def csrf_of(client: TestClient, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def all_routes(routes) -> list:
    """Routes, looking inside included routers (newer FastAPI nests them)."""
    out = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        out.extend(all_routes(inner.routes) if inner is not None else [route])
    return out


def concrete_paths(app, message_id: int) -> list[tuple[str, str]]:
    """Every route the app serves except sign-in and static files, with real ids filled in."""
    out = []
    for route in all_routes(app.routes):
        path = getattr(route, "path", "")
        if path in ("/login", "") or path.startswith("/static"):
            continue
        path = path.replace("{message_id}", str(message_id)).replace("{fmt}", "csv")
        path = path.replace("{user_id}", "1").replace("{quarantine_id}", "1")
        for method in sorted(getattr(route, "methods", None) or []):
            if method != "HEAD":
                out.append((method, path))
    return out


def test_without_a_session_every_page_audio_file_and_json_endpoint_is_refused(app):
    app, _, ids = app
    client = TestClient(app, follow_redirects=False)
    paths = concrete_paths(app, ids["chest_pain.wav"])
    assert ("GET", f"/messages/{ids['chest_pain.wav']}/audio") in paths and ("GET", "/api/callbacks") in paths
    for method, path in paths:
        response = client.request(method, path)
        if method == "GET" and not path.startswith("/api/") and not path.endswith("/audio"):
            assert response.status_code == 303 and response.headers["location"] == "/login", path
        else:
            assert response.status_code == 401, (method, path)
        assert b"Robert Smith" not in response.content and b"chest" not in response.content, path


def test_a_transcript_containing_a_script_tag_renders_as_text(config, triager):
    seed_users(config)
    db = open_db(config.paths.db)
    text = "I have chest pain <script>alert('x')</script> call me"
    message_id = store_recording(db, config, triager, VOICEMAILS / "refill.wav", text,
                                 caller=("<b>Eve</b>", "555", "front-desk", 1), now=utcnow())
    client = signed_in(create_app(config), "alice")
    page = client.get(f"/messages/{message_id}").text
    assert "<script>alert" not in page and "<b>Eve</b>" not in page
    assert "&lt;script&gt;alert" in page and "&lt;b&gt;Eve&lt;/b&gt;" in page


def test_a_form_posted_without_its_csrf_token_is_refused(app):
    app, config, ids = app
    client = signed_in(app, "alice")
    message_id = ids["chest_pain.wav"]
    response = client.post(f"/messages/{message_id}/callback", data={"outcome": "reached"})
    assert response.status_code == 403
    assert get_message(open_db(config.paths.db), message_id)["status"] == "open"


def test_a_form_posted_with_another_sessions_csrf_token_is_refused(app):
    app, config, ids = app
    other = csrf_of(signed_in(app, "rita"), "/callbacks")
    client = signed_in(app, "alice")
    response = client.post(f"/messages/{ids['chest_pain.wav']}/callback", data={"outcome": "reached", "csrf": other})
    assert response.status_code == 403


def test_viewing_a_message_writes_an_audit_row(app):
    app, config, ids = app
    client = signed_in(app, "alice")
    message_id = ids["post_op_bleeding.wav"]
    assert client.get(f"/messages/{message_id}").status_code == 200
    rows = list(open_db(config.paths.db)["audit_log"].rows_where("action = 'view_message' and message_id = ?",
                                                                  [message_id]))
    assert [(r["actor"], r["message_id"]) for r in rows] == [("alice", message_id)]


def test_recording_an_outcome_with_the_token_closes_the_message_and_is_audited(app):
    app, config, ids = app
    client = signed_in(app, "alice")
    message_id = ids["refill.wav"]
    token = csrf_of(client, f"/messages/{message_id}")
    response = client.post(f"/messages/{message_id}/callback",
                           data={"outcome": "reached", "note": "sent", "csrf": token})
    assert response.status_code == 303
    db = open_db(config.paths.db)
    assert get_message(db, message_id)["status"] == "closed"
    assert list(db["audit_log"].rows_where("action = 'callback_attempt' and actor = 'alice'"))


def test_pages_carry_no_store_csp_and_a_strict_httponly_session_cookie(app):
    app, _, _ = app
    client = TestClient(app, follow_redirects=False)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    response = client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf": token})
    cookie = next(v for k, v in response.headers.multi_items() if k == "set-cookie" and "vmtriage_session" in v)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    page = client.get("/callbacks")
    assert page.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_an_assistant_cannot_open_admin_or_reviewer_pages(app):
    app, _, _ = app
    client = signed_in(app, "alice")
    for path in ("/admin/users", "/admin/audit", "/review", "/review/export.csv"):
        assert client.get(path).status_code == 403, path


def test_login_is_refused_after_five_failures_even_with_the_right_password(app):
    app, _, _ = app
    client = TestClient(app, follow_redirects=False)
    for _ in range(5):
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
        assert client.post("/login", data={"name": "alice", "password": "wrong", "csrf": token}).status_code == 401
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
    assert client.post("/login", data={"name": "alice", "password": PASSWORD, "csrf": token}).status_code == 429


def test_the_login_page_tells_how_to_create_the_first_admin_when_there_are_no_accounts(config):
    page = TestClient(create_app(config)).get("/login").text
    assert "vmtriage user add admin --role admin" in page


def test_audio_is_served_to_a_signed_in_user_with_its_type(app):
    app, _, ids = app
    client = signed_in(app, "alice")
    response = client.get(f"/messages/{ids['chest_pain.wav']}/audio")
    assert response.status_code == 200 and response.headers["content-type"].startswith("audio/")
    assert response.content[:4] == b"RIFF"
