"""Accounts: argon2 hashes, sign-in, sessions with an idle timeout."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pipeline.accounts import AccountError, add_user, authenticate, create_session, session_for, set_active
from pipeline.store import open_db, utcnow

PASSWORD = "a long enough secret"


@pytest.fixture
def db(config):
    return open_db(config.paths.db)


def test_passwords_are_stored_as_argon2_hashes_not_as_given(db):
    add_user(db, "alice", "assistant", PASSWORD, actor="test")
    stored = db.execute("select password_hash from users where name = 'alice'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_wrong_password_does_not_sign_in(db):
    add_user(db, "alice", "assistant", PASSWORD, actor="test")
    assert authenticate(db, "alice", "not the password", "127.0.0.1") is None
    assert authenticate(db, "alice", PASSWORD, "127.0.0.1").name == "alice"


def test_an_unknown_role_is_refused(db):
    with pytest.raises(AccountError):
        add_user(db, "bob", "superuser", PASSWORD, actor="test")


def test_a_session_ends_after_the_idle_timeout(db):
    user = add_user(db, "alice", "assistant", PASSWORD, actor="test")
    session = create_session(db, user)
    idle = timedelta(minutes=30)
    assert session_for(db, session.token, idle, now=utcnow() + timedelta(minutes=29)) is not None
    assert session_for(db, session.token, idle, now=utcnow() + timedelta(minutes=60)) is None


def test_an_automatic_refresh_does_not_keep_a_session_alive(db):
    user = add_user(db, "alice", "assistant", PASSWORD, actor="test")
    session = create_session(db, user)
    idle = timedelta(minutes=30)
    later = utcnow() + timedelta(minutes=20)
    assert session_for(db, session.token, idle, now=later, touch=False) is not None
    assert session_for(db, session.token, idle, now=later + timedelta(minutes=20)) is None


def test_disabling_an_account_ends_its_sessions(db):
    user = add_user(db, "alice", "assistant", PASSWORD, actor="test")
    session = create_session(db, user)
    set_active(db, user.id, False, actor="admin")
    assert session_for(db, session.token, timedelta(minutes=30)) is None
    assert authenticate(db, "alice", PASSWORD, "127.0.0.1") is None
