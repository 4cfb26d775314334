"""create_app(): route handlers, middleware, the PWA's static files and the lifespan."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar, Request, Response, get
from litestar.config.compression import CompressionConfig
from litestar.middleware import DefineMiddleware
from litestar.middleware.compression import CompressionMiddleware
from litestar.datastructures import CacheControlHeader, State
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.config import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.static_files import create_static_files_router
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from server import db, wiring
from server.accounts.controllers import (
    AccountAdminController, InviteController, MeController, PasswordResetController, SessionController,
)
from server.accounts.services import setup_link_if_empty
from server.accounts.sessions import SessionMiddleware
from server.announcements.controllers import AnnouncementController, acknowledge_post
from server.feed.controllers import feed, read_post, tag_posts
from server.lib.csrf import csrf_middleware
from server.lib.logs import AccessLogMiddleware, configure_logging, route_of
from server.lib import budgets
from server.lib.ratelimit import make_limiter
from server.lib.request_guard import RequestGuardMiddleware
from server.lib.requests import HallwayRequest
from server.lib.security_headers import security_headers
from server.live.channels import make_channels
from server.live.controllers import live
from server.people.controllers import PeopleController
from server.notifications.controllers import NotificationController
from server.push.controllers import PushController
from server.posts.controllers import PostController, share_target
from server.search.controllers import search
from server.social.controllers import SocialController
from server.settings import get_settings
from server.uploads.controllers import UploadController
from server.media_files.controllers import media
from server.views.controllers import record as record_views

__all__ = ["create_app", "PWA_DIR", "pwa_dir"]

log = logging.getLogger("hallway")
_UNKNOWN_FIELD = re.compile(r"Object contains unknown field `([^`]*)`")
ROOT = Path(__file__).resolve().parent.parent
PWA_DIR = ROOT / "pwa"
PWA_BUILD = ROOT / "build" / "pwa"


def pwa_dir(configured: str = "") -> Path:
    """HALLWAY_PWA_DIR, else the build of `make run` / `make test` (`node pwa/build.mjs`) unless a
    source file changed after it, else the plain source modules (slower to load, never stale)."""
    if configured:
        return Path(configured).resolve()
    try:
        built = (PWA_BUILD / "index.html").stat().st_mtime
    except OSError:
        return PWA_DIR
    newest = max((p.stat().st_mtime for p in PWA_DIR.rglob("*") if p.is_file()), default=0.0)
    if newest > built:
        log.warning("build/pwa is older than pwa/: serving the unbuilt modules (run `make build`)")
        return PWA_DIR
    return PWA_BUILD


@get("/api/health", operation_id="health", opt={"role": "public"}, tags=["ops"])
async def health() -> dict[str, str]:
    """For load balancers: answers 200 when the database answers."""
    from server.accounts.tables import User

    await User.exists()
    return {"status": "ok"}


def _readable_validation(request: Request, exc: ValidationException) -> Response:
    """Turn msgspec's wording into a sentence a person can act on."""
    detail = exc.detail
    extra = exc.extra if isinstance(exc.extra, list) else []
    if detail.startswith("Validation failed") and extra:
        first = extra[0]
        key = first.get("key") or "request"
        message = str(first.get("message", "is not valid")).split(" - at ")[0]
        if unknown := _UNKNOWN_FIELD.match(message):
            # A misspelt or unsupported field is refused rather than dropped (an embargo sent to the
            # wrong route must not publish at once); the key is the body ("data") or the object holding it.
            name = unknown[1] if key == "data" else f"{key}.{unknown[1]}"
            detail = f"This request does not accept the unknown field '{name}'."
        else:
            detail = f"The field '{key}' is not valid: {message}."
    return Response({"status_code": 400, "detail": detail}, status_code=400)


def _http_error(request: Request, exc: HTTPException) -> Response:
    headers = dict(exc.headers or {})
    return Response({"status_code": exc.status_code, "detail": exc.detail}, status_code=exc.status_code, headers=headers)


def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", extra={"method": request.method, "path": route_of(request.scope)})
    return Response(
        {"status_code": 500, "detail": "Something went wrong on our side. Please try again."},
        status_code=HTTP_500_INTERNAL_SERVER_ERROR,
    )


def create_app(*, engine=None) -> Litestar:
    """The Hallway ASGI app; `engine` overrides the database of the settings (tests)."""
    settings = get_settings()
    configure_logging(settings.log_level)
    wiring.wire()
    # Per-person write budgets (posts, comments, mentions): each app starts with full ones.
    budgets.configure(settings.redis_url)
    from server import piccolo_conf

    # An engine passed in belongs to the caller (tests share one across several clients).
    owns_engine = engine is None
    engine = engine or piccolo_conf.DB
    piccolo_conf.use_engine(engine)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if owns_engine:
            await db.start_engine(engine)
        try:
            if link := await setup_link_if_empty(settings.public_url):
                # Printed, not only logged: the person running `make run` must see it.
                print(f"\n  No admin yet. Open this link to create the first admin (it stops working once there is one):"
                      f"\n  {link}\n", flush=True)
            yield
        finally:
            if owns_engine:
                await db.stop_engine(engine)

    handlers = [
        health, feed, SessionController, MeController, InviteController,
        PasswordResetController, AccountAdminController,
        AnnouncementController, acknowledge_post,
        # read_post after PostController: Litestar adds a second automatic OPTIONS handler to a path
        # whose later handlers come first, and refuses the app.
        UploadController, media, PostController, read_post, share_target, PeopleController, SocialController, tag_posts, search, record_views, live, PushController, NotificationController,
    ]
    pwa = pwa_dir(settings.pwa_dir)
    if pwa.is_dir():
        handlers.append(
            create_static_files_router(
                path="/", directories=[pwa], html_mode=True, opt={"role": "public"},
                # The shell revalidates each time; the service worker keeps the offline copy.
                cache_control=CacheControlHeader(no_cache=True),
                # Gzipped (the 60 KB first-load budget is compressed bytes). Only here: /media ranges
                # must stay byte-exact, server-sent events unbuffered, and the API's JSON is small —
                # app-wide, the middleware's checks cost every API request a few percent of its CPU.
                middleware=[DefineMiddleware(CompressionMiddleware, config=CompressionConfig(backend="gzip"))],
            )
        )
    return Litestar(
        route_handlers=handlers,
        request_class=HallwayRequest,
        # Every response, unrouted 404s and refusals included.
        before_send=[security_headers(settings.public_url)],
        # Order matters: the guard refuses or cleans what no one should parse (the access log reads no
        # header, and logs the refusals too), the session middleware checks the route's role, then CSRF.
        middleware=[
            AccessLogMiddleware, RequestGuardMiddleware, SessionMiddleware,
            csrf_middleware(settings.secret, settings.secure_cookies),
        ],
        exception_handlers={
            ValidationException: _readable_validation,
            HTTPException: _http_error,
            Exception: _server_error,
        },
        lifespan=[lifespan],
        plugins=[make_channels(settings.redis_url)],
        state=State({"limiter": make_limiter(settings.redis_url)}),
        # The schema as JSON only: the interactive viewers load their scripts from public CDNs and
        # inline, which the PWA's Content-Security-Policy refuses on this origin (point any viewer
        # at /schema/openapi.json instead).
        openapi_config=OpenAPIConfig(
            title="Hallway", version="0.1.0", path="/schema", render_plugins=[JsonRenderPlugin()],
        ),
        logging_config=None,
    )
