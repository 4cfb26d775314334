"""GET /api/live: server-sent events for open PWA clients ("New posts" pill)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import msgspec
from litestar import Request, get
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.response import ServerSentEvent, ServerSentEventMessage

from server.lib.guards import viewer_of
from server.live.channels import CHANNEL

__all__ = ["live", "KEEPALIVE"]

# A comment line this often keeps proxies from closing an idle stream and finds dead clients.
KEEPALIVE = 25.0
_RETRY_MS = 5000


async def _events(channels: ChannelsPlugin, viewer_id: int) -> AsyncIterator[ServerSentEventMessage]:
    subscriber = await channels.subscribe(CHANNEL)
    events = subscriber.iter_events()
    pending: asyncio.Future | None = None
    try:
        yield ServerSentEventMessage(data=None, comment="connected", retry=_RETRY_MS)
        while True:
            # One pending read survives keep-alive timeouts (cancelling it would end the generator).
            pending = pending or asyncio.ensure_future(anext(events))
            done, _ = await asyncio.wait({pending}, timeout=KEEPALIVE)
            if not done:
                yield ServerSentEventMessage(data=None, comment="keep-alive")
                continue
            data, pending = pending.result(), None
            event = msgspec.json.decode(data)
            if event.get("author_id") == viewer_id:
                continue  # my own post is already on my screen
            yield ServerSentEventMessage(data=data.decode(), event=event.get("type", "post"))
    finally:
        if pending is not None:
            pending.cancel()
        await channels.unsubscribe(subscriber)


@get("/api/live", operation_id="liveUpdates", tags=["live"], opt={"role": "member"})
async def live(request: Request, channels: NamedDependency[ChannelsPlugin]) -> ServerSentEvent:
    """Events `post` ({type, id, author_id}) as colleagues publish; a comment line every 25 s."""
    viewer = viewer_of(request)
    return ServerSentEvent(_events(channels, viewer.id))
