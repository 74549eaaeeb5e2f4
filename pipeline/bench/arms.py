"""The benchmark's arms; each runs inside its own child process (see child.py).

Paired arms share one process and alternate per file (A B, then B A), so a machine that gets
busier or quieter during the run slows both sides alike. Every timing is taken after the models
are loaded and warmed up: start-up cost is reported on its own (`load_s`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

from ..config import Config, load_config

# What counts as finished in the jobs table (the backlog arm waits for every job to get here).
TERMINAL_STATES = ("done", "quarantined", "duplicate")


class Clock:
    """Wall and process CPU time (all threads: CTranslate2 works in native threads)."""

    def __init__(self):
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()

    def read(self) -> dict:
        return {"wall_s": round(time.perf_counter() - self.wall0, 3),
                "cpu_s": round(time.process_time() - self.cpu0, 3)}


def bench_config(config_path: str | None, workdir: str, model: str, **ingest) -> Config:
    """The user's configuration (or the defaults) with every folder moved under `workdir`."""
    config = load_config(config_path) if config_path else Config()
    work = Path(workdir)
    config = config.with_paths(inbox=work / "inbox", data_dir=work / "data")
    return replace(config, transcription=replace(config.transcription, model=model),
                   ingest=replace(config.ingest, keep_originals=True, **ingest))


def load_whisper(config: Config, model: str):
    """A bare faster-whisper model, loaded the way the product loads it (verified, same precision)."""
    from faster_whisper import WhisperModel

    from ..model_registry import resolve_model

    path, _ = resolve_model(model, allow_download=config.transcription.allow_download)
    return WhisperModel(path, device="cpu", compute_type=config.transcription.compute_type,
                        cpu_threads=config.transcription.cpu_threads)


def product_options(config: Config, model: str) -> dict:
    """faster-whisper options matching the product's Transcriber: beam, prompt, language, VAD, word times."""
    from ..transcribe import load_domain_prompt

    tc = config.transcription
    prompt = load_domain_prompt(config.paths.rules_dir, tc)
    mode = getattr(tc, "prompt_mode", "initial_prompt")  # newer configs may feed the prompt as hotwords
    options = {
        "beam_size": tc.beam_size,
        "language": "en" if model.endswith(".en") else (tc.language or None),
        "initial_prompt": prompt if mode in ("initial_prompt", "both") else None,
        "word_timestamps": getattr(tc, "word_timestamps", True),
        "vad_filter": tc.vad_filter,
        "condition_on_previous_text": False,
    }
    if mode in ("hotwords", "both"):
        options["hotwords"] = prompt
    return options


def bare_transcribe(model, source, options: dict) -> dict:
    clock = Clock()
    segments, _info = model.transcribe(source, **options)
    text = " ".join(seg.text.strip() for seg in segments)
    return {**clock.read(), "words": len(text.split())}


def audio_seconds(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return round(float(stream.duration * stream.time_base), 3) if stream.duration else 0.0


def asr(files: list[str], model: str, small_model: str, workdir: str, config_path: str | None = None) -> dict:
    """Ratios 1 and 3, per file: the whole pipeline vs bare faster-whisper; `small_model` vs `model`;
    and bare with vs without word timestamps (the cost of the alignment pass)."""
    from ..process import Processor
    from ..store import get_message, open_db
    from ..worker import process_now

    config = bench_config(config_path, workdir, model)
    clock = Clock()
    processor = Processor(config)
    load = {"pipeline": clock.read()}
    clock = Clock()
    bare = load_whisper(config, model)
    load["bare"] = clock.read()
    clock = Clock()
    small = load_whisper(config, small_model)
    load["small"] = clock.read()
    options, small_options = product_options(config, model), product_options(config, small_model)
    db = open_db(config.paths.db)
    warm = str(files[0])
    bare_transcribe(bare, warm, options)
    bare_transcribe(small, warm, small_options)
    processor.transcriber.transcribe(__import__("numpy").zeros(16000 * 2, dtype="float32"))

    def pipeline_run(path: Path) -> dict:
        clock = Clock()
        outcome = process_now(db, config, processor, path)
        measured = clock.read()
        if "message_id" not in outcome:
            return {**measured, "error": str(outcome)}
        stages = dict(get_message(db, outcome["message_id"])["timings_ms"])
        stages = {k: round(v / 1000, 3) for k, v in stages.items()}
        stages["store"] = round(max(measured["wall_s"] - sum(stages.values()), 0.0), 3)
        return {**measured, "stages": stages}

    no_words = {**options, "word_timestamps": False}
    steps = {
        "bare": lambda p: bare_transcribe(bare, str(p), options),
        "pipeline": pipeline_run,
        "small": lambda p: bare_transcribe(small, str(p), small_options),
        "bare_no_words": lambda p: bare_transcribe(bare, str(p), no_words),
    }
    rows = []
    for i, name in enumerate(files):
        path = Path(name)
        # Every file: the pipeline (stage times, throughput). Every other file also bare, and every
        # fourth also the small model and bare without word timestamps (what the alignment pass
        # costs): enough pairs for the ratios while the whole bench stays under 15 minutes.
        # The order rotates so no step always goes first.
        names = ["pipeline"] if i % 2 else list(steps) if i % 4 == 0 else ["bare", "pipeline"]
        order = names[i % len(names):] + names[:i % len(names)]
        row = {"file": path.name, "audio_s": audio_seconds(path)}
        for step in order:
            row[step] = steps[step](path)
        rows.append(row)
    return {"model": model, "small_model": small_model, "load": load, "files": rows}


def openai_pair(files: list[str], checkpoint: str, model: str, workdir: str, config_path: str | None = None) -> dict:
    """Ratio 2: faster-whisper vs openai-whisper on the same weights and the same decoded audio.

    Both with beam 5, English forced, no VAD, no word timestamps, no prompt: the engines alone.
    """
    import whisper  # openai-whisper, the optional `[openai]` extra

    from .. import audio as audio_stage

    config = bench_config(config_path, workdir, model)
    clock = Clock()
    fw = load_whisper(config, model)
    load = {"faster_whisper": clock.read()}
    clock = Clock()
    ow = whisper.load_model(checkpoint, device="cpu")
    load["openai_whisper"] = clock.read()
    fw_options = {"beam_size": 5, "language": "en", "vad_filter": False, "word_timestamps": False,
                  "condition_on_previous_text": False}

    def openai_run(samples) -> dict:
        clock = Clock()
        out = ow.transcribe(samples, beam_size=5, language="en", fp16=False, condition_on_previous_text=False)
        return {**clock.read(), "words": len(out["text"].split())}

    first = audio_stage.decode(files[0]).samples[: 16000 * 3]
    bare_transcribe(fw, first, fw_options)
    openai_run(first)
    rows = []
    for i, name in enumerate(files):
        samples = audio_stage.decode(name).samples
        row = {"file": Path(name).name, "audio_s": round(samples.size / 16000, 3)}
        pair = [("faster_whisper", lambda s=samples: bare_transcribe(fw, s, fw_options)),
                ("openai_whisper", lambda s=samples: openai_run(s))]
        for step, run in pair if i % 2 == 0 else pair[::-1]:
            row[step] = run()
        rows.append(row)
    return {"model": model, "checkpoint": checkpoint, "load": load, "files": rows}


def backlog(files: list[str], model: str, backlog_workers: int, workdir: str, config_path: str | None = None) -> dict:
    """Ratio 4: the product's Service, timed from queuing every file as a job until the last job is
    finished. `backlog_workers` 1: one at a time (backlog mode off); more: the service's backlog mode,
    which swaps its one warm worker for that many as soon as the jobs are queued (their model
    loading counts: the service does it too). The first worker is loaded and warmed before the clock
    starts."""
    import numpy as np

    from ..ingest import take_file
    from ..process import Processor
    from ..store import open_db
    from ..worker import Service

    config = bench_config(config_path, workdir, model, workers=1)
    backlog_jobs = max(1, config.ingest.backlog_jobs) if backlog_workers > 1 else 0  # 0: the mode is off
    config = replace(config, ingest=replace(config.ingest, backlog_jobs=backlog_jobs,
                                            backlog_workers=max(backlog_workers, 1)))
    db = open_db(config.paths.db)
    clock = Clock()
    processor = Processor(config)
    processor.transcriber.transcribe(np.zeros(16000 * 2, dtype="float32"))
    service = Service(config, processor)
    del processor  # the service's worker holds it; backlog mode frees it before loading its own
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    _wait_workers_ready(service, 1, thread)
    load = clock.read()
    clock = Clock()
    jobs = [take_file(db, config, Path(name)) for name in files]
    queued = {**clock.read(), "jobs": sum(job is not None for job in jobs)}  # e.g. symbolic links are refused
    placeholders = ",".join("?" for _ in TERMINAL_STATES)
    running = 1
    while thread.is_alive():
        running = max(running, sum(w.is_alive() and not w.retire.is_set() for w in service.workers))
        finished = db.execute(f"select count(*) from jobs where state in ({placeholders})",
                              TERMINAL_STATES).fetchone()[0]
        if finished >= queued["jobs"]:
            break
        time.sleep(0.1)
    measured = clock.read()
    service.stop_event.set()
    thread.join(timeout=120)
    done = db.execute("select count(*) from jobs where state = 'done'").fetchone()[0]
    audio_s = sum(audio_seconds(Path(name)) for name in files)
    return {"model": model, "workers": backlog_workers, "workers_running": running, "messages": len(files),
            "done": done, "audio_s": round(audio_s, 3), "queue": queued, "load": load, **measured}


def _wait_workers_ready(service, workers: int, thread: threading.Thread, timeout_s: float = 300) -> None:
    """Until every worker has its model loaded (a service without worker objects is ready at once)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and thread.is_alive():
        running = getattr(service, "workers", None)
        if running is None:
            time.sleep(0.5)
            return
        if len(running) >= workers and all(w.ready.is_set() for w in running):
            return
        time.sleep(0.1)


ARMS = {"asr": asr, "openai": openai_pair, "backlog": backlog}
