"""HTTP routes that write posts (reading one is the feed's: server/feed/controllers.py)."""

from __future__ import annotations

from litestar import Controller, Request, Response, delete, post, put, route
from litestar.params import JSONBody
from litestar.response import Redirect
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT, HTTP_303_SEE_OTHER

from server.idempotency import keys
from server.lib.guards import viewer_of
from server.lib.ids import PathId
from server.posts import services
from server.posts.schemas import NewPost, PinIn, PostOut

__all__ = ["PostController", "SHARE_TARGET", "share_target"]

SHARE_TARGET = "/share-target"  # the manifest's share_target action; pwa/sw.js answers it first


class PostController(Controller):
    path = "/api/posts"
    tags = ["posts"]

    @post(operation_id="createPost", status_code=HTTP_201_CREATED)
    async def create(
        self, request: Request, data: JSONBody[NewPost], idempotency_key: keys.KeyHeader = None,
    ) -> Response[PostOut]:
        """Write a post; a retry with the same Idempotency-Key gets the first answer instead of a second post."""
        viewer = viewer_of(request)

        async def make(bind) -> PostOut:
            return services.post_out(await services.create_post(viewer, data, prepare=bind), viewer)

        async def rebuild(post_id: int) -> PostOut:
            return services.post_out(await services.get_post(viewer, post_id), viewer)

        digest = keys.fingerprint(request.method, request.url.path, data)
        return await keys.once(viewer.id, idempotency_key, digest, make, rebuild, status_code=HTTP_201_CREATED)

    @delete("/{post_id:int}", operation_id="deletePost", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, request: Request, post_id: PathId) -> None:
        await services.delete_post(viewer_of(request), post_id)

    @post("/{post_id:int}/retry", operation_id="retryPost", status_code=200)
    async def retry(self, request: Request, post_id: PathId) -> PostOut:
        viewer = viewer_of(request)
        return services.post_out(await services.retry_post(viewer, post_id), viewer)

    @put("/{post_id:int}/pin", operation_id="pinPost", opt={"role": "moderator"})
    async def pin(self, request: Request, post_id: PathId, data: JSONBody[PinIn | None] = None) -> PostOut:
        viewer = viewer_of(request)
        row = await services.set_pin(viewer, post_id, True, data.until if data else None)
        return services.post_out(row, viewer)

    @delete("/{post_id:int}/pin", operation_id="unpinPost", opt={"role": "moderator"}, status_code=200)
    async def unpin(self, request: Request, post_id: PathId) -> PostOut:
        viewer = viewer_of(request)
        return services.post_out(await services.set_pin(viewer, post_id, False), viewer)


@route(
    SHARE_TARGET, http_method=["GET", "POST"], operation_id="shareTarget", include_in_schema=False,
    # Public and without CSRF: it reads nothing (not the body, which may be a 500 MB video; Litestar's
    # CSRF check would parse the form to look for a token) and only redirects.
    opt={"role": "public", "exclude_from_csrf": True}, tags=["posts"],
)
async def share_target() -> Redirect:
    """"Share → Hallway" when the service worker is not running (first visit, an old browser):
    send the person to the composer with a message instead of a 404 or 405; their files were not kept."""
    return Redirect("/#/new?share=unavailable", status_code=HTTP_303_SEE_OTHER)
