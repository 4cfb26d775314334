"""Piccolo app of the push domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from server.push.tables import PushSubscription

APP_CONFIG = AppConfig(
    app_name="push",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[PushSubscription],
    migration_dependencies=["server.accounts.piccolo_app"],
)
