"""The `vmtriage` command: a thin layer over the library (each command calls a few functions)."""

from __future__ import annotations

import getpass
import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path

import click

from .callbacks import OUTCOMES
from .config import Config, ConfigError, load_config
from .store import audit, get_message, open_db


def _setup_logging(verbose: bool) -> None:
    # Logs carry ids and states only: never transcripts, names, numbers or dates of birth.
    # Third-party libraries log at WARNING only (PyRuSH, for one, chatters at INFO).
    logging.basicConfig(
        level=logging.WARNING,
        format='{"at": "%(asctime)s", "level": "%(levelname)s", "logger": "%(name)s", "msg": "%(message)s"}',
        stream=sys.stderr,
    )
    logging.getLogger("vmtriage").setLevel(logging.DEBUG if verbose else logging.INFO)


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
    from .serialize import triage_json
    from .triage import Triager

    if not text and not jsonl:
        raise click.UsageError("give TEXT or --jsonl FILE")
    triager = Triager(_config(ctx).paths.rules_dir)
    if jsonl:
        for n, line in enumerate(jsonl, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                item_id, item_text = item["id"], item["text"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise click.ClickException(f"line {n}: expected an object with 'id' and 'text' ({exc})") from exc
            _echo_json({"id": item_id, **triage_json(triager.triage(item_text))})
        return
    result = triage_json(triager.triage(text))
    if as_json:
        _echo_json(result)
    else:
        click.echo(f"{result['urgency']} / {result['concern']} (confidence {result['confidence']:.2f})")
        for reason in result["reasons"]:
            click.echo(f"  - {reason['kind']}: {reason['label']}")


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
        flag = " LISTEN" if row["needs_listen"] else ""
        overdue = " OVERDUE" if row["overdue"] else ""
        click.echo(f"#{row['id']:<5} {row['urgency']:<9} {row['concern']:<12} due {row['due_at']}{overdue}"
                   f"{flag}  {row['mailbox'] or '-'}  {row['callback_number'] or ''}")


@main.command()
@click.pass_context
def watch(ctx):
    """Watch the inbox and process recordings as they arrive (no web page)."""
    from .worker import Service

    service = Service(_config(ctx))
    service.install_signal_handlers()
    click.echo(f"Watching {_config(ctx).paths.inbox} (Ctrl-C to stop)", err=True)
    service.run()


@main.command()
@click.pass_context
def run(ctx):
    """The main job: the inbox watcher and worker, on inbox/ and data/vmtriage.db by default."""
    from .worker import Service

    config = _config(ctx)
    service = Service(config)
    service.install_signal_handlers()
    click.echo(f"vmtriage: watching {config.paths.inbox}; database {config.paths.db}", err=True)
    service.run()


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
@click.pass_context
def callback(ctx, message_id, outcome, note, user):
    """Record a callback attempt for MESSAGE_ID; unreached callers are re-queued with a new due time."""
    from .callbacks import CallbackError, record_attempt
    from .schedule import load_schedule

    config = _config(ctx)
    db = open_db(config.paths.db)
    try:
        row = record_attempt(db, load_schedule(config.paths.rules_dir / "schedule.toml"), message_id, outcome,
                             user=user, note=note)
    except CallbackError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"#{message_id}: {outcome}; " + ("closed" if row["status"] == "closed" else f"next due {row['due_at']}"))


def _eval_commands() -> click.Group:
    """The `eval` group: `eval asr` joins it wherever it is defined (other quality commands share it)."""
    group = main.commands.get("eval")
    if group is None:
        group = click.Group("eval", help="Measure quality on labelled data.")
        main.add_command(group)
    return group


@_eval_commands().command("asr")
@click.option("--data", "data_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Audio files + references.tsv (file, reference[, terms]); default: the project's phone set.")
@click.option("--model", "models", multiple=True, help="Model name or path (repeatable; default from config).")
@click.option("--engine", type=click.Choice(["faster-whisper", "openai-whisper"]), help="Engine (default from config).")
@click.option("--prompt/--no-prompt", default=None, help="With or without the domain prompt (default from config).")
@click.option("--prompt-mode", type=click.Choice(["initial_prompt", "hotwords", "both"]))
@click.option("--beam-size", type=int)
@click.option("--word-timestamps/--no-word-timestamps", default=None)
@click.option("--cpu-threads", type=int)
@click.option("--compare", is_flag=True, help="Side by side: tiny.en and base, with and without the prompt.")
@click.option("--openai-checkpoint", type=click.Path(dir_okay=False, exists=True),
              help="Also run openai-whisper with this .pt checkpoint on the same audio.")
@click.option("--real", "real_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also report WER on real recordings (default: ../shared/data/real/speech when it exists).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per configuration and data set.")
@click.pass_context
def eval_asr(ctx, data_dir, models, engine, prompt, prompt_mode, beam_size, word_timestamps, cpu_threads,
             compare, openai_checkpoint, real_dir, as_json):
    """WER after normalisation, red-flag term recall and real-time factor of speech to text."""
    from .asr_eval import format_table
    from .asr_eval_runs import run_asr_eval

    def emit(summary):  # as each configuration finishes: a long comparison shows progress
        _echo_json({**summary.headline(), "results": [asdict(r) for r in summary.results]})

    summaries = run_asr_eval(_config(ctx), data_dir=data_dir, models=models, engine=engine, prompt=prompt,
                             prompt_mode=prompt_mode, beam_size=beam_size, word_timestamps=word_timestamps,
                             cpu_threads=cpu_threads, compare=compare, openai_checkpoint=openai_checkpoint,
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


if __name__ == "__main__":  # pragma: no cover
    main()
