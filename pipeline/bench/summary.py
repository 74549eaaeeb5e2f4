"""Figures, ratios and targets from the arms' raw timings, and the Markdown table."""

from __future__ import annotations

STAGES = ("decode", "transcribe", "triage", "store")
TARGETS = {
    "pipeline_overhead": ("<=", 0.10, "pipeline overhead over bare faster-whisper"),
    "backlog_speedup": (">=", 1.5, "backlog mode vs one at a time (throughput)"),
    "drop_to_listed_s": ("<=", 6.0, "drop to listed, 30 s recording"),
    "run_peak_rss_mb": ("<=", 1536.0, "peak memory of `vmtriage run`"),
}


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def _totals(rows: list[dict], key: str) -> dict:
    picked = [r[key] for r in rows if key in r and "error" not in r[key]]
    return {"wall_s": round(sum(p["wall_s"] for p in picked), 3), "cpu_s": round(sum(p["cpu_s"] for p in picked), 3)}


def _paired(rows: list[dict], a: str, b: str) -> dict:
    """a / b in wall and CPU time, over the files where both ran."""
    both = [r for r in rows if a in r and b in r and "error" not in r[a] and "error" not in r[b]]
    ta, tb = _totals(both, a), _totals(both, b)
    return {"files": len(both), "wall": _ratio(ta["wall_s"], tb["wall_s"]), "cpu": _ratio(ta["cpu_s"], tb["cpu_s"]),
            "audio_s": round(sum(r["audio_s"] for r in both), 1), a: ta, b: tb}


def _throughput(wall_s: float, audio_s: float, messages: int, cpu_s: float | None = None) -> dict:
    out = {"wall_s": round(wall_s, 2), "rtf": _ratio(wall_s, audio_s),
           "messages_per_hour": round(messages / wall_s * 3600) if wall_s else None}
    if cpu_s is not None:
        out["cpu_rtf"] = _ratio(cpu_s, audio_s)
    return out


def asr_summary(arm: dict) -> dict:
    rows = arm["files"]
    audio_s = sum(r["audio_s"] for r in rows)
    pipe, bare = _totals(rows, "pipeline"), _totals(rows, "bare")
    stages = {s: round(sum(r["pipeline"].get("stages", {}).get(s, 0.0) for r in rows), 3) for s in STAGES}
    overhead = _paired(rows, "pipeline", "bare")
    small = _paired(rows, "bare", "small")
    words = _paired(rows, "bare", "bare_no_words")
    bare_rows = [r for r in rows if "bare" in r]
    return {
        "messages": len(rows),
        "audio_s": round(audio_s, 1),
        "pipeline": {**_throughput(pipe["wall_s"], audio_s, len(rows), pipe["cpu_s"]), "stages_s": stages,
                     "stage_share": {s: _ratio(v, pipe["wall_s"]) for s, v in stages.items()}},
        "bare": _throughput(bare["wall_s"], sum(r["audio_s"] for r in bare_rows), len(bare_rows), bare["cpu_s"]),
        "pipeline_overhead": round(overhead["wall"] - 1, 3) if overhead["wall"] else None,
        "pipeline_overhead_cpu": round(overhead["cpu"] - 1, 3) if overhead["cpu"] else None,
        "small_model": arm["small_model"],
        "small_speedup": small["wall"],
        "small_speedup_cpu": small["cpu"],
        "small_pairs": small,
        "word_timestamps_cost": round(words["wall"] - 1, 3) if words["wall"] else None,
        "word_timestamps_cost_cpu": round(words["cpu"] - 1, 3) if words["cpu"] else None,
        "word_timestamps_pairs": words,
        "load_s": {k: v["wall_s"] for k, v in arm["load"].items()},
        "peak_rss_mb": arm.get("peak_rss_mb"),
    }


def openai_summary(arm: dict) -> dict:
    rows = arm["files"]
    audio_s = sum(r["audio_s"] for r in rows)
    fw, ow = _totals(rows, "faster_whisper"), _totals(rows, "openai_whisper")
    return {"messages": len(rows), "audio_s": round(audio_s, 1),
            "faster_whisper": _throughput(fw["wall_s"], audio_s, len(rows), fw["cpu_s"]),
            "openai_whisper": _throughput(ow["wall_s"], audio_s, len(rows), ow["cpu_s"]),
            "speedup": _ratio(ow["wall_s"], fw["wall_s"]), "speedup_cpu": _ratio(ow["cpu_s"], fw["cpu_s"]),
            "peak_rss_mb_both_loaded": arm.get("peak_rss_mb")}


def backlog_summary(one: dict, many: dict) -> dict:
    def side(arm: dict) -> dict:
        return {"workers": arm["workers"], "workers_running": arm.get("workers_running"), "done": arm["done"],
                **_throughput(arm["wall_s"], arm["audio_s"], arm["messages"], arm["cpu_s"]),
                "peak_rss_mb": arm.get("peak_rss_mb")}

    out = {"messages": one["messages"], "audio_s": one["audio_s"], "one_at_a_time": side(one),
           "backlog_mode": side(many), "speedup": _ratio(one["wall_s"], many["wall_s"]),
           # CPU seconds for the same work: on a busy machine, two workers also get a bigger share of
           # the cores than one, so `speedup` flatters the backlog mode there; this ratio does not.
           "cpu_ratio": _ratio(one["cpu_s"], many["cpu_s"])}
    if many.get("workers_running", many["workers"]) < many["workers"]:
        out["note"] = "this build's worker ignores ingest.workers: the backlog mode ran one worker"
    return out


def latency_summary(arm: dict) -> dict:
    drops = arm.get("drops") or []
    out = {"start_to_first_listed_s": arm.get("start_to_first_listed_s"),
           "run_peak_rss_mb": arm.get("run_peak_rss_mb"), "drops": drops}
    if drops:
        out["drop_to_listed_s"] = drops[0]["listed_s"]
        out["drop_to_printed_s"] = drops[0].get("confirmed_s")  # then printed by `vmtriage callbacks --json`
        out["drop_audio_s"] = drops[0]["audio_s"]
    if "error" in arm:
        out["error"] = arm["error"]
    return out


def summarise(result: dict) -> dict:
    arms = result["arms"]
    out: dict = {}
    if arms.get("asr"):
        out["asr"] = asr_summary(arms["asr"])
    if "openai" not in arms:
        out["openai"] = {"skipped": "not selected (--only)"}
    elif arms["openai"] is None:
        out["openai"] = {"skipped": "failed: see notes"}
    elif "skipped" in arms["openai"]:
        out["openai"] = {"skipped": arms["openai"]["skipped"]}
    else:
        out["openai"] = openai_summary(arms["openai"])
    if arms.get("backlog_one_at_a_time") and arms.get("backlog_backlog_mode"):
        out["backlog"] = backlog_summary(arms["backlog_one_at_a_time"], arms["backlog_backlog_mode"])
    if arms.get("latency"):
        out["latency"] = latency_summary(arms["latency"])
    values = {
        "pipeline_overhead": out.get("asr", {}).get("pipeline_overhead"),
        "backlog_speedup": out.get("backlog", {}).get("speedup"),
        "drop_to_listed_s": out.get("latency", {}).get("drop_to_listed_s"),
        "run_peak_rss_mb": out.get("latency", {}).get("run_peak_rss_mb"),
    }
    out["targets"] = {name: {"value": values[name], "op": op, "target": limit, "what": what,
                             "met": None if values[name] is None else
                             (values[name] <= limit if op == "<=" else values[name] >= limit)}
                      for name, (op, limit, what) in TARGETS.items()}
    return out


def _fmt(value, unit: str = "", digits: int = 2) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:+.1f}%"


def markdown(result: dict) -> str:
    """A short table for README and the terminal."""
    s = result["summary"]
    m = result["machine"]
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, no GPU; load average "
             f"{m['load_average_before'][0]} before, {m['load_average_after'][0]} after; "
             f"run took {result['elapsed_s']} s.", "",
             "| measure | value | target |", "|---|---|---|"]
    asr = s.get("asr")
    if asr:
        p = asr["pipeline"]
        small = result["options"]["small_model"]
        lines += [
            f"| recordings (main set) | {asr['messages']}, {asr['audio_s']:.0f} s of audio | |",
            f"| pipeline real-time factor (wall / CPU) | {_fmt(p['rtf'], digits=3)} / {_fmt(p['cpu_rtf'], digits=3)}"
            " | |",
            f"| pipeline messages per hour | {p['messages_per_hour']} | |",
            "| stage time: " + ", ".join(STAGES) + " | "
            + " / ".join(f"{p['stages_s'][st]:.1f} s" for st in STAGES) + " | |",
            f"| (1) pipeline overhead over bare faster-whisper (wall / CPU) | {_pct(asr['pipeline_overhead'])}"
            f" / {_pct(asr['pipeline_overhead_cpu'])} | <= 10% |",
            f"| (3) {small} speed-up over {result['options']['model']}, {asr['small_pairs']['files']} recordings "
            f"(wall / CPU) | {_fmt(asr['small_speedup'], 'x')} / {_fmt(asr['small_speedup_cpu'], 'x')} | |",
            f"| word timestamps (alignment pass) cost, {asr['word_timestamps_pairs']['files']} recordings "
            f"(wall / CPU) | {_pct(asr['word_timestamps_cost'])} / {_pct(asr['word_timestamps_cost_cpu'])} | |",
            f"| model load (pipeline) | {_fmt(asr['load_s'].get('pipeline'), ' s', 1)} | |",
        ]
    o = s.get("openai", {})
    if "skipped" in o:
        lines.append(f"| (2) faster-whisper vs openai-whisper | {o['skipped']} | |")
    else:
        lines.append(f"| (2) faster-whisper speed-up over openai-whisper, {o['messages']} recordings (wall / CPU) | "
                     f"{_fmt(o['speedup'], 'x')} / {_fmt(o['speedup_cpu'], 'x')} | |")
    b = s.get("backlog")
    if b:
        lines += [
            f"| (4) backlog of {b['messages']}: one at a time | {b['one_at_a_time']['wall_s']:.0f} s, "
            f"{b['one_at_a_time']['messages_per_hour']} msg/h | |",
            f"| (4) backlog mode ({b['backlog_mode']['workers']} workers) | {b['backlog_mode']['wall_s']:.0f} s, "
            f"{b['backlog_mode']['messages_per_hour']} msg/h, speed-up {_fmt(b['speedup'], 'x')} "
            f"(CPU per message {_fmt(b['cpu_ratio'], 'x')} less)"
            f"{' (' + b['note'] + ')' if 'note' in b else ''} | >= 1.5x |",
        ]
    lat = s.get("latency")
    if lat:
        lines += [
            f"| (5) drop to listed, {_fmt(lat.get('drop_audio_s'), ' s', 1)} recording | "
            f"{_fmt(lat.get('drop_to_listed_s'), ' s', 1)} (printed by `vmtriage callbacks --json` at "
            f"{_fmt(lat.get('drop_to_printed_s'), ' s', 1)}){' (' + lat['error'][:80] + ')' if 'error' in lat else ''}"
            " | <= 6 s |",
            f"| peak memory of `vmtriage run` ({result['options']['model']}) | "
            f"{_fmt(lat.get('run_peak_rss_mb'), ' MB', 0)} | <= 1536 MB |",
        ]
    met = [f"{k}: {'met' if v['met'] else 'NOT met' if v['met'] is False else 'n/a'}"
           for k, v in s["targets"].items()]
    lines += ["", "Targets: " + "; ".join(met) + "."]
    if result.get("notes"):
        lines += ["", "Notes: " + " | ".join(n[:300] for n in result["notes"])]
    return "\n".join(lines)
