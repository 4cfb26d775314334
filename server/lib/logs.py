"""Structured logs: one JSON object a line, never cookies, passwords or session ids."""

from __future__ import annotations

import json
import logging
import sys
import time

from litestar.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["configure_logging", "route_of", "AccessLogMiddleware"]

_STANDARD = set(vars(logging.makeLogRecord({})))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Fields passed with extra={...}; callers pass ids, never secrets.
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")})
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def route_of(scope: Scope) -> str:
    """The route's template (`/api/invites/{token}`), never the path: invite tokens and upload ids
    are capabilities and must not reach the logs. A request no route took has no template to show."""
    return scope.get("path_template") or "(no route)"


class AccessLogMiddleware:
    """Logs method, path, status and duration of each request (no headers, no query)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.log = logging.getLogger("hallway.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Nothing to time when the line would not be written (HALLWAY_LOG_LEVEL above INFO).
        if scope["type"] != "http" or not self.log.isEnabledFor(logging.INFO):
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            self.log.info(
                "request",
                extra={
                    "method": scope["method"], "path": route_of(scope), "status": status,
                    "ms": round((time.perf_counter() - start) * 1000, 1),
                },
            )
