"""HTTP routes of reactions, comments and kudos (follows live with people, tags with the feed)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from server.idempotency import keys
from server.lib.guards import viewer_of
from server.lib.ids import MAX_ID, PathId
from server.lib.pagination import Cursor
from server.social import comments, kudos, reactions
from server.social.schemas import (
    CommentOut, CommentPatch, CommentsPage, KudosIn, KudosOut, NewComment, ReactionSummary, ReactorsPage,
)

__all__ = ["SocialController"]


class SocialController(Controller):
    path = "/api"
    tags = ["social"]

    @put("/posts/{post_id:int}/reactions/{kind:str}", operation_id="addReaction")
    async def react(self, request: Request, post_id: PathId, kind: FromPath[str]) -> ReactionSummary:
        """One reaction of this kind by me; again is a no-op. Kinds: like, clap, party, idea."""
        return await reactions.set_reaction(viewer_of(request), post_id, kind, True)

    @delete("/posts/{post_id:int}/reactions/{kind:str}", operation_id="removeReaction", status_code=200)
    async def unreact(self, request: Request, post_id: PathId, kind: FromPath[str]) -> ReactionSummary:
        return await reactions.set_reaction(viewer_of(request), post_id, kind, False)

    @get("/posts/{post_id:int}/reactions", operation_id="listReactions")
    async def reactors(
        self, request: Request, post_id: PathId,
        kind: Annotated[str | None, QueryParameter(max_length=30)] = None,
        cursor: Cursor = None, limit: Annotated[int, QueryParameter(ge=1, le=100)] = 30,
    ) -> ReactorsPage:
        """Counts per kind and who reacted, newest first."""
        return await reactions.reactors(viewer_of(request), post_id, kind, cursor, limit)

    @post("/posts/{post_id:int}/comments", operation_id="addComment", status_code=HTTP_201_CREATED)
    async def comment(
        self, request: Request, post_id: PathId, data: JSONBody[NewComment], idempotency_key: keys.KeyHeader = None,
    ) -> Response[CommentOut]:
        """Comment or reply; a retry with the same Idempotency-Key gets the first answer instead of a second comment."""
        viewer = viewer_of(request)

        async def make(bind) -> CommentOut:
            return await comments.add_comment(viewer, post_id, data.body, data.parent_id, on_insert=bind)

        async def rebuild(comment_id: int) -> CommentOut:
            return await comments.comment_out(viewer, comment_id)

        digest = keys.fingerprint(request.method, request.url.path, data)
        return await keys.once(viewer.id, idempotency_key, digest, make, rebuild, status_code=HTTP_201_CREATED)

    @get("/posts/{post_id:int}/comments", operation_id="listComments")
    async def thread(
        self, request: Request, post_id: PathId, cursor: Cursor = None,
        parent: Annotated[int | None, QueryParameter(ge=1, le=MAX_ID, description="page the replies of this comment")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> CommentsPage:
        """Top-level comments oldest first, each with its first replies."""
        return await comments.list_comments(viewer_of(request), post_id, cursor=cursor, limit=limit, parent_id=parent)

    @patch("/comments/{comment_id:int}", operation_id="editComment")
    async def edit(self, request: Request, comment_id: PathId, data: JSONBody[CommentPatch]) -> CommentOut:
        return await comments.edit_comment(viewer_of(request), comment_id, data.body)

    @delete("/comments/{comment_id:int}", operation_id="deleteComment", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, request: Request, comment_id: PathId) -> None:
        """By its author or a moderator."""
        await comments.delete_comment(viewer_of(request), comment_id)

    @put("/posts/{post_id:int}/kudos", operation_id="setKudos")
    async def thank(self, request: Request, post_id: PathId, data: JSONBody[KudosIn]) -> KudosOut:
        """The author names the colleagues the post thanks (replaces the list)."""
        return KudosOut(people=await kudos.set_kudos(viewer_of(request), post_id, data.user_ids))
