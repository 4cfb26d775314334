"""Unique indexes Piccolo cannot declare: one reaction per kind, one follow, one kudos, one tag, one mention."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T11:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique indexes of the social tables"

_INDEXES = (
    "CREATE UNIQUE INDEX reactions_once ON reactions (post, person, kind)",
    "CREATE UNIQUE INDEX follows_once ON follows (follower, followee)",
    "CREATE UNIQUE INDEX kudos_once ON kudos (post, person)",
    "CREATE UNIQUE INDEX post_tags_once ON post_tags (post, tag)",
    # comment is null for a mention in the post itself; COALESCE makes those rows unique too.
    "CREATE UNIQUE INDEX mentions_once ON mentions (post, COALESCE(comment, 0), person)",
    "CREATE INDEX comments_thread ON comments (post, parent, id)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="social", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for sql in _INDEXES:
            await engine.run_ddl(sql)

    manager.add_raw(run)
    return manager
