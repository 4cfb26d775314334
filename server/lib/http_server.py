"""The HTTP/1.1 protocol `hallway serve` gives uvicorn: httptools, with a bound on a request's head.

uvicorn's httptools protocol buffers a request's headers without limit (a client may send
megabytes of them, or keep one header open forever) and h11's bound costs every request
several times httptools' parsing time. This one counts the bytes of a head as they arrive and
answers 431 once they pass lib/request_guard.MAX_HEADER_BYTES, so memory stays bounded by the
limit plus one read; a head that arrives whole is left to the guard middleware, which says which
header is too large.
"""

from __future__ import annotations

import asyncio
import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from server.lib.request_guard import MAX_HEADER_BYTES

__all__ = ["BoundedHttpToolsProtocol"]

_DETAIL = f"The request's headers are too large (at most {MAX_HEADER_BYTES // 1024} KB)."
_BODY = json.dumps({"status_code": 431, "detail": _DETAIL}).encode()
_REFUSAL = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: application/json\r\n"
    b"content-length: " + str(len(_BODY)).encode() + b"\r\nconnection: close\r\n\r\n" + _BODY
)


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing a head larger than MAX_HEADER_BYTES while it arrives."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._head_transport = transport
        self._head_bytes = 0
        self._in_body = False
        super().connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if not self._in_body:
            self._head_bytes += len(data)
        super().data_received(data)
        if not self._in_body and self._head_bytes > MAX_HEADER_BYTES and not self._head_transport.is_closing():
            self._head_transport.write(_REFUSAL)
            self._head_transport.close()

    # httptools' parser callbacks: a head ends where the body begins; the next head begins after the body.
    def on_headers_complete(self) -> None:
        self._in_body, self._head_bytes = True, 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_body = False
        super().on_message_complete()
