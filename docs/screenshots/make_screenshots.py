"""Regenerate the README's screenshots of the web page: a temporary database seeded with the test
voicemails, a real server, Debian's Chromium. Run from the project folder:

    PYTHONPATH=. .venv/bin/python docs/screenshots/make_screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from pipeline.config import Config  # noqa: E402
from pipeline.reviews import flag_message, record_review  # noqa: E402
from pipeline.schedule import load_schedule  # noqa: E402
from pipeline.store import open_db  # noqa: E402
from pipeline.triage import Triager  # noqa: E402
from pipeline.web import start_web_in_thread  # noqa: E402
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402
from tests.web.seed import PASSWORD, seed_messages, seed_users, with_free_port  # noqa: E402

OUT = Path(__file__).resolve().parent


def shoot(page, name: str, full_page: bool = False) -> None:
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    Image.open(path).convert("RGB").quantize(colors=128).save(path, optimize=True)  # small files for the repo
    print(f"wrote {path.name} ({path.stat().st_size // 1024} KB)")


def sign_in(page, base: str, name: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()


def main() -> None:
    tmp = Path(tempfile.mkdtemp())
    config = with_free_port(Config().with_paths(inbox=tmp / "inbox", data_dir=tmp / "data"), free_port())
    web = start_web_in_thread(config)
    while not web.server.started:
        time.sleep(0.05)
    base = config.web.base_url
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        page.goto(f"{base}/login")
        shoot(page, "first-run-login")  # no accounts yet: the page says how to make one

        ids = seed_messages(config, Triager(ROOT / "rules"))
        seed_users(config)
        db = open_db(config.paths.db)
        flag_message(db, ids["refill.wav"], user="alice", note="Caller sounded confused")
        sign_in(page, base, "alice")
        shoot(page, "callback-list")
        page.goto(f"{base}/messages/{ids['post_op_bleeding.wav']}")
        shoot(page, "message", full_page=True)
        page.set_viewport_size({"width": 1024, "height": 768})
        page.goto(f"{base}/callbacks")
        shoot(page, "callback-list-tablet")

        page.set_viewport_size({"width": 1366, "height": 768})
        sign_in(page, base, "rita")
        shoot(page, "review-queue")
        schedule = load_schedule(config.paths.rules_dir / "schedule.toml")
        record_review(db, schedule, ids["chest_pain.wav"], reviewer="rita", urgency="emergency",
                      concern="symptoms", reason="")
        record_review(db, schedule, ids["billing.wav"], reviewer="rita", urgency="routine", concern="billing",
                      reason="")
        page.goto(f"{base}/messages/{ids['refill.wav']}#review")
        page.select_option("select[name=urgency]", "urgent")
        page.select_option("select[name=concern]", "medication")
        page.fill("#review input[name=reason]", "Dizzy since the new dose: a side effect, not a refill")
        page.click("button:has-text('Save review')")
        page.goto(f"{base}/review/accuracy")
        shoot(page, "accuracy")
        sign_in(page, base, "adam")
        page.goto(f"{base}/admin/audit")
        shoot(page, "audit-log")
        browser.close()
    web.stop()


if __name__ == "__main__":
    main()
