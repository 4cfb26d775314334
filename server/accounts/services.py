"""What the accounts domain does: create people, sign them in, invite colleagues, edit profiles."""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timedelta, timezone
from typing import Any

import msgspec
from litestar.exceptions import (
    ClientException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ValidationException,
)

from server.accounts import organisation
from server.accounts.languages import from_accept_language
from server.accounts.passwords import MIN_LENGTH, hash_password, verify_password
from server.accounts.schemas import Manager, Me, Person, ProfilePatch
from server.accounts.tables import INVITE, ROLES, SETUP, Invite, User
from server.lib.text import clean_text
from server.lib.tokens import new_token, token_hash

__all__ = [
    "create_user", "authenticate", "person_out", "me_out", "me", "update_profile", "default_language", "create_invite",
    "invite_info", "accept_invite", "open_invites", "revoke_invite", "setup_link_if_empty", "admin_exists",
    "normalise_email", "check_password", "TooManyAttempts", "Gone", "SETUP_HOURS",
]

log = logging.getLogger("hallway.accounts")

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# What people edit about themselves; where they sit in the organisation is their admins' (organisation.py).
PROFILE_LIMITS = {"name": 100, "bio": 1000}


# How long the first-admin link lives; a start after it expired prints a new one.
SETUP_HOURS = 24


class Gone(ClientException):
    status_code = 410


class TooManyAttempts(ClientException):
    status_code = 429


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise ValidationException("Please enter a valid email address.")
    return email


def check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationException(f"The password must have at least {MIN_LENGTH} characters.")


def _expertise(raw: Any) -> list[str]:
    return json.loads(raw) if isinstance(raw, str) else list(raw or [])


def person_out(row: dict) -> Person:
    return Person(
        id=row["id"], name=row["name"], role=row["role"], title=row["title"],
        department=row["department"], location=row["location"], bio=row["bio"],
        expertise=_expertise(row["expertise"]),
    )


def me_out(row: dict, manager: Manager | None = None) -> Me:
    return Me(**msgspec_fields(person_out(row)), email=row["email"], language=row["language"], manager=manager)


async def me(user_id: int) -> Me:
    """The signed-in person as they see themselves, with their manager."""
    row = await User.select().where(User.id == user_id).first()
    return me_out(row, await organisation.manager_of(row))


def msgspec_fields(obj) -> dict:
    return {f: getattr(obj, f) for f in obj.__struct_fields__}


async def create_user(email: str, name: str, password: str, role: str = "member") -> dict:
    """Create an account; the email must be new."""
    email = normalise_email(email)
    name = clean_text(name, field="name", max_length=100, required=True)
    check_password(password)
    if role not in ROLES:
        raise ValidationException(f"The role must be one of {', '.join(ROLES)}.")
    if await User.exists().where(User.email == email):
        raise ClientException("An account with this email already exists.", status_code=409)
    rows = await User.insert(
        User(email=email, name=name, password_hash=await hash_password(password), role=role)
    ).returning(*User.all_columns())
    return rows[0]


async def authenticate(email: str, password: str) -> dict:
    """The account for these credentials, or a 401/403 that says what went wrong."""
    row = await User.select().where(User.email == email.strip().lower()).first()
    ok = await verify_password(row["password_hash"] if row else None, password)
    if not ok:
        raise NotAuthorizedException("Wrong email or password.")
    if row["disabled"]:
        raise PermissionDeniedException("This account has been disabled. Please ask an administrator.")
    return row


async def update_profile(user_id: int, patch: ProfilePatch) -> dict:
    """A person's change to their own profile; sending what admins set is refused, not ignored."""
    for field in organisation.FIELDS:
        if getattr(patch, field) is not msgspec.UNSET:
            raise organisation.set_by_admins(field)
    values: dict[Any, Any] = {}
    for field, limit in PROFILE_LIMITS.items():
        value = getattr(patch, field)
        if value is not None:
            values[getattr(User, field)] = clean_text(
                value, field=field, max_length=limit, multiline=field == "bio", required=field == "name"
            )
    if patch.expertise is not None:
        tags = [clean_text(t, field="expertise tag", max_length=40) for t in patch.expertise]
        values[User.expertise] = json.dumps(list(dict.fromkeys(t for t in tags if t)))
    if "language" in patch.__struct_fields__ and patch.language is not None:
        values[User.language] = patch.language
    if values:
        await User.update(values).where(User.id == user_id)
    return await User.select().where(User.id == user_id).first()


async def default_language(user: dict, accept_language: str | None) -> dict:
    """Give someone who never chose a language the browser's (Accept-Language), for their notifications."""
    if user["language"] is not None or not (language := from_accept_language(accept_language)):
        return user
    # Only while still unset: a choice made on another device meanwhile is kept.
    await User.update({User.language: language}).where((User.id == user["id"]) & User.language.is_null())
    return await User.select().where(User.id == user["id"]).first()


async def create_invite(
    role: str, email: str, days: int, created_by: int | None, kind: str = INVITE, hours: int = 0
) -> tuple[str, dict]:
    """A new invitation; returns the token (shown once) and the row."""
    email = normalise_email(email) if email.strip() else ""
    token = new_token()
    expires = datetime.now(timezone.utc) + timedelta(days=days, hours=hours)
    rows = await Invite.insert(
        Invite(token_hash=token_hash(token), kind=kind, role=role, email=email, created_by=created_by, expires_at=expires)
    ).returning(*Invite.all_columns())
    return token, rows[0]


async def open_invites() -> list[dict]:
    """Invitations admins made that can still be used, newest first, with their maker's name."""
    return await Invite.select(
        Invite.id, Invite.role, Invite.email, Invite.created_at, Invite.expires_at,
        Invite.created_by.name.as_alias("created_by_name"),
    ).where(
        (Invite.kind == INVITE) & Invite.used_at.is_null() & Invite.revoked_at.is_null()
        & (Invite.expires_at > datetime.now(timezone.utc))
    ).order_by(Invite.created_at, ascending=False).order_by(Invite.id, ascending=False).limit(500)


async def revoke_invite(invite_id: int) -> None:
    """Withdraw an unused invitation: its link then says so."""
    revoked = await Invite.update({Invite.revoked_at: datetime.now(timezone.utc)}).where(
        (Invite.id == invite_id) & (Invite.kind == INVITE) & Invite.used_at.is_null() & Invite.revoked_at.is_null()
    ).returning(Invite.id)
    if not revoked:
        raise NotFoundException("There is no open invitation with this id: it was used, withdrawn or never existed.")


async def admin_exists() -> bool:
    """Whether any admin account exists, disabled or not (a disabled one can be enabled again)."""
    return await User.exists().where(User.role == "admin")


_HAS_ADMIN = "Hallway already has an administrator. Please sign in, or ask an administrator for an invitation."


async def invite_info(token: str) -> dict:
    """The invitation behind a token, or a 404/410 that says why it cannot be used."""
    row = await Invite.select().where(Invite.token_hash == token_hash(token)).first()
    if row is None:
        raise NotFoundException("This invitation link is not valid. Please ask for a new one.")
    if row["used_at"] is not None:
        raise Gone("This invitation has already been used. Please sign in, or ask for a new one.")
    if row["revoked_at"] is not None:
        raise Gone("This invitation has been withdrawn. Please ask for a new one.")
    if row["expires_at"] <= datetime.now(timezone.utc):
        raise Gone("This invitation has expired. Please ask for a new one.")
    if row["kind"] == SETUP and await admin_exists():
        raise Gone(_HAS_ADMIN)
    return row


async def accept_invite(token: str, name: str, email: str, password: str) -> dict:
    """Create the invitee's account and use up the invitation, all or nothing."""
    invite = await invite_info(token)
    email = normalise_email(email)
    if invite["email"] and invite["email"] != email:
        raise ValidationException("This invitation is for a different email address.")
    check_password(password)
    password_hash = await hash_password(password)
    async with User._meta.db.transaction():
        # Mark it used first and check we were the ones who did: two tabs accepting at once
        # must not make two accounts from one link.
        claimed = await Invite.update({Invite.used_at: datetime.now(timezone.utc)}).where(
            (Invite.id == invite["id"]) & Invite.used_at.is_null()
        ).returning(Invite.id)
        if not claimed:
            raise Gone("This invitation has already been used. Please sign in, or ask for a new one.")
        # Checked again where it counts, inside the transaction: an admin made since invite_info
        # (by the CLI, another setup link) ends the setup link.
        if invite["kind"] == SETUP and await admin_exists():
            raise Gone(_HAS_ADMIN)
        if await User.exists().where(User.email == email):
            raise ClientException("An account with this email already exists. Please sign in.", status_code=409)
        name = clean_text(name, field="name", max_length=100, required=True)
        user = (await User.insert(
            User(email=email, name=name, password_hash=password_hash, role=invite["role"])
        ).returning(*User.all_columns()))[0]
        await Invite.update({Invite.used_by: user["id"]}).where(Invite.id == invite["id"])
    return user


async def setup_link_if_empty(public_url: str) -> str | None:
    """While no admin exists, a one-time link that makes the first one; None when an admin exists
    or a setup link made earlier is still valid (each start would otherwise add one more).

    The link is printed where the operator sees it, i.e. in logs others may read: it dies the
    moment any admin exists (invite_info, accept_invite), and lives a day at most.
    """
    if await admin_exists():
        return None
    now = datetime.now(timezone.utc)
    live = await Invite.select(Invite.created_at, Invite.expires_at).where(
        (Invite.kind == SETUP) & Invite.used_at.is_null() & Invite.revoked_at.is_null() & (Invite.expires_at > now)
    ).order_by(Invite.expires_at, ascending=False).first()
    if live is not None:
        log.warning(
            "No admin yet. The setup link printed at a start on %s is still valid until %s; without it, "
            "make the first admin with `hallway user add EMAIL --name NAME --role admin`.",
            live["created_at"].isoformat(timespec="minutes"), live["expires_at"].isoformat(timespec="minutes"),
        )
        return None
    token, _ = await create_invite("admin", "", 0, None, kind=SETUP, hours=SETUP_HOURS)
    return f"{public_url}/#/join/{token}"
