"""The web commands: `vmtriage user add` and `vmtriage serve` as a person runs them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
from click.testing import CliRunner

from pipeline.accounts import authenticate
from pipeline.cli import main
from pipeline.store import open_db


def test_user_add_reads_the_password_from_stdin(config):
    result = CliRunner().invoke(main, ["--db", str(config.paths.db), "user", "add", "mia", "--role", "reviewer",
                                       "--password-stdin"], input="a long enough secret\n")
    assert result.exit_code == 0, result.output
    user = authenticate(open_db(config.paths.db), "mia", "a long enough secret", "127.0.0.1")
    assert (user.name, user.role) == ("mia", "reviewer")


def test_serve_answers_on_the_given_port_and_says_how_to_make_the_first_account(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    proc = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "serve", "--port", str(port), "--db",
                             str(tmp_path / "web.db")], stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/callbacks", follow_redirects=False)
                break
            except httpx.ConnectError:
                assert proc.poll() is None and time.monotonic() < deadline, "vmtriage serve did not start"
                time.sleep(0.2)
        assert response.status_code == 303 and response.headers["location"] == "/login"
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=15)
    assert "user add admin --role admin" in err
