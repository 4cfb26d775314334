"""Piccolo app of the announcements domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from server.announcements.tables import Announcement, AudienceTarget, Receipt

APP_CONFIG = AppConfig(
    app_name="announcements",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Announcement, AudienceTarget, Receipt],
    migration_dependencies=["server.accounts.piccolo_app", "server.posts.piccolo_app"],
)
