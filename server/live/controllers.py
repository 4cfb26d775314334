"""GET /api/live: server-sent events for open PWA clients ("New posts" pill)."""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import AsyncIterator

import msgspec
from litestar import Request, get
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.exceptions import TooManyRequestsException
from litestar.response import ServerSentEvent, ServerSentEventMessage

from server.accounts.sessions import COOKIE, viewer_for_token
from server.lib.cookies import cookie_value
from server.lib.guards import Viewer, viewer_of
from server.live.channels import CHANNEL
from server.posts import states, visibility

__all__ = ["live", "KEEPALIVE", "MAX_STREAMS"]

# A comment line this often keeps proxies from closing an idle stream and finds dead clients.
KEEPALIVE = 25.0
_RETRY_MS = 5000
# Open streams per person and web process: phones, tablets and a few tabs, not a thousand sockets.
MAX_STREAMS = 8


class _Ticket:
    """One open stream; held by its generator, so a stream that never started still lets go of it."""


_open: dict[int, weakref.WeakSet[_Ticket]] = {}


def _take_ticket(viewer_id: int) -> _Ticket:
    held = _open.setdefault(viewer_id, weakref.WeakSet())
    if len(held) >= MAX_STREAMS:
        raise TooManyRequestsException(
            "Hallway is open in too many windows on your devices. Close a few and reload.", headers={"Retry-After": "30"}
        )
    ticket = _Ticket()
    held.add(ticket)
    return ticket


def _release(viewer_id: int, ticket: _Ticket) -> None:
    held = _open.get(viewer_id)
    if held is not None:
        held.discard(ticket)
        if not held:
            _open.pop(viewer_id, None)


async def _events(
    channels: ChannelsPlugin, viewer: Viewer, token: str, ticket: _Ticket
) -> AsyncIterator[ServerSentEventMessage]:
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
                # A session ended meanwhile (signed out, disabled, in any process): the stream ends too.
                if await viewer_for_token(token) is None:
                    return
                yield ServerSentEventMessage(data=None, comment="keep-alive")
                continue
            data, pending = pending.result(), None
            event = msgspec.json.decode(data)
            if event.get("author_id") == viewer.id:
                continue  # my own post is already on my screen
            # An announcement for one department is news only there: others learn nothing of it.
            # Only publishing sends an event (live/listeners.py): the post is published.
            post = {"author": event.get("author_id"), "status": states.PUBLISHED, "audience": event.get("audience")}
            if not visibility.may_see(post, viewer):
                continue
            shown = {"type": event.get("type", "post"), "id": event.get("id"), "author_id": event.get("author_id")}
            yield ServerSentEventMessage(data=msgspec.json.encode(shown).decode(), event=shown["type"])
    finally:
        _release(viewer.id, ticket)
        if pending is not None:
            pending.cancel()
        await channels.unsubscribe(subscriber)


@get("/api/live", operation_id="liveUpdates", tags=["live"], opt={"role": "member"})
async def live(request: Request, channels: NamedDependency[ChannelsPlugin]) -> ServerSentEvent:
    """Events `post` ({type, id, author_id}) as colleagues publish posts the viewer may see; a comment line every 25 s."""
    viewer = viewer_of(request)
    token = cookie_value(request.scope, COOKIE) or ""
    return ServerSentEvent(_events(channels, viewer, token, _take_ticket(viewer.id)))
