"""GET/HEAD /media/{key}: renditions, posters and photos from the local disk, with Range support.

Litestar's `File` and static router answer a Range request with the whole file, and iOS Safari
will not play an MP4 then; so the range, the conditional headers and the streaming are ours.
Only keys the server made are served (storage.local.valid_key), under the media directory;
uploads and originals live elsewhere in HALLWAY_DATA and no key can reach them. A key names its
post (`p/{post id}/{digest}-{name}`, posts/jobs.py), so the same bytes in two posts are two
URLs, and a file is served only to someone who may see its post now (posts/visibility.py): a
URL that travels (a forwarded link, a shared device's history) opens nothing else.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator
from stat import S_ISREG
from typing import BinaryIO

from litestar import Request, route
from litestar.enums import HttpMethod
from litestar.exceptions import NotFoundException
from litestar.response.streaming import ASGIStreamingResponse
from litestar.types import ASGIApp

from server.db import fetch
from server.lib.guards import Viewer, viewer_of
from server.media_files.ranges import ByteRange, Unsatisfiable, if_range_allows, none_match, parse_range
from server.posts.tables import Post
from server.posts.visibility import may_see
from server.settings import get_settings
from server.storage.local import valid_key

__all__ = ["media", "MEDIA_TYPES", "CACHE_CONTROL", "CHUNK"]

PREFIX = "/media/"
# Set by the server from the extension of a key it made; nothing else is served.
MEDIA_TYPES = {".mp4": "video/mp4", ".webp": "image/webp", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
# Keys are content-addressed (digest in the name), so a URL's bytes never change.
CACHE_CONTROL = "private, max-age=31536000, immutable"
CHUNK = 256 * 1024
_MISSING = "This file does not exist."


def _key_of(request: Request) -> str:
    """The key from the path as sent; any percent-escape (an encoded slash, a dot) is refused."""
    raw = request.scope.get("raw_path")
    if raw is not None and b"%" in raw:
        raise NotFoundException(_MISSING)
    path = request.scope["path"]
    key = path[len(PREFIX):] if path.startswith(PREFIX) else ""
    if not valid_key(key) or os.path.splitext(key)[1].lower() not in MEDIA_TYPES:
        raise NotFoundException(_MISSING)
    return key


async def _may_fetch(viewer: Viewer, key: str) -> bool:
    """The viewer may see the post the key names: one lookup by primary key per request."""
    prefix, post_id, _ = key.split("/", 2)
    if prefix != "p" or len(post_id) > 18:  # no post has a bigger id; a 64-bit column holds none
        return False
    rows = await fetch(Post, "SELECT author, status, audience FROM posts WHERE id = {}", int(post_id))
    return bool(rows) and may_see(rows[0], viewer)


def _open(key: str) -> tuple[BinaryIO, os.stat_result]:
    root = get_settings().media_dir.resolve()
    path = (root / key).resolve()
    # valid_key already keeps a key inside; a symlink planted in the media dir must not lead out.
    if not path.is_relative_to(root):
        raise FileNotFoundError(key)
    handle = path.open("rb")
    stat = os.fstat(handle.fileno())
    if not S_ISREG(stat.st_mode):
        handle.close()
        raise FileNotFoundError(key)
    return handle, stat


def _etag(key: str, stat: os.stat_result) -> str:
    """Strong: a replaced file has a new mtime and inode, and the bytes of one file never change."""
    basis = f"{key}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}".encode()
    return '"' + hashlib.sha256(basis).hexdigest()[:32] + '"'


async def _read(handle: BinaryIO, part: ByteRange) -> AsyncIterator[bytes]:
    """The bytes of `part`, one chunk at a time from disk; closes the file however the stream ends."""
    try:
        position = part.start
        while position <= part.end:
            chunk = await asyncio.to_thread(os.pread, handle.fileno(), min(CHUNK, part.end + 1 - position), position)
            if not chunk:
                return  # cannot happen for an immutable file; ends the response short rather than hang
            position += len(chunk)
            yield chunk
    finally:
        handle.close()


def _answer(status: int, headers: dict[str, str], body: AsyncIterator[bytes] | None) -> ASGIApp:
    async def empty() -> AsyncIterator[bytes]:
        return
        yield  # pragma: no cover - makes this an async generator

    return ASGIStreamingResponse(
        iterator=body if body is not None else empty(), status_code=status, headers=headers,
        is_head_response=body is None,
    )


@route(
    "/media/{key:path}", http_method=[HttpMethod.GET, HttpMethod.HEAD], operation_id="media", tags=["media"],
    opt={"role": "member"}, include_in_schema=False,
)
async def media(request: Request) -> ASGIApp:
    """A media file for signed-in people: whole, one byte range, or 304 Not Modified."""
    key = _key_of(request)
    # The same answer as for a file that does not exist: the URL tells nothing about its post.
    if not await _may_fetch(viewer_of(request), key):
        raise NotFoundException(_MISSING)
    try:
        handle, stat = await asyncio.to_thread(_open, key)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        raise NotFoundException(_MISSING) from None
    size, etag = stat.st_size, _etag(key, stat)
    headers = {
        "Accept-Ranges": "bytes", "ETag": etag, "Cache-Control": CACHE_CONTROL, "X-Content-Type-Options": "nosniff",
    }
    # Set here, not by the response class: a HEAD must carry the same Content-Type as its GET.
    file_headers = {**headers, "Content-Type": MEDIA_TYPES[os.path.splitext(key)[1].lower()]}
    is_head = request.method == HttpMethod.HEAD
    try:
        if none_match(request.headers.get("if-none-match"), etag):
            handle.close()
            return _answer(304, headers, None)
        part = None
        # Range is defined for GET only (RFC 9110 §14.2): a HEAD describes the whole file.
        if not is_head and if_range_allows(request.headers.get("if-range"), etag):
            part = parse_range(request.headers.get("range"), size)
    except Unsatisfiable:
        handle.close()
        # No caching of a refusal: only the file's own answers are immutable.
        headers.update({"Content-Range": f"bytes */{size}", "Cache-Control": "no-store", "Content-Length": "0"})
        return _answer(416, headers, None)
    if is_head:
        handle.close()
        return _answer(200, {**file_headers, "Content-Length": str(size)}, None)
    if part is None:
        return _answer(200, {**file_headers, "Content-Length": str(size)}, _read(handle, ByteRange(0, size - 1)))
    file_headers.update({"Content-Range": part.content_range(size), "Content-Length": str(part.length)})
    return _answer(206, file_headers, _read(handle, part))
