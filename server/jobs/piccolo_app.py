"""Piccolo app of the jobs queue."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from server.jobs.tables import Job

APP_CONFIG = AppConfig(
    app_name="jobs",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[Job],
)
