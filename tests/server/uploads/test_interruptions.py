"""Uploads that get cut off, resumed from another session, or written to twice at once."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import os

from tests.server.uploads.conftest import OCTETS, TUS, create, part_file, patch, raw_request, sha256_header


def _chunks(*parts: bytes, then: dict | BaseException | None = None) -> list:
    events: list = [{"type": "http.request", "body": p, "more_body": True} for p in parts]
    events.append(then or {"type": "http.disconnect"})
    return events


def _patch_headers(offset: int, length: int, **extra: str) -> dict[str, str]:
    return {**TUS, "Content-Type": OCTETS, "Upload-Offset": str(offset), "Content-Length": str(length), **extra}


async def test_a_cut_connection_keeps_the_bytes_that_arrived(app, member_client):
    data = os.urandom(6000)
    location = await create(member_client, len(data))
    # The phone enters a tunnel after 2,500 of the 6,000 bytes it announced.
    await raw_request(app, member_client, "PATCH", location, _patch_headers(0, 6000), _chunks(data[:1000], data[1000:2500]))
    head = await member_client.head(location, headers=TUS)
    assert head.headers["upload-offset"] == "2500"
    assert part_file(location).read_bytes() == data[:2500]
    resumed = await patch(member_client, location, 2500, data[2500:])
    assert resumed.status_code == 204 and resumed.headers["upload-offset"] == "6000"
    assert part_file(location).read_bytes() == data


async def test_a_cut_connection_with_a_checksum_keeps_nothing_of_that_chunk(app, member_client):
    data = os.urandom(4000)
    location = await create(member_client, len(data))
    assert (await patch(member_client, location, 0, data[:1000])).status_code == 204
    headers = _patch_headers(1000, 3000, **{"Upload-Checksum": sha256_header(data[1000:])})
    await raw_request(app, member_client, "PATCH", location, headers, _chunks(data[1000:2000]))
    # Half a chunk cannot be checked against the chunk's checksum, so none of it counts.
    assert (await member_client.head(location, headers=TUS)).headers["upload-offset"] == "1000"
    assert part_file(location).read_bytes() == data[:1000]
    again = await patch(member_client, location, 1000, data[1000:], **{"Upload-Checksum": sha256_header(data[1000:])})
    assert again.status_code == 204
    assert part_file(location).read_bytes() == data


async def test_a_server_side_failure_mid_chunk_commits_nothing_and_resuming_works(app, member_client):
    data = os.urandom(3000)
    location = await create(member_client, len(data))
    # Not a clean disconnect: the ASGI server itself fails while the body streams in.
    status, _ = await raw_request(
        app, member_client, "PATCH", location, _patch_headers(0, 3000), _chunks(data[:1200], then=OSError("socket broke")),
    )
    assert status == 500
    assert (await member_client.head(location, headers=TUS)).headers["upload-offset"] == "0"
    # The 1,200 uncommitted bytes on disk are cut away by the next PATCH at the committed offset.
    assert (await patch(member_client, location, 0, data)).status_code == 204
    assert part_file(location).read_bytes() == data


async def test_an_interrupted_upload_is_finished_by_a_second_client(app, clients, member):
    """The app was closed mid-upload; reopened (a new session), it asks for the offset and carries on."""
    data = os.urandom(256 * 1024)
    first = await clients.signed_in(member)
    response = await first.post("/api/uploads", headers={**TUS, "Upload-Length": str(len(data))})
    location = response.headers["location"]
    await raw_request(app, first, "PATCH", location, _patch_headers(0, 128 * 1024), _chunks(data[:50_000], data[50_000:90_000]))

    second = await clients.signed_in(member)
    offset = int((await second.head(location, headers=TUS)).headers["upload-offset"])
    assert offset == 90_000
    chunk = 64 * 1024
    while offset < len(data):
        piece = data[offset:offset + chunk]
        response = await patch(second, location, offset, piece, **{"Upload-Checksum": sha256_header(piece)})
        assert response.status_code == 204, response.text
        offset = int(response.headers["upload-offset"])
    assert hashlib.sha256(part_file(location).read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()


class _SlowBody:
    """A request body that stops after its first piece until released."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.started = asyncio.Event()
        self.release = asyncio.Event()

    async def __aiter__(self):
        yield self.data[:100]
        self.started.set()
        await self.release.wait()
        yield self.data[100:]


async def test_concurrent_patches_to_one_upload_are_serialised(member_client):
    data, other = os.urandom(1000), os.urandom(1000)
    location = await create(member_client, 1000)
    slow = _SlowBody(data)
    first = asyncio.create_task(patch(member_client, location, 0, slow))
    await slow.started.wait()
    second = asyncio.create_task(patch(member_client, location, 0, other))
    await asyncio.sleep(0.05)
    assert not second.done()  # waiting for the first to finish, not writing alongside it
    slow.release.set()
    won, lost = await first, await second
    assert won.status_code == 204 and won.headers["upload-offset"] == "1000"
    assert lost.status_code == 409 and lost.headers["upload-offset"] == "1000"
    assert part_file(location).read_bytes() == data


async def test_a_patch_that_waits_too_long_for_the_lock_is_423(member_client, monkeypatch):
    from server.uploads import services

    monkeypatch.setattr(services, "LOCK_WAIT", 0.05)
    data = os.urandom(1000)
    location = await create(member_client, 1000)
    slow = _SlowBody(data)
    first = asyncio.create_task(patch(member_client, location, 0, slow))
    await slow.started.wait()
    busy = await patch(member_client, location, 0, os.urandom(1000))
    assert busy.status_code == 423
    assert busy.json()["detail"] == "Another request is still writing to this upload; try again shortly."
    slow.release.set()
    assert (await first).status_code == 204
    assert part_file(location).read_bytes() == data


async def test_a_writer_in_another_process_holds_the_file_lock(member_client, monkeypatch):
    """Several web processes: the flock on the part file keeps a second writer out (423)."""
    from server.uploads import services

    monkeypatch.setattr(services, "LOCK_WAIT", 0.3)  # how long the second writer waits for the first
    location = await create(member_client, 10)
    with open(part_file(location), "ab") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # another open file description, as another process would have
        busy = await patch(member_client, location, 0, b"0123456789")
        assert busy.status_code == 423
        assert part_file(location).stat().st_size == 0
    assert (await patch(member_client, location, 0, b"0123456789")).status_code == 204
    assert part_file(location).read_bytes() == b"0123456789"


async def test_a_part_file_shorter_than_the_offset_is_410(member_client):
    location = await create(member_client, 10)
    await patch(member_client, location, 0, b"01234")
    part_file(location).write_bytes(b"01")  # e.g. a disk restored from an older backup
    response = await patch(member_client, location, 5, b"56789")
    assert response.status_code == 410
    assert "start again" in response.json()["detail"]


async def test_termination_while_a_chunk_streams_in_leaves_no_file(member_client):
    location = await create(member_client, 1000)
    slow = _SlowBody(os.urandom(1000))
    writing = asyncio.create_task(patch(member_client, location, 0, slow))
    await slow.started.wait()
    assert (await member_client.delete(location, headers=TUS)).status_code == 204
    slow.release.set()
    response = await writing
    assert response.status_code == 404
    assert not part_file(location).exists()


async def test_a_patch_after_the_file_was_taken_does_not_recreate_it(member_client):
    location = await create(member_client, 10)
    part_file(location).unlink()  # as when a post has moved the finished file to originals/
    response = await patch(member_client, location, 0, b"0123456789")
    assert response.status_code == 410
    assert not part_file(location).exists()
