"""A PATCH body that stops arriving: the idle timeout, and handing its upload to a newer PATCH.

A phone that loses its connection mid-chunk often leaves the server's side of it open: without
a limit, that request would hold the upload's lock for as long as the dead connection lasts and
every resume would get a 423. So a body read ends after `upload_idle_timeout` seconds without a
byte, and sooner when a newer PATCH of the owner asks for the upload while this one has been
silent for `upload_handover` seconds. Either way what arrived is kept and the client resumes
from the committed offset. The request is a marker file beside the part file, so it reaches a
writer in another web process too.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

from server.settings import get_settings

__all__ = ["Stopped", "Stalled", "TakenOver", "marker_path", "ask", "clear", "pieces"]

# How often a silent writer looks for a newer request (a stat of one file).
POLL = 0.25


class Stopped(Exception):
    """The body stopped arriving; what was written so far may be kept."""


class Stalled(Stopped):
    """No byte for the idle timeout."""


class TakenOver(Stopped):
    """A newer PATCH of the owner asked for the upload while this one was silent."""


def marker_path(upload_id: str) -> Path:
    return get_settings().uploads_dir / f"{upload_id}.handover"


def ask(upload_id: str) -> None:
    """A newer request wants this upload: the current writer lets go if it has gone silent."""
    try:
        marker_path(upload_id).touch()
    except FileNotFoundError:
        pass  # the upload is gone; the request finds out when it reads the row


def clear(upload_id: str) -> None:
    """The writer that holds the upload now has seen every earlier request."""
    marker_path(upload_id).unlink(missing_ok=True)


async def pieces(body: AsyncIterator[bytes], upload_id: str) -> AsyncIterator[bytes]:
    """The body's pieces as they come; Stalled or TakenOver when it stops (see the module)."""
    settings = get_settings()
    idle, handover = settings.upload_idle_timeout, settings.upload_handover
    marker = marker_path(upload_id)
    stream = body.__aiter__()
    while True:
        # A task, not a timeout around the read: cancelling a read would end the body's generator.
        following = asyncio.ensure_future(stream.__anext__())
        silent_since = time.monotonic()
        try:
            while not following.done():
                await asyncio.wait({following}, timeout=POLL)
                silent = time.monotonic() - silent_since
                if following.done():
                    break
                if silent >= idle:
                    raise Stalled
                if silent >= handover and marker.exists():
                    raise TakenOver
        except BaseException:
            following.cancel()
            raise
        try:
            data = following.result()
        except StopAsyncIteration:
            return
        yield data
