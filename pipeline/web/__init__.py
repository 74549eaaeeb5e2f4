"""The web page for medical assistants, QA reviewers and administrators (FastAPI + Jinja2, behind a login)."""

from .app import create_app
from .server import serve, start_web_in_thread

__all__ = ["create_app", "serve", "start_web_in_thread"]
