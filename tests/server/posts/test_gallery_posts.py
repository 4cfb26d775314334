"""Photo galleries, and every way a new media post can be refused before anything is kept."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.media.makers import top_is_red
from tests.server.posts.helpers import TUS, post_files, run_jobs, stored, upload


async def test_gallery_keeps_order_and_alt_texts(member_client, clients, users, files):
    ids = [await upload(member_client, files[name]) for name in ("jpeg", "png", "heic")]
    alts = ["Whiteboard after the retro", "  Our blue wall  ", "Team lunch"]
    response = await member_client.post("/api/posts", json={"body": "Retro day", "upload_ids": ids, "alt_texts": alts})
    assert response.status_code == 201, response.text
    post = response.json()
    assert (post["kind"], post["status"]) == ("gallery", "processing")
    assert [(m["kind"], m["alt"], m["status"]) for m in post["media"]] == [
        ("image", "Whiteboard after the retro", "processing"), ("image", "Our blue wall", "processing"),
        ("image", "Team lunch", "processing"),
    ]

    assert await run_jobs() == 1
    colleague = await clients.signed_in(await users.create(name="Colleague"))
    final = (await colleague.get(f"/api/posts/{post['id']}")).json()
    assert final["status"] == "published" and final["error"] == ""
    items = final["media"]
    assert [m["alt"] for m in items] == ["Whiteboard after the retro", "Our blue wall", "Team lunch"]
    # Displayed sizes: the JPEG's EXIF orientation turns 600x450 upright.
    assert [(m["width"], m["height"]) for m in items] == [(450, 600), (400, 300), (640, 480)]
    for item in items:
        assert item["status"] == "ready" and item["renditions"] == [] and item["poster"] is None
        assert item["duration"] is None and len(item["blurhash"]) >= 6
        assert [v["mime"] for v in item["variants"]] == ["image/webp", "image/webp"]
        for variant in item["variants"]:
            with Image.open(stored(variant["url"])) as im:
                assert im.format == "WEBP" and im.size == (variant["width"], variant["height"])
                assert not im.getexif()  # no GPS, no camera
    with Image.open(stored(items[0]["variants"][0]["url"])) as im:
        assert im.size == (450, 600) and top_is_red(im)  # upright, never upscaled
    with Image.open(stored(items[2]["variants"][0]["url"])) as im:
        assert top_is_red(im)  # the HEIC decoded as it was taken
    assert [v["width"] for v in items[1]["variants"]] == [400, 320]
    assert len(post_files(post["id"])) == 6


async def _refused(client, upload_ids: list[str], **extra) -> str:
    response = await client.post("/api/posts", json={"body": "x", "upload_ids": upload_ids, **extra})
    assert response.status_code == 400, response.text
    return response.json()["detail"]


async def _nothing_kept(client, upload_ids: list[str]) -> None:
    """A refused post consumes no upload and leaves no post, media row, job or kept original."""
    from server.jobs.tables import Job
    from server.posts.tables import Post, PostMedia
    from server.settings import get_settings

    for upload_id in upload_ids:
        head = await client.head(f"/api/uploads/{upload_id}", headers={"Tus-Resumable": "1.0.0"})
        assert head.status_code == 200, upload_id
    assert await Post.count() == 0 and await PostMedia.count() == 0 and await Job.count() == 0
    originals = get_settings().originals_dir
    assert not originals.exists() or list(originals.iterdir()) == []


@pytest.fixture
def roomy_quota(monkeypatch):
    """Let one person hold more open uploads than the default 20 (for the 21-photo case)."""
    from server.settings import reset_settings

    monkeypatch.setenv("HALLWAY_UPLOAD_QUOTA", "30")
    reset_settings()
    yield
    monkeypatch.delenv("HALLWAY_UPLOAD_QUOTA")
    reset_settings()


async def test_at_most_twenty_photos(member_client, roomy_quota):
    png = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 20, 20)).save(png, "PNG")
    ids = [await upload(member_client, png.getvalue(), f"p{i}.png") for i in range(21)]
    assert await _refused(member_client, ids) == "A post can have at most 20 photos."
    await _nothing_kept(member_client, ids)
    # Twenty is fine.
    response = await member_client.post("/api/posts", json={"upload_ids": ids[:20]})
    assert response.status_code == 201 and len(response.json()["media"]) == 20


async def test_video_and_photo_cannot_be_mixed(member_client, files):
    ids = [await upload(member_client, files["h264"]), await upload(member_client, files["png"])]
    assert await _refused(member_client, ids) == "A post can have one video, or photos, but not several videos or both."
    await _nothing_kept(member_client, ids)


async def test_two_videos_are_refused(member_client, files):
    ids = [await upload(member_client, files["h264"]), await upload(member_client, files["webm"])]
    assert await _refused(member_client, ids) == "A post can have one video, or photos, but not several videos or both."


async def test_same_upload_twice(member_client, files):
    upload_id = await upload(member_client, files["png"])
    assert await _refused(member_client, [upload_id, upload_id]) == "The same file was attached twice."
    await _nothing_kept(member_client, [upload_id])


async def test_someone_elses_upload_looks_like_no_upload(member_client, clients, users, files):
    other = await clients.signed_in(await users.create(name="Other"))
    theirs = await upload(other, files["png"])
    unknown = "A" * 43
    assert await _refused(member_client, [theirs]) == "This upload does not exist."
    assert await _refused(member_client, [unknown]) == "This upload does not exist."
    assert await _refused(member_client, ["../../etc/passwd"]) == "This upload does not exist."
    await _nothing_kept(other, [theirs])


async def test_unfinished_upload(member_client):
    response = await member_client.post("/api/uploads", headers={**TUS, "Upload-Length": "1000"})
    upload_id = response.headers["Location"].rsplit("/", 1)[1]
    assert await _refused(member_client, [upload_id]) == "This upload has not finished yet."
    await _nothing_kept(member_client, [upload_id])


async def test_empty_upload(member_client):
    upload_id = await upload(member_client, b"", "nothing.jpg")
    assert await _refused(member_client, [upload_id]) == "This file is empty."
    await _nothing_kept(member_client, [upload_id])


async def test_text_file_named_like_a_video(member_client, files):
    upload_id = await upload(member_client, files["notes"])
    assert await _refused(member_client, [upload_id]) == "notes.mp4: This file type is not supported."
    await _nothing_kept(member_client, [upload_id])


async def test_bad_file_among_good_photos_names_it(member_client, files):
    ids = [await upload(member_client, files["png"]), await upload(member_client, b"\x89PNG\r\n\x1a\nnope", "broken.png")]
    assert await _refused(member_client, ids) == "broken.png: This file type is not supported."
    await _nothing_kept(member_client, ids)


async def test_alt_texts_bounded(member_client, files):
    upload_id = await upload(member_client, files["png"])
    assert await _refused(member_client, [upload_id], alt_texts=["a", "b"]) == "There are more descriptions than files."
    assert await _refused(member_client, [upload_id], alt_texts=["x" * 1001]) == (
        "The description can be at most 1,000 characters long (this one has 1,001)."
    )
    # Alt text follows the same text policy as names and posts (a screen reader reads it out).
    assert "reverse the text's direction" in await _refused(member_client, [upload_id], alt_texts=["\u202egnp.exe"])
    await _nothing_kept(member_client, [upload_id])


async def test_signed_out_cannot_post_media(clients, files):
    anonymous = await clients.anonymous()
    response = await anonymous.post("/api/posts", json={"upload_ids": ["A" * 43]})
    assert response.status_code == 401


async def test_two_posts_racing_for_one_upload(member_client, files):
    """A double tap on Post: one post gets the file, the other a 400 in words, never a 500."""
    import asyncio

    from server.posts.tables import Post

    upload_id = await upload(member_client, files["png"])
    responses = await asyncio.gather(*(
        member_client.post("/api/posts", json={"body": "twice", "upload_ids": [upload_id]}) for _ in range(2)
    ))
    assert sorted(r.status_code for r in responses) == [201, 400]
    [refused] = [r for r in responses if r.status_code == 400]
    assert refused.json()["detail"] in ("This file was already posted.", "This upload does not exist.")
    assert await Post.count() == 1
    await run_jobs()
    [post] = [r.json() for r in responses if r.status_code == 201]
    assert (await member_client.get(f"/api/posts/{post['id']}")).json()["status"] == "published"
