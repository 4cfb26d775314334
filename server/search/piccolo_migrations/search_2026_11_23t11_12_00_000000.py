"""Full-text indexes over posts and comments.

SQLite: FTS5 external-content tables (the text stays in posts/comments, the index holds only
tokens) kept in step by triggers. PostgreSQL: a generated tsvector column with a GIN index.
Both use a language-neutral tokenizer ('simple' / unicode61) so German and English both work:
no stemming, but case-folding of every letter (Ä → ä).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T11:12:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "full-text search indexes"


def _sqlite(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(body, content='{table}', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, body) VALUES (new.id, new.body); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, body) VALUES ('delete', old.id, old.body); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF body ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, body) VALUES ('delete', old.id, old.body); "
        f"INSERT INTO {fts}(rowid, body) VALUES (new.id, new.body); END",
        # Rows written before this migration.
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _postgres(table: str) -> list[str]:
    return [
        f"ALTER TABLE {table} ADD COLUMN search tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, body)) STORED",
        f"CREATE INDEX {table}_search ON {table} USING GIN (search)",
    ]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="search", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        build = _postgres if engine.engine_type == "postgres" else _sqlite
        for table in ("posts", "comments"):
            for sql in build(table):
                await engine.run_ddl(sql)

    manager.add_raw(run)
    return manager
