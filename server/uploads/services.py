"""What the uploads domain does: create, append to, finish, hand over and clean up uploads."""

from __future__ import annotations

import asyncio
import errno
import fcntl
import json
import os
import re
import secrets
import time
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import aiofiles
from litestar.exceptions import ValidationException

from server.db import is_postgres
from server.settings import get_settings
from server.uploads import handover
from server.uploads.tables import Upload
from server.uploads.tus import CHECKSUM_ALGORITHMS, CHECKSUM_MISMATCH, TusError

__all__ = [
    "FinishedUpload", "ClientGone", "create_upload", "get_upload", "write_chunk", "terminate_upload",
    "remove_expired", "finished_upload", "discard_upload", "part_path",
]

# How long a PATCH waits for another PATCH of the same upload (a silent one hands over sooner) before a 423.
LOCK_WAIT = 10.0
_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")
_UNKNOWN = "This upload does not exist."
_LOST = "This upload's data was lost on the server; please start again."
_BUSY = "Another request is still writing to this upload; try again shortly."
_FULL = "The server has run out of storage space. Your upload is kept and carries on once there is room again."
# One lock per upload id while someone holds it; the weak map forgets idle ones.
_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()


@dataclass(frozen=True)
class FinishedUpload:
    """A complete upload, ready to be moved into storage by the posts domain."""

    id: str
    path: Path
    size: int
    filename: str
    filetype: str


class ClientGone(Exception):
    """The client's connection ended before the request body did."""


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _expiry() -> datetime:
    return _now() + timedelta(hours=get_settings().upload_expiry_hours)


def part_path(upload_id: str) -> Path:
    return get_settings().uploads_dir / f"{upload_id}.part"


async def _live_row(upload_id: str, owner_id: int | None = None) -> dict | None:
    """The upload's row if it exists, has not expired and (when given) belongs to owner_id."""
    if not _ID.match(upload_id):
        return None
    query = Upload.select().where((Upload.id == upload_id) & (Upload.expires_at > _now()))
    if owner_id is not None:
        query = query.where(Upload.owner == owner_id)
    return await query.first()


async def get_upload(owner_id: int, upload_id: str) -> dict:
    """The owner's live upload; anyone else's, or an expired one, is a 404 that reveals nothing."""
    row = await _live_row(upload_id, owner_id)
    if row is None:
        raise TusError(404, _UNKNOWN)
    return row


async def create_upload(owner_id: int, length: int, metadata: dict[str, str]) -> dict:
    """A new upload of `length` bytes; an empty one is finished at once."""
    settings = get_settings()
    # Cleanup runs here rather than as a periodic job: uploads only pile up when people upload.
    await remove_expired()
    upload_id = secrets.token_urlsafe(32)
    # Count and insert in one transaction, serialised per owner, so two racing creations cannot both
    # take the last free place (SQLite's write transactions are serial; PostgreSQL locks the user row).
    async with Upload._meta.db.transaction():
        if is_postgres(Upload._meta.db):
            await Upload.raw("SELECT id FROM users WHERE id = {} FOR UPDATE", owner_id)
        live = await Upload.count().where((Upload.owner == owner_id) & (Upload.expires_at > _now()))
        if live >= settings.upload_quota:
            raise TusError(
                429,
                f"You already have {live} uploads waiting; post or cancel some before starting another "
                f"(the limit is {settings.upload_quota}).",
            )
        row = Upload(
            id=upload_id, owner=owner_id, length=length, offset=0, metadata=json.dumps(metadata),
            expires_at=_expiry(), finished_at=_now() if length == 0 else None,
        )
        await Upload.insert(row)
    try:
        settings.uploads_dir.mkdir(parents=True, exist_ok=True)
        part_path(upload_id).touch()
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        await Upload.delete().where(Upload.id == upload_id)
        raise _disk_full() from None
    return await _live_row(upload_id)


async def write_chunk(
    owner_id: int, upload_id: str, offset: int, body: AsyncIterator[bytes],
    *, announced: int | None, checksum: tuple[str, bytes] | None,
) -> dict:
    """Append one PATCH body at `offset` and commit what reached the disk; returns the new row."""
    # Only the owner may write, and so only the owner can ask a silent writer to hand over.
    await get_upload(owner_id, upload_id)
    deadline = time.monotonic() + LOCK_WAIT
    lock = _locks.setdefault(upload_id, asyncio.Lock())
    if lock.locked():
        handover.ask(upload_id)
    try:
        await asyncio.wait_for(lock.acquire(), LOCK_WAIT)
    except asyncio.TimeoutError:
        raise TusError(423, _BUSY, {"Retry-After": "1"}) from None
    try:
        return await _write_locked(owner_id, upload_id, offset, body, announced, checksum, deadline)
    finally:
        lock.release()


async def _file_lock(fileno: int, upload_id: str, deadline: float) -> None:
    """The OS lock on the part file, across processes; it dies with its process, so a crash leaves none."""
    while True:
        try:
            fcntl.flock(fileno, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise TusError(423, _BUSY, {"Retry-After": "1"}) from None
            handover.ask(upload_id)  # a writer in another web process
            await asyncio.sleep(0.1)


async def _write_all(out, data: bytes) -> None:
    """Unbuffered writes may be short (a disk filling up): write the rest until done or an error."""
    view = memoryview(data)
    while view:
        view = view[await out.write(view):]


def _disk_full(offset: int | None = None) -> TusError:
    # 507 Insufficient Storage (RFC 4918): the client retries (tus-js-client does on 5xx) once there is room.
    return TusError(507, _FULL, {"Retry-After": "60", **({"Upload-Offset": str(offset)} if offset is not None else {})})


async def _write_locked(owner_id, upload_id, offset, body, announced, checksum, deadline) -> dict:
    row = await get_upload(owner_id, upload_id)
    if offset != row["offset"]:
        raise TusError(
            409, f"This upload is at byte {row['offset']}, not {offset}; resume from there.",
            {"Upload-Offset": str(row["offset"])},
        )
    length = row["length"]
    if announced is not None and offset + announced > length:
        raise TusError(413, f"This chunk goes past the end of the upload ({length} bytes).")
    hasher = CHECKSUM_ALGORITHMS[checksum[0]]() if checksum else None
    written = 0
    stopped: handover.Stopped | None = None
    try:
        # r+b, not ab: a file removed meanwhile (termination, a post taking it) must not be recreated.
        # Unbuffered, so a full disk fails the write that hit it, not a later flush or close.
        out = await aiofiles.open(part_path(upload_id), "r+b", buffering=0)
    except FileNotFoundError:
        raise TusError(410, _LOST) from None
    try:
        await _file_lock(out.fileno(), upload_id, deadline)
        handover.clear(upload_id)
        if os.fstat(out.fileno()).st_size < offset:
            raise TusError(410, _LOST)
        # Bytes past the committed offset are from a writer that died before committing.
        await out.truncate(offset)
        await out.seek(offset)
        try:
            async for data in handover.pieces(body, upload_id):
                if offset + written + len(data) > length:
                    await out.truncate(offset)
                    raise TusError(413, f"This chunk goes past the end of the upload ({length} bytes).")
                await _write_all(out, data)
                written += len(data)
                if hasher:
                    hasher.update(data)
        except (ClientGone, handover.Stopped) as exc:
            stopped = exc if isinstance(exc, handover.Stopped) else None
            if hasher:
                # A partial chunk cannot be checked against its checksum, so none of it counts.
                await out.truncate(offset)
                written = 0
                if stopped is None:
                    return row
        if hasher and not stopped and hasher.digest() != checksum[1]:
            await out.truncate(offset)
            raise TusError(CHECKSUM_MISMATCH, "The checksum of this chunk does not match; it was discarded.")
        await asyncio.to_thread(os.fsync, out.fileno())
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        # Nothing of this chunk counts: the client sends it again once there is room.
        await asyncio.to_thread(os.ftruncate, out.fileno(), offset)
        raise _disk_full(offset) from None
    finally:
        await out.close()
    row = await _commit(row, offset + written)
    if isinstance(stopped, handover.Stalled):
        raise TusError(408, (
            f"No data arrived for {get_settings().upload_idle_timeout:g} seconds; the upload stopped at byte "
            f"{row['offset']} and resumes from there."
        ), {"Upload-Offset": str(row["offset"])})
    if isinstance(stopped, handover.TakenOver):
        raise TusError(409, f"A newer request took over this upload at byte {row['offset']}.",
                       {"Upload-Offset": str(row["offset"])})
    return row


async def _commit(row: dict, new_offset: int) -> dict:
    """Move the offset with a conditional UPDATE, so two processes can never both commit one range."""
    done = new_offset == row["length"]
    values = {Upload.offset: new_offset, Upload.expires_at: _expiry()}
    if done:
        values[Upload.finished_at] = _now()
    moved = await (
        Upload.update(values)
        .where((Upload.id == row["id"]) & (Upload.offset == row["offset"]))
        .returning(*Upload.all_columns())
    )
    if not moved:
        if not await Upload.exists().where(Upload.id == row["id"]):
            # Terminated or swept while this chunk streamed in: its file goes with it.
            await asyncio.to_thread(part_path(row["id"]).unlink, missing_ok=True)
            raise TusError(404, _UNKNOWN)
        raise TusError(409, "This upload was changed by another request; ask for its offset and resume.")
    return moved[0]


async def terminate_upload(owner_id: int, upload_id: str) -> None:
    await get_upload(owner_id, upload_id)
    await discard_upload(upload_id)


async def remove_expired() -> int:
    """Delete expired uploads and their files; returns how many went."""
    rows = await Upload.select(Upload.id).where(Upload.expires_at <= _now())
    for row in rows:
        await discard_upload(row["id"])
    return len(rows)


async def finished_upload(user_id: int, upload_id: str) -> FinishedUpload:
    """The user's finished upload, or a ValidationException saying why it cannot be used."""
    row = await _live_row(upload_id, user_id)
    if row is None:
        raise ValidationException(_UNKNOWN)
    if row["finished_at"] is None:
        raise ValidationException("This upload has not finished yet.")
    if row["length"] == 0:
        # Accepted by tus (any client may create it), refused here: there is nothing to post.
        raise ValidationException("This file is empty.")
    meta = row["metadata"]
    meta = json.loads(meta) if isinstance(meta, str) else meta
    return FinishedUpload(
        id=row["id"], path=part_path(row["id"]), size=row["length"],
        filename=meta.get("filename", ""), filetype=meta.get("filetype", ""),
    )


async def discard_upload(upload_id: str) -> None:
    """Remove the upload's file and row; safe to call twice."""
    if not _ID.match(upload_id):
        return
    # File first: a crash in between leaves a row that expires, never an orphan file.
    await asyncio.to_thread(part_path(upload_id).unlink, missing_ok=True)
    await asyncio.to_thread(handover.clear, upload_id)
    await Upload.delete().where(Upload.id == upload_id)
