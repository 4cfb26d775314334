"""process-post: make a post's media feed-ready, publish it, then swap in the proper renditions.

A video that is already H.264/AAC is remuxed with +faststart and published within seconds; any
other large enough video (HEVC, VP9, 10-bit) gets one quick light rendition first (media decides,
`fast_start=True` either way). The full transcode follows and replaces it. Safe to run twice: finished items are skipped.
A file media rejects ends the job at once (Permanent); crashes are retried; either way
`gave_up` tells the author.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import media
from server.jobs.registry import Permanent, job
from server.posts import states
from server.posts.attachments import originals_dir, sentence
from server.posts.tables import Post, PostMedia
from server.settings import get_settings
from server.storage import get_storage

__all__ = ["process_post", "gave_up", "GAVE_UP"]

log = logging.getLogger(__name__)

GAVE_UP = "We could not process this file. Please try again."
READY, FAILED = "ready", "failed"


@job(timeout=1800, tries=4, backoff=15)
async def process_post(payload: dict[str, Any]) -> None:
    post_id = int(payload["post_id"])
    post = await Post.select(Post.kind, Post.status, Post.publish_at).where(Post.id == post_id).first()
    # Scheduled: an announcement whose fast start went out before its time; its renditions are still owed.
    if post is None or post["status"] not in (states.PROCESSING, states.PUBLISHED, states.SCHEDULED):
        return  # deleted, or failed meanwhile: nothing left to do
    items = await PostMedia.select().where(PostMedia.post == post_id).order_by(PostMedia.position).output(load_json=True)
    for number, item in enumerate(items, start=1):
        try:
            if item["kind"] == "video":
                await _video(post_id, post["status"] == states.PROCESSING and not _later(post["publish_at"]), item)
            elif item["status"] != READY:
                await _store(post_id, item, *await _run(item, fast_start=False))
        except media.MediaError as exc:
            reason = sentence(exc.reason) if post["kind"] == "video" else f"Photo {number}: {sentence(exc.reason)}"
            # The post fails in gave_up, once the worker has closed this job: a Retry clicked the
            # moment the author sees "failed" must find no live job holding the unique key.
            await _failed(item["id"], reason)
            raise Permanent(reason) from None
    await states.publish(post_id)
    await _drop_originals(post_id)


def _later(publish_at: datetime | None) -> bool:
    return publish_at is not None and publish_at > datetime.now(timezone.utc)


async def _video(post_id: int, fast_start: bool, item: dict) -> None:
    """Fast start (remux or quick rendition) first when the post is waiting to be seen now, then the full transcode."""
    if item["status"] == READY and not item["fast_start"]:
        return
    if fast_start and item["status"] != READY:
        try:
            manifest, work = await _run(item, fast_start=True)
        except media.NotEligible:
            pass
        else:
            item = await _store(post_id, item, manifest, work)
            await states.publish(post_id)
    await _store(post_id, item, *await _run(item, fast_start=False))


async def _run(item: dict, fast_start: bool) -> tuple[dict, Path]:
    """media in a child process, off the event loop, into a work dir of this item."""
    settings = get_settings()
    work = settings.data_dir / "work" / f"m{item['id']}-{'fast' if fast_start else 'full'}"
    # A killed worker's half-made outputs: the retry starts clean.
    await asyncio.to_thread(shutil.rmtree, work, True)
    manifest = await asyncio.to_thread(
        media.process_isolated, settings.data_dir / item["original"], work, media.Limits.from_env(), fast_start
    )
    return manifest, work


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()[:16]


async def _put(post_id: int, path: Path, name: str) -> str:
    """Save one output under a content-addressed key, so it can be cached as immutable."""
    key = f"p/{post_id}/{await asyncio.to_thread(_digest, path)}-{name}"
    await get_storage().save(key, path)
    return key


def _keys(item: dict) -> set[str]:
    return {e["key"] for e in item["renditions"] + item["variants"]} | ({item["poster"]} if item["poster"] else set())


async def _store(post_id: int, item: dict, manifest: dict, work: Path) -> dict:
    """Store a manifest's files and swap them into the row; the outputs they replace are deleted."""
    try:
        entries = {}
        for field, suffix in (("renditions", "mp4"), ("variants", "webp")):
            entries[field] = [
                {"name": e["name"], "key": await _put(post_id, work / e["file"], f"{e['name']}.{suffix}"),
                 "width": e["width"], "height": e["height"], "size": e["size"], "bitrate": e.get("bitrate", 0),
                 "mime": e["mime"]}
                for e in manifest[field]
            ]
        poster = await _put(post_id, work / manifest["poster"]["file"], "poster.webp") if manifest["poster"] else ""
    finally:
        await asyncio.to_thread(shutil.rmtree, work, True)
    values = {
        "status": READY, "width": manifest["width"], "height": manifest["height"], "duration": manifest["duration"],
        "blurhash": manifest["blurhash"], "poster": poster, "loop": manifest["loop"],
        "fast_start": manifest["fast_start"], "error": "", **entries,
    }
    swapped = await PostMedia.update({getattr(PostMedia, k): v for k, v in values.items()}).where(
        PostMedia.id == item["id"]
    ).returning(PostMedia.id)
    new = {**item, **values}
    # The post was deleted meanwhile: what was just stored belongs to nobody.
    stale = _keys(new) if not swapped else _keys(item) - _keys(new)
    for key in stale:
        await get_storage().delete(key)
    return new


async def _failed(media_id: int, reason: str) -> None:
    # A fast-start copy already playing stays; the item fails only if it never became ready.
    await PostMedia.update({PostMedia.error: reason}).where(PostMedia.id == media_id)
    await PostMedia.update({PostMedia.status: FAILED}).where((PostMedia.id == media_id) & (PostMedia.status != READY))


async def _drop_originals(post_id: int) -> None:
    """Once every item has its final outputs, the uploaded files are no longer needed."""
    unfinished = await PostMedia.exists().where(
        (PostMedia.post == post_id) & ((PostMedia.status != READY) | (PostMedia.fast_start == True))  # noqa: E712
    )
    if unfinished:
        return
    await PostMedia.update({PostMedia.original: ""}).where(PostMedia.post == post_id)
    await asyncio.to_thread(shutil.rmtree, originals_dir(post_id), True)


async def gave_up(payload: dict[str, Any], error: str) -> None:
    """The job is over without success: the post fails with media's reason, or in general words after crashes."""
    post_id = int(payload["post_id"])
    rejected = await PostMedia.select(PostMedia.error).where(
        (PostMedia.post == post_id) & (PostMedia.error != "")
    ).order_by(PostMedia.position).first()
    reason = rejected["error"] if rejected else GAVE_UP
    # A post already playing its fast-start copy stays published (fail only changes a processing post).
    if await states.fail(post_id, reason) and not rejected:
        await PostMedia.update({PostMedia.status: FAILED, PostMedia.error: GAVE_UP}).where(
            (PostMedia.post == post_id) & (PostMedia.status != READY)
        )
    if not rejected:
        log.warning("process-post gave up", extra={"post_id": post_id, "error": error[-500:]})
