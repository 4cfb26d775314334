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

import time
import weakref
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
    """A bounded dict of (value, deadline) emptied whenever the engine's content counter moves."""

    def __init__(self, engine: Engine, max_entries: int) -> None:
        self._engine = engine
        self._max = max_entries
        self._version: int | None = None
        self._entries: dict[Hashable, tuple[Any, float, int]] = {}
        self.hits = 0
        self.misses = 0

    def version(self) -> int | None:
        """Read before computing a value, and pass it to put(): a commit in between then
        makes the value stale on arrival rather than cached under the newer counter."""
        version = content_counter(self._engine)
        if version != self._version:
            self._entries.clear()
            self._version = version
        return version

    def get(self, key: Hashable, version: int | None = None) -> Any | None:
        """The value if it was made at `version` (default: now) and its deadline is ahead.

        A request may pass the counter it read when it began: it then sees the data as of its
        start, as if it had run a moment earlier.
        """
        if version is None:
            version = self.version()
        elif version != self._version:
            self._entries.clear()
            self._version = version
        entry = self._entries.get(key)
        if entry is None or entry[2] != version or entry[1] <= clock():
            self.misses += 1
            return None
        self.hits += 1
        return entry[0]

    def put(self, key: Hashable, value: Any, version: int | None, deadline: float) -> None:
        if version is None or version != self.version() or deadline <= clock():
            return
        if len(self._entries) >= self._max:
            # Oldest first (dicts keep insertion order); cheap and good enough for a page cache.
            del self._entries[next(iter(self._entries))]
        self._entries[key] = (value, deadline, version)


def cache_for(engine: Engine, name: str, max_entries: int = 10_000) -> VersionedCache | None:
    """This engine's cache called `name`, or None when the engine has no content counter."""
    if not hasattr(engine, "content_version") or not get_settings().caches:
        return None
    named = _caches.setdefault(engine, {})
    if name not in named:
        named[name] = VersionedCache(engine, max_entries)
    return named[name]
