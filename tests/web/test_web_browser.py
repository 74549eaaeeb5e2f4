"""The web page in real Chromium (Playwright) against a real uvicorn server and a seeded database."""

from __future__ import annotations

import time

import pytest

from pipeline.store import get_message, open_db

from .seed import PASSWORD

pytestmark = pytest.mark.browser


def wait_until(page, expression: str, timeout_s: float = 15.0) -> None:
    """Poll a JavaScript expression from outside the page (the page's CSP forbids eval, rightly)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout_s} s: {expression}")
        page.wait_for_timeout(100)


def sign_in(page, base_url: str, name: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()


def test_assistant_calls_back_the_emergency_first_and_it_leaves_the_list(server, page):
    base_url, config, ids = server
    emergency = ids["chest_pain.wav"]
    sign_in(page, base_url, "alice")
    first = page.locator(".calllist > li").first
    assert first.get_attribute("data-id") == str(emergency)
    assert "emergency" in first.locator(".badge").inner_text().lower()

    first.locator("a").click()
    page.wait_for_url(f"**/messages/{emergency}")
    wait_until(page, "document.getElementById('player').readyState >= 2")  # audio loaded
    page.locator(".transcript .w").first.click()  # clicking a word plays from there
    wait_until(page, "document.getElementById('player').currentTime > 0.3")

    page.fill("textarea[name=note]", "Told him to call 911; ambulance on the way.")
    page.click("button.outcome.reached")
    page.wait_for_url("**/callbacks?done=*")
    assert page.locator(f".calllist > li[data-id='{emergency}']").count() == 0
    assert page.locator(".calllist > li").count() == len(ids) - 1
    assert get_message(open_db(config.paths.db), emergency)["status"] == "closed"


def test_reviewer_corrects_a_label_from_the_review_queue(server, page):
    base_url, config, ids = server
    unclear = ids["billing.wav"]  # low transcription confidence: in the queue
    sign_in(page, base_url, "rita")
    page.wait_for_url("**/review")
    page.locator(f"a[href='/messages/{unclear}#review']").click()
    page.select_option("select[name=urgency]", "urgent")
    page.select_option("select[name=concern]", "symptoms")
    page.fill("#review input[name=reason]", "Caller also says she fainted twice today.")
    page.click("button:has-text('Save review')")
    page.wait_for_url("**/review?saved=*")

    db = open_db(config.paths.db)
    message = get_message(db, unclear)
    assert (message["urgency"], message["concern"]) == ("urgent", "symptoms")
    history = list(db["triage_history"].rows_where("message_id = ?", [unclear], order_by="id"))
    assert history[-1]["produced_by"] == "user:rita"
    page.goto(f"{base_url}/review/disagreements")
    assert "fainted twice" in page.locator("table.grid").inner_text()


def test_assistant_cannot_open_admin_pages(server, page):
    base_url, _, _ = server
    sign_in(page, base_url, "alice")
    assert page.locator("nav a:has-text('Admin')").count() == 0
    for path in ("/admin/users", "/admin/quarantine", "/admin/config", "/admin/audit"):
        response = page.goto(f"{base_url}{path}")
        assert response.status == 403, path
        assert "Not allowed" in page.locator("h1").inner_text()
