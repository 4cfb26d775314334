"""Row ids are never handed out twice (SQLite): AUTOINCREMENT on the tables whose ids others hold.

SQLite's plain `INTEGER PRIMARY KEY` gives the highest id out again once its row is deleted, so
a job queued for a deleted post, a push retry for a removed browser or a link to a deleted
comment would land on someone else's new row. AUTOINCREMENT never goes back (PostgreSQL's
sequences never did: nothing to do there). SQLite cannot add it to a table, so each one is
rebuilt as https://www.sqlite.org/lang_altertable.html#otheralter describes: a copy from the
table's own CREATE statement with AUTOINCREMENT added, its rows copied with their ids, the old
table dropped, the copy renamed, and its indexes and triggers (full-text search, the content
counter) made again from their own statements. All on a connection of its own with foreign keys
off (a DROP would otherwise cascade), in one transaction. It lives in this app because this app
runs last, once every table and trigger exists. The table list is frozen here as it was.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ids are never reused"

# Each table, and where waiting jobs name its ids: the counter starts above those too, so a job
# queued for a row deleted before this migration cannot meet a new row with that id.
TABLES = {
    "posts": ("$.post_id",),  # URLs, media keys, every job about a post
    "post_media": (),  # process-post updates items by id
    "comments": (),  # URLs
    "notifications": ("$.notification_ids",),  # push-deliver
    "push_subscriptions": ("$.subscription_ids",),  # push-resend
    "jobs": (),  # a worker's lease; queued jobs of a deleted post are deleted
}

_HEAD = re.compile(r'^\s*CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?"?\w+"?\s*\(', re.IGNORECASE)
_ID = re.compile(r'("?id"?\s+INTEGER\s+PRIMARY\s+KEY)(?!\s+AUTOINCREMENT)', re.IGNORECASE)


def _waiting_max(conn: sqlite3.Connection, path: str) -> int:
    """The highest id at `path` in the payload of a job that may still run."""
    row = conn.execute(
        "SELECT MAX(CAST(j.value AS INTEGER)) FROM jobs, json_each(jobs.payload, ?) AS j"
        " WHERE jobs.status IN ('queued', 'running') AND json_valid(jobs.payload)",
        (path,),
    ).fetchone()
    return row[0] or 0


def _autoincrement(conn: sqlite3.Connection, table: str, job_paths: tuple[str, ...]) -> None:
    (create,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    if "AUTOINCREMENT" in create.upper():
        return
    copy = f"{table}_autoincrement"
    create, found_id = _ID.subn(r"\1 AUTOINCREMENT", create, count=1)
    create, found_head = _HEAD.subn(f'CREATE TABLE "{copy}" (', create, count=1)
    if (found_id, found_head) != (1, 1):
        raise RuntimeError(f"unexpected schema of {table}: {create}")
    extras = [row[0] for row in conn.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL"
        " ORDER BY type, name",
        (table,),
    )]
    conn.execute(create)
    conn.execute(f'INSERT INTO "{copy}" SELECT * FROM "{table}"')
    conn.execute(f'DROP TABLE "{table}"')
    conn.execute(f'ALTER TABLE "{copy}" RENAME TO "{table}"')
    for statement in extras:
        conn.execute(statement)
    floor = max([conn.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"').fetchone()[0]]
                + [_waiting_max(conn, path) for path in job_paths])
    conn.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
    conn.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, floor))


def rebuild(path: str) -> None:
    """Give every table in TABLES its AUTOINCREMENT; safe to run again."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        # Only outside a transaction does this take effect.
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table, job_paths in TABLES.items():
                _autoincrement(conn, table, job_paths)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()


async def forwards():
    # Its own connection and transaction: the engine's would hold the write lock it needs.
    manager = MigrationManager(migration_id=ID, app_name="cache", description=DESCRIPTION, wrap_in_transaction=False)

    async def run():
        engine = engine_finder()
        if engine.engine_type != "sqlite":
            return
        await asyncio.to_thread(rebuild, engine.path)

    manager.add_raw(run)
    return manager
