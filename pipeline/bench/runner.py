"""`vmtriage bench`: build the recordings, run every arm, and put the figures side by side."""

from __future__ import annotations

import json
import os
import platform
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..paths import PROJECT_ROOT
from . import corpus, summary
from .child import ArmFailed, run_arm
from .latency import drop_to_listed

DEFAULT_OUT_DIR = PROJECT_ROOT / "bench-results"
ARM_NAMES = ("asr", "openai", "backlog", "latency")


@dataclass(frozen=True)
class BenchOptions:
    quick: bool = False
    corpus_dir: Path | None = None  # WAV files to use instead of the generated sets
    model: str = "base"
    small_model: str = "tiny.en"
    openai_checkpoint: Path | None = None
    openai_files: int = 8
    backlog_workers: int = 2
    config_path: Path | None = None
    cache: Path = corpus.DEFAULT_CACHE
    only: tuple[str, ...] = ()  # a subset of ARM_NAMES; empty: all


@dataclass(frozen=True)
class Recordings:
    main: list[Path]
    backlog: list[Path]
    drops: list[Path]
    warmup: Path


def pick_recordings(options: BenchOptions) -> Recordings:
    if options.corpus_dir:
        files = sorted(Path(options.corpus_dir).glob("*.wav"))
        if len(files) < 2:
            raise ValueError(f"{options.corpus_dir} holds fewer than 2 WAV files")
        main = files[:2] if options.quick else files
        return Recordings(main=main, backlog=files[:4] if options.quick else files, drops=[files[0]],
                          warmup=files[1])
    main = corpus.ensure_set("main", options.cache)
    backlog = corpus.ensure_set("backlog", options.cache)
    drops = corpus.ensure_set("latency", options.cache)
    if options.quick:
        return Recordings(main=main[:2], backlog=backlog[:4], drops=drops, warmup=backlog[0])
    # The warm-up is not in the backlog (so the timed drop is never a duplicate); the long main clip
    # is dropped too, for the memory peak of a long message.
    return Recordings(main=main, backlog=backlog, drops=[*drops, main[-1]], warmup=main[0])


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return {"cpu": model or platform.processor(), "cores": os.cpu_count(), "memory_gb": round(mem_gb, 1),
            "python": platform.python_version(), "system": platform.platform(terse=True)}


def _arm(name: str, args: dict, notes: list[str]) -> dict | None:
    try:
        return run_arm(name, args)
    except ArmFailed as exc:
        notes.append(str(exc))
        return None


def openai_skip_reason(options: BenchOptions) -> str | None:
    if options.openai_checkpoint is None:
        return ("skipped: no openai-whisper checkpoint given (pass --openai-checkpoint PATH.pt, "
                "e.g. a conversion of the bundled base model)")
    if not Path(options.openai_checkpoint).is_file():
        return f"skipped: openai-whisper checkpoint {options.openai_checkpoint} does not exist"
    try:
        import whisper  # noqa: F401
    except ImportError:
        return "skipped: openai-whisper is not installed (pip install -e '.[openai]')"
    return None


def run_bench(options: BenchOptions, progress=print) -> dict:
    started = time.perf_counter()
    load_before = os.getloadavg()
    progress("preparing recordings")
    rec = pick_recordings(options)
    notes: list[str] = []
    common = {"model": options.model, "config_path": str(options.config_path) if options.config_path else None}
    arms: dict = {}
    selected = set(options.only or ARM_NAMES)
    with tempfile.TemporaryDirectory(prefix="vmtriage-bench-") as tmp:
        work = Path(tmp)
        if "asr" in selected:
            progress(f"pipeline vs bare faster-whisper vs {options.small_model}: {len(rec.main)} recordings")
            arms["asr"] = _arm("asr", {**common, "files": [str(p) for p in rec.main],
                                       "small_model": options.small_model, "workdir": str(work / "asr")}, notes)
        skip = openai_skip_reason(options)
        if "openai" not in selected:
            pass
        elif skip:
            arms["openai"] = {"skipped": skip}
        else:
            subset = rec.main[:: max(len(rec.main) // options.openai_files, 1)][: options.openai_files]
            progress(f"faster-whisper vs openai-whisper: {len(subset)} recordings")
            arms["openai"] = _arm("openai", {**common, "files": [str(p) for p in subset],
                                             "checkpoint": str(options.openai_checkpoint),
                                             "workdir": str(work / "openai")}, notes)
        if "backlog" in selected:
            for label, workers in (("one_at_a_time", 1), ("backlog_mode", options.backlog_workers)):
                progress(f"backlog of {len(rec.backlog)}: {label} ({workers} worker(s))")
                arms[f"backlog_{label}"] = _arm("backlog", {**common, "files": [str(p) for p in rec.backlog],
                                                             "backlog_workers": workers,
                                                             "workdir": str(work / label)},
                                                notes)
        if "latency" in selected:
            progress("drop to listed in a running `vmtriage run`")
            arms["latency"] = drop_to_listed(rec.warmup, rec.drops, options.model, work / "latency")
    result = {
        "version": 1,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(options).items()},
        "machine": {**machine(), "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "elapsed_s": None,
        "arms": arms,
        "notes": notes,
    }
    result["summary"] = summary.summarise(result)
    result["elapsed_s"] = round(time.perf_counter() - started, 1)
    return result


def default_out_path() -> Path:
    return DEFAULT_OUT_DIR / f"bench-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"


def write_result(result: dict, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return out
