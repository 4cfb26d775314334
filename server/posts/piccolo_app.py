"""Piccolo app of the posts domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from server.posts.tables import Post, PostMedia

APP_CONFIG = AppConfig(
    app_name="posts",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Post, PostMedia],
    migration_dependencies=["server.accounts.piccolo_app"],
)
