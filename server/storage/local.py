"""Media outputs on the local disk under HALLWAY_DATA/media."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from pathlib import Path
from typing import BinaryIO, Protocol

__all__ = ["Storage", "LocalStorage", "valid_key"]

# Keys are made by the server (post id, digest, rendition name): anything else is refused,
# so a key can never climb out of the media directory.
_KEY = re.compile(r"^[a-z]/[0-9]+/[A-Za-z0-9][A-Za-z0-9_.-]{0,200}$")


def valid_key(key: str) -> bool:
    return bool(_KEY.match(key)) and ".." not in key


class Storage(Protocol):
    async def save(self, key: str, source: Path) -> None: ...
    def open(self, key: str) -> BinaryIO: ...
    async def delete(self, key: str) -> None: ...
    async def delete_prefix(self, prefix: str) -> None: ...
    def url(self, key: str) -> str: ...


class LocalStorage:
    def __init__(self, root: Path, url_prefix: str) -> None:
        self.root = root
        self.url_prefix = url_prefix

    def path(self, key: str) -> Path:
        if not valid_key(key):
            raise KeyError(key)
        return self.root / key

    async def save(self, key: str, source: Path) -> None:
        """Copy `source` in under `key`; readers never see a half-written file."""
        target = self.path(key)

        def copy() -> None:
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            try:
                shutil.copyfile(source, temporary)
                os.replace(temporary, target)
            except BaseException:
                temporary.unlink(missing_ok=True)  # a full disk leaves no half-written file behind
                raise

        await asyncio.to_thread(copy)

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path(key).unlink, True)

    async def delete_prefix(self, prefix: str) -> None:
        """Remove every key under `prefix` (`p/12/`): a post's whole folder."""
        if not re.fullmatch(r"[a-z]/[0-9]+/", prefix):
            raise KeyError(prefix)
        await asyncio.to_thread(shutil.rmtree, self.root / prefix, True)

    def url(self, key: str) -> str:
        return f"{self.url_prefix}{key}"
