"""The content counter of the per-process caches (SQLite only; PostgreSQL has no such caches).

content_generation holds one number; AFTER INSERT/UPDATE/DELETE triggers on every table whose
rows can change a cached answer add one to it inside the writing transaction, so the bump
commits with the change, from any process, and no code path can forget it. The table list is
frozen here as it was at this migration; a table classified later gets its own migration.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T18:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "content counter and its triggers"

TABLES = (
    "users", "sessions", "posts", "post_media", "post_tags", "follows", "reactions", "comments", "kudos",
    "announcements", "announcement_targets", "announcement_receipts",
)
_EVENTS = {"ai": "INSERT", "au": "UPDATE", "ad": "DELETE"}


def statements() -> list[str]:
    sql = [
        "CREATE TABLE IF NOT EXISTS content_generation (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL)",
        "INSERT OR IGNORE INTO content_generation (id, n) VALUES (1, 0)",
    ]
    for table in TABLES:
        for suffix, event in _EVENTS.items():
            sql.append(
                f"CREATE TRIGGER IF NOT EXISTS content_generation_{table}_{suffix} AFTER {event} ON {table} "
                "BEGIN UPDATE content_generation SET n = n + 1; END"
            )
    return sql


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="cache", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        if engine.engine_type == "postgres":
            return
        for sql in statements():
            await engine.run_ddl(sql)

    async def drop():
        engine = engine_finder()
        if engine.engine_type == "postgres":
            return
        for table in TABLES:
            for suffix in _EVENTS:
                await engine.run_ddl(f"DROP TRIGGER IF EXISTS content_generation_{table}_{suffix}")
        await engine.run_ddl("DROP TABLE IF EXISTS content_generation")

    manager.add_raw(run)
    manager.add_raw_backwards(drop)
    return manager
