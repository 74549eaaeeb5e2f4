"""Fault run for ingestion: many recordings, bad files, duplicates, sidecars and forced `kill -9`s.

    PYTHONPATH=. .venv/bin/python tools/fault_run.py --recordings 60 --kills 2

Runs `vmtriage watch` as a subprocess on a temporary inbox, drops recordings (some before the
start, some copied slowly in chunks, some twice under other names, some with Asterisk or JSON
sidecars before or after them) and broken files, kills the service with SIGKILL while it is
transcribing, restarts it, and at the end accounts for every input:

    messages     one per distinct good recording
    quarantined  every bad file, with a reason
    lost         inputs that ended neither as a message nor in quarantine (must be 0)
    duplicates   extra messages for one recording, or one message stored twice (must be 0)

Prints one JSON summary line. Real Whisper (`tiny.en` by default: this is about plumbing).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.audio import decode  # noqa: E402
from tests.bad_files import make_bad_files  # noqa: E402
from tests.service_process import ServiceProcess, write_config  # noqa: E402

FIXTURES = sorted((ROOT / "tests" / "fixtures" / "voicemails").glob("*.wav"))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_recordings(folder: Path, count: int) -> list[Path]:
    """`count` distinct recordings: the fixtures with different padding and gain (distinct SHA-256)."""
    folder.mkdir(parents=True)
    sources = [decode(f).samples for f in FIXTURES]
    out = []
    for n in range(count):
        samples = sources[n % len(sources)] * (0.8 + 0.004 * n)
        samples = np.concatenate([np.zeros(160 * (n + 1), dtype=np.float32), samples])
        path = folder / f"rec {n:03d} – Anruf.wav"
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(16000)
            w.writeframes((np.clip(samples, -1, 1) * 32000).astype("<i2").tobytes())
        out.append(path)
    return out


def asterisk_text(n: int) -> str:
    return (f';\n[message]\norigmailbox=10{n % 3}\ncallerid="Caller {n}" <555000{n:04d}>\n'
            f"origtime={1700000000 + n * 60}\nduration=8\n")


def slow_copy(src: Path, dst: Path, chunks: int = 6, pause: float = 0.3) -> None:
    data = src.read_bytes()
    for k in range(chunks):
        with open(dst, "ab") as fh:
            fh.write(data[k * len(data) // chunks:(k + 1) * len(data) // chunks])
        time.sleep(pause)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recordings", type=int, default=60)
    parser.add_argument("--duplicates", type=int, default=5)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder (its path is printed).")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    base = Path(tempfile.mkdtemp(prefix="vmtriage-fault-"))
    recordings = make_recordings(base / "staging" / "good", args.recordings)
    expected_bad = make_bad_files(base / "staging" / "bad", base / "executed")
    service = ServiceProcess(base, write_config(base, model=args.model, workers=args.workers))
    inbox = service.inbox
    mailboxes = ["", "front desk", "Dr. Ñúñez", "line 2/after hours"]
    for m in mailboxes:
        (inbox / m).mkdir(parents=True, exist_ok=True)

    plan = list(enumerate(recordings))
    rng.shuffle(plan)
    before_start, later = plan[:10], plan[10:]
    dropped: list[tuple[Path, Path]] = []  # (source, inbox path)

    def drop(n: int, src: Path, slow: bool = False) -> None:
        folder = inbox / mailboxes[n % len(mailboxes)]
        target = folder / (f"msg{n:04d}.wav" if n % 4 == 1 else src.name)
        if n % 4 == 1 and n % 8 == 1:  # Asterisk sidecar first
            (folder / f"msg{n:04d}.txt").write_text(asterisk_text(n))
        if slow:
            slow_copy(src, target)
        else:
            shutil.copy(src, target.with_name(target.name + ".part"))
            target.with_name(target.name + ".part").rename(target)
        dropped.append((src, target))

    for n, src in before_start:
        drop(n, src)
    t0 = time.monotonic()
    service.start()
    kills_done = 0
    kill_at = [int(len(recordings) * f) for f in (0.3, 0.6, 0.8)][: args.kills]
    bad_items = sorted((base / "staging" / "bad").iterdir())
    late_json: list[tuple[int, Path]] = []
    for i, (n, src) in enumerate(later):
        drop(n, src, slow=(i % 9 == 0))
        if n % 4 == 1 and n % 8 == 5:
            late_json.append((n, dropped[-1][1]))
        if i % 3 == 0 and bad_items:
            bad = bad_items.pop()
            shutil.move(str(bad), inbox / mailboxes[i % len(mailboxes)] / bad.name)
        if i < args.duplicates:
            dup_src = recordings[rng.randrange(len(recordings))]
            shutil.copy(dup_src, inbox / mailboxes[(i + 1) % len(mailboxes)] / f"again {i} {dup_src.name}")
        if kills_done < len(kill_at) and service.count("messages") >= kill_at[kills_done]:
            service.wait_for(lambda: service.count("jobs", "state = 'decoded'") > 0, 120, "a job transcribing")
            service.kill9()
            kills_done += 1
            service.start()
        time.sleep(rng.uniform(0.0, 0.6))
    for bad in bad_items:
        shutil.move(str(bad), inbox / bad.name)
    for n, audio_path in late_json:  # JSON sidecars after their recordings
        audio_path.with_suffix(".json").write_text(json.dumps(
            {"caller_number": f"555111{n:04d}", "received_at": "2024-05-06T07:08:09+00:00"}))
    while kills_done < args.kills:
        target = kill_at[kills_done] if kills_done < len(kill_at) else 0
        service.wait_for(lambda t=target: service.count("messages") >= t, 1800, "messages before the kill")
        service.wait_for(lambda: service.count("jobs", "state = 'decoded'") > 0, 300, "a job transcribing")
        service.kill9()
        kills_done += 1
        service.start()
    service.wait_for(service.idle, 1800, "all work done")
    time.sleep(3)  # late sidecars and duplicates are quick; let them settle
    service.wait_for(service.idle, 300, "all work done")
    exit_code = service.terminate()
    elapsed = time.monotonic() - t0

    good_shas = {sha(p) for p in recordings}
    message_shas = [r[0] for r in service.query("select sha256 from messages")]
    quarantined_names = {r[0] for r in service.query("select file_name from quarantine")}
    labels_per_message = service.query("select count(*) from triage_history group by message_id having count(*) > 1")
    left_in_inbox = [p for p in inbox.rglob("*") if p.is_file()]
    lost_good = good_shas - set(message_shas)
    lost_bad = set(expected_bad) - quarantined_names
    archived_ok = all(Path(p).is_file() and sha(Path(p)) == s
                      for s, p in service.query("select sha256, archive_path from messages"))
    joined_asterisk = service.count("messages", "caller_number like '555000%'")
    joined_json = service.count("messages", "caller_number like '555111%'")
    summary = {
        "recordings": len(recordings), "bad_files": len(expected_bad), "duplicate_drops": args.duplicates,
        "kills": kills_done, "workers": args.workers, "model": args.model,
        "messages": len(message_shas), "quarantined": service.count("quarantine"),
        "duplicates_recorded": service.count("duplicates"),
        "lost": len(lost_good) + len(lost_bad) + len(left_in_inbox),
        "duplicates": (len(message_shas) - len(set(message_shas))) + len(set(message_shas) - good_shas)
        + len(labels_per_message),
        "jobs_resumed": service.count("jobs", "attempts > 1"),
        "sidecars_joined": {"asterisk_before": joined_asterisk, "json_after": joined_json,
                            "expected": [len([n for n, _ in plan if n % 8 == 1]), len(late_json)]},
        "archive_verified": archived_ok, "script_executed": (base / "executed").exists(),
        "clean_exit_code": exit_code, "elapsed_s": round(elapsed, 1), "folder": str(base),
    }
    print(json.dumps(summary))
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    ok = summary["lost"] == 0 and summary["duplicates"] == 0 and len(message_shas) == len(good_shas)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
