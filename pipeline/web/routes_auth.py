"""Signing in and out. The sign-in form has its own CSRF token (a cookie it must echo)."""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from ..accounts import Session, authenticate, count_users, create_session, end_session, session_for, too_many_failures
from .app import SESSION_COOKIE, SIGNED_IN, WEB, Web, check_csrf, render

router = APIRouter()
LOGIN_CSRF_COOKIE = "vmtriage_login_csrf"


def home_for(session: Session) -> str:
    return "/review" if session.user.role == "reviewer" else "/callbacks"


def _cookie(response, w: Web, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict",
                        secure=w.config.web.secure_cookies, path="/")


def _login_page(request: Request, w: Web, error: str = "", status_code: int = 200):
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", status_code=status_code, login_csrf=token, error=error,
                      no_users=count_users(w.db) == 0)
    _cookie(response, w, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.get("/login")
def login_form(request: Request, w: Web = WEB):
    session = session_for(w.db, request.cookies.get(SESSION_COOKIE), w.idle_timeout)
    if session:
        return RedirectResponse(home_for(session), status_code=303)
    return _login_page(request, w)


@router.post("/login")
def login(request: Request, name: str = Form(""), password: str = Form(""), csrf: str = Form(""),
          w: Web = WEB):
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not csrf or not expected or not secrets.compare_digest(csrf, expected):
        raise HTTPException(status_code=403, detail="This form has expired. Reload the page and sign in again.")
    ip = request.client.host if request.client else ""
    name = name.strip()[:64]
    if too_many_failures(w.db, name, ip):
        return _login_page(request, w, "Too many failed attempts. Wait 15 minutes, or ask an administrator.", 429)
    user = authenticate(w.db, name, password, ip)
    if user is None:
        return _login_page(request, w, "That name and password did not match an active account.", 401)
    session = create_session(w.db, user)
    response = RedirectResponse(home_for(session), status_code=303)
    _cookie(response, w, SESSION_COOKIE, session.token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(csrf: str = Form(""), session: Session = SIGNED_IN, w: Web = WEB):
    check_csrf(session, csrf)
    end_session(w.db, session)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/")
def home(session: Session = SIGNED_IN):
    return RedirectResponse(home_for(session), status_code=303)
