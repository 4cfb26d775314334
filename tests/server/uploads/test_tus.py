"""The tus 1.0.0 endpoint: discovery, creation, resuming, checksums, termination, limits."""

from __future__ import annotations

import base64
import hashlib
import os
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from tests.server.uploads.conftest import OCTETS, TUS, create, part_file, patch, sha256_header


async def test_options_announces_version_extensions_and_limits(clients, settings_env):
    settings_env(HALLWAY_UPLOAD_MAX=str(50 << 20))
    # Discovery needs no sign-in and no Tus-Resumable (the spec exempts OPTIONS).
    response = await (await clients.anonymous()).options("/api/uploads")
    assert response.status_code == 204
    assert response.headers["tus-version"] == "1.0.0"
    assert set(response.headers["tus-extension"].split(",")) == {
        "creation", "creation-with-upload", "termination", "expiration", "checksum",
    }
    assert response.headers["tus-max-size"] == str(50 << 20)
    assert "sha256" in response.headers["tus-checksum-algorithm"].split(",")


async def test_creation_answers_201_with_location_and_expiry(member_client):
    before = datetime.now(timezone.utc)
    filename = base64.b64encode(b"../../clip from the train.mp4").decode()
    response = await member_client.post("/api/uploads", headers={
        **TUS, "Upload-Length": "100", "Upload-Metadata": f"filename {filename},filetype dmlkZW8vbXA0",
    })
    assert response.status_code == 201
    assert response.headers["tus-resumable"] == "1.0.0"
    location = response.headers["location"]
    assert location.startswith("/api/uploads/") and len(location.rsplit("/", 1)[1]) == 43
    expires = parsedate_to_datetime(response.headers["upload-expires"])
    assert before + timedelta(hours=23) < expires <= before + timedelta(hours=24, minutes=1)
    assert part_file(location).stat().st_size == 0

    from server.uploads.tables import Upload

    row = await Upload.select().where(Upload.id == location.rsplit("/", 1)[1]).first()
    meta = row["metadata"] if isinstance(row["metadata"], dict) else __import__("json").loads(row["metadata"])
    # Only the base name is kept: a filename is shown to people, never used as a path.
    assert meta == {"filename": "clip from the train.mp4", "filetype": "video/mp4"}


async def test_creation_with_upload_stores_the_first_chunk(member_client):
    data = os.urandom(3000)
    response = await member_client.post("/api/uploads", content=data[:1000], headers={
        **TUS, "Upload-Length": "3000", "Content-Type": OCTETS,
    })
    assert response.status_code == 201
    assert response.headers["upload-offset"] == "1000"
    location = response.headers["location"]
    done = await patch(member_client, location, 1000, data[1000:])
    assert done.status_code == 204 and done.headers["upload-offset"] == "3000"
    assert part_file(location).read_bytes() == data


async def test_head_reports_the_committed_offset_and_is_not_cached(member_client):
    location = await create(member_client, 500)
    await patch(member_client, location, 0, b"x" * 200)
    response = await member_client.head(location, headers=TUS)
    assert response.status_code == 200
    assert response.headers["upload-offset"] == "200"
    assert response.headers["upload-length"] == "500"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["tus-resumable"] == "1.0.0"
    assert "upload-expires" in response.headers
    assert response.content == b""


async def test_patch_in_several_chunks_completes_the_upload(member_client, member):
    data = os.urandom(10_000)
    location = await create(member_client, len(data))
    offset = 0
    for size in (1, 4095, 4096, 1808):
        response = await patch(member_client, location, offset, data[offset:offset + size])
        assert response.status_code == 204, response.text
        offset += size
        assert response.headers["upload-offset"] == str(offset)
        # The expiration extension: every PATCH answer says until when the upload lives.
        assert "upload-expires" in response.headers
    assert part_file(location).read_bytes() == data

    from server.uploads.services import finished_upload

    finished = await finished_upload(member["id"], location.rsplit("/", 1)[1])
    assert finished.size == len(data) and finished.path.read_bytes() == data


async def test_an_empty_patch_is_harmless(member_client):
    location = await create(member_client, 10)
    response = await patch(member_client, location, 0, b"")
    assert response.status_code == 204 and response.headers["upload-offset"] == "0"


async def test_offset_mismatch_is_409_and_the_data_stays_correct(member_client):
    data = os.urandom(3000)
    location = await create(member_client, len(data))
    assert (await patch(member_client, location, 0, data[:1000])).status_code == 204
    # A client that lost track repeats the first chunk, then tries to skip ahead.
    for wrong in (0, 500, 2000):
        response = await patch(member_client, location, wrong, b"!" * 1000)
        assert response.status_code == 409
        assert response.headers["upload-offset"] == "1000"
        assert "is at byte 1000" in response.json()["detail"]
    assert part_file(location).read_bytes() == data[:1000]
    assert (await patch(member_client, location, 1000, data[1000:])).status_code == 204
    assert part_file(location).read_bytes() == data


async def test_patch_without_the_tus_content_type_is_415(member_client):
    location = await create(member_client, 10)
    response = await member_client.patch(location, content=b"0123456789", headers={
        **TUS, "Content-Type": "application/octet-stream", "Upload-Offset": "0",
    })
    assert response.status_code == 415
    assert OCTETS in response.json()["detail"]
    assert (await member_client.head(location, headers=TUS)).headers["upload-offset"] == "0"


async def test_missing_or_wrong_tus_version_is_412(member_client):
    response = await member_client.post("/api/uploads", headers={"Upload-Length": "10"})
    assert response.status_code == 412
    assert response.headers["tus-version"] == "1.0.0"
    assert "Tus-Resumable: 1.0.0" in response.json()["detail"]
    location = await create(member_client, 10)
    old = await member_client.patch(location, content=b"x", headers={
        "Tus-Resumable": "0.2.2", "Content-Type": OCTETS, "Upload-Offset": "0",
    })
    assert old.status_code == 412
    # The request was not processed.
    assert part_file(location).stat().st_size == 0


async def test_upload_length_over_the_maximum_is_413(member_client, settings_env):
    settings_env(HALLWAY_UPLOAD_MAX=str(2 << 20))
    ok = await member_client.post("/api/uploads", headers={**TUS, "Upload-Length": str(2 << 20)})
    assert ok.status_code == 201
    response = await member_client.post("/api/uploads", headers={**TUS, "Upload-Length": str((2 << 20) + 1)})
    assert response.status_code == 413
    assert response.json()["detail"] == "This file is too large: the limit is 2 MB."


async def test_a_chunk_past_the_announced_length_is_413_and_nothing_is_kept(member_client):
    """A file that claims 10 bytes and sends 20."""
    location = await create(member_client, 10)
    response = await patch(member_client, location, 0, b"x" * 20)
    assert response.status_code == 413
    assert "past the end of the upload" in response.json()["detail"]
    assert part_file(location).stat().st_size == 0

    async def no_length():  # chunked, so only counting the bytes can catch it
        yield b"y" * 6
        yield b"y" * 6

    response = await patch(member_client, location, 0, no_length())
    assert response.status_code == 413
    assert part_file(location).stat().st_size == 0
    assert (await member_client.head(location, headers=TUS)).headers["upload-offset"] == "0"


async def test_bad_headers_are_400_in_words(member_client):
    missing = await member_client.post("/api/uploads", headers=TUS)
    assert missing.status_code == 400 and "Upload-Length header is required" in missing.json()["detail"]
    negative = await member_client.post("/api/uploads", headers={**TUS, "Upload-Length": "-1"})
    assert negative.status_code == 400 and "whole number of bytes" in negative.json()["detail"]
    metadata = await member_client.post("/api/uploads", headers={**TUS, "Upload-Length": "1", "Upload-Metadata": "filename ***"})
    assert metadata.status_code == 400 and "not valid base64" in metadata.json()["detail"]
    location = await create(member_client, 10)
    algorithm = await patch(member_client, location, 0, b"x", **{"Upload-Checksum": "md5 AAAA"})
    assert algorithm.status_code == 400 and "'md5' is not supported" in algorithm.json()["detail"]
    offset = await patch(member_client, location, "abc", b"x")
    assert offset.status_code == 400 and "Upload-Offset" in offset.json()["detail"]


async def test_unicode_digits_in_length_and_offset_are_400_in_words(member_client):
    # "²" and "¹" are digits to str.isdigit() but not to int(): the client hears which header is wrong.
    for raw in ("²".encode("latin-1"), "1¹".encode("latin-1"), "٣".encode()):
        length = await member_client.post("/api/uploads", headers={**TUS, "Upload-Length": raw})
        assert length.status_code == 400, length.text
        assert "Upload-Length header must be a whole number of bytes" in length.json()["detail"]
    location = await create(member_client, 10)
    offset = await patch(member_client, location, "²".encode("latin-1"), b"x")
    assert offset.status_code == 400 and "Upload-Offset" in offset.json()["detail"], offset.text


async def test_sha256_checksum_accepts_a_matching_chunk(member_client):
    data = os.urandom(5000)
    location = await create(member_client, len(data))
    response = await patch(member_client, location, 0, data, **{"Upload-Checksum": sha256_header(data)})
    assert response.status_code == 204 and response.headers["upload-offset"] == "5000"
    assert hashlib.sha256(part_file(location).read_bytes()).digest() == hashlib.sha256(data).digest()


async def test_checksum_mismatch_is_460_and_the_chunk_is_discarded(member_client):
    data = os.urandom(4000)
    location = await create(member_client, len(data))
    assert (await patch(member_client, location, 0, data[:2000], **{"Upload-Checksum": sha256_header(data[:2000])})).status_code == 204
    corrupted = data[2000:3000] + bytes([data[3000] ^ 0xFF]) + data[3001:]  # always differs (a fixed 0 byte matched 1 in 256 runs)
    response = await patch(member_client, location, 2000, corrupted, **{"Upload-Checksum": sha256_header(data[2000:])})
    assert response.status_code == 460
    assert response.json()["detail"] == "The checksum of this chunk does not match; it was discarded."
    assert (await member_client.head(location, headers=TUS)).headers["upload-offset"] == "2000"
    assert part_file(location).read_bytes() == data[:2000]
    again = await patch(member_client, location, 2000, data[2000:], **{"Upload-Checksum": sha256_header(data[2000:])})
    assert again.status_code == 204
    assert part_file(location).read_bytes() == data


async def test_termination_removes_the_upload_and_its_file(member_client):
    location = await create(member_client, 100)
    await patch(member_client, location, 0, b"z" * 50)
    path = part_file(location)
    response = await member_client.delete(location, headers=TUS)
    assert response.status_code == 204 and response.headers["tus-resumable"] == "1.0.0"
    assert not path.exists()
    assert (await member_client.head(location, headers=TUS)).status_code == 404
    assert (await patch(member_client, location, 50, b"z")).status_code == 404
    assert (await member_client.delete(location, headers=TUS)).status_code == 404


async def test_another_members_upload_does_not_exist_for_them(clients, users):
    owner, other = await users.create(name="Owner"), await users.create(name="Other")
    mine, theirs = await clients.signed_in(owner), await clients.signed_in(other)
    location = await create(mine, 100)
    await patch(mine, location, 0, b"a" * 10)
    unknown = f"/api/uploads/{'A' * 43}"

    head = await theirs.head(location, headers=TUS)
    head_unknown = await theirs.head(unknown, headers=TUS)
    assert head.status_code == head_unknown.status_code == 404
    # Nothing about the upload leaks: no offset, no length, no expiry.
    for name in ("upload-offset", "upload-length", "upload-expires"):
        assert name not in head.headers
    wrote = await patch(theirs, location, 10, b"b" * 10)
    wrote_unknown = await patch(theirs, unknown, 10, b"b" * 10)
    assert wrote.status_code == wrote_unknown.status_code == 404
    assert wrote.json() == wrote_unknown.json() == {"status_code": 404, "detail": "This upload does not exist."}
    assert (await theirs.delete(location, headers=TUS)).status_code == 404

    assert part_file(location).read_bytes() == b"a" * 10
    assert (await mine.head(location, headers=TUS)).headers["upload-offset"] == "10"


async def test_anonymous_requests_are_401(clients, member_client):
    location = await create(member_client, 10)
    anonymous = await clients.anonymous()
    assert (await anonymous.post("/api/uploads", headers={**TUS, "Upload-Length": "10"})).status_code == 401
    assert (await anonymous.head(location, headers=TUS)).status_code == 401
    response = await patch(anonymous, location, 0, b"x")
    assert response.status_code == 401 and response.json()["detail"] == "Please sign in."
    assert (await anonymous.delete(location, headers=TUS)).status_code == 401
    assert part_file(location).stat().st_size == 0


async def test_racing_creations_never_exceed_the_quota(member_client, settings_env):
    import asyncio

    from server.uploads.tables import Upload

    settings_env(HALLWAY_UPLOAD_QUOTA="3")
    responses = await asyncio.gather(*(
        member_client.post("/api/uploads", headers={**TUS, "Upload-Length": "10"}) for _ in range(8)
    ))
    assert sorted(r.status_code for r in responses) == [201] * 3 + [429] * 5
    assert await Upload.count() == 3


async def test_quota_of_open_uploads_is_429_with_words(member_client, settings_env):
    settings_env(HALLWAY_UPLOAD_QUOTA="2")
    first = await create(member_client, 10)
    await create(member_client, 10)
    response = await member_client.post("/api/uploads", headers={**TUS, "Upload-Length": "10"})
    assert response.status_code == 429
    assert response.json()["detail"] == (
        "You already have 2 uploads waiting; post or cancel some before starting another (the limit is 2)."
    )
    # Cancelling one makes room again.
    assert (await member_client.delete(first, headers=TUS)).status_code == 204
    await create(member_client, 10)


async def test_expired_uploads_are_removed_with_their_files(member_client):
    from server.uploads.services import remove_expired
    from server.uploads.tables import Upload

    stale, fresh = await create(member_client, 100), await create(member_client, 100)
    await patch(member_client, stale, 0, b"s" * 40)
    stale_id = stale.rsplit("/", 1)[1]
    stale_file = part_file(stale)
    await Upload.update({Upload.expires_at: datetime.now(timezone.utc) - timedelta(minutes=1)}).where(Upload.id == stale_id)

    # Expired is gone for the client at once, even before the sweep.
    assert (await member_client.head(stale, headers=TUS)).status_code == 404
    assert (await patch(member_client, stale, 40, b"s")).status_code == 404
    assert stale_file.exists()

    # Starting a new upload sweeps the expired ones.
    await create(member_client, 5)
    assert not stale_file.exists()
    assert await Upload.count().where(Upload.id == stale_id) == 0
    assert part_file(fresh).exists()
    assert await remove_expired() == 0


async def test_the_worker_sweeps_expired_uploads_without_a_new_upload(member_client):
    from server.uploads.tables import Upload
    from server.worker import sweep

    stale = await create(member_client, 100)
    await patch(member_client, stale, 0, b"s" * 40)
    stale_id = stale.rsplit("/", 1)[1]
    await Upload.update({Upload.expires_at: datetime.now(timezone.utc) - timedelta(minutes=1)}).where(Upload.id == stale_id)
    await sweep()  # what a running worker does every 30 s
    assert not part_file(stale).exists()
    assert await Upload.count().where(Upload.id == stale_id) == 0


async def test_a_patch_moves_the_expiry_forward(member_client):
    from server.uploads.tables import Upload

    location = await create(member_client, 10)
    soon = datetime.now(timezone.utc) + timedelta(minutes=5)
    await Upload.update({Upload.expires_at: soon}).where(Upload.id == location.rsplit("/", 1)[1])
    response = await patch(member_client, location, 0, b"x")
    assert parsedate_to_datetime(response.headers["upload-expires"]) > soon + timedelta(hours=1)


async def test_zero_byte_upload_is_finished_at_once_but_cannot_be_posted(member_client, member):
    import pytest
    from litestar.exceptions import ValidationException

    from server.uploads.services import finished_upload

    location = await create(member_client, 0)
    head = await member_client.head(location, headers=TUS)
    assert head.headers["upload-offset"] == head.headers["upload-length"] == "0"
    with pytest.raises(ValidationException, match="This file is empty."):
        await finished_upload(member["id"], location.rsplit("/", 1)[1])


async def test_an_unfinished_upload_cannot_be_posted(member_client, member):
    import pytest
    from litestar.exceptions import ValidationException

    from server.uploads.services import finished_upload

    location = await create(member_client, 10)
    await patch(member_client, location, 0, b"12345")
    with pytest.raises(ValidationException, match="has not finished yet"):
        await finished_upload(member["id"], location.rsplit("/", 1)[1])


async def test_x_http_method_override_works_for_patch_and_delete(member_client):
    """tus core: a client behind a proxy that drops PATCH/DELETE sends POST with the override header."""
    location = await create(member_client, 6)
    response = await member_client.post(location, content=b"abc", headers={
        **TUS, "X-HTTP-Method-Override": "PATCH", "Content-Type": OCTETS, "Upload-Offset": "0",
    })
    assert response.status_code == 204 and response.headers["upload-offset"] == "3"
    assert part_file(location).read_bytes() == b"abc"
    plain = await member_client.post(location, content=b"def", headers={**TUS, "Content-Type": OCTETS, "Upload-Offset": "3"})
    assert plain.status_code == 405 and "PATCH" in plain.json()["detail"]
    gone = await member_client.post(location, headers={**TUS, "X-HTTP-Method-Override": "DELETE"})
    assert gone.status_code == 204
    assert not part_file(location).exists()
    assert (await member_client.head(location, headers=TUS)).status_code == 404
