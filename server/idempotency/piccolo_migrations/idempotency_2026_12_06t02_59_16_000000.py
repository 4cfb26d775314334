"""The unique index Piccolo cannot declare: one record per person and key."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T02:59:16:000000"
VERSION = "1.38.0"
DESCRIPTION = "one Idempotency-Key record per person and key"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="idempotency", description=DESCRIPTION)

    async def run():
        await engine_finder().run_ddl("CREATE UNIQUE INDEX idempotency_keys_once ON idempotency_keys (person, key)")

    async def drop():
        await engine_finder().run_ddl("DROP INDEX IF EXISTS idempotency_keys_once")

    manager.add_raw(run)
    manager.add_raw_backwards(drop)
    return manager
