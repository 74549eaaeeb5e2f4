"""The QA reviewers' pages: the review queue, confirming or correcting labels, disagreements, accuracy."""

from __future__ import annotations

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from ..accounts import Session
from ..alerts import notify_if_needed
from ..records import CONCERNS, URGENCIES
from ..reviews import (
    ReviewError,
    confusion,
    corrections,
    disagreements,
    latest_reviews,
    record_review,
    review_queue,
    to_csv,
    to_jsonl,
)
from ..store import audit
from .app import REVIEWER, WEB, Web, check_csrf, render

router = APIRouter()
WHY_LABELS = {"low_confidence": "Low confidence", "needs_listen": "Needs listening", "flagged": "Flagged",
              "sample": "Routine sample"}


@router.get("/review")
def queue(request: Request, why: str = "", urgency: str = "", concern: str = "", mailbox: str = "",
          reviewed: int = 0, session: Session = REVIEWER, w: Web = WEB):
    why = why if why in WHY_LABELS else ""
    urgency = urgency if urgency in URGENCIES else ""
    concern = concern if concern in CONCERNS else ""
    items = review_queue(w.db, why=why, urgency=urgency, concern=concern, mailbox=mailbox,
                         include_reviewed=bool(reviewed))
    mailboxes = [r[0] for r in w.db.execute("select distinct mailbox from messages order by mailbox").fetchall()]
    return render(request, "review_queue.html", items=items, why_labels=WHY_LABELS, urgencies=URGENCIES,
                  concerns=CONCERNS, mailboxes=mailboxes,
                  filters={"why": why, "urgency": urgency, "concern": concern, "mailbox": mailbox,
                           "reviewed": reviewed})


@router.post("/messages/{message_id}/review")
def review(message_id: int, urgency: str = Form(""), concern: str = Form(""), reason: str = Form(""),
           csrf: str = Form(""), session: Session = REVIEWER, w: Web = WEB):
    check_csrf(session, csrf)
    try:
        row = record_review(w.db, w.schedule, message_id, reviewer=session.user.name, urgency=urgency,
                            concern=concern, reason=reason)
    except ReviewError as exc:
        code = "reason" if "reason" in str(exc) else "review"
        if "no message" in str(exc):
            raise HTTPException(status_code=404, detail="There is no such message.") from exc
        return RedirectResponse(f"/messages/{message_id}?error={code}#review", status_code=303)
    # A reviewer raising an open message to urgent or higher alerts on-call like a new message would.
    notify_if_needed(w.db, w.config, row)
    return RedirectResponse(f"/review?saved={message_id}", status_code=303)


@router.get("/review/disagreements")
def disagreement_table(request: Request, session: Session = REVIEWER, w: Web = WEB):
    return render(request, "disagreements.html", rows=disagreements(w.db))


@router.get("/review/accuracy")
def accuracy(request: Request, session: Session = REVIEWER, w: Web = WEB):
    rows = latest_reviews(w.db)
    return render(request, "accuracy.html", urgency=confusion(rows, "urgency", URGENCIES),
                  concern=confusion(rows, "concern", CONCERNS))


@router.get("/review/export.{fmt}")
def export(fmt: str, session: Session = REVIEWER, w: Web = WEB):
    if fmt not in ("csv", "jsonl"):
        raise HTTPException(status_code=404, detail="Export as .csv or .jsonl.")
    rows = corrections(w.db)
    audit(w.db, session.user.name, "export_corrections", None, {"format": fmt, "rows": len(rows)})
    body, media = (to_csv(rows), "text/csv") if fmt == "csv" else (to_jsonl(rows), "application/x-ndjson")
    return Response(body, media_type=f"{media}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="vmtriage-corrections.{fmt}"'})
