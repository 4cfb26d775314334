"""Every table is classified for the caches: its writes move the content counter, or it says why not.

A table added without a decision fails here, so it can neither leave a cached feed page stale
(a content table without triggers) nor go unnoticed.
"""

import pytest
from piccolo.querystring import QueryString
from piccolo.table import Table

from server.content_counter.triggers import CONTENT, COUNTER_TABLE, NEVER_CACHED, trigger_names
from server.db import _all_tables, is_postgres


def _hallway_tables() -> set[str]:
    """Table names of every Piccolo Table subclass of Hallway (Piccolo's own, e.g. `migration`, aside)."""
    import server.app  # noqa: F401  (imports every domain's tables)

    return {t._meta.tablename for t in _all_tables(Table) if not t.__module__.startswith("piccolo.")}


def test_every_table_is_classified_once():
    tables = _hallway_tables()
    assert "posts" in tables and "post_views" in tables  # the enumeration sees the domains
    unclassified = tables - set(CONTENT) - set(NEVER_CACHED)
    assert not unclassified, f"add each to CONTENT or NEVER_CACHED in server/content_counter/triggers.py: {sorted(unclassified)}"
    assert not set(CONTENT) & set(NEVER_CACHED)
    assert all(reason.strip() for reason in NEVER_CACHED.values())
    assert set(CONTENT) | set(NEVER_CACHED) <= tables, "a classified table that no longer exists"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_every_content_table_has_its_triggers(engine):
    rows = await engine.run_sql("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
    triggers = {r["name"]: r["tbl_name"] for r in rows}
    for table in CONTENT:
        for name in trigger_names(table):
            assert triggers.get(name) == table, f"missing trigger {name}: add it with a migration in server/content_counter"
    bumping = {t for name, t in triggers.items() if name.startswith(f"{COUNTER_TABLE}_")}
    assert not bumping & set(NEVER_CACHED), "a never-cached table moves the counter"
    assert await engine.run_sql(f"SELECT id FROM {COUNTER_TABLE}") == [{"id": 1}]


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_postgres_has_neither_the_counter_nor_its_triggers(engine):
    """No caches on PostgreSQL, so the cache migration leaves out the counter table and its triggers."""
    rows = await engine.run_querystring(QueryString("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
    tables = {r["tablename"] for r in rows}
    assert "posts" in tables  # the query sees the migrated schema
    assert COUNTER_TABLE not in tables
    triggers = await engine.run_querystring(QueryString("SELECT trigger_name FROM information_schema.triggers"))
    assert not [r["trigger_name"] for r in triggers if r["trigger_name"].startswith(f"{COUNTER_TABLE}_")]


async def test_the_counter_moves_with_content_and_stands_still_with_bookkeeping(engine, users):
    """A reaction moves the counter; a view of the same post does not (SQLite; None on PostgreSQL)."""
    from server.db import content_counter
    from server.posts.tables import Post
    from server.social.tables import Reaction
    from server.views.tables import PostView

    person = await users.create()
    [post] = await Post.insert(Post(author=person["id"], body="hi", status="published")).returning(Post.id)
    before = content_counter(engine)
    await PostView.insert(PostView(post=post["id"], person=person["id"]))
    assert content_counter(engine) == before
    await Reaction.insert(Reaction(post=post["id"], person=person["id"], kind="like"))
    after = content_counter(engine)
    if is_postgres(engine):
        assert (before, after) == (None, None)
    else:
        assert after == before + 1
