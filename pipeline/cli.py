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
    """The main job: the inbox watcher, the worker and the web page, on inbox/ and data/vmtriage.db by default."""
    from .web import start_web_in_thread
    from .worker import Service

    config = _config(ctx)
    service = Service(config)
    service.install_signal_handlers()
    click.echo(f"vmtriage: watching {config.paths.inbox}; database {config.paths.db}", err=True)
    web = start_web_in_thread(config)
    _web_hint(config)
    try:
        service.run()
    finally:
        web.stop()


@main.command()
@click.option("--verify", is_flag=True, help="Exit non-zero unless every bundled model is present and verified.")
@click.option("--json", "as_json", is_flag=True)
def models(verify, as_json):
    """List Whisper models and whether each is present and verified (SHA-256)."""
    from .model_registry import load_manifest, model_status

    statuses = [model_status(spec) for spec in load_manifest().values()]
    if as_json:
        _echo_json([asdict(s) for s in statuses])
    else:
        for s in statuses:
            state = "verified" if s.verified else ("present" if s.present else "missing")
            click.echo(f"{s.name:<10} {s.source:<8} {state:<9} {s.detail}")
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
