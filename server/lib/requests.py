"""The app's Request: Litestar's, with JSON bodies no route could use refused as the client's mistake."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request
from litestar.exceptions import ClientException

__all__ = ["HallwayRequest"]

# JSON carries U+0000 only as the escape \u0000, after an even run of other backslashes (an odd run
# would make it the text "\u0000"). PostgreSQL cannot store it, and no text a person types holds one.
_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class HallwayRequest(Request):
    async def json(self) -> Any:
        if _NUL.search(await self.body()):
            raise ClientException("Text in this request contains control characters (NUL, \\u0000); please remove them.")
        # msgspec decodes a body whole before it meets the handler's schema, and a few thousand
        # nested brackets reach the interpreter's recursion limit; Litestar lets that through as a 500.
        try:
            return await super().json()
        except RecursionError:
            raise ClientException("The request body is nested too deeply to be read.") from None
