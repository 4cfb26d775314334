"""HTTP routes of the accounts domain: sign-in, the signed-in person, invitations, password resets,
and the admins' management of people."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException, ValidationException
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from piccolo.columns.combination import WhereRaw

from server.accounts import lifecycle, organisation, services, throttle
from server.accounts.schemas import (
    AcceptInvite, Account, AccountPage, AccountPatch, InviteIn, InviteInfo, InviteOut, Manager, Me, NewPassword,
    OpenInvite, PasswordChange, ProfilePatch, ResetInfo, ResetOut, SignIn,
)
from server.accounts.passwords import has_password
from server.accounts.sessions import COOKIE, end_session, session_cookie, start_session
from server.accounts.tables import User
from server.lib.cookies import cookie_value
from server.lib.guards import viewer_of
from server.lib.ids import PathId
from server.lib.pagination import Cursor, decode_cursor, encode_cursor
from server.settings import get_settings

__all__ = ["SessionController", "MeController", "InviteController", "PasswordResetController", "AccountAdminController"]


class SessionController(Controller):
    path = "/api/session"
    tags = ["accounts"]

    @post(operation_id="signIn", opt={"role": "public"}, status_code=200)
    async def sign_in(self, request: Request, data: JSONBody[SignIn], state: State) -> Response[Me]:
        """Sign in with email and password; guessing is slowed down per account and address (accounts/throttle.py)."""
        limiter = state.limiter
        attempt = throttle.attempt_of(request, data.email)
        if wait := await throttle.wait_for(limiter, attempt):
            raise services.TooManyAttempts(
                f"Too many sign-in attempts. Please wait {wait} seconds and try again.",
                headers={"Retry-After": str(wait)},
            )
        try:
            user = await services.authenticate(data.email, data.password)
        except NotAuthorizedException:
            await throttle.failed(limiter, attempt)
            raise
        device = await throttle.succeeded(limiter, attempt)
        token = await start_session(user["id"])
        user = await services.default_language(user, request.headers.get("accept-language"))
        return Response(await services.me(user["id"]), cookies=[session_cookie(token), device])

    @delete(operation_id="signOut", opt={"role": "public"}, status_code=HTTP_204_NO_CONTENT)
    async def sign_out(self, request: Request) -> Response[None]:
        if token := cookie_value(request.scope, COOKIE):
            await end_session(token)
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=[session_cookie(None)])


class MeController(Controller):
    path = "/api/me"
    tags = ["accounts"]

    @get(operation_id="getMe")
    async def me(self, request: Request) -> Me:
        return await services.me(viewer_of(request).id)

    @patch(operation_id="updateMe")
    async def update(self, request: Request, data: JSONBody[ProfilePatch]) -> Me:
        """Change one's name, bio, "ask me about" tags or language. Job title, department, location and
        manager are set by admins: sending one is a 400 that says so."""
        viewer = viewer_of(request)
        await services.update_profile(viewer.id, data)
        return await services.me(viewer.id)

    @put("/password", operation_id="changePassword", status_code=HTTP_204_NO_CONTENT)
    async def change_password(self, request: Request, data: JSONBody[PasswordChange], state: State) -> None:
        """Choose a new password, giving the current one; every other session of yours ends."""
        viewer = viewer_of(request)
        if wait := await throttle.password_wait(state.limiter, viewer.id):
            raise services.TooManyAttempts(
                f"Too many wrong passwords. Please wait {wait} seconds and try again.", headers={"Retry-After": str(wait)}
            )
        token = cookie_value(request.scope, COOKIE)
        if not await lifecycle.change_password(viewer.id, data.current_password, data.new_password, token):
            await throttle.password_failed(state.limiter, viewer.id)
            raise ValidationException("The current password is not right.")
        await throttle.password_changed(state.limiter, viewer.id)

    @delete("/sessions", operation_id="signOutEverywhere", status_code=HTTP_204_NO_CONTENT)
    async def sign_out_everywhere(self, request: Request) -> Response[None]:
        """End every session of yours, this one too, and stop pushes to all your browsers (a lost phone)."""
        await lifecycle.sign_out_everywhere(viewer_of(request).id)
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=[session_cookie(None)])


class InviteController(Controller):
    path = "/api/invites"
    tags = ["accounts"]

    @post(operation_id="createInvite", opt={"role": "admin"}, status_code=HTTP_201_CREATED)
    async def create(self, request: Request, data: JSONBody[InviteIn]) -> InviteOut:
        """Invite a colleague: a link that lets them choose a name and password."""
        token, row = await services.create_invite(data.role, data.email, data.days, viewer_of(request).id)
        url = f"{get_settings().public_url}/#/join/{token}"
        return InviteOut(token=token, url=url, role=row["role"], email=row["email"], expires_at=row["expires_at"])

    @get("/{token:str}", operation_id="getInvite", opt={"role": "public"})
    async def info(self, token: FromPath[str]) -> InviteInfo:
        row = await services.invite_info(token)
        return InviteInfo(role=row["role"], email=row["email"], expires_at=row["expires_at"])

    @post("/{token:str}/accept", operation_id="acceptInvite", opt={"role": "public"}, status_code=HTTP_201_CREATED)
    async def accept(self, request: Request, token: FromPath[str], data: JSONBody[AcceptInvite]) -> Response[Me]:
        user = await services.accept_invite(token, data.name, data.email, data.password)
        user = await services.default_language(user, request.headers.get("accept-language"))
        session = await start_session(user["id"])
        return Response(await services.me(user["id"]), status_code=HTTP_201_CREATED, cookies=[session_cookie(session)])


class PasswordResetController(Controller):
    """The one-time links an admin makes for someone to choose a new password."""

    path = "/api/password-resets"
    tags = ["accounts"]

    @get("/{token:str}", operation_id="getPasswordReset", opt={"role": "public"})
    async def info(self, token: FromPath[str]) -> ResetInfo:
        reset, user = await lifecycle.reset_info(token)
        return ResetInfo(name=user["name"], email=user["email"], expires_at=reset["expires_at"])

    @post("/{token:str}", operation_id="resetPassword", opt={"role": "public"}, status_code=200)
    async def use(self, token: FromPath[str], data: JSONBody[NewPassword]) -> Response[Me]:
        """Set the new password: every earlier session ends, and this browser is signed in."""
        user = await lifecycle.use_reset(token, data.password)
        session = await start_session(user["id"])
        return Response(await services.me(user["id"]), cookies=[session_cookie(session)])


# An id a row can have on both databases (PostgreSQL's SERIAL is 32-bit): a larger one is a 400,
# never an overflow inside the database driver.
def _account_out(row: dict) -> Account:
    manager = Manager(id=row["manager"], name=row["manager_name"]) if row["manager"] else None
    return Account(
        id=row["id"], name=row["name"], email=row["email"], role=row["role"], disabled=row["disabled"],
        title=row["title"], department=row["department"], location=row["location"], manager=manager,
        has_password=has_password(row["password_hash"]), created_at=row["created_at"],
    )


async def _account(person_id: int) -> Account:
    return _account_out(await User.select(*_ACCOUNT_COLUMNS).where(User.id == person_id).first())


def _like(text: str) -> str:
    # LIKE wildcards typed by a person are literal characters, not patterns.
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class AccountAdminController(Controller):
    """Admins manage people: find them, change their role, disable or enable them, reset their
    password; and see and withdraw the invitations still open."""

    path = "/api/admin"
    tags = ["admin"]

    @get("/people", operation_id="listAccounts", opt={"role": "admin"})
    async def people(
        self,
        q: Annotated[str, QueryParameter(max_length=100)] = "",
        cursor: Cursor = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 50,
    ) -> AccountPage:
        """Everyone, disabled people too, in name order; `q` matches name or email."""
        query = User.select(*_ACCOUNT_COLUMNS)
        if text := q.strip().lower():
            # Qualified: the manager is a second `users` in the query.
            query = query.where(WhereRaw(
                "(LOWER(users.name) LIKE {} ESCAPE '\\' OR LOWER(users.email) LIKE {} ESCAPE '\\')", _like(text), _like(text)
            ))
        if cursor:
            name, last_id = decode_cursor(cursor, get_settings().secret, 2)
            query = query.where((User.name > name) | ((User.name == name) & (User.id > last_id)))
        rows = await query.order_by(User.name, User.id).limit(limit + 1)
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            next_cursor = encode_cursor([rows[-1]["name"], rows[-1]["id"]], get_settings().secret)
        return AccountPage(items=[_account_out(r) for r in rows], next_cursor=next_cursor)

    @patch("/people/{person_id:int}", operation_id="updateAccount", opt={"role": "admin"})
    async def update(self, person_id: PathId, data: JSONBody[AccountPatch]) -> Account:
        """Change the role, disable (their sessions and push devices end at once) or enable someone, and set
        their job title, department, location (announcements are addressed by these) and manager.

        The last active admin can be neither demoted nor disabled.
        """
        details = {f: getattr(data, f) for f in organisation.FIELDS if getattr(data, f) is not msgspec.UNSET}
        await lifecycle.update_account(person_id, role=data.role, disabled=data.disabled, details=details)
        return await _account(person_id)

    @post("/people/{person_id:int}/password-reset", operation_id="createPasswordReset", opt={"role": "admin"},
          status_code=HTTP_201_CREATED)
    async def reset(self, request: Request, person_id: PathId) -> ResetOut:
        """A one-time link (valid a day) for this person to choose a new password; hand it over yourself."""
        token, row = await lifecycle.create_reset(person_id, viewer_of(request).id)
        return ResetOut(token=token, url=lifecycle.reset_url(token), expires_at=row["expires_at"])

    @get("/invites", operation_id="listInvites", opt={"role": "admin"})
    async def invites(self) -> list[OpenInvite]:
        """The invitations that can still be used, newest first."""
        return [
            OpenInvite(
                id=r["id"], role=r["role"], email=r["email"], created_at=r["created_at"], expires_at=r["expires_at"],
                created_by=r["created_by_name"],
            )
            for r in await services.open_invites()
        ]

    @delete("/invites/{invite_id:int}", operation_id="revokeInvite", opt={"role": "admin"},
            status_code=HTTP_204_NO_CONTENT)
    async def revoke(self, invite_id: PathId) -> None:
        """Withdraw an invitation: its link then says so."""
        await services.revoke_invite(invite_id)


_ACCOUNT_COLUMNS = (
    User.id, User.name, User.email, User.role, User.disabled, User.title, User.department, User.location,
    User.manager, User.manager.name.as_alias("manager_name"), User.created_at,
    User.password_hash,  # only whether there is one leaves this module
)
