"""Where media outputs live: a small interface (save, open, delete, url) and the local disk behind it.

Callers only hold keys such as `p/12/3f9a…-720p.mp4`; object storage can be added later as
another `Storage` without touching them.
"""

from __future__ import annotations

from functools import lru_cache

from server.settings import get_settings
from server.storage.local import LocalStorage, Storage

__all__ = ["Storage", "LocalStorage", "get_storage", "reset_storage"]


@lru_cache(maxsize=1)
def get_storage() -> Storage:
    return LocalStorage(get_settings().media_dir, url_prefix="/media/")


def reset_storage() -> None:
    """Forget the cached storage (tests change HALLWAY_DATA)."""
    get_storage.cache_clear()
