"""Piccolo app of search: no tables of its own, only the full-text indexes (raw migration)."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

APP_CONFIG = AppConfig(
    app_name="search",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[],
    migration_dependencies=["server.posts.piccolo_app", "server.social.piccolo_app"],
)
