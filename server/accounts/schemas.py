"""Request and response shapes of the accounts domain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

__all__ = [
    "SignIn", "Me", "Person", "Manager", "ProfilePatch", "InviteIn", "InviteOut", "InviteInfo", "AcceptInvite",
    "Account", "AccountPage", "AccountPatch", "OpenInvite", "ResetOut", "ResetInfo", "NewPassword", "PasswordChange",
]

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254)]
Password = Annotated[str, msgspec.Meta(max_length=1024)]
Role = Literal["member", "moderator", "admin"]


class SignIn(msgspec.Struct, forbid_unknown_fields=True):
    email: Email
    password: Password


class Person(msgspec.Struct):
    id: int
    name: str
    role: str
    title: str
    department: str
    location: str
    bio: str
    expertise: list[str]


class Manager(msgspec.Struct):
    """Whom a person reports to, as their profile shows it."""

    id: int
    name: str


class Me(Person):
    email: str
    language: str | None
    manager: Manager | None = None


# What admins set (accounts/organisation.py): in a member's own profile change, any value is a 400
# that says so, rather than the decoder's "unknown field".
SetByAdmins = Annotated[
    str | int | None, msgspec.Meta(description="Set by admins (PATCH /api/admin/people/{id}): sending it is a 400.")
] | msgspec.UnsetType


class ProfilePatch(msgspec.Struct, omit_defaults=True, forbid_unknown_fields=True):
    name: str | None = None
    bio: str | None = None
    expertise: Annotated[list[str], msgspec.Meta(max_length=20)] | None = None
    language: Literal["en", "de"] | None = None
    title: SetByAdmins = msgspec.UNSET
    department: SetByAdmins = msgspec.UNSET
    location: SetByAdmins = msgspec.UNSET
    manager: SetByAdmins = msgspec.UNSET


class InviteIn(msgspec.Struct, forbid_unknown_fields=True):
    role: Role = "member"
    email: str = ""
    days: Annotated[int, msgspec.Meta(ge=1, le=30)] = 7


class InviteOut(msgspec.Struct):
    token: str
    url: str
    role: str
    email: str
    expires_at: datetime


class InviteInfo(msgspec.Struct):
    role: str
    email: str
    expires_at: datetime


class AcceptInvite(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    email: Email
    password: Password


# The account lifecycle: what admins see and change, resets, one's own password.


class Account(msgspec.Struct):
    """A person as admins manage them: with email, role and whether they are disabled."""

    id: int
    name: str
    email: str
    role: str
    disabled: bool
    title: str
    department: str
    location: str
    manager: Manager | None
    has_password: bool  # False for someone an import created who has not chosen one yet
    created_at: datetime


class AccountPage(msgspec.Struct):
    items: list[Account]
    next_cursor: str | None


Text = Annotated[str, msgspec.Meta(max_length=1000)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]


class AccountPatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """What admins change about a person; `manager` is a person's id, or null for none."""

    role: Role | None = None
    disabled: bool | None = None
    title: Text | msgspec.UnsetType = msgspec.UNSET
    department: Text | msgspec.UnsetType = msgspec.UNSET
    location: Text | msgspec.UnsetType = msgspec.UNSET
    manager: Id | None | msgspec.UnsetType = msgspec.UNSET


class OpenInvite(msgspec.Struct):
    """An invitation that can still be used (its link was shown once and is not kept)."""

    id: int
    role: str
    email: str
    created_at: datetime
    expires_at: datetime
    created_by: str | None


class ResetOut(msgspec.Struct):
    token: str
    url: str
    expires_at: datetime


class ResetInfo(msgspec.Struct):
    name: str
    email: str
    expires_at: datetime


class NewPassword(msgspec.Struct, forbid_unknown_fields=True):
    password: Password


class PasswordChange(msgspec.Struct, forbid_unknown_fields=True):
    current_password: Password
    new_password: Password
