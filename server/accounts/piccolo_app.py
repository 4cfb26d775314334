"""Piccolo app of the accounts domain."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from server.accounts.tables import Invite, PasswordReset, Session, User

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=str(Path(__file__).parent / "piccolo_migrations"),
    table_classes=[User, Session, Invite, PasswordReset],
)
