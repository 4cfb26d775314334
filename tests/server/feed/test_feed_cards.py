"""A feed page is built in two statements: every card must still show what the post itself shows."""

from tests.server.announcements.conftest import announce, sent  # noqa: F401  (sent: a fixture)
from tests.server.social.conftest import notified  # noqa: F401  (a fixture)


async def _post(client, body: str) -> dict:
    response = await client.post("/api/posts", json={"body": body})
    assert response.status_code == 201, response.text
    return response.json()


async def _with_media(post_id: int, kind: str, items: list[dict]) -> None:
    """Turn a text post into a video or gallery one without transcoding (the media tests cover that)."""
    from server.posts.tables import Post, PostMedia

    await Post.update({Post.kind: kind}).where(Post.id == post_id)
    await PostMedia.insert(*[PostMedia(post=post_id, position=position, status="ready", **item) for position, item in enumerate(items)])


def _rendition(name: str, width: int) -> dict:
    return {"name": name, "key": f"p/x/{name}.mp4", "width": width, "height": width * 16 // 9, "size": 1, "bitrate": 800, "mime": "video/mp4"}


def _variant(name: str, width: int) -> dict:
    return {"name": name, "key": f"p/x/{name}.webp", "width": width, "height": width, "size": 1, "mime": "image/webp"}


async def test_a_mixed_page_shows_on_each_card_what_the_post_itself_shows(clients, users, admin, sent, notified):
    ann, bob, cay = await users.create(name="Ann"), await users.create(name="Bob"), await users.create(name="Cay")
    boss, a, b, c = [await clients.signed_in(u) for u in (admin, ann, bob, cay)]
    must = await announce(boss, "Watch the safety video", must_read=True)
    await _with_media(must["id"], "video", [{"kind": "video", "duration": 10.0, "width": 720, "height": 1280}])
    pinned = await _post(boss, "Canteen closed on Friday")
    assert (await boss.put(f"/api/posts/{pinned['id']}/pin", json={})).status_code == 200
    thanks = await _post(a, "Thanks for the launch!")
    video = await _post(b, "Our new line")
    await _with_media(video["id"], "video", [{"kind": "video", "duration": 8.5, "width": 1080, "height": 1920, "blurhash": "LKO2",
                                              "poster": "p/x/poster.webp", "renditions": [_rendition("480p", 480), _rendition("720p", 720)]}])
    gallery = await _post(c, "Team day")
    await _with_media(gallery["id"], "gallery", [
        {"kind": "image", "width": 800, "height": 600, "alt": "The lake", "variants": [_variant("small", 400), _variant("large", 800)]},
        {"kind": "image", "width": 600, "height": 800, "alt": "The boat", "variants": [_variant("small", 300)]},
    ])
    newest = await _post(b, "Lunch?")

    for client, kind in ((a, "like"), (a, "idea"), (b, "like")):
        assert (await client.put(f"/api/posts/{video['id']}/reactions/{kind}")).status_code == 200
    assert (await c.put(f"/api/posts/{thanks['id']}/reactions/clap")).status_code == 200
    first = (await b.post(f"/api/posts/{gallery['id']}/comments", json={"body": "Great day"})).json()
    await a.post(f"/api/posts/{gallery['id']}/comments", json={"body": "Agreed", "parent_id": first["id"]})
    assert (await b.delete(f"/api/comments/{first['id']}")).status_code == 204  # a placeholder now: not counted
    await a.post(f"/api/posts/{gallery['id']}/comments", json={"body": "Who took these?"})
    assert (await a.put(f"/api/posts/{thanks['id']}/kudos", json={"user_ids": [cay["id"], bob["id"]]})).status_code == 200
    # A first report, as the player starts: no more than the clock allows (announcements' 80% rule).
    assert (await a.post(f"/api/announcements/{must['id']}/progress", json={"fraction": 0.3})).status_code == 200

    page = (await a.get("/api/feed", params={"limit": 2})).json()
    rest = (await a.get("/api/feed", params={"limit": 2, "cursor": page["next_cursor"]})).json()
    items = page["items"] + rest["items"]
    # Ann sees the must-read she has not confirmed, then the pin, then everything else newest first.
    assert [p["id"] for p in items] == [must["id"], pinned["id"], newest["id"], gallery["id"], video["id"], thanks["id"]]
    assert rest["next_cursor"] is None
    by_id = {p["id"]: p for p in items}
    assert by_id[must["id"]]["announcement"] and by_id[must["id"]]["watched"] == 0.3 and not by_id[must["id"]]["acknowledged"]
    assert by_id[pinned["id"]]["pinned"] and not by_id[pinned["id"]]["announcement"]
    assert by_id[video["id"]]["reactions"] == {"like": 2, "clap": 0, "party": 0, "idea": 1}
    assert by_id[video["id"]]["my_reactions"] == ["like", "idea"]
    assert [r["name"] for r in by_id[video["id"]]["media"][0]["renditions"]] == ["480p", "720p"]
    assert [m["alt"] for m in by_id[gallery["id"]]["media"]] == ["The lake", "The boat"]
    assert by_id[gallery["id"]]["comment_count"] == 2
    assert [k["name"] for k in by_id[thanks["id"]]["kudos"]] == ["Cay", "Bob"]
    assert by_id[thanks["id"]]["reactions"]["clap"] == 1 and by_id[thanks["id"]]["my_reactions"] == []
    # Each card is exactly the post as its own page shows it (built by the per-post queries).
    for item in items:
        assert item == (await a.get(f"/api/posts/{item['id']}")).json()
    # Filters apply to every part: the must-read is a video, the pin is text.
    videos = (await a.get("/api/feed", params={"kind": "video"})).json()["items"]
    assert [p["id"] for p in videos] == [must["id"], video["id"]]
    assert (await a.get("/api/feed", params={"kind": "gallery"})).json()["items"] == [by_id[gallery["id"]]]
    # Bob's profile lists his posts only, the same cards again.
    assert (await a.get(f"/api/people/{bob['id']}/posts")).json()["items"] == [by_id[newest["id"]], by_id[video["id"]]]
