"""Ids are never handed out twice: a deleted row's id stays dead (SQLite AUTOINCREMENT, PostgreSQL sequences).

A job, a URL or a push retry that still names a deleted row must find nothing, never a new row
of someone else that took the id over.
"""

from __future__ import annotations

import importlib
import io
import json
import sqlite3
import warnings
from contextlib import redirect_stdout

import pytest

MIGRATION = importlib.import_module("server.content_counter.piccolo_migrations.cache_2026_12_06t03_00_00_000000")
BEFORE_IT = "2026-11-23T18:00:00:000000"  # the cache app's migration before it


async def _rows(users) -> dict:
    """One row of each table whose ids jobs, URLs or media keys hold; returns makers by table."""
    from server.jobs.tables import Job
    from server.notifications.tables import Notification
    from server.posts.tables import Post, PostMedia
    from server.push.tables import PushSubscription
    from server.social.tables import Comment

    person = (await users.create())["id"]
    post = (await Post.insert(Post(author=person, body="kept")).returning(Post.id))[0]["id"]
    makers = {
        Post: lambda n: Post(author=person, body=f"post {n}"),
        PostMedia: lambda n: PostMedia(post=post, kind="image"),
        Comment: lambda n: Comment(post=post, author=person, body=f"comment {n}"),
        Notification: lambda n: Notification(user=person, kind="post", post=post, title=f"n {n}"),
        PushSubscription: lambda n: PushSubscription(user=person, endpoint=f"https://push.example/{n}", p256dh="k", auth="a"),
        Job: lambda n: Job(kind="test", payload="{}"),
    }
    return makers


async def test_the_id_of_a_deleted_row_is_never_given_to_a_new_one(engine, users):
    for table, make in (await _rows(users)).items():
        [old] = await table.insert(make(1)).returning(table.id)
        await table.delete().where(table.id == old["id"])
        [new] = await table.insert(make(2)).returning(table.id)
        assert new["id"] > old["id"], f"{table._meta.tablename} gave a deleted row's id to a new one"


async def _migrate(engine, cache_until: str) -> None:
    from piccolo.apps.migrations.commands.base import BaseMigrationManager
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from server import piccolo_conf

    piccolo_conf.use_engine(engine)
    with redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for app in BaseMigrationManager().get_sorted_app_names():
            result = await run_forwards(app, cache_until if app == "cache" else "all")
            assert result.success, result.message


def _schema(conn: sqlite3.Connection) -> set[tuple]:
    return set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"))


async def test_the_migration_keeps_rows_indexes_and_triggers_and_starts_above_waiting_jobs(tmp_path):
    """An instance from before the migration: its rows, full-text search, content counter and cascades survive."""
    from server import db, piccolo_conf
    from server.settings import get_settings

    previous = piccolo_conf.DB
    path = tmp_path / "old.sqlite3"
    engine = db.make_engine(f"sqlite:///{path}", get_settings().data_dir)
    try:
        await _migrate(engine, BEFORE_IT)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")  # as the app's connections have them
        assert "AUTOINCREMENT" not in conn.execute("SELECT sql FROM sqlite_master WHERE name = 'posts'").fetchone()[0]
        conn.execute("INSERT INTO users (id, email, name) VALUES (1, 'a@example.com', 'Ann')")
        for n in (1, 2, 3):
            conn.execute("INSERT INTO posts (id, author, body, status) VALUES (?, 1, ?, 'published')", (n, f"Quarterly {n}"))
            conn.execute("INSERT INTO post_media (id, post, kind) VALUES (?, ?, 'image')", (n, n))
            conn.execute("INSERT INTO comments (id, post, author, body) VALUES (?, ?, 1, 'Zugspitze')", (n, n))
        # Post 3 was deleted while its retry waited: a new post 3 would be processed by that job.
        conn.execute("DELETE FROM posts WHERE id = 3")
        conn.execute("INSERT INTO jobs (kind, payload, unique_key, status) VALUES ('process-post', ?, 'process-post:3', 'queued')",
                     (json.dumps({"post_id": 3}),))
        conn.execute("INSERT INTO push_subscriptions (id, user, endpoint) VALUES (4, 1, 'https://push.example/4')")
        conn.execute("INSERT INTO jobs (kind, payload) VALUES ('push-resend', ?)", (json.dumps({"subscription_ids": [9, 7]}),))
        rows = {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in MIGRATION.TABLES}
        schema = _schema(conn)
        counter = conn.execute("SELECT n FROM content_generation").fetchone()[0]

        await _migrate(engine, "all")

        for table in MIGRATION.TABLES:
            assert "AUTOINCREMENT" in conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
            assert conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() == rows[table], table
        assert _schema(conn) == schema  # every index and trigger as it was
        # Full-text search still finds what was written before, and what is written now.
        conn.execute("INSERT INTO posts (author, body, status) VALUES (1, 'Quarterly 4', 'published')")
        found = conn.execute("SELECT rowid FROM posts_fts WHERE posts_fts MATCH 'quarterly' ORDER BY rowid").fetchall()
        new_post = max(r[0] for r in found)
        assert new_post == 4  # above the waiting job's post 3
        assert [r[0] for r in found] == [1, 2, 4]
        assert conn.execute("SELECT COUNT(*) FROM comments_fts WHERE comments_fts MATCH 'zugspitze'").fetchone()[0] == 2
        # The content counter still moves with posts; foreign keys still cascade.
        assert conn.execute("SELECT n FROM content_generation").fetchone()[0] > counter
        conn.execute("DELETE FROM posts WHERE id = 1")
        assert conn.execute("SELECT COUNT(*) FROM post_media WHERE post = 1").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM comments WHERE post = 1").fetchone()[0] == 0
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO push_subscriptions (user, endpoint) VALUES (1, 'https://push.example/new')")
        assert conn.execute("SELECT MAX(id) FROM push_subscriptions").fetchone()[0] == 10  # above the retry's 9
        conn.close()
        MIGRATION.rebuild(str(path))  # again: nothing to do, nothing lost
    finally:
        await db.stop_engine(engine)
        piccolo_conf.use_engine(previous)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_every_listed_table_counts_up_for_good(engine):
    rows = await engine.run_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    sql = {r["name"]: r["sql"] for r in rows}
    for table in MIGRATION.TABLES:
        assert "AUTOINCREMENT" in sql[table], table
