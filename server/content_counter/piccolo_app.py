"""Piccolo app of the caches' content counter: one row, and the triggers that move it.

Last of all apps, so it also holds SQLite's rebuilds of other apps' tables, which must keep
their triggers (AUTOINCREMENT ids, cache_2026_12_06t03_00_00_000000.py).
"""

from pathlib import Path

from piccolo.conf.apps import AppConfig

APP_CONFIG = AppConfig(
    # The name recorded in every instance's migration table when this folder was server/content_counter.
    app_name="cache",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[],
    # Last: its triggers sit on tables of all the others.
    migration_dependencies=[
        f"server.{app}.piccolo_app"
        for app in ("accounts", "posts", "jobs", "uploads", "social", "views", "search", "announcements", "push", "notifications")
    ],
)
