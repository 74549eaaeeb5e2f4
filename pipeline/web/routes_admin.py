"""The administrators' pages: accounts, the quarantine with requeue, configuration, the audit log."""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from ..accounts import ROLES, AccountError, Session, add_user, list_users, set_active
from ..config import as_dict
from .app import ADMIN, WEB, Web, check_csrf, render
from .quarantine import RequeueError, quarantined, requeue

router = APIRouter(prefix="/admin")
AUDIT_PAGE = 100


@router.get("/users")
def users(request: Request, error: str = "", added: str = "", session: Session = ADMIN,
          w: Web = WEB):
    return render(request, "admin_users.html", users=list_users(w.db), roles=ROLES, error=error, added=added)


@router.post("/users")
def create_user(name: str = Form(""), role: str = Form(""), password: str = Form(""), csrf: str = Form(""),
                session: Session = ADMIN, w: Web = WEB):
    check_csrf(session, csrf)
    try:
        user = add_user(w.db, name, role, password, actor=session.user.name)
    except AccountError as exc:
        return _users_redirect(error=str(exc))
    return _users_redirect(added=user.name)


@router.post("/users/{user_id}/active")
def toggle_user(user_id: int, active: int = Form(0), csrf: str = Form(""), session: Session = ADMIN,
                w: Web = WEB):
    check_csrf(session, csrf)
    if user_id == session.user.id and not active:
        return _users_redirect(error="You cannot disable your own account.")
    try:
        set_active(w.db, user_id, bool(active), actor=session.user.name)
    except AccountError as exc:
        return _users_redirect(error=str(exc))
    return _users_redirect()


def _users_redirect(**params) -> RedirectResponse:
    query = urlencode({k: v for k, v in params.items() if v})
    return RedirectResponse("/admin/users" + (f"?{query}" if query else ""), status_code=303)


@router.get("/quarantine")
def quarantine_list(request: Request, error: str = "", requeued: int = 0, session: Session = ADMIN,
                    w: Web = WEB):
    return render(request, "admin_quarantine.html", rows=quarantined(w.db), error=error, requeued=requeued)


@router.post("/quarantine/{quarantine_id}/requeue")
def requeue_file(quarantine_id: int, csrf: str = Form(""), session: Session = ADMIN,
                 w: Web = WEB):
    check_csrf(session, csrf)
    try:
        requeue(w.db, w.config, quarantine_id, actor=session.user.name)
    except RequeueError as exc:
        return RedirectResponse(f"/admin/quarantine?error={quote(str(exc))}", status_code=303)
    return RedirectResponse(f"/admin/quarantine?requeued={quarantine_id}", status_code=303)


@router.get("/config")
def configuration(request: Request, session: Session = ADMIN, w: Web = WEB):
    return render(request, "admin_config.html", config_json=json.dumps(as_dict(w.config), indent=2, default=str))


@router.get("/audit")
def audit_log(request: Request, actor: str = "", action: str = "", message: str = "", before: int = 0,
              session: Session = ADMIN, w: Web = WEB):
    where, args = ["1 = 1"], []
    if actor:
        where.append("actor = ?")
        args.append(actor)
    if action:
        where.append("action = ?")
        args.append(action)
    if message.strip().isdigit():
        where.append("message_id = ?")
        args.append(int(message))
    if before:
        where.append("id < ?")
        args.append(before)
    rows = list(w.db.query(f"select * from audit_log where {' and '.join(where)} order by id desc limit {AUDIT_PAGE}",
                           args))
    actions = [r[0] for r in w.db.execute("select distinct action from audit_log order by action").fetchall()]
    return render(request, "admin_audit.html", rows=rows, actions=actions,
                  filters={"actor": actor, "action": action, "message": message},
                  older=rows[-1]["id"] if len(rows) == AUDIT_PAGE else None)
