"""Piccolo app of the social domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from server.social.tables import Comment, Follow, Kudos, Mention, PostTag, Reaction

APP_CONFIG = AppConfig(
    app_name="social",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Reaction, Comment, Mention, PostTag, Follow, Kudos],
    migration_dependencies=["server.accounts.piccolo_app", "server.posts.piccolo_app"],
)
