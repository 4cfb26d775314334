"""Setup links made before invitations had a kind become setup links, valid only while there is no admin.

They are the admin invitations nobody created (the first-admin link is made at start, not by a person).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T02:16:29:000000"
VERSION = "1.38.0"
DESCRIPTION = "mark existing setup links"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accounts", description=DESCRIPTION)

    async def mark():
        await engine_finder().run_ddl("UPDATE invites SET kind = 'setup' WHERE created_by IS NULL AND role = 'admin'")

    manager.add_raw(mark)
    return manager
