"""Views: batched, one row per post and person, keeping the most watched."""

from tests.server.social.helpers import post


def _round(share):
    return None if share is None else round(share, 3)


async def _views():
    from server.views.tables import PostView

    rows = await PostView.select(
        PostView.post, PostView.person, PostView.seen, PostView.watched_seconds, PostView.duration, PostView.share
    ).order_by(PostView.post)
    return rows


async def test_a_batch_is_recorded_and_repeats_keep_the_maximum(member_client, member):
    a, b = await post(member_client, "one"), await post(member_client, "two")
    first = await member_client.post("/api/views", json={"items": [
        {"post_id": a["id"], "watched_seconds": 3, "duration": 10},
        {"post_id": b["id"]},
        {"post_id": a["id"], "watched_seconds": 6, "duration": 10},  # the same post twice in one batch
    ]})
    assert first.status_code == 204, first.text
    rows = await _views()
    # REAL is single precision on PostgreSQL: shares compared to 3 places.
    assert [(r["post"], r["person"], r["watched_seconds"], _round(r["share"])) for r in rows] == [
        (a["id"], member["id"], 6.0, 0.6), (b["id"], member["id"], 0.0, None),
    ]
    again = await member_client.post("/api/views", json={"items": [
        {"post_id": a["id"], "watched_seconds": 2, "duration": 10},  # less than before: kept at 6
        {"post_id": b["id"], "watched_seconds": 30, "duration": 20},  # loops past the end: share 1
    ]})
    assert again.status_code == 204
    rows = await _views()
    assert [(r["watched_seconds"], _round(r["share"]), r["seen"]) for r in rows] == [(6.0, 0.6, 2), (30.0, 1.0, 2)]


async def test_views_are_per_person(clients, users, member_client, member):
    p = await post(member_client, "seen by two")
    other = await clients.signed_in(await users.create(name="Other"))
    for client in (member_client, other):
        assert (await client.post("/api/views", json={"items": [{"post_id": p["id"]}]})).status_code == 204
    assert len(await _views()) == 2


async def test_unknown_posts_are_skipped_and_bad_batches_refused(member_client):
    p = await post(member_client, "real")
    ok = await member_client.post("/api/views", json={"items": [{"post_id": 999999}, {"post_id": p["id"]}]})
    assert ok.status_code == 204
    assert [r["post"] for r in await _views()] == [p["id"]]
    assert (await member_client.post("/api/views", json={"items": []})).status_code == 204
    too_many = await member_client.post("/api/views", json={"items": [{"post_id": p["id"]}] * 101})
    assert too_many.status_code == 400 and "items" in too_many.json()["detail"]
    negative = await member_client.post("/api/views", json={"items": [{"post_id": p["id"], "watched_seconds": -1}]})
    assert negative.status_code == 400


async def test_views_need_a_signed_in_person(clients, member_client):
    p = await post(member_client, "x")
    anonymous = await clients.anonymous()
    assert (await anonymous.post("/api/views", json={"items": [{"post_id": p["id"]}]})).status_code == 401
