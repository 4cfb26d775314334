"""Piccolo's configuration: the engine from the settings and the registry of Hallway's apps."""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

from server.db import bind_tables, make_engine
from server.settings import get_settings

_settings = get_settings()

DB = make_engine(_settings.database_url, _settings.data_dir)

APP_REGISTRY = AppRegistry(
    apps=[
        "server.accounts.piccolo_app",
        "server.posts.piccolo_app",
        "server.jobs.piccolo_app",
        "server.uploads.piccolo_app",
        "server.idempotency.piccolo_app",
        "server.social.piccolo_app",
        "server.views.piccolo_app",
        "server.search.piccolo_app",
        "server.announcements.piccolo_app",
        "server.push.piccolo_app",
        "server.notifications.piccolo_app",
        "server.content_counter.piccolo_app",
    ]
)


def use_engine(engine: Engine) -> None:
    """Make this the engine of every table and of Piccolo's own tools (migrations)."""
    global DB
    DB = engine
    bind_tables(engine)
