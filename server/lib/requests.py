"""The app's Request: Litestar's, with a JSON body nested too deeply refused as the client's mistake."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException

__all__ = ["HallwayRequest"]


class HallwayRequest(Request):
    async def json(self) -> Any:
        # msgspec decodes a body whole before it meets the handler's schema, and a few thousand
        # nested brackets reach the interpreter's recursion limit; Litestar lets that through as a 500.
        try:
            return await super().json()
        except RecursionError:
            raise ClientException("The request body is nested too deeply to be read.") from None
