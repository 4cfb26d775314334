"""Full-text search over posts and comments: ranking, old posts, umlauts, hostile queries, pages."""

from datetime import datetime, timedelta, timezone

import pytest

from tests.server.social.helpers import comment, post


async def _search(client, q: str, **params) -> dict:
    response = await client.get("/api/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _text(hit: dict) -> str:
    return "".join(s["text"] for s in hit["snippet"])


async def test_more_occurrences_rank_higher_and_snippets_mark_the_word(member_client):
    once = await post(member_client, "The quarterly report is ready for review today")
    twice = await post(member_client, "Report on the report: where to find it today")
    await post(member_client, "Nothing to see here, just lunch plans")
    hits = (await _search(member_client, "report"))["items"]
    assert [h["post"]["id"] for h in hits] == [twice["id"], once["id"]]
    assert all(h["type"] == "post" and h["comment"] is None for h in hits)
    marked = [s["text"] for s in hits[1]["snippet"] if s["hit"]]
    assert [m.lower() for m in marked] == ["report"]
    assert "quarterly" in _text(hits[1])


async def test_an_old_post_and_a_comment_are_found(member_client, users, clients):
    from server.posts.tables import Post

    old = await post(member_client, "How do I book the Konferenzraum in building B?")
    years_ago = datetime.now(timezone.utc) - timedelta(days=3 * 365)
    await Post.update({Post.published_at: years_ago, Post.created_at: years_ago}).where(Post.id == old["id"])
    for i in range(5):
        await post(member_client, f"newer chatter {i}")
    colleague = await clients.signed_in(await users.create(name="Helpful Hanna"))
    answer = await comment(colleague, old["id"], "Use the kiosk next to the Konferenzraum door")
    hits = (await _search(member_client, "konferenzraum"))["items"]
    assert {(h["type"], h["post"]["id"]) for h in hits} == {("post", old["id"]), ("comment", old["id"])}
    found = next(h for h in hits if h["type"] == "comment")
    assert found["comment"]["id"] == answer["id"] and found["comment"]["author"]["name"] == "Helpful Hanna"
    assert "kiosk" in _text(found)


async def test_german_umlauts_any_case_and_prefixes(member_client):
    p = await post(member_client, "Die BÄCKEREI am Marktplatz öffnet um sieben. Grüße!")
    await post(member_client, "Die Backerei ohne Umlaut ist etwas anderes")
    for q in ("Bäckerei", "bäckerei", "BÄCK", "öffnet", "grüße marktplatz"):
        assert [h["post"]["id"] for h in (await _search(member_client, q))["items"]] == [p["id"]], q


@pytest.mark.parametrize("q", [
    '"foo AND (', "*", "NEAR(", "-- drop table posts;", "' OR 1=1 --", '""', "foo:bar^", "AND OR NOT", "%_\\",
    "x" * 200,
])
async def test_hostile_queries_never_fail(member_client, q):
    await post(member_client, "foo bar baz")
    response = await member_client.get("/api/search", params={"q": q})
    assert response.status_code == 200, response.text
    body = response.json()
    assert isinstance(body["items"], list)
    if q.startswith('"foo'):
        assert [_text(h) for h in body["items"]] == ["foo bar baz"]


async def test_pages_cover_every_hit_once_and_bad_cursors_are_400(member_client):
    ids = [(await post(member_client, f"kaffee number {i}"))["id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        page = await _search(member_client, "kaffee", limit=2, **({"cursor": cursor} if cursor else {}))
        seen += [h["post"]["id"] for h in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ids) and len(seen) == 5
    bad = await member_client.get("/api/search", params={"q": "kaffee", "cursor": "garbage"})
    assert bad.status_code == 400 and "not valid" in bad.json()["detail"]


async def test_only_published_posts_are_found(member_client, member):
    from server.posts.tables import Post

    hidden = await post(member_client, "secret geheimnis draft")
    await Post.update({Post.status: "processing"}).where(Post.id == hidden["id"])
    assert (await _search(member_client, "geheimnis"))["items"] == []
    deleted = await post(member_client, "vergessen forgotten")
    await member_client.delete(f"/api/posts/{deleted['id']}")
    assert (await _search(member_client, "vergessen"))["items"] == []


async def test_edited_and_deleted_comments_follow_the_index(clients, users):
    ann = await users.create(name="Ann")
    a = await clients.signed_in(ann)
    p = await post(a, "Question")
    c = await comment(a, p["id"], "first wording zebra")
    await a.patch(f"/api/comments/{c['id']}", json={"body": "second wording giraffe"})
    assert (await _search(a, "zebra"))["items"] == []
    assert [h["comment"]["id"] for h in (await _search(a, "giraffe"))["items"]] == [c["id"]]
    await a.delete(f"/api/comments/{c['id']}")
    assert (await _search(a, "giraffe"))["items"] == []


async def test_an_announcement_for_another_department_is_not_found_or_commentable(clients, users):
    boss = await users.create("moderator", "Boss")
    sales = await users.create(name="Sam Sales", department="Sales")
    ops = await users.create(name="Olga Ops", department="Ops")
    b, s, o = await clients.signed_in(boss), await clients.signed_in(sales), await clients.signed_in(ops)
    response = await b.post("/api/announcements", json={"body": "Provision targets for Sales", "audience": {"departments": ["Sales"]}})
    assert response.status_code == 201, response.text
    announcement = response.json()
    assert [h["post"]["id"] for h in (await _search(s, "provision"))["items"]] == [announcement["id"]]
    assert (await _search(o, "provision"))["items"] == []
    refused = await o.post(f"/api/posts/{announcement['id']}/comments", json={"body": "me too?"})
    assert refused.status_code == 404
    assert (await o.put(f"/api/posts/{announcement['id']}/reactions/like")).status_code == 404
