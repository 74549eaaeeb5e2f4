"""Run one benchmark arm in its own process, so its peak memory is its own.

The parent starts `python -m pipeline.bench.child ARM ARGS.json OUT.json` and reaps it with
`os.wait4`, whose rusage gives the child's peak resident memory (native allocations included:
CTranslate2 and PyTorch memory is invisible to tracemalloc).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from ..paths import PROJECT_ROOT


class ArmFailed(RuntimeError):
    pass


def peak_rss_mb(rusage) -> float:
    return round(rusage.ru_maxrss / 1024, 1)  # Linux reports kilobytes


def run_arm(arm: str, args: dict) -> dict:
    """Run `arm` with `args` in a fresh interpreter; its JSON result plus `peak_rss_mb`."""
    with tempfile.TemporaryDirectory(prefix="vmtriage-bench-") as tmp:
        args_path, out_path = Path(tmp) / "args.json", Path(tmp) / "out.json"
        args_path.write_text(json.dumps(args, default=str))
        proc = subprocess.Popen([sys.executable, "-m", "pipeline.bench.child", arm, str(args_path), str(out_path)],
                                cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _stderr_tail = _drain(proc)
        _, status, rusage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0 or not out_path.is_file():
            raise ArmFailed(f"bench arm {arm!r} failed (exit {proc.returncode}): {_stderr_tail}")
        result = json.loads(out_path.read_text())
    result["peak_rss_mb"] = peak_rss_mb(rusage)
    return result


def _drain(proc: subprocess.Popen) -> str:
    """Read the child's stderr to the end (so it never blocks on a full pipe); keep the tail."""
    tail = b""
    for line in proc.stderr:
        if b"Warning" not in line:
            tail = (tail + line)[-2000:]
    proc.stderr.close()
    return tail.decode(errors="replace").strip()


def main(argv: list[str]) -> None:
    from . import arms

    arm, args_path, out_path = argv
    result = arms.ARMS[arm](**json.loads(Path(args_path).read_text()))
    Path(out_path).write_text(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
