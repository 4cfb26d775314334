"""A PATCH whose body stops arriving, and a disk that fills up while an upload writes."""

from __future__ import annotations

import asyncio
import errno
import os
import time

import pytest

from tests.server.uploads.conftest import TUS, create, part_file, patch

FULL = "The server has run out of storage space. Your upload is kept and carries on once there is room again."


class _StalledBody:
    """A phone that sent its first bytes and went into a tunnel: the connection stays open, nothing more comes."""

    def __init__(self, first: bytes) -> None:
        self.first = first
        self.sent = asyncio.Event()

    async def __aiter__(self):
        yield self.first
        self.sent.set()
        await asyncio.Event().wait()  # forever
        yield b""


async def _resume(client, location: str, data: bytes) -> list[int]:
    """What tus-js-client does: ask for the offset, send the rest, follow a 409's offset; the statuses seen."""
    seen = []
    offset = int((await client.head(location, headers=TUS)).headers["upload-offset"])
    while offset < len(data):
        response = await patch(client, location, offset, data[offset:])
        seen.append(response.status_code)
        assert response.status_code in (204, 409), response.text
        offset = int(response.headers["upload-offset"])
    return seen


async def test_a_resume_from_another_client_takes_over_from_a_stalled_patch(clients, member, settings_env, monkeypatch):
    """The first connection hangs mid-chunk; the phone, back online, resumes at once instead of 423s."""
    from server.uploads import services

    settings_env(HALLWAY_UPLOAD_HANDOVER="0.3")
    # Short, so the old behaviour (wait for the lock, then 423) fails fast instead of slowly.
    monkeypatch.setattr(services, "LOCK_WAIT", 2.0)
    data = os.urandom(100_000)
    first, second = await clients.signed_in(member), await clients.signed_in(member)
    location = await create(first, len(data))
    stalled = _StalledBody(data[:30_000])
    hanging = asyncio.create_task(patch(first, location, 0, stalled))
    await stalled.sent.wait()
    await asyncio.sleep(0.05)

    started = time.monotonic()
    statuses = await _resume(second, location, data)
    assert time.monotonic() - started < 2.0
    # The silent writer kept its 30,000 bytes and handed over; the resume continued from there.
    assert statuses == [409, 204]
    assert part_file(location).read_bytes() == data
    taken = await asyncio.wait_for(hanging, 5)
    assert taken.status_code == 409
    assert taken.json()["detail"] == "A newer request took over this upload at byte 30000."


async def test_a_writer_still_sending_is_not_taken_over(member_client, settings_env, monkeypatch):
    """Two tabs: the one that is really uploading keeps the upload; the other is told to wait (423)."""
    from server.uploads import services

    settings_env(HALLWAY_UPLOAD_HANDOVER="0.3")
    monkeypatch.setattr(services, "LOCK_WAIT", 1.0)
    data = os.urandom(40_000)
    location = await create(member_client, len(data))

    async def trickle():
        for start in range(0, len(data), 2000):  # a piece every 0.1 s: slow, never silent for 0.3 s
            yield data[start:start + 2000]
            await asyncio.sleep(0.1)

    writing = asyncio.create_task(patch(member_client, location, 0, trickle()))
    await asyncio.sleep(0.2)
    busy = await patch(member_client, location, 0, data)
    assert (busy.status_code, busy.headers["retry-after"]) == (423, "1")
    done = await writing
    assert (done.status_code, done.headers["upload-offset"]) == (204, "40000")
    assert part_file(location).read_bytes() == data


async def test_a_patch_silent_for_the_idle_timeout_ends_and_keeps_what_arrived(member_client, settings_env):
    settings_env(HALLWAY_UPLOAD_IDLE_TIMEOUT="0.5")
    data = os.urandom(10_000)
    location = await create(member_client, len(data))
    response = await asyncio.wait_for(patch(member_client, location, 0, _StalledBody(data[:4000])), 5)
    assert (response.status_code, response.headers["upload-offset"]) == (408, "4000")
    assert response.json()["detail"] == (
        "No data arrived for 0.5 seconds; the upload stopped at byte 4000 and resumes from there."
    )
    assert (await member_client.head(location, headers=TUS)).headers["upload-offset"] == "4000"
    assert (await patch(member_client, location, 4000, data[4000:])).status_code == 204
    assert part_file(location).read_bytes() == data


class _Disk:
    """The data dir's free space, as the part file's writes see it: ENOSPC once it is used up."""

    def __init__(self, monkeypatch, free: int | None = None) -> None:
        import aiofiles

        self.free = free
        real = aiofiles.open
        disk = self

        async def opened(*args, **kwargs):
            f = await real(*args, **kwargs)
            write = f.write

            async def limited(data):
                if disk.free is None:
                    return await write(data)
                if disk.free == 0:
                    raise OSError(errno.ENOSPC, "No space left on device")
                taken = min(len(data), disk.free)
                disk.free -= taken
                return await write(bytes(data[:taken]))  # a short write, as a filling disk gives

            f.write = limited
            return f

        monkeypatch.setattr(aiofiles, "open", opened)


async def test_a_full_disk_mid_chunk_is_a_readable_error_and_the_upload_resumes_with_room(member_client, monkeypatch):
    png = _png()
    location = await create(member_client, len(png), **{"Upload-Metadata": "filename cGhvdG8ucG5n"})
    upload_id = location.rsplit("/", 1)[1]
    assert (await patch(member_client, location, 0, png[:100])).status_code == 204
    disk = _Disk(monkeypatch, free=2000)

    full = await patch(member_client, location, 100, png[100:])
    assert full.status_code == 507, (full.status_code, full.text, dict(full.headers))
    assert full.json()["detail"] == FULL
    assert (full.headers["upload-offset"], full.headers["retry-after"]) == ("100", "60")
    # Nothing half-written counts: the offset and the file are where the last good chunk left them,
    # and the unfinished upload cannot become a post.
    assert (await member_client.head(location, headers=TUS)).headers["upload-offset"] == "100"
    assert part_file(location).stat().st_size == 100
    refused = await member_client.post("/api/posts", json={"upload_ids": [upload_id]})
    assert (refused.status_code, refused.json()["detail"]) == (400, "This upload has not finished yet.")
    # Room again: the same chunk goes through and the upload is posted.
    disk.free = None
    resumed = await patch(member_client, location, 100, png[100:])
    assert resumed.status_code == 204, resumed.text
    assert part_file(location).read_bytes() == png
    posted = await member_client.post("/api/posts", json={"upload_ids": [upload_id]})
    assert (posted.status_code, posted.json()["status"]) == (201, "processing"), posted.text


async def test_a_full_disk_when_an_upload_starts_is_a_readable_error(member_client, monkeypatch):
    from pathlib import Path

    from server.uploads.tables import Upload

    def no_room(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "touch", no_room)
    response = await member_client.post("/api/uploads", headers={**TUS, "Upload-Length": "10"})
    assert (response.status_code, response.json()["detail"]) == (507, FULL)
    assert await Upload.count() == 0  # no upload the client cannot address
    monkeypatch.undo()
    assert (await member_client.post("/api/uploads", headers={**TUS, "Upload-Length": "10"})).status_code == 201


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (64, 48), os.urandom(64 * 48 * 3)).save(out, "PNG")  # noise: ~9 KB
    return out.getvalue()
