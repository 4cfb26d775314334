"""HTTP routes of the accounts domain: sign-in, the signed-in person, invitations."""

from __future__ import annotations

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.exceptions import NotAuthorizedException
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from server.accounts import services, throttle
from server.accounts.schemas import AcceptInvite, InviteIn, InviteInfo, InviteOut, Me, ProfilePatch, SignIn
from server.accounts.sessions import COOKIE, end_session, session_cookie, start_session
from server.accounts.tables import User
from server.lib.guards import viewer_of
from server.settings import get_settings

__all__ = ["SessionController", "MeController", "InviteController"]


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
        return Response(services.me_out(user), cookies=[session_cookie(token), device])

    @delete(operation_id="signOut", opt={"role": "public"}, status_code=HTTP_204_NO_CONTENT)
    async def sign_out(self, request: Request) -> Response[None]:
        if token := request.cookies.get(COOKIE):
            await end_session(token)
        return Response(None, status_code=HTTP_204_NO_CONTENT, cookies=[session_cookie(None)])


class MeController(Controller):
    path = "/api/me"
    tags = ["accounts"]

    @get(operation_id="getMe")
    async def me(self, request: Request) -> Me:
        row = await User.select().where(User.id == viewer_of(request).id).first()
        return services.me_out(row)

    @patch(operation_id="updateMe")
    async def update(self, request: Request, data: JSONBody[ProfilePatch]) -> Me:
        return services.me_out(await services.update_profile(viewer_of(request).id, data))


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
        return Response(services.me_out(user), status_code=HTTP_201_CREATED, cookies=[session_cookie(session)])
