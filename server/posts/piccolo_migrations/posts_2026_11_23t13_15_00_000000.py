"""Indexes for the feed's first-page head: pinned posts and unconfirmed must-reads.

With 100,000 posts both head queries walked every published post (16 and 28 ms a page,
bench/feed.py); with status first, each is a short index range.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T13:15:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "feed head indexes"

INDEXES = {
    "posts_status_pinned": "posts (status, pinned_at)",
    "posts_status_must_read": "posts (status, must_read, published_at)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="posts", description=DESCRIPTION)

    async def create():
        for name, target in INDEXES.items():
            await engine_finder().run_ddl(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")

    async def drop():
        for name in INDEXES:
            await engine_finder().run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(create)
    manager.add_raw_backwards(drop)
    return manager
