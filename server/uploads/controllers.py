"""HTTP routes of uploads: the tus 1.0.0 endpoint at /api/uploads."""

from __future__ import annotations

from collections.abc import AsyncIterator

from litestar import Controller, Request, Response, delete, head, patch, post, route
from litestar.enums import HttpMethod
from litestar.exceptions import InternalServerException
from litestar.params import FromPath

from server.lib.guards import viewer_of
from server.settings import get_settings
from server.uploads import services
from server.uploads.tus import (
    CHECKSUM_ALGORITHMS, EXTENSIONS, OFFSET_CONTENT_TYPE, TUS_VERSION, TusError, base_headers, http_date,
    parse_checksum, parse_length, parse_metadata, parse_offset, whole_number,
)

__all__ = ["UploadController"]

PATH = "/api/uploads"


def _require_tus(request: Request) -> None:
    if request.headers.get("tus-resumable") != TUS_VERSION:
        raise TusError(412, f"This endpoint speaks tus {TUS_VERSION}; send Tus-Resumable: {TUS_VERSION}.",
                       {"Tus-Version": TUS_VERSION})


def _content_length(request: Request) -> int | None:
    return whole_number(request.headers.get("content-length"))


async def _body(request: Request) -> AsyncIterator[bytes]:
    """The request body as it arrives; a cut connection becomes ClientGone."""
    try:
        async for data in request.stream():
            if data:
                yield data
    except InternalServerException:
        # Litestar's Request.stream() raises this on http.disconnect ("client disconnected prematurely").
        raise services.ClientGone from None


def _has_body(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip() == OFFSET_CONTENT_TYPE


def _state_headers(row: dict) -> dict[str, str]:
    return {
        **base_headers(), "Upload-Offset": str(row["offset"]), "Upload-Length": str(row["length"]),
        "Upload-Expires": http_date(row["expires_at"]),
    }


class UploadController(Controller):
    path = PATH
    tags = ["uploads"]

    # Named to sort before `create`: Litestar registers a controller's handlers in name order and
    # gives a path its automatic (guarded) OPTIONS handler when the first one registered lacks OPTIONS,
    # which then shadows this one (tests/server/uploads: test_options_announces_...).
    @route("/", http_method=HttpMethod.OPTIONS, operation_id="uploadOptions", opt={"role": "public"}, status_code=204)
    async def capabilities(self) -> Response[None]:
        """What this tus server offers (discovery; reveals no upload)."""
        return Response(None, status_code=204, headers={
            **base_headers(), "Tus-Version": TUS_VERSION, "Tus-Extension": EXTENSIONS,
            "Tus-Max-Size": str(get_settings().upload_max),
            "Tus-Checksum-Algorithm": ",".join(CHECKSUM_ALGORITHMS),
        })

    # No body limit here: each upload's own Upload-Length (at most Tus-Max-Size) bounds what is read.
    @post("/", operation_id="createUpload", request_max_body_size=None, status_code=201)
    async def create(self, request: Request) -> Response[None]:
        """tus creation, and creation-with-upload when a body comes along."""
        _require_tus(request)
        viewer = viewer_of(request)
        length = parse_length(request.headers.get("upload-length"), get_settings().upload_max)
        metadata = parse_metadata(request.headers.get("upload-metadata"))
        checksum = parse_checksum(request.headers.get("upload-checksum"))
        row = await services.create_upload(viewer.id, length, metadata)
        if _has_body(request):
            try:
                row = await services.write_chunk(
                    viewer.id, row["id"], 0, _body(request),
                    announced=_content_length(request), checksum=checksum,
                )
            except TusError:
                # All or nothing: a refused first chunk leaves no upload the client cannot address.
                await services.discard_upload(row["id"])
                raise
        return Response(None, status_code=201, headers={**_state_headers(row), "Location": f"{PATH}/{row['id']}"})

    @head("/{upload_id:str}", operation_id="uploadOffset")
    async def offset(self, request: Request, upload_id: FromPath[str]) -> Response[None]:
        """Where to resume: the offset committed to disk."""
        _require_tus(request)
        row = await services.get_upload(viewer_of(request).id, upload_id)
        return Response(None, status_code=200, headers=_state_headers(row))

    @patch("/{upload_id:str}", operation_id="appendUpload", request_max_body_size=None, status_code=204)
    async def append(self, request: Request, upload_id: FromPath[str]) -> Response[None]:
        """Append a chunk at Upload-Offset."""
        return await _append(request, upload_id)

    @delete("/{upload_id:str}", operation_id="terminateUpload", status_code=204)
    async def terminate(self, request: Request, upload_id: FromPath[str]) -> Response[None]:
        """tus termination: the upload and its bytes are gone."""
        return await _terminate(request, upload_id)

    @post("/{upload_id:str}", operation_id="overrideUpload", request_max_body_size=None, status_code=204)
    async def overridden(self, request: Request, upload_id: FromPath[str]) -> Response[None]:
        """PATCH or DELETE sent as POST with X-HTTP-Method-Override (tus core; for proxies that drop PATCH)."""
        method = request.headers.get("x-http-method-override", "").strip().upper()
        if method == "PATCH":
            return await _append(request, upload_id)
        if method == "DELETE":
            return await _terminate(request, upload_id)
        raise TusError(405, "Send a chunk with PATCH (or POST with X-HTTP-Method-Override: PATCH).", {"Allow": "HEAD, PATCH, DELETE"})


async def _append(request: Request, upload_id: str) -> Response[None]:
    _require_tus(request)
    if not _has_body(request):
        raise TusError(415, f"A PATCH must have Content-Type {OFFSET_CONTENT_TYPE}.")
    row = await services.write_chunk(
        viewer_of(request).id, upload_id, parse_offset(request.headers.get("upload-offset")), _body(request),
        announced=_content_length(request), checksum=parse_checksum(request.headers.get("upload-checksum")),
    )
    return Response(None, status_code=204, headers=_state_headers(row))


async def _terminate(request: Request, upload_id: str) -> Response[None]:
    _require_tus(request)
    await services.terminate_upload(viewer_of(request).id, upload_id)
    return Response(None, status_code=204, headers=base_headers())
