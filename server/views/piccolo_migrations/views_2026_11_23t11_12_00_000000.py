"""One row per (post, person): the upsert of a batch of views conflicts on this index."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T11:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique index of post views"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="views", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl("CREATE UNIQUE INDEX post_views_once ON post_views (post, person)")

    manager.add_raw(run)
    return manager
