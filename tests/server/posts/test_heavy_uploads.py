"""Heavy or hostile files: the web process only sniffs them, the worker's sandboxed child probes them."""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from tests.media.makers import make_frame_flood_gif, make_gif
from tests.server.posts.helpers import run_jobs, upload

# Six at once is what the review posted; the old probe kept the default thread pool busy with them.
HEAVY_POSTS = 6
FAST = 1.0  # seconds: generous for a loaded two-core machine; the old code took several


@pytest.fixture(scope="module")
def gifs(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("gifs")
    Image.new("P", (40, 30), 3).save(d / "still.gif")
    return {
        "still": d / "still.gif", "animated": make_gif(d / "loop.gif"),
        # 12 MB of 300,000 tiny frames: seconds of CPU for a decoder, microseconds for a sniff.
        "flood": make_frame_flood_gif(d / "flood.gif", 300_000),
    }


@pytest.fixture
def no_decoding(monkeypatch):
    """Every way into a decoder raises: what the web process does must not need one."""
    import av
    import PIL.Image

    import media

    def refuse(*args, **kwargs):
        raise AssertionError("the web process decoded media")

    for target, name in ((av, "open"), (PIL.Image, "open"), (media, "probe"), (sys.modules["media.probe"], "probe"),
                         (media, "process")):
        monkeypatch.setattr(target, name, refuse)
    return monkeypatch


async def test_posting_never_decodes_media_in_the_web_process(member_client, files, gifs, no_decoding):
    """Each kind of phone file is posted as processing, judged by its first bytes alone."""
    expected = {files["h264"]: "video", files["hevc"]: "video", files["webm"]: "video", gifs["animated"]: "video",
                files["jpeg"]: "gallery", files["png"]: "gallery", files["heic"]: "gallery", gifs["still"]: "gallery"}
    made = {}
    for path, kind in expected.items():
        response = await member_client.post("/api/posts", json={"upload_ids": [await upload(member_client, path)]})
        assert response.status_code == 201, response.text
        assert (response.json()["kind"], response.json()["status"]) == (kind, "processing"), path.name
        made[path.name] = response.json()["id"]
    # What the bytes alone tell is still refused at once, in words.
    mixed = [await upload(member_client, gifs["animated"]), await upload(member_client, files["png"])]
    response = await member_client.post("/api/posts", json={"upload_ids": mixed})
    assert (response.status_code, response.json()["detail"]) == (
        400, "A post can have one video, or photos, but not several videos or both.")
    no_decoding.undo()
    # The worker probes and processes them in its child process: every one is published.
    await run_jobs()
    for name, post_id in made.items():
        seen = (await member_client.get(f"/api/posts/{post_id}")).json()
        assert seen["status"] == "published", (name, seen["error"])


async def test_sign_in_and_feed_stay_fast_while_heavy_files_are_posted(clients, users, gifs):
    """Six crafted GIFs posted at once: a colleague signs in and reads the feed without waiting."""
    author = await clients.signed_in(await users.create(name="Author"))
    ids = [await upload(author, gifs["flood"]) for _ in range(HEAVY_POSTS)]
    colleague = await users.create(name="Colleague")
    reader = await clients.anonymous()

    async def post(upload_id: str):
        started = time.monotonic()
        response = await author.post("/api/posts", json={"body": "loop", "upload_ids": [upload_id]})
        return response, time.monotonic() - started

    posting = [asyncio.create_task(post(upload_id)) for upload_id in ids]
    await asyncio.sleep(0.05)  # the posts are in flight
    started = time.monotonic()
    signed_in = await reader.post("/api/session", json={"email": colleague["email"], "password": colleague["password"]})
    sign_in_took = time.monotonic() - started
    started = time.monotonic()
    feed = await reader.get("/api/feed")
    feed_took = time.monotonic() - started
    posted = await asyncio.gather(*posting)

    assert signed_in.status_code == 200 and feed.status_code == 200
    assert sign_in_took < FAST, f"sign-in took {sign_in_took:.2f} s while heavy files were posted"
    assert feed_took < FAST, f"the feed took {feed_took:.2f} s while heavy files were posted"
    # The author is answered at once too: the post is processing, the worker has the file.
    for response, took in posted:
        assert (response.status_code, response.json()["status"]) == (201, "processing"), response.text
        assert took < 2 * FAST, f"posting took {took:.2f} s"


async def test_a_file_the_sniff_accepts_and_the_worker_rejects_fails_the_post_in_words(member_client, gifs):
    """The flood GIF looks like a video; probing it (in the worker's child) finds it far too long."""
    response = await member_client.post("/api/posts", json={"upload_ids": [await upload(member_client, gifs["flood"])]})
    assert (response.status_code, response.json()["status"]) == (201, "processing"), response.text
    await run_jobs()
    seen = (await member_client.get(f"/api/posts/{response.json()['id']}")).json()
    assert (seen["status"], seen["error"]) == ("failed", "Videos can be at most 10 minutes long.")


async def test_a_photo_with_a_valid_header_and_broken_pixels_fails_the_post_in_words(member_client, files):
    data = files["png"].read_bytes()
    broken = data[:60] + b"\x00" * 200  # the PNG signature and header, then nothing decodable
    response = await member_client.post("/api/posts", json={"upload_ids": [await upload(member_client, broken, "cut.png")]})
    assert (response.status_code, response.json()["status"]) == (201, "processing"), response.text
    await run_jobs()
    seen = (await member_client.get(f"/api/posts/{response.json()['id']}")).json()
    assert (seen["status"], seen["error"]) == ("failed", "Photo 1: The file is damaged or incomplete.")
