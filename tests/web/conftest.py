"""Fixtures for the web tests: a seeded database, a real uvicorn server on a free port, Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import time
from pathlib import Path

import pytest

from pipeline.triage import Triager

from .seed import seed_messages, seed_users, with_free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def triager() -> Triager:
    return Triager(Path(__file__).resolve().parents[2] / "rules")


@pytest.fixture
def seeded(config, triager):
    """A config whose database holds the four fixture voicemails and three accounts."""
    ids = seed_messages(config, triager)
    seed_users(config)
    return config, ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(seeded):
    """A real uvicorn server in a thread on a free localhost port; yields (base_url, config, ids)."""
    from pipeline.web import start_web_in_thread

    config, ids = seeded
    config = with_free_port(config, free_port())
    web = start_web_in_thread(config)
    deadline = time.monotonic() + 20
    while not web.server.started:
        if time.monotonic() > deadline or not web.thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    yield config.web.base_url, config, ids
    web.stop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing: install Debian's chromium package")
        pytest.skip("browser tests skipped: /usr/bin/chromium is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
