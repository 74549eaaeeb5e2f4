"""People who sign in: users with argon2 password hashes, roles, sessions and the login rate limit.

A session cookie carries a random token; the database keeps only its SHA-256, so a copy of the
database does not let anyone sign in. Each session has its own CSRF token for the forms.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .store import audit, iso, utcnow

ROLES = ("assistant", "reviewer", "admin")
# Who may open what: each role includes the pages of the roles before it.
ROLE_LEVEL = {"assistant": 0, "reviewer": 1, "admin": 2}
MIN_PASSWORD_LENGTH = 8
LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILED_LOGINS = 5  # per name or per address within LOGIN_WINDOW

_hasher = PasswordHasher()


class AccountError(ValueError):
    pass


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    active: bool

    def can(self, role: str) -> bool:
        return ROLE_LEVEL[self.role] >= ROLE_LEVEL[role]


@dataclass(frozen=True)
class Session:
    token: str  # only ever in the cookie; the database has its hash
    csrf: str
    user: User


def _user(row: dict) -> User:
    return User(id=row["id"], name=row["name"], role=row["role"], active=bool(row["active"]))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def count_users(db: sqlite_utils.Database) -> int:
    return db["users"].count


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("select id, name, role, active, created_at, last_login_at from users order by name"))


def add_user(db: sqlite_utils.Database, name: str, role: str, password: str, *, actor: str) -> User:
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise AccountError("a user name is 1 to 64 characters without spaces")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if list(db["users"].rows_where("name = ?", [name], limit=1)):
        raise AccountError(f"user {name!r} already exists")
    with db.conn:
        user_id = db["users"].insert({"name": name, "password_hash": _hasher.hash(password), "role": role,
                                      "active": 1, "created_at": iso(utcnow())}).last_pk
        audit(db, actor, "user_add", None, {"user": name, "role": role})
    return User(id=user_id, name=name, role=role, active=True)


def set_active(db: sqlite_utils.Database, user_id: int, active: bool, *, actor: str) -> None:
    rows = list(db["users"].rows_where("id = ?", [user_id], limit=1))
    if not rows:
        raise AccountError(f"no user {user_id}")
    with db.conn:
        db["users"].update(user_id, {"active": int(active)})
        if not active:  # a disabled account is signed out everywhere at once
            db.execute("delete from sessions where user_id = ?", [user_id])
        audit(db, actor, "user_enable" if active else "user_disable", None, {"user": rows[0]["name"]})


def too_many_failures(db: sqlite_utils.Database, name: str, ip: str, now: datetime | None = None) -> bool:
    since = iso((now or utcnow()) - LOGIN_WINDOW)
    row = db.execute(
        "select sum(name = ?), sum(ip = ?) from login_attempts where ok = 0 and at >= ?", [name, ip, since]
    ).fetchone()
    return max(row[0] or 0, row[1] or 0) >= MAX_FAILED_LOGINS


def authenticate(db: sqlite_utils.Database, name: str, password: str, ip: str) -> User | None:
    """The user when the name and password match an active account; every attempt is recorded."""
    rows = list(db["users"].rows_where("name = ?", [name], limit=1))
    ok = False
    if rows and rows[0]["active"]:
        try:
            ok = _hasher.verify(rows[0]["password_hash"], password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password)  # the same work for unknown names, so timing does not reveal them
    with db.conn:
        db.execute("delete from login_attempts where at < ?", [iso(utcnow() - timedelta(days=1))])  # keep it small
        db["login_attempts"].insert({"name": name[:64], "ip": ip, "at": iso(utcnow()), "ok": int(ok)})
        audit(db, name[:64] if ok else "anonymous", "login" if ok else "login_failed", None, {"ip": ip})
        if ok:
            db["users"].update(rows[0]["id"], {"last_login_at": iso(utcnow())})
    return _user(rows[0]) if ok else None


def create_session(db: sqlite_utils.Database, user: User) -> Session:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = iso(utcnow())
    db["sessions"].insert({"token_hash": _token_hash(token), "user_id": user.id, "csrf": csrf,
                           "created_at": now, "last_seen_at": now})
    return Session(token=token, csrf=csrf, user=user)


def session_for(db: sqlite_utils.Database, token: str | None, idle_timeout: timedelta,
                now: datetime | None = None, touch: bool = True) -> Session | None:
    """The live session for a cookie token; None when unknown, idle too long or disabled.

    `touch` marks the person active; a page's automatic refresh passes False so that a list left
    open on a screen still signs out after the idle timeout.
    """
    if not token:
        return None
    now = now or utcnow()
    key = _token_hash(token)
    rows = list(db.query(
        "select s.csrf, s.last_seen_at, u.* from sessions s join users u on u.id = s.user_id where s.token_hash = ?",
        [key],
    ))
    if not rows:
        return None
    row = rows[0]
    if not row["active"] or datetime.fromisoformat(row["last_seen_at"]) + idle_timeout < now:
        db.execute("delete from sessions where token_hash = ?", [key])
        db.conn.commit()
        return None
    if touch:
        db.execute("update sessions set last_seen_at = ? where token_hash = ?", [iso(now), key])
        db.conn.commit()
    return Session(token=token, csrf=row["csrf"], user=_user(row))


def end_session(db: sqlite_utils.Database, session: Session) -> None:
    with db.conn:
        db.execute("delete from sessions where token_hash = ?", [_token_hash(session.token)])
        audit(db, session.user.name, "logout")
