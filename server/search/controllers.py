"""HTTP route of search."""

from __future__ import annotations

from litestar import Request, get
from litestar.params import Parameter

from server.lib.guards import viewer_of
from server.search.schemas import SearchPage
from server.search.services import search as run_search

__all__ = ["search"]


@get("/api/search", operation_id="search", tags=["search"])
async def search(
    request: Request,
    q: str = Parameter(default="", max_length=200),
    cursor: str | None = Parameter(default=None, max_length=500),
    limit: int = Parameter(default=20, ge=1, le=50),
) -> SearchPage:
    """Posts and comments matching every word of `q` (as prefixes), best first, with snippets."""
    return await run_search(viewer_of(request), q, cursor, limit)
