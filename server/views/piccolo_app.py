"""Piccolo app of post views."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from server.views.tables import PostView

APP_CONFIG = AppConfig(
    app_name="views",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[PostView],
    migration_dependencies=["server.accounts.piccolo_app", "server.posts.piccolo_app"],
)
