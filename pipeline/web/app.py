"""The FastAPI application: shared plumbing (database per thread, sign-in, CSRF, headers, templates).

Pages live in routes_*.py, one file per kind of user. Everything except /login and /static
needs a session; every page carries `Cache-Control: no-store` and a strict Content-Security-Policy.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import phonenumbers
import sqlite_utils
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..accounts import Session, User, session_for
from ..config import Config
from ..schedule import Schedule, load_schedule
from ..store import open_db

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "vmtriage_session"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class NotSignedIn(Exception):
    pass


@dataclass
class Web:
    """What every request handler needs, made once per application."""

    config: Config
    db_path: Path
    templates: Jinja2Templates
    schedule: Schedule
    _local: threading.local

    @property
    def db(self) -> sqlite_utils.Database:
        # One connection per server thread: SQLite connections must not cross threads.
        if getattr(self._local, "db", None) is None:
            self._local.db = open_db(self.db_path)
        return self._local.db

    @property
    def idle_timeout(self) -> timedelta:
        return timedelta(minutes=self.config.web.idle_timeout_minutes)


def web(request: Request) -> Web:
    return request.app.state.web


def current_session(request: Request, w: Web = Depends(web)) -> Session:  # noqa: B008
    automatic = request.query_params.get("auto") == "1"  # a page refreshing itself is not the person
    session = session_for(w.db, request.cookies.get(SESSION_COOKIE), w.idle_timeout, touch=not automatic)
    if session is None:
        raise NotSignedIn()
    request.state.session = session
    return session


def need(role: str):
    """A dependency: a live session whose role includes `role`, else 403."""

    def check(session: Session = Depends(current_session)) -> Session:  # noqa: B008
        if not session.user.can(role):
            raise HTTPException(status_code=403, detail="Your account cannot open this page.")
        return session

    return check


# Dependencies for handler signatures: a live session with at least this role, and the app's Web.
WEB = Depends(web)
SIGNED_IN = Depends(current_session)
ASSISTANT = Depends(need("assistant"))
REVIEWER = Depends(need("reviewer"))
ADMIN = Depends(need("admin"))


def check_csrf(session: Session, token: str) -> None:
    if not token or not secrets.compare_digest(token, session.csrf):
        raise HTTPException(status_code=403, detail="This form has expired. Go back, reload the page and try again.")


def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    w: Web = request.app.state.web
    session: Session | None = getattr(request.state, "session", None)
    user: User | None = session.user if session else None
    base = {"user": user, "csrf": session.csrf if session else "", "path": request.url.path,
            "idle_minutes": w.config.web.idle_timeout_minutes}
    return w.templates.TemplateResponse(request, name, {**base, **context}, status_code=status_code)


def _since(value: str | None) -> str:
    """'12 min ago' style text for an ISO time (server-side; the page's script keeps it current)."""
    if not value:
        return ""
    delta = datetime.now(UTC) - datetime.fromisoformat(value)
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min ago"
    return f"{minutes // 1440} days ago"


def _due(value: str | None) -> str:
    if not value:
        return ""
    minutes = int((datetime.fromisoformat(value) - datetime.now(UTC)).total_seconds() // 60)
    if minutes < 0:
        m = -minutes
        return f"overdue {m} min" if m < 60 else f"overdue {m // 60} h {m % 60} min"
    return f"due in {minutes} min" if minutes < 60 else f"due in {minutes // 60} h {minutes % 60} min"


def _local_time(value: str | None, schedule: Schedule) -> str:
    if not value:
        return ""
    return datetime.fromisoformat(value).astimezone(schedule.timezone).strftime("%a %d %b %H:%M")


def _phone(value: str | None) -> str:
    """A number as people read it (+1 555 212 0199); as stored when it does not parse."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_possible_number(number):
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _templates(schedule: Schedule) -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))
    env.filters["since"] = _since
    env.filters["due"] = _due
    env.filters["local"] = lambda v: _local_time(v, schedule)
    env.filters["label"] = lambda v: (v or "").replace("_", " ")
    env.filters["phone"] = _phone
    return Jinja2Templates(env=env)


def _wants_page(request: Request) -> bool:
    """A person's browser asking for a page (redirect to sign in), not a script or the audio player."""
    path = request.url.path
    return request.method == "GET" and not path.startswith("/api/") and not path.endswith("/audio")


def create_app(config: Config) -> FastAPI:
    app = FastAPI(title="vmtriage", docs_url=None, redoc_url=None, openapi_url=None)
    schedule = load_schedule(config.paths.rules_dir / "schedule.toml")
    app.state.web = Web(config=config, db_path=Path(config.paths.db), templates=_templates(schedule),
                        schedule=schedule, _local=threading.local())
    open_db(config.paths.db)  # create or upgrade the schema before the first request

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"  # pages, audio and JSON carry PHI
        return response

    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, exc: NotSignedIn):
        if _wants_page(request):
            return RedirectResponse("/login", status_code=303)
        return JSONResponse({"error": "sign in first"}, status_code=401)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if not _wants_page(request) and request.method == "GET":
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return render(request, "error.html", status_code=exc.status_code, status=exc.status_code, detail=exc.detail)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    from . import routes_admin, routes_assistant, routes_auth, routes_review

    for module in (routes_auth, routes_assistant, routes_review, routes_admin):
        app.include_router(module.router)
    return app
