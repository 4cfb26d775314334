"""HTTP route of search."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, get
from litestar.params import QueryParameter

from server.lib.guards import viewer_of
from server.lib.pagination import Cursor
from server.search.schemas import SearchPage
from server.search.services import search as run_search

__all__ = ["search"]


@get("/api/search", operation_id="search", tags=["search"])
async def search(
    request: Request,
    q: Annotated[str, QueryParameter(max_length=200)] = "",
    cursor: Cursor = None,
    limit: Annotated[int, QueryParameter(ge=1, le=50)] = 20,
) -> SearchPage:
    """Posts and comments matching every word of `q` (as prefixes), best first, with snippets."""
    return await run_search(viewer_of(request), q, cursor, limit)
