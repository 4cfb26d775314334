"""process-post: make a post's media feed-ready, publish it, then swap in the proper renditions.

A video that is already H.264/AAC is remuxed with +faststart and published within seconds; any
other large enough video (HEVC, VP9, 10-bit) gets one quick light rendition first (media decides,
`fast_start=True` either way). The full transcode follows and replaces it. Safe to run twice: finished items are skipped.
A file media rejects ends the job at once (Permanent); crashes are retried; either way
`gave_up` tells the author. A post deleted meanwhile stops the job at its next write, which
only ever touches the post it was queued for (posts/fence.py).
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
from server.posts import fence, states
from server.posts.attachments import originals_dir, sentence
from server.posts.tables import Post, PostMedia
from server.settings import get_settings
from server.storage import get_storage

__all__ = ["process_post", "gave_up", "GAVE_UP"]

log = logging.getLogger(__name__)

GAVE_UP = "We could not process this file. Please try again."
READY, FAILED = "ready", "failed"


class _Gone(Exception):
    """The job's post was deleted meanwhile (posts/fence.py): stop, nothing of it is kept."""


@job(timeout=1800, tries=4, backoff=15)
async def process_post(payload: dict[str, Any]) -> None:
    post_id = int(payload["post_id"])
    post = await Post.select(Post.kind, Post.status, Post.publish_at).where(fence.post_where(payload)).first()
    # Scheduled: an announcement whose fast start went out before its time; its renditions are still owed.
    if post is None or post["status"] not in (states.PROCESSING, states.PUBLISHED, states.SCHEDULED):
        return  # deleted, or failed meanwhile: nothing left to do
    items = await PostMedia.select().where(PostMedia.post == post_id).order_by(PostMedia.position).output(load_json=True)
    try:
        for number, item in enumerate(items, start=1):
            try:
                if item["kind"] == "video":
                    await _video(payload, post["status"] == states.PROCESSING and not _later(post["publish_at"]), item)
                elif item["status"] != READY:
                    await _store(payload, item, *await _run(item, fast_start=False))
            except media.MediaError as exc:
                reason = sentence(exc.reason) if post["kind"] == "video" else f"Photo {number}: {sentence(exc.reason)}"
                # The post fails in gave_up, once the worker has closed this job: a Retry clicked the
                # moment the author sees "failed" must find no live job holding the unique key.
                await _failed(payload, item["id"], reason)
                raise Permanent(reason) from None
        await states.publish(post_id, created_at=fence.created_at(payload))
        await _drop_originals(payload)
    except _Gone:
        return


def _later(publish_at: datetime | None) -> bool:
    return publish_at is not None and publish_at > datetime.now(timezone.utc)


async def _video(payload: dict[str, Any], fast_start: bool, item: dict) -> None:
    """Fast start (remux or quick rendition) first when the post is waiting to be seen now, then the full transcode."""
    if item["status"] == READY and not item["fast_start"]:
        return
    if fast_start and item["status"] != READY:
        try:
            manifest, work = await _run(item, fast_start=True)
        except media.NotEligible:
            pass
        else:
            item = await _store(payload, item, manifest, work)
            await states.publish(int(payload["post_id"]), created_at=fence.created_at(payload))
    await _store(payload, item, *await _run(item, fast_start=False))


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


async def _store(payload: dict[str, Any], item: dict, manifest: dict, work: Path) -> dict:
    """Store a manifest's files and swap them into the row; the outputs they replace are deleted."""
    post_id = int(payload["post_id"])
    saved: list[str] = []

    async def put(path: Path, name: str) -> str:
        saved.append(await _put(post_id, path, name))
        return saved[-1]

    try:
        entries = {}
        for field, suffix in (("renditions", "mp4"), ("variants", "webp")):
            entries[field] = [
                {"name": e["name"], "key": await put(work / e["file"], f"{e['name']}.{suffix}"),
                 "width": e["width"], "height": e["height"], "size": e["size"], "bitrate": e.get("bitrate", 0),
                 "mime": e["mime"]}
                for e in manifest[field]
            ]
        poster = await put(work / manifest["poster"]["file"], "poster.webp") if manifest["poster"] else ""
    except OSError as exc:
        # Half a set of outputs is no use to anyone: those already stored go too (not the row's live ones).
        for key in set(saved) - _keys(item):
            await get_storage().delete(key)
        if media.out_of_space(exc):
            raise media.OutOfSpace() from None
        raise
    finally:
        await asyncio.to_thread(shutil.rmtree, work, True)
    values = {
        "status": READY, "width": manifest["width"], "height": manifest["height"], "duration": manifest["duration"],
        "blurhash": manifest["blurhash"], "poster": poster, "loop": manifest["loop"],
        "fast_start": manifest["fast_start"], "error": "", **entries,
    }
    swapped = await PostMedia.update({getattr(PostMedia, k): v for k, v in values.items()}).where(
        (PostMedia.id == item["id"]) & fence.media_where(payload)
    ).returning(PostMedia.id)
    new = {**item, **values}
    # The post was deleted meanwhile: what was just stored belongs to nobody.
    stale = _keys(new) if not swapped else _keys(item) - _keys(new)
    for key in stale:
        await get_storage().delete(key)
    if not swapped:
        raise _Gone
    return new


async def _failed(payload: dict[str, Any], media_id: int, reason: str) -> None:
    # A fast-start copy already playing stays; the item fails only if it never became ready.
    this = (PostMedia.id == media_id) & fence.media_where(payload)
    await PostMedia.update({PostMedia.error: reason}).where(this)
    await PostMedia.update({PostMedia.status: FAILED}).where(this & (PostMedia.status != READY))


async def _drop_originals(payload: dict[str, Any]) -> None:
    """Once every item has its final outputs, the uploaded files are no longer needed."""
    post_id = int(payload["post_id"])
    if not await fence.holds(payload):
        return  # deleted meanwhile: delete_post removed them
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
        fence.media_where(payload) & (PostMedia.error != "")
    ).order_by(PostMedia.position).first()
    reason = rejected["error"] if rejected else GAVE_UP
    # A post already playing its fast-start copy stays published (fail only changes a processing post).
    if await states.fail(post_id, reason, created_at=fence.created_at(payload)) and not rejected:
        await PostMedia.update({PostMedia.status: FAILED, PostMedia.error: GAVE_UP}).where(
            fence.media_where(payload) & (PostMedia.status != READY)
        )
    if not rejected:
        log.warning("process-post gave up", extra={"post_id": post_id, "error": error[-500:]})
