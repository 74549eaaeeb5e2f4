"""Drop to listed: a recording dropped into a running `vmtriage run`, timed until `callbacks --json` lists it.

The service runs as a real subprocess on a temporary inbox and database. A short warm-up message
goes first (the service is up and its models are warm once that is listed), then the timed drop.
Afterwards the service is stopped with SIGTERM and reaped with `os.wait4`: its peak resident
memory over the whole run is the product's memory figure.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..paths import PROJECT_ROOT
from .child import peak_rss_mb


def cli(config_file: Path, *args: str) -> list[str]:
    """The `vmtriage` command of this checkout (the console script, by module, so the same code runs)."""
    return [sys.executable, "-m", "pipeline.cli", "--config", str(config_file), *args]


def write_config(workdir: Path, model: str, workers: int) -> Path:
    path = workdir / "vmtriage.toml"
    path.write_text(
        f'[paths]\ninbox = "{workdir / "inbox"}"\ndata_dir = "{workdir / "data"}"\n'
        f'db = "{workdir / "data" / "vm.db"}"\n'
        f'[transcription]\nmodel = "{model}"\n[ingest]\nworkers = {workers}\n',
        encoding="utf-8",
    )
    return path


def listed_ids(config_file: Path) -> tuple[set[int], float]:
    """The ids `vmtriage callbacks --json` lists now, and how long that call took."""
    t0 = time.perf_counter()
    out = subprocess.run(cli(config_file, "callbacks", "--json"), cwd=PROJECT_ROOT, capture_output=True,
                         text=True, check=True).stdout
    return {row["id"] for row in json.loads(out)}, time.perf_counter() - t0


def listed_now(db) -> set[int]:
    """The ids the callback list holds now: the very rows `vmtriage callbacks --json` prints."""
    from ..serialize import callback_rows

    return {row["id"] for row in callback_rows(db)}


def wait_listed(config_file: Path, db_path: Path, before: set[int], t0: float, timeout_s: float) -> dict:
    """Until a new id is on the callback list: `listed_s` when it was first there (read every 50 ms
    in this process, with the function the command uses), then `confirmed_s` when a real
    `vmtriage callbacks --json` printed it.

    Polling by starting the command itself would keep one of the service's two cores busy with
    Python start-ups (~0.3 s of CPU each) and slow the very transcription being timed.
    """
    from ..store import open_db

    db = None  # opened once the service has created it, then kept (opening migrates under a lock)
    while time.perf_counter() - t0 < timeout_s:
        if db is None and db_path.exists():
            db = open_db(db_path)
        new = listed_now(db) - before if db is not None else set()
        if new:
            listed = time.perf_counter() - t0
            ids, took = listed_ids(config_file)
            if not new <= ids:
                raise RuntimeError("the callback list and `vmtriage callbacks --json` disagree")
            return {"listed_s": round(listed, 3), "confirmed_s": round(time.perf_counter() - t0, 3),
                    "callbacks_call_s": round(took, 3), "message_id": min(new)}
        time.sleep(0.05)
    raise TimeoutError(f"not listed within {timeout_s:.0f} s")


def drop(src: Path, inbox: Path) -> float:
    """Copy a recording into the inbox as a phone system would; returns when the file is complete."""
    shutil.copyfile(src, inbox / src.name)
    return time.perf_counter()


def stop(proc: subprocess.Popen) -> float:
    """SIGTERM the service and reap it; its peak resident memory in MB."""
    proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return peak_rss_mb(rusage)
        time.sleep(0.1)
    proc.kill()
    _, status, rusage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return peak_rss_mb(rusage)


def drop_to_listed(warmup: Path, clips: list[Path], model: str, workdir: Path, workers: int = 1,
                   timeout_s: float = 300) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "inbox").mkdir(exist_ok=True)
    config_file = write_config(workdir, model, workers)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cli(config_file, "run"), cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    stderr_tail: list[bytes] = []
    reader = threading.Thread(target=lambda: [stderr_tail.append(line) for line in proc.stderr], daemon=True)
    reader.start()
    result: dict = {"model": model, "workers": workers}
    try:
        seen: set[int] = set()  # a fresh database
        drop(warmup, workdir / "inbox")
        db_path = workdir / "data" / "vm.db"
        first = wait_listed(config_file, db_path, seen, t0, timeout_s)
        result["start_to_first_listed_s"] = first["listed_s"]
        seen.add(first["message_id"])
        drops = []
        for clip in clips:
            timed = wait_listed(config_file, db_path, seen, drop(clip, workdir / "inbox"), timeout_s)
            seen.add(timed["message_id"])
            timed.update(file=clip.name, **_stages_of(workdir, timed["message_id"]))
            drops.append(timed)
        result["drops"] = drops
    except (TimeoutError, RuntimeError, subprocess.CalledProcessError) as exc:
        result["error"] = f"{exc}; service stderr: {b''.join(stderr_tail[-5:]).decode(errors='replace')}"
    finally:
        result["run_peak_rss_mb"] = stop(proc)
    return result


def _stages_of(workdir: Path, message_id: int) -> dict:
    from ..store import get_message, open_db

    row = get_message(open_db(workdir / "data" / "vm.db"), message_id)
    return {"audio_s": row["duration_s"],
            "stages_s": {k: round(v / 1000, 3) for k, v in (row["timings_ms"] or {}).items()}}
