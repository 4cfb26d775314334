"""GET/HEAD /media/{key}: who may fetch, which files, Range and conditional requests, streaming."""

from __future__ import annotations

import os

import pytest

from tests.server.media_files.conftest import raw_get

KEY = "p/7/3f9a0c1d2e-720p.mp4"
CACHE = "private, max-age=31536000, immutable"


async def test_whole_file_with_caching_and_safety_headers(member_client, put_media):
    data = await put_media(KEY, size=10_000)
    response = await member_client.get(f"/media/{KEY}")
    assert response.status_code == 200
    assert response.content == data
    h = response.headers
    assert h["content-type"] == "video/mp4"
    assert h["content-length"] == "10000"
    assert h["accept-ranges"] == "bytes"
    assert h["cache-control"] == CACHE
    assert h["x-content-type-options"] == "nosniff"
    assert h["etag"].startswith('"') and h["etag"].endswith('"') and len(h["etag"]) > 10  # strong: no W/
    assert "content-range" not in h


async def test_the_range_ios_safari_sends_first(member_client, put_media):
    data = await put_media(KEY, size=10_000)
    response = await member_client.get(f"/media/{KEY}", headers={"Range": "bytes=0-1"})
    assert response.status_code == 206
    assert response.content == data[:2]
    assert response.headers["content-range"] == "bytes 0-1/10000"
    assert response.headers["content-length"] == "2"
    assert response.headers["content-type"] == "video/mp4"
    assert response.headers["accept-ranges"] == "bytes"


SINGLE_RANGES = [
    ("bytes=100-199", 100, 199),        # middle
    ("bytes=9990-", 9990, 9999),        # open-ended
    ("bytes=-50", 9950, 9999),          # suffix
    ("bytes=-20000", 0, 9999),          # suffix longer than the file
    ("bytes=9000-123456", 9000, 9999),  # last byte past the end is clipped
    ("bytes=9999-9999", 9999, 9999),    # the very last byte
    ("BYTES = 5-9", 5, 9),              # unit is case-insensitive, spaces tolerated
]


async def test_single_ranges(member_client, put_media):
    data = await put_media(KEY, size=10_000)
    for spec, start, end in SINGLE_RANGES:
        response = await member_client.get(f"/media/{KEY}", headers={"Range": spec})
        assert response.status_code == 206, spec
        assert response.content == data[start:end + 1], spec
        assert response.headers["content-range"] == f"bytes {start}-{end}/10000"
        assert response.headers["content-length"] == str(end - start + 1)


async def test_unsatisfiable_range_is_416_with_the_size(member_client, put_media):
    await put_media(KEY, size=10_000)
    for spec in ("bytes=10000-", "bytes=20000-30000", "bytes=-0"):
        response = await member_client.get(f"/media/{KEY}", headers={"Range": spec})
        assert response.status_code == 416, spec
        assert response.headers["content-range"] == "bytes */10000"
        assert response.content == b""
        assert response.headers["cache-control"] == "no-store"


async def test_multiple_or_malformed_ranges_get_the_whole_file(member_client, put_media):
    data = await put_media(KEY, size=3000)
    for spec in (
        "bytes=0-1,5-6",      # several ranges: answered with the whole file (documented choice)
        "bytes=5-2",          # last before first: invalid, ignored
        "bytes=abc",
        "items=0-1",          # a unit we do not know
        "bytes=0-1x",
    ):
        response = await member_client.get(f"/media/{KEY}", headers={"Range": spec})
        assert response.status_code == 200, spec
        assert response.content == data
        assert "content-range" not in response.headers


async def test_if_range_with_our_etag_gives_the_range_otherwise_the_whole_file(member_client, put_media):
    data = await put_media(KEY, size=4000)
    etag = (await member_client.head(f"/media/{KEY}")).headers["etag"]
    same = await member_client.get(f"/media/{KEY}", headers={"Range": "bytes=10-19", "If-Range": etag})
    assert same.status_code == 206 and same.content == data[10:20]
    for stale in ('"something-else"', f"W/{etag}", "Wed, 21 Oct 2015 07:28:00 GMT"):
        other = await member_client.get(f"/media/{KEY}", headers={"Range": "bytes=10-19", "If-Range": stale})
        assert other.status_code == 200 and other.content == data, stale


async def test_if_none_match_is_304(member_client, put_media):
    data = await put_media(KEY, size=4000)
    etag = (await member_client.get(f"/media/{KEY}")).headers["etag"]
    for header in (etag, f'"nope", {etag}', f"W/{etag}", "*"):
        response = await member_client.get(f"/media/{KEY}", headers={"If-None-Match": header})
        assert response.status_code == 304, header
        assert response.content == b""
        assert response.headers["etag"] == etag
        assert response.headers["cache-control"] == CACHE
    changed = await member_client.get(f"/media/{KEY}", headers={"If-None-Match": '"old"'})
    assert changed.status_code == 200 and changed.content == data
    # If-None-Match is decided before Range.
    both = await member_client.get(f"/media/{KEY}", headers={"If-None-Match": etag, "Range": "bytes=0-1"})
    assert both.status_code == 304


async def test_a_replaced_file_gets_a_new_etag(member_client, put_media):
    await put_media(KEY, size=100)
    first = (await member_client.head(f"/media/{KEY}")).headers["etag"]
    await put_media(KEY, size=100)
    assert (await member_client.head(f"/media/{KEY}")).headers["etag"] != first


async def test_head_has_the_headers_of_get_and_no_body(member_client, put_media):
    await put_media(KEY, size=6000)
    get = await member_client.get(f"/media/{KEY}")
    head = await member_client.head(f"/media/{KEY}")
    assert head.status_code == 200 and head.content == b""
    for name in ("content-type", "content-length", "accept-ranges", "etag", "cache-control", "x-content-type-options"):
        assert head.headers[name] == get.headers[name], name
    # Range is defined for GET only; a HEAD describes the whole file.
    ranged = await member_client.head(f"/media/{KEY}", headers={"Range": "bytes=0-1"})
    assert ranged.status_code == 200 and ranged.headers["content-length"] == "6000"


async def test_content_type_comes_from_the_server_made_extension(member_client, put_media):
    for key, media_type in (
        ("p/3/aa11-poster.webp", "image/webp"),
        ("p/3/cc33-photo.jpg", "image/jpeg"),
        ("p/3/dd44-photo.jpeg", "image/jpeg"),
        ("p/3/ee55-photo.png", "image/png"),
        ("p/3/ff66-fast.mp4", "video/mp4"),
    ):
        # The bytes are not what the name says: the server never sniffs, and tells browsers not to either.
        await put_media(key, b"<html><script>alert(1)</script></html>")
        response = await member_client.get(f"/media/{key}")
        assert response.status_code == 200, key
        assert response.headers["content-type"] == media_type
        assert response.headers["x-content-type-options"] == "nosniff"


async def test_extensions_the_server_never_makes_are_not_served(member_client, put_media):
    for key in ("p/3/aa-page.html", "p/3/aa-image.svg", "p/3/aa-notes.txt", "p/3/aa-noext"):
        await put_media(key, b"<svg onload=alert(1)>")
        assert (await member_client.get(f"/media/{key}")).status_code == 404, key


async def test_anonymous_is_401_and_learns_nothing(clients, put_media):
    await put_media(KEY, size=100)
    anonymous = await clients.anonymous()
    for method in ("GET", "HEAD"):
        response = await anonymous.request(method, f"/media/{KEY}", headers={"Range": "bytes=0-1"})
        assert response.status_code == 401
        assert "etag" not in response.headers and "content-range" not in response.headers
    missing = await anonymous.get("/media/p/7/nothing-here.mp4")
    assert missing.status_code == 401  # same answer whether the file exists or not


async def test_a_missing_file_is_404_in_words(member_client):
    response = await member_client.get("/media/p/7/0000-720p.mp4")
    assert response.status_code == 404
    assert response.json()["detail"] == "This file does not exist."


def _secret_files():
    """An original and an upload part file, where posts and uploads keep them (outside media/)."""
    from server.settings import get_settings

    settings = get_settings()
    (settings.originals_dir / "7").mkdir(parents=True, exist_ok=True)
    original = settings.originals_dir / "7" / "original.mp4"
    original.write_bytes(b"SECRET ORIGINAL WITH GPS")
    settings.uploads_dir.mkdir(parents=True, exist_ok=True)
    part = settings.uploads_dir / ("A" * 43 + ".part")
    part.write_bytes(b"SECRET UPLOAD")
    return settings, original, part


OUTSIDE_PATHS = [
    ("/media/../originals/7/original.mp4", None),
    ("/media/p/7/../../../originals/7/original.mp4", None),
    ("/media/p/7/../../../uploads/" + "A" * 43 + ".part", None),
    ("/media/p/../../originals/7/original.mp4", None),
    # Encoded: the ASGI path is decoded, the raw path is not; either way nothing is served.
    ("/media/p/7/../../../originals/7/original.mp4", b"/media/p/7/..%2F..%2F..%2Foriginals%2F7%2Foriginal.mp4"),
    ("/media/p/7/../../../originals/7/original.mp4", b"/media/p/7/%2e%2e/%2e%2e/%2e%2e/originals/7/original.mp4"),
    ("/media/p/7/3f9a0c1d2e-720p.mp4", b"/media/p%2F7%2F3f9a0c1d2e-720p.mp4"),
    ("/media//etc/passwd", None),
    ("/media/" + "{data}/originals/7/original.mp4", None),  # an absolute path
    ("/media/p/7/\\..\\..\\originals\\7\\original.mp4", None),
    ("/media/originals/7/original.mp4", None),
    ("/media/p/7/.secret.mp4", None),
    ("/media/p/7/a.mp4\x00.txt", None),
]


async def test_paths_out_of_the_media_directory_are_404(app, member_client, put_media):
    settings, _, _ = _secret_files()
    await put_media(KEY, size=100)  # a real file exists, so only the key check can refuse
    for path, raw_path in OUTSIDE_PATHS:
        path = path.replace("{data}", str(settings.data_dir).lstrip("/"))
        status, headers, bodies = await raw_get(app, member_client, path, raw_path=raw_path)
        # A NUL is malformed in any address: refused before any route looks (lib/request_guard.py).
        assert status == (400 if "\x00" in path else 404), path
        assert b"SECRET" not in b"".join(bodies)


async def test_originals_and_uploads_are_unreachable_even_through_a_planted_symlink(app, member_client, put_media):
    settings, original, part = _secret_files()
    folder = settings.media_dir / "p" / "8"
    folder.mkdir(parents=True, exist_ok=True)
    for name, target in (("link-720p.mp4", original), ("part-720p.mp4", part)):
        (folder / name).unlink(missing_ok=True)  # the data dir is shared by the whole run
        os.symlink(target, folder / name)
    for key in ("p/8/link-720p.mp4", "p/8/part-720p.mp4"):
        response = await member_client.get(f"/media/{key}")
        assert response.status_code == 404
        assert b"SECRET" not in response.content


async def test_a_big_file_streams_in_chunks(app, member_client, put_media):
    from server.media_files.controllers import CHUNK

    data = await put_media(KEY, size=CHUNK * 4 + 123)
    status, headers, bodies = await raw_get(app, member_client, f"/media/{KEY}")
    assert status == 200 and b"".join(bodies) == data
    assert max(len(b) for b in bodies) <= CHUNK
    assert len([b for b in bodies if b]) == 5
    status, headers, bodies = await raw_get(
        app, member_client, f"/media/{KEY}", headers={"range": f"bytes={CHUNK - 10}-{CHUNK * 2 + 9}"},
    )
    assert status == 206 and b"".join(bodies) == data[CHUNK - 10:CHUNK * 2 + 10]


def _open_paths() -> set[str]:
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.add(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            pass
    return found


async def test_a_viewer_who_leaves_stops_the_stream_and_the_file_is_closed(app, member_client, put_media):
    from server.media_files.controllers import CHUNK
    from server.settings import get_settings

    data = await put_media(KEY, size=CHUNK * 16)
    status, _, bodies = await raw_get(app, member_client, f"/media/{KEY}", disconnect_after_start=True)
    assert status == 200
    assert len(b"".join(bodies)) < len(data)
    assert str(get_settings().media_dir / KEY) not in _open_paths()
    # And after every other kind of answer too.
    for headers in ({}, {"range": "bytes=0-1"}, {"range": "bytes=999999999-"}, {"if-none-match": "*"}):
        await raw_get(app, member_client, f"/media/{KEY}", headers=headers)
        await raw_get(app, member_client, f"/media/{KEY}", headers=headers, method="HEAD")
    assert str(get_settings().media_dir / KEY) not in _open_paths()


async def test_a_colleague_can_fetch_what_the_storage_url_points_to(clients, users, put_media):
    from server.storage import get_storage

    await put_media(KEY, size=500)
    colleague = await clients.signed_in(await users.create(name="Colleague"))
    response = await colleague.get(get_storage().url(KEY))
    assert response.status_code == 200 and len(response.content) == 500
