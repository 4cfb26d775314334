"""One receipt per (post, person): a unique index, the same statement on SQLite and PostgreSQL.

A migration of its own because Piccolo runs a migration's raw steps before its new tables,
and its Unique constraint does not create on SQLite. Run on piccolo_conf.DB, the engine being
migrated (the bare `Table` class may hold on to another engine found earlier in the process).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-11-23T11:10:21:000000"
VERSION = "1.38.0"
DESCRIPTION = "one receipt per post and person"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="announcements", description=DESCRIPTION)

    async def unique_receipts():
        from server import piccolo_conf

        await piccolo_conf.DB.run_ddl(
            'CREATE UNIQUE INDEX IF NOT EXISTS announcement_receipts_post_user ON announcement_receipts (post, "user")'
        )

    async def drop_unique_receipts():
        from server import piccolo_conf

        await piccolo_conf.DB.run_ddl("DROP INDEX IF EXISTS announcement_receipts_post_user")

    manager.add_raw(unique_receipts)
    manager.add_raw_backwards(drop_unique_receipts)
    return manager
