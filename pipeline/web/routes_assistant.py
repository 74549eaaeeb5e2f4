"""The assistants' pages: the ranked callback list, one message, recording a callback, flagging."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse

from ..accounts import Session
from ..callbacks import OUTCOMES, CallbackError, record_attempt
from ..records import CONCERNS, URGENCIES
from ..reviews import ReviewError, flag_message, open_flags
from ..serialize import callback_rows, message_json
from ..store import audit, get_message
from .app import ASSISTANT, WEB, Web, check_csrf, render
from .callback_scripts import callback_script
from .transcript_view import runs, tokens

router = APIRouter()
OUTCOME_LABELS = {
    "reached": "Reached the caller",
    "left_message": "Left a message",
    "no_answer": "No answer",
    "wrong_number": "Wrong number",
    "resolved_without_call": "Resolved without a call",
}
REFRESH_SECONDS = 30


def _message_or_404(w: Web, message_id: int) -> dict:
    message = get_message(w.db, message_id)
    if message is None:
        raise HTTPException(status_code=404, detail="There is no such message.")
    return message


@router.get("/callbacks")
def callback_list(request: Request, done: int | None = None, session: Session = ASSISTANT,
                  w: Web = WEB):
    rows = callback_rows(w.db)
    reasons = {m["id"]: m["reasons"] for m in (get_message(w.db, r["id"]) for r in rows)}
    return render(request, "callbacks.html", rows=rows, reasons=reasons, refresh=REFRESH_SECONDS,
                  done=get_message(w.db, done) if done else None, outcome_labels=OUTCOME_LABELS)


@router.get("/api/callbacks")
def callback_list_json(session: Session = ASSISTANT, w: Web = WEB):
    return callback_rows(w.db)


@router.get("/messages/{message_id}")
def message_page(request: Request, message_id: int, flagged: int = 0, session: Session = ASSISTANT,
                 w: Web = WEB):
    m = _message_or_404(w, message_id)
    audit(w.db, session.user.name, "view_message", message_id, {"page": "message"})
    translated = bool(m["translation"])
    original = runs(tokens(m["transcript"] or "", m["words"], [] if translated else m["reasons"]))
    translation = runs(tokens(m["translation"], None, m["reasons"])) if translated else None
    db = w.db
    return render(
        request, "message.html", m=m, original=original, translation=translation,
        script=callback_script(w.config.paths.rules_dir, m["concern"], m["urgency"]),
        attempts=list(db["callbacks"].rows_where("message_id = ?", [message_id], order_by="id")),
        history=list(db["triage_history"].rows_where("message_id = ?", [message_id], order_by="id")),
        reviews=list(db["reviews"].rows_where("message_id = ?", [message_id], order_by="id")),
        flags=open_flags(db, message_id), flagged=flagged, outcomes=OUTCOMES, outcome_labels=OUTCOME_LABELS,
        urgencies=URGENCIES, concerns=CONCERNS, error=request.query_params.get("error", ""),
    )


@router.get("/api/messages/{message_id}")
def message_json_view(message_id: int, session: Session = ASSISTANT, w: Web = WEB):
    m = _message_or_404(w, message_id)
    audit(w.db, session.user.name, "view_message", message_id, {"page": "api"})
    return message_json(m)


@router.get("/messages/{message_id}/audio")
def message_audio(request: Request, message_id: int, session: Session = ASSISTANT,
                  w: Web = WEB):
    m = _message_or_404(w, message_id)
    path = Path(m["archive_path"] or "")
    data_dir = Path(w.config.paths.data_dir).resolve()
    if not path.is_file() or not path.resolve().is_relative_to(data_dir):
        raise HTTPException(status_code=404, detail="The recording is not in the archive.")
    if request.headers.get("range", "bytes=0-").startswith("bytes=0-"):  # once per play, not per chunk
        audit(w.db, session.user.name, "fetch_audio", message_id)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media_type)


@router.post("/messages/{message_id}/callback")
def record_callback(message_id: int, outcome: str = Form(""), note: str = Form(""), csrf: str = Form(""),
                    session: Session = ASSISTANT, w: Web = WEB):
    check_csrf(session, csrf)
    try:
        record_attempt(w.db, w.schedule, message_id, outcome, user=session.user.name, note=note.strip()[:2000])
    except CallbackError as exc:
        return RedirectResponse(f"/messages/{message_id}?error={_error_code(exc)}", status_code=303)
    return RedirectResponse(f"/callbacks?done={message_id}", status_code=303)


@router.post("/messages/{message_id}/flag")
def flag(message_id: int, note: str = Form(""), csrf: str = Form(""), session: Session = ASSISTANT,
         w: Web = WEB):
    check_csrf(session, csrf)
    try:
        flag_message(w.db, message_id, user=session.user.name, note=note)
    except ReviewError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    return RedirectResponse(f"/messages/{message_id}?flagged=1", status_code=303)


def _error_code(exc: Exception) -> str:
    text = str(exc)
    return "closed" if "closed" in text else "outcome" if "outcome" in text else "failed"
