"""A video post from upload to feed: processing, fast start, the swap to proper renditions."""

from __future__ import annotations

import pytest

from server.posts import jobs
from tests.media.makers import box_order
from tests.server.posts.helpers import post_files, run_jobs, stored, upload


async def _create(client, upload_id: str, body: str = "from the train") -> dict:
    response = await client.post("/api/posts", json={"body": body, "upload_ids": [upload_id]})
    assert response.status_code == 201, response.text
    return response.json()


def _record_steps(monkeypatch, client, post_id: int) -> list[tuple[str, dict]]:
    """Wrap the job's media step: note each run, and the post as readers see it before the full transcode."""
    steps: list[tuple[str, dict]] = []
    original = jobs._run

    async def recording(item, fast_start):
        if not fast_start:
            seen = (await client.get(f"/api/posts/{post_id}")).json()
            # What a phone would download right now (the file is gone once replaced).
            seen["boxes"] = [box_order(stored(r["url"])) for m in seen["media"] for r in m["renditions"]]
            steps.append(("before full", seen))
        result = await original(item, fast_start)
        steps.append(("fast" if fast_start else "full", {}))
        return result

    monkeypatch.setattr(jobs, "_run", recording)
    return steps


async def test_h264_clip_is_published_fast_then_swapped_for_renditions(
    clients, users, files, monkeypatch
):
    from server.settings import get_settings

    author, colleague = await users.create(name="Ann"), await users.create(name="Bob")
    a, b = await clients.signed_in(author), await clients.signed_in(colleague)
    post = await _create(a, await upload(a, files["h264"]))
    assert (post["kind"], post["status"], post["error"]) == ("video", "processing", "")
    assert [(m["kind"], m["status"], m["renditions"], m["poster"]) for m in post["media"]] == [
        ("video", "processing", [], None)
    ]
    # A colleague does not see a post that is not ready, nor is it in the feed yet.
    assert (await b.get(f"/api/posts/{post['id']}")).status_code == 404
    assert (await b.get("/api/feed")).json()["items"] == []
    # The upload was handed over to the post: its tus URL is gone.
    originals = get_settings().originals_dir / str(post["id"])
    assert len(list(originals.iterdir())) == 1

    steps = _record_steps(monkeypatch, a, post["id"])
    assert await run_jobs() == 1
    assert [name for name, _ in steps] == ["fast", "before full", "full"]

    # Between the two steps the remuxed upload was already playing for everyone.
    early = steps[1][1]
    assert early["status"] == "published" and early["published_at"]
    [fast] = early["media"]
    assert fast["fast_start"] is True and fast["status"] == "ready"
    assert [(r["name"], r["width"], r["height"], r["mime"]) for r in fast["renditions"]] == [
        ("fast", 320, 180, "video/mp4")
    ]
    fast_file, fast_poster = stored(fast["renditions"][0]["url"]), stored(fast["poster"])
    assert early["boxes"][0][:2] == ["ftyp", "moov"]  # +faststart: the index comes first

    final = (await b.get(f"/api/posts/{post['id']}")).json()
    assert final["status"] == "published" and final["published_at"] == early["published_at"]
    [item] = final["media"]
    assert item["fast_start"] is False and item["status"] == "ready"
    assert [(r["name"], r["width"], r["height"], r["mime"]) for r in item["renditions"]] == [
        ("180p", 320, 180, "video/mp4")
    ]
    assert item["renditions"][0]["url"].endswith("-180p.mp4") and item["renditions"][0]["bitrate"] > 0
    assert item["poster"].endswith("-poster.webp") and item["poster"] != fast["poster"]
    assert (item["width"], item["height"]) == (320, 180) and item["duration"] == pytest.approx(1.0, abs=0.1)
    assert len(item["blurhash"]) >= 6 and item["variants"] == []
    rendition = stored(item["renditions"][0]["url"])
    assert box_order(rendition)[:2] == ["ftyp", "moov"]
    # The fast-start copy and its poster were deleted once replaced; nothing else is left.
    assert not fast_file.exists() and not fast_poster.exists()
    assert post_files(post["id"]) == sorted([rendition.name, stored(item["poster"]).name])
    assert not originals.exists()
    work = get_settings().data_dir / "work"
    assert not work.exists() or list(work.iterdir()) == []
    feed = (await b.get("/api/feed")).json()["items"]
    assert [p["id"] for p in feed] == [post["id"]] and feed[0]["media"] == final["media"]


async def test_hevc_clip_plays_a_quick_rendition_first_then_the_full_ladder(member_client, clients, users, files,
                                                                          monkeypatch):
    colleague = await clients.signed_in(await users.create(name="Bob"))
    post = await _create(member_client, await upload(member_client, files["hevc_480"]))
    steps = _record_steps(monkeypatch, member_client, post["id"])
    assert await run_jobs() == 1
    assert [name for name, _ in steps] == ["fast", "before full", "full"]

    # No remux possible (10-bit HEVC): one light H.264 rendition made fast was playing meanwhile.
    early = steps[1][1]
    assert early["status"] == "published" and early["published_at"]
    [quick] = early["media"]
    assert quick["fast_start"] is True and quick["status"] == "ready"
    assert [(r["name"], r["width"], r["height"], r["mime"]) for r in quick["renditions"]] == [
        ("quick", 360, 640, "video/mp4")
    ]
    assert (quick["width"], quick["height"]) == (480, 854) and early["boxes"][0][:2] == ["ftyp", "moov"]
    quick_file = stored(quick["renditions"][0]["url"])

    final = (await colleague.get(f"/api/posts/{post['id']}")).json()
    assert final["status"] == "published" and final["published_at"] == early["published_at"]
    [item] = final["media"]
    assert item["fast_start"] is False and (item["width"], item["height"]) == (480, 854)
    assert [(r["name"], r["width"], r["height"]) for r in item["renditions"]] == [("480p", 480, 854), ("360p", 360, 640)]
    assert not quick_file.exists()
    assert post_files(post["id"]) == sorted(
        [stored(r["url"]).name for r in item["renditions"]] + [stored(item["poster"]).name]
    )


@pytest.mark.parametrize("name", ["webm", "hevc"])
async def test_small_clip_that_needs_a_reencode_skips_fast_start(member_client, files, monkeypatch, name):
    post = await _create(member_client, await upload(member_client, files[name]))
    steps = _record_steps(monkeypatch, member_client, post["id"])
    await run_jobs()
    # A 180p source: its whole ladder is one rung, as quick to make as a quick copy would be, so
    # media said "not eligible" to the fast step and the post stayed processing until then.
    assert [(n, s.get("status")) for n, s in steps] == [("before full", "processing"), ("full", None)]
    final = (await member_client.get(f"/api/posts/{post['id']}")).json()
    assert final["status"] == "published"
    [item] = final["media"]
    assert item["fast_start"] is False
    assert [(r["name"], r["mime"]) for r in item["renditions"]] == [("180p", "video/mp4")]
    assert stored(item["renditions"][0]["url"]).exists() and stored(item["poster"]).exists()


async def test_fast_start_publishes_once(member_client, files):
    """Listeners (push, live feed) hear about a post once, not again when renditions are swapped in."""
    from server.lib import events

    heard: list[int] = []

    async def listener(post_id: int) -> None:
        heard.append(post_id)

    events.listen(events.POST_PUBLISHED, listener)
    try:
        post = await _create(member_client, await upload(member_client, files["h264"]))
        await run_jobs()
    finally:
        events.unlisten(events.POST_PUBLISHED, listener)
    assert heard == [post["id"]]


async def test_video_scheduled_for_later_skips_fast_start(member_client, files, monkeypatch):
    """Nobody sees an announcement before its time, so a remuxed early copy would be wasted work."""
    from datetime import datetime, timedelta, timezone

    from server.posts.tables import Post

    post = await _create(member_client, await upload(member_client, files["h264"]))
    await Post.update({Post.publish_at: datetime.now(timezone.utc) + timedelta(hours=2)}).where(Post.id == post["id"])
    steps = _record_steps(monkeypatch, member_client, post["id"])
    await run_jobs()
    assert [(n, s.get("status")) for n, s in steps] == [("before full", "processing"), ("full", None)]
    seen = (await member_client.get(f"/api/posts/{post['id']}")).json()
    assert seen["status"] == "scheduled" and seen["published_at"] is None
    [item] = seen["media"]
    assert item["fast_start"] is False and [r["name"] for r in item["renditions"]] == ["180p"]
