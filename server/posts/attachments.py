"""A post's photos and videos: sniffing uploads, keeping originals, media JSON, removing files."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from litestar.exceptions import ValidationException

import media
from server.db import fetch
from server.lib.text import clean_text
from server.posts.tables import PostMedia
from server.settings import get_settings
from server.storage import get_storage
from server.uploads.services import FinishedUpload, finished_upload

__all__ = [
    "MAX_PHOTOS", "MAX_ALT", "ALREADY_POSTED", "Checked", "check_uploads", "keep_originals", "put_back", "originals_dir",
    "media_by_post", "remove_files", "storage_prefix",
]

log = logging.getLogger(__name__)

MAX_PHOTOS = 20
MAX_ALT = 1000
# Two posts raced for one upload and the other took it (its row goes right after).
ALREADY_POSTED = "This file was already posted."


@dataclass(frozen=True)
class Checked:
    """An upload whose first bytes name a photo or a video, with the alt text it will carry."""

    upload: FinishedUpload
    kind: str  # video | image
    alt: str


def sentence(reason: str) -> str:
    """media's reasons are lower-case fragments; the author reads a sentence."""
    reason = reason.strip().rstrip(".")
    return f"{reason[:1].upper()}{reason[1:]}."


def _named(upload: FinishedUpload, reason: str) -> str:
    return f"{upload.filename}: {sentence(reason)}" if upload.filename else sentence(reason)


async def _sniff(upload: FinishedUpload) -> str:
    """video or image, judged by the bytes alone (never the name or the client's type).

    Only signatures and container structure: the web process never decodes an upload, since a
    crafted file can cost minutes of CPU and gigabytes of memory. The worker probes it in a
    child with time and memory limits, and a file it rejects fails the post in words.
    """
    if upload.size == 0:
        raise ValidationException(_named(upload, media.errors.EMPTY))
    try:
        kind = await asyncio.to_thread(media.kind_of, upload.path)
    except media.MediaError as exc:
        if not upload.path.exists():
            # A racing post moved the file away while media read it.
            raise ValidationException(ALREADY_POSTED) from None
        raise ValidationException(_named(upload, exc.reason)) from None
    except FileNotFoundError:
        raise ValidationException(ALREADY_POSTED) from None
    return kind


async def check_uploads(user_id: int, upload_ids: list[str], alt_texts: list[str]) -> list[Checked]:
    """The uploads of a new post, in order, or a 400 saying what is wrong; nothing is consumed."""
    if len(upload_ids) != len(set(upload_ids)):
        raise ValidationException("The same file was attached twice.")
    if len(upload_ids) > MAX_PHOTOS:
        raise ValidationException(f"A post can have at most {MAX_PHOTOS} photos.")
    if len(alt_texts) > len(upload_ids):
        raise ValidationException("There are more descriptions than files.")
    alts = [clean_text(text, field="description", max_length=MAX_ALT) for text in alt_texts]
    alts += [""] * (len(upload_ids) - len(alt_texts))
    uploads = [await finished_upload(user_id, upload_id) for upload_id in upload_ids]
    kinds = [await _sniff(upload) for upload in uploads]
    if "video" in kinds and len(kinds) > 1:
        raise ValidationException("A post can have one video, or photos, but not several videos or both.")
    return [Checked(upload, kind, alt) for upload, kind, alt in zip(uploads, kinds, alts)]


def originals_dir(post_id: int) -> Path:
    """Where a post's uploaded files are kept until its outputs are final; never served."""
    return get_settings().originals_dir / str(post_id)


def storage_prefix(post_id: int) -> str:
    return f"p/{post_id}/"


def keep_originals(post_id: int, checked: list[Checked]) -> list[str]:
    """Move the uploaded files out of the upload area; their paths relative to the data dir."""
    target = originals_dir(post_id)
    target.mkdir(parents=True, exist_ok=True)
    data_dir = get_settings().data_dir
    kept = []
    for position, item in enumerate(checked):
        # The upload id names it: no client-chosen name ever reaches the file system.
        path = target / f"{position}-{item.upload.id}"
        try:
            # A rename within the data dir: exactly one of two racing posts gets the file.
            shutil.move(item.upload.path, path)
        except FileNotFoundError:
            raise ValidationException(ALREADY_POSTED) from None
        kept.append(str(path.relative_to(data_dir)))
    return kept


def put_back(post_id: int, checked: list[Checked]) -> None:
    """Undo keep_originals after a failed insert, so the uploads stay usable."""
    target = originals_dir(post_id)
    for position, item in enumerate(checked):
        path = target / f"{position}-{item.upload.id}"
        if path.exists():
            shutil.move(path, item.upload.path)
    shutil.rmtree(target, ignore_errors=True)


def _item_out(row: dict, url) -> dict[str, Any]:
    return {
        "id": row["id"], "kind": row["kind"], "width": row["width"], "height": row["height"],
        "duration": row["duration"], "blurhash": row["blurhash"], "alt": row["alt"],
        "poster": url(row["poster"]) if row["poster"] else None,
        "renditions": [
            {"name": r["name"], "url": url(r["key"]), "width": r["width"], "height": r["height"],
             "bitrate": r["bitrate"], "mime": r["mime"]}
            for r in row["renditions"]
        ],
        "variants": [
            {"name": v["name"], "url": url(v["key"]), "width": v["width"], "height": v["height"], "mime": v["mime"]}
            for v in row["variants"]
        ],
        # True while the renditions are the remuxed upload; proper ones replace it shortly.
        "loop": row["loop"], "fast_start": row["fast_start"], "status": row["status"],
    }


# Plain SQL: Piccolo's select of all these columns cost more CPU than running it (one per feed page).
_MEDIA_SQL = (
    'SELECT id, post, kind, status, alt, width, height, duration, blurhash, poster, renditions, variants, "loop", fast_start'
    ' FROM post_media WHERE post IN ({ids}) ORDER BY post, "position"'
)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def media_by_post(post_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The media JSON of many posts in one query, each post's items in their order."""
    if not post_ids:
        return {}
    rows = await fetch(PostMedia, _MEDIA_SQL.format(ids=", ".join(["{}"] * len(post_ids))), *post_ids)
    url = get_storage().url
    out: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        row["renditions"], row["variants"] = _json(row["renditions"]), _json(row["variants"])
        out.setdefault(row["post"], []).append(_item_out(row, url))
    return out


async def remove_files(post_id: int) -> None:
    """Delete a post's outputs and originals (after its rows are gone)."""
    await get_storage().delete_prefix(storage_prefix(post_id))
    await asyncio.to_thread(shutil.rmtree, originals_dir(post_id), True)
