"""People who can sign in, their sessions and the invitations that bring them in."""

from piccolo.columns import JSON, Boolean, ForeignKey, Timestamptz, Varchar, Text
from piccolo.columns import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

__all__ = ["User", "Session", "Invite", "PasswordReset", "ROLES", "INVITE", "SETUP"]

# Ordered by power: a role may do everything the roles before it may.
ROLES = ("member", "moderator", "admin")


class User(Table, tablename="users"):
    email = Varchar(length=254, unique=True, index=True)
    name = Varchar(length=100)
    password_hash = Varchar(length=200)
    role = Varchar(length=16, default="member")
    title = Varchar(length=100, default="")
    department = Varchar(length=100, default="", index=True)
    location = Varchar(length=100, default="", index=True)
    # Title, department, location and manager are set by admins (accounts/organisation.py):
    # announcements are addressed by department and location.
    manager = ForeignKey(references="self", null=True, default=None, on_delete=OnDelete.set_null)
    bio = Text(default="")
    expertise = JSON(default="[]")
    language = Varchar(length=8, null=True, default=None)
    disabled = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())


class Session(Table, tablename="sessions"):
    # Only a hash of the cookie is stored: a leaked database opens no session.
    token_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()


# An invitation made by an admin, or the link that makes the first admin (valid while there is none).
INVITE, SETUP = "invite", "setup"


class Invite(Table, tablename="invites"):
    token_hash = Varchar(length=64, unique=True, index=True)
    kind = Varchar(length=16, default=INVITE)
    role = Varchar(length=16, default="member")
    email = Varchar(length=254, default="")
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    used_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    revoked_at = Timestamptz(null=True, default=None)


class PasswordReset(Table, tablename="password_resets"):
    """A one-time link an admin made for someone to choose a new password (never the admin's choice)."""

    token_hash = Varchar(length=64, unique=True, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
