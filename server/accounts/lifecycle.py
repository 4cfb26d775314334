"""An account's life after it joined: disable, enable, role, password resets and changes, sign-out everywhere.

Offboarding follows OWASP ASVS 5.0 V7.4.2 (disabling ends every session at once) and V7.4.5
(admins end a person's sessions); password changes V6.2.3 (the current password is required)
and V7.4.3 (other sessions end); resets V6.4.1 and V6.4.6 (an admin starts a reset with a
one-time, expiring link but never learns or chooses the password).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from litestar.exceptions import ClientException, NotFoundException, ValidationException

from server.accounts import organisation
from server.accounts.passwords import hash_password, verify_password
from server.accounts.services import Gone, check_password
from server.accounts.tables import ROLES, Invite, PasswordReset, Session, User
from server.db import is_postgres
from server.lib import events
from server.lib.tokens import new_token, token_hash
from server.settings import get_settings

__all__ = [
    "RESET_HOURS", "find_by_email", "update_account", "end_sessions", "sign_out_everywhere",
    "create_reset", "reset_url", "reset_info", "use_reset", "change_password", "LastAdmin",
]

# How long an admin's reset link lives: long enough to hand over, short enough not to linger (V6.4.1).
RESET_HOURS = 24


class LastAdmin(ClientException):
    status_code = 409


def _now() -> datetime:
    return datetime.now(timezone.utc)


async def find_by_email(email: str) -> dict:
    row = await User.select().where(User.email == email.strip().lower()).first()
    if row is None:
        raise NotFoundException(f"There is no account with the email {email.strip()}.")
    return row


async def _active_admins() -> set[int]:
    """The active admins' ids. On PostgreSQL their rows stay locked until the transaction ends, so
    two admins demoting each other at once cannot both pass the check below (SQLite's write
    transactions run one at a time anyway)."""
    if is_postgres(User._meta.db):
        rows = await User.raw("SELECT id FROM users WHERE role = 'admin' AND NOT disabled FOR UPDATE")
    else:
        rows = await User.select(User.id).where((User.role == "admin") & (User.disabled == False))  # noqa: E712
    return {r["id"] for r in rows}


async def update_account(
    user_id: int, role: str | None = None, disabled: bool | None = None, details: dict | None = None
) -> dict:
    """Change a person's role, disable or enable them, and set `details` (organisation.FIELDS), all or nothing.

    Disabling ends their sessions, forgets their push devices (events.SESSIONS_ENDED), their reset
    links and the invitations they made but nobody used yet, in the same transaction; the next
    request of any of their browsers, in any web process, is refused (the per-process session
    caches empty when `users` or `sessions` change, server/lib/caches.py).
    """
    if role is not None and role not in ROLES:
        raise ValidationException(f"The role must be one of {', '.join(ROLES)}.")
    async with events.transaction(User._meta.db):
        admins = await _active_admins()
        row = await User.select().where(User.id == user_id).first()
        if row is None:
            raise NotFoundException("There is no such person.")
        new_role = row["role"] if role is None else role
        new_disabled = row["disabled"] if disabled is None else disabled
        if user_id in admins and (new_role != "admin" or new_disabled) and not admins - {user_id}:
            raise LastAdmin(
                "This is the last active admin. Make someone else an admin first, so that Hallway keeps one."
            )
        await User.update({User.role: new_role, User.disabled: new_disabled}).where(User.id == user_id)
        await organisation.apply(user_id, details or {})
        if new_disabled and not row["disabled"]:
            await _end_everything(user_id)
            await Invite.update({Invite.revoked_at: _now()}).where(
                (Invite.created_by == user_id) & Invite.used_at.is_null() & Invite.revoked_at.is_null()
            )
            await PasswordReset.delete().where(PasswordReset.user == user_id)
        return await User.select().where(User.id == user_id).first()


async def end_sessions(user_id: int, keep_token: str | None = None) -> None:
    """End a person's sessions, all but the one of `keep_token` when given."""
    query = Session.delete().where(Session.user == user_id)
    if keep_token:
        query = Session.delete().where((Session.user == user_id) & (Session.token_hash != token_hash(keep_token)))
    await query


async def _end_everything(user_id: int) -> None:
    await end_sessions(user_id)
    await events.emit(events.SESSIONS_ENDED, user_id=user_id)


async def sign_out_everywhere(user_id: int) -> None:
    """Every session of this person ends, this one too, and their browsers get no more pushes."""
    async with events.transaction(User._meta.db):
        await _end_everything(user_id)


async def create_reset(user_id: int, created_by: int | None) -> tuple[str, dict]:
    """A one-time link for this person to choose a new password; an earlier unused one stops working.

    Their password and sessions stay as they are until the link is used: the admin's click alone
    locks nobody out.
    """
    user = await User.select(User.id, User.disabled).where(User.id == user_id).first()
    if user is None:
        raise NotFoundException("There is no such person.")
    if user["disabled"]:
        raise ClientException("This account is disabled. Enable it first.", status_code=409)
    token = new_token()
    async with User._meta.db.transaction():
        await PasswordReset.delete().where((PasswordReset.user == user_id) & PasswordReset.used_at.is_null())
        rows = await PasswordReset.insert(
            PasswordReset(
                token_hash=token_hash(token), user=user_id, created_by=created_by,
                expires_at=_now() + timedelta(hours=RESET_HOURS),
            )
        ).returning(*PasswordReset.all_columns())
    return token, rows[0]


def reset_url(token: str) -> str:
    """The PWA's screen for a reset link (the token after the #: never sent to a server or in a Referer)."""
    return f"{get_settings().public_url}/#/reset/{token}"


async def reset_info(token: str) -> tuple[dict, dict]:
    """The reset link behind a token and its person, or a 404/410 that says why it cannot be used."""
    reset = await PasswordReset.select().where(PasswordReset.token_hash == token_hash(token)).first()
    if reset is None:
        raise NotFoundException("This password link is not valid. Please ask an administrator for a new one.")
    if reset["used_at"] is not None:
        raise Gone("This password link has already been used. Please sign in, or ask an administrator for a new one.")
    if reset["expires_at"] <= _now():
        raise Gone("This password link has expired. Please ask an administrator for a new one.")
    user = await User.select().where(User.id == reset["user"]).first()
    if user is None or user["disabled"]:
        raise Gone("This account has been disabled. Please ask an administrator.")
    return reset, user


async def use_reset(token: str, password: str) -> dict:
    """Set the new password and end every session the person had; the link is then used up."""
    reset, user = await reset_info(token)
    check_password(password)
    password_hash = await hash_password(password)
    async with User._meta.db.transaction():
        # Claimed first, by us alone: two tabs sending the form at once set one password.
        claimed = await PasswordReset.update({PasswordReset.used_at: _now()}).where(
            (PasswordReset.id == reset["id"]) & PasswordReset.used_at.is_null()
        ).returning(PasswordReset.id)
        if not claimed:
            raise Gone("This password link has already been used. Please sign in, or ask an administrator for a new one.")
        await User.update({User.password_hash: password_hash}).where(User.id == user["id"])
        await end_sessions(user["id"])
    return await User.select().where(User.id == user["id"]).first()


async def change_password(user_id: int, current: str, new: str, keep_token: str | None) -> bool:
    """Set a new password if `current` is right (False when it is not); the person's other sessions
    end, this one stays, and reset links made for them stop working."""
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    if not await verify_password(row["password_hash"] if row else None, current):
        return False
    check_password(new)
    password_hash = await hash_password(new)
    async with User._meta.db.transaction():
        await User.update({User.password_hash: password_hash}).where(User.id == user_id)
        await end_sessions(user_id, keep_token=keep_token)
        await PasswordReset.delete().where((PasswordReset.user == user_id) & PasswordReset.used_at.is_null())
    return True
