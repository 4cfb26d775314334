"""Request and response shapes of the accounts domain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

__all__ = [
    "SignIn", "Me", "Person", "ProfilePatch", "InviteIn", "InviteOut", "InviteInfo", "AcceptInvite",
    "Account", "AccountPage", "AccountPatch", "OpenInvite", "ResetOut", "ResetInfo", "NewPassword", "PasswordChange",
]

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254)]
Password = Annotated[str, msgspec.Meta(max_length=1024)]
Role = Literal["member", "moderator", "admin"]


class SignIn(msgspec.Struct):
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


class Me(Person):
    email: str
    language: str | None


class ProfilePatch(msgspec.Struct, omit_defaults=True):
    name: str | None = None
    title: str | None = None
    department: str | None = None
    location: str | None = None
    bio: str | None = None
    expertise: Annotated[list[str], msgspec.Meta(max_length=20)] | None = None
    language: Literal["en", "de"] | None = None


class InviteIn(msgspec.Struct):
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


class AcceptInvite(msgspec.Struct):
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
    created_at: datetime


class AccountPage(msgspec.Struct):
    items: list[Account]
    next_cursor: str | None


class AccountPatch(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    role: Role | None = None
    disabled: bool | None = None


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
