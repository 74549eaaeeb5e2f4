"""`vmtriage watch` as a real subprocess on temporary folders, for ingestion tests and tools."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def write_config(base: Path, model: str = "tiny.en", **ingest) -> Path:
    """A TOML config with the data folder under `base` and quick ingestion timings."""
    settings = {"stable_seconds": 1.0, "sidecar_wait_seconds": 1.0, "poll_seconds": 0.1, "retry_backoff_s": 1.0}
    settings.update(ingest)
    lines = ["[paths]", f'data_dir = "{base / "data"}"', "", "[transcription]", f'model = "{model}"', "",
             "[audio]", "max_size_mb = 1", "max_duration_s = 20", "", "[ingest]"]
    for key, value in settings.items():
        lines.append(f"{key} = {str(value).lower() if isinstance(value, bool) else value}")
    path = base / "vmtriage.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


class ServiceProcess:
    """Start, kill and inspect one `vmtriage watch` process."""

    def __init__(self, base: Path, config: Path):
        self.base = base
        self.config = config
        self.inbox = base / "inbox"
        self.db_path = base / "data" / "vmtriage.db"
        self.log_path = base / "service.log"
        self.proc: subprocess.Popen | None = None
        self.inbox.mkdir(parents=True, exist_ok=True)

    def start(self, wait_ready: bool = True, timeout: float = 180) -> ServiceProcess:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        log = open(self.log_path, "a")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "--config", str(self.config), "--db", str(self.db_path),
             "--inbox", str(self.inbox), "watch"],
            stdout=log, stderr=log, env=env, cwd=self.base,
        )
        log.close()
        if wait_ready:
            self.wait_for(lambda: self.log_text().count('"worker_ready"') >= self.starts(), timeout, "worker ready")
        return self

    def starts(self) -> int:
        return self.log_text().count('"service_started"')

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def terminate(self, timeout: float = 120) -> int:
        if not self.alive():
            return self.proc.returncode if self.proc else 0
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)

    def query(self, sql: str, params=()) -> list[tuple]:
        if not self.db_path.exists():
            return []
        conn = sqlite3.connect(self.db_path, timeout=30)
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError:  # schema not created yet
            return []
        finally:
            conn.close()

    def count(self, table: str, where: str = "1", params=()) -> int:
        rows = self.query(f"select count(*) from {table} where {where}", params)
        return rows[0][0] if rows else 0

    def wait_for(self, predicate, timeout: float = 180, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"service exited ({self.proc.returncode}) waiting for {what}:\n"
                                     + self.log_text()[-3000:])
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}:\n" + self.log_text()[-3000:])

    def idle(self) -> bool:
        """Inbox empty and every job finished."""
        busy = self.count("jobs", "state not in ('done', 'quarantined')")
        return busy == 0 and not any(p.is_file() for p in self.inbox.rglob("*"))
