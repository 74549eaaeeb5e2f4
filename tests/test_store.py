"""The SQLite store: versioned migrations, WAL mode."""

from __future__ import annotations

from pipeline.migrations import MIGRATIONS, current_version, migrate
from pipeline.store import open_db


def test_new_database_is_migrated_to_the_latest_version_in_wal_mode(tmp_path):
    db = open_db(tmp_path / "x.db")
    assert current_version(db) == len(MIGRATIONS)
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert {"messages", "jobs", "quarantine", "triage_history", "audit_log"} <= set(db.table_names())


def test_migrating_twice_changes_nothing(tmp_path):
    db = open_db(tmp_path / "x.db")
    before = db.execute("select count(*) from schema_version").fetchone()[0]
    assert migrate(db) == len(MIGRATIONS)
    assert db.execute("select count(*) from schema_version").fetchone()[0] == before
