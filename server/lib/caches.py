"""Per-process caches that are right by construction: an entry lives until the content changes.

Each cache belongs to one engine and remembers the engine's content counter
(`db.content_counter`: a number that triggers bump in the same transaction as every write to a
table whose rows can change a cached answer, see server/content_counter/triggers.py). Reading an entry
first compares the counter; such a commit anywhere, by any process, empties the cache, while
views, jobs, uploads and push bookkeeping do not. Entries also carry their own deadline for
what changes with the clock alone (a pin's end date, a session's expiry). On PostgreSQL there
is no such cheap counter, so there is no cache: `cache_for` returns None and callers read
the database each time (as they do everywhere with HALLWAY_CACHE=0).
"""

from __future__ import annotations

import dataclasses
import sys
import time
import weakref
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from piccolo.engine.base import Engine

from server.db import content_counter
from server.settings import get_settings

__all__ = ["VersionedCache", "cache_for", "clock", "SCOPE_KEY"]

# Where SessionMiddleware leaves the content counter it read, so one request reads it once.
SCOPE_KEY = "hallway.content_version"

_caches: weakref.WeakKeyDictionary[Engine, dict[str, VersionedCache]] = weakref.WeakKeyDictionary()


def clock() -> float:
    """Seconds since the epoch (a function, so tests can move time without waiting)."""
    return time.time()


class VersionedCache:
    """An LRU of (value, deadline) bounded in bytes, emptied whenever the engine's content counter moves.

    Bytes, not entries: one member asking for thousands of distinct pages (each feed filter,
    author and cursor is a key of its own) must not grow the process without end.
    """

    def __init__(self, engine: Engine, max_bytes: int) -> None:
        self._engine = engine
        self.max_bytes = max_bytes
        self.bytes = 0
        self._version: int | None = None
        self._entries: OrderedDict[Hashable, tuple[Any, float, int, int]] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _clear(self, version: int | None) -> None:
        self._entries.clear()
        self.bytes = 0
        self._version = version

    def version(self) -> int | None:
        """Read before computing a value, and pass it to put(): a commit in between then
        makes the value stale on arrival rather than cached under the newer counter."""
        version = content_counter(self._engine)
        if version != self._version:
            self._clear(version)
        return version

    def get(self, key: Hashable, version: int | None = None) -> Any | None:
        """The value if it was made at `version` (default: now) and its deadline is ahead.

        A request may pass the counter it read when it began: it then sees the data as of its
        start, as if it had run a moment earlier.
        """
        if version is None:
            version = self.version()
        elif version != self._version:
            self._clear(version)
        entry = self._entries.get(key)
        if entry is None or entry[2] != version or entry[1] <= clock():
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return entry[0]

    def put(self, key: Hashable, value: Any, version: int | None, deadline: float) -> None:
        if version is None or version != self.version() or deadline <= clock():
            return
        size = size_of(key) + size_of(value)
        if size > self.max_bytes:
            return  # one value larger than the whole cache is served, never kept
        if key in self._entries:
            self.bytes -= self._entries.pop(key)[3]
        while self.bytes + size > self.max_bytes:
            self.bytes -= self._entries.popitem(last=False)[1][3]  # least recently used first
        self._entries[key] = (value, deadline, version, size)
        self.bytes += size


def size_of(value: Any) -> int:
    """Roughly the bytes a key or value holds: its text and bytes, plus Python's per-object cost."""
    if isinstance(value, (bytes, str)):
        return sys.getsizeof(value)
    if isinstance(value, (tuple, list, frozenset, set)):
        return sys.getsizeof(value) + sum(size_of(item) for item in value)
    if dataclasses.is_dataclass(value):  # the Viewer
        return sys.getsizeof(value) + sum(size_of(getattr(value, f.name)) for f in dataclasses.fields(value))
    return sys.getsizeof(value)


def cache_for(engine: Engine, name: str) -> VersionedCache | None:
    """This engine's cache called `name`, or None when the engine has no content counter."""
    settings = get_settings()
    if not hasattr(engine, "content_version") or not settings.caches:
        return None
    named = _caches.setdefault(engine, {})
    if name not in named:
        named[name] = VersionedCache(engine, settings.cache_mb * 1024 * 1024)
    return named[name]
