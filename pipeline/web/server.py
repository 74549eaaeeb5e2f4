"""Running the web page: in the foreground (`vmtriage serve`) or in a thread beside the worker (`vmtriage run`)."""

from __future__ import annotations

import logging
import threading

import uvicorn

from ..config import Config
from .app import create_app

log = logging.getLogger("vmtriage.web")


def _server(config: Config, host: str | None = None, port: int | None = None) -> uvicorn.Server:
    app = create_app(config)
    # access_log off: request lines carry message ids and paths; keep logs to what the app chooses to say.
    settings = uvicorn.Config(app, host=host or config.web.host, port=port or config.web.port, access_log=False,
                              log_level="warning", proxy_headers=False)
    return uvicorn.Server(settings)


def serve(config: Config, host: str | None = None, port: int | None = None) -> None:
    """Serve until interrupted (Ctrl-C, SIGTERM)."""
    _server(config, host, port).run()


class WebThread:
    """The web server on a daemon thread; `stop()` asks it to finish and waits."""

    def __init__(self, server: uvicorn.Server):
        self.server = server
        self.thread = threading.Thread(target=server.run, name="vmtriage-web", daemon=True)

    def start(self) -> WebThread:
        self.thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        self.thread.join(timeout)


def start_web_in_thread(config: Config, host: str | None = None, port: int | None = None) -> WebThread:
    """Start the web page beside the worker (uvicorn installs no signal handlers off the main thread)."""
    web = WebThread(_server(config, host, port)).start()
    log.info("web page on http://%s:%s", host or config.web.host, port or config.web.port)
    return web
