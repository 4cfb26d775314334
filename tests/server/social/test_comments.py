"""Comments: one level of replies, oldest first, edit own, delete own or as a moderator."""

from tests.server.social.helpers import comment, post


async def test_thread_oldest_first_with_replies_grouped(clients, users, notified):
    ann, bob, cay = await users.create(name="Ann"), await users.create(name="Bob"), await users.create(name="Cay")
    a, b, c = await clients.signed_in(ann), await clients.signed_in(bob), await clients.signed_in(cay)
    p = await post(a, "Where is the projector?")
    first = await comment(b, p["id"], "Room 2")
    second = await comment(c, p["id"], "Or ask facilities")
    reply = await comment(a, p["id"], "Thanks!", parent_id=first["id"])
    # A reply to a reply joins the top-level thread: one level only.
    nested = await comment(c, p["id"], "It is in the cupboard", parent_id=reply["id"])
    assert reply["parent_id"] == first["id"] and nested["parent_id"] == first["id"]

    page = (await a.get(f"/api/posts/{p['id']}/comments")).json()
    assert [item["body"] for item in page["items"]] == ["Room 2", "Or ask facilities"]
    assert [r["body"] for r in page["items"][0]["replies"]] == ["Thanks!", "It is in the cupboard"]
    assert page["items"][0]["reply_count"] == 2 and page["items"][1]["replies"] == []
    assert page["items"][0]["author"]["name"] == "Bob" and page["next_cursor"] is None
    assert (await a.get(f"/api/posts/{p['id']}")).json()["comment_count"] == 4
    replies = (await a.get(f"/api/posts/{p['id']}/comments", params={"parent": first["id"], "limit": 1})).json()
    assert [r["body"] for r in replies["items"]] == ["Thanks!"] and replies["next_cursor"]

    # Ann is told about comments on her post, Bob about the replies to his comment.
    assert ([ann["id"]], p["id"]) in notified.of("comment")
    assert notified.of("reply") == [([bob["id"]], p["id"]), ([bob["id"]], p["id"])]
    assert all(ann["id"] not in ids for ids, _ in notified.of("reply"))
    assert second["can_edit"] is True


async def test_comment_pages_cover_every_comment_once(member_client):
    p = await post(member_client, "count off")
    for i in range(5):
        await comment(member_client, p["id"], f"c{i}")
    seen, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await member_client.get(f"/api/posts/{p['id']}/comments", params=params)).json()
        seen += [c["body"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"c{i}" for i in range(5)]


async def test_edit_own_only_and_marked_edited(clients, users):
    ann, bob = await users.create(name="Ann"), await users.create(name="Bob")
    a, b = await clients.signed_in(ann), await clients.signed_in(bob)
    p = await post(a, "Edit me")
    c = await comment(b, p["id"], "typo hree")
    assert c["edited"] is False
    fixed = await b.patch(f"/api/comments/{c['id']}", json={"body": "typo here"})
    assert fixed.status_code == 200 and fixed.json()["edited"] is True and fixed.json()["body"] == "typo here"
    denied = await a.patch(f"/api/comments/{c['id']}", json={"body": "I rewrite you"})
    assert denied.status_code == 403 and "Only its author" in denied.json()["detail"]


async def test_delete_own_or_as_moderator_not_someone_elses(clients, users):
    ann, bob = await users.create(name="Ann"), await users.create(name="Bob")
    mod = await users.create("moderator", "Mo")
    a, b, m = await clients.signed_in(ann), await clients.signed_in(bob), await clients.signed_in(mod)
    p = await post(a, "Post")
    mine, rude = await comment(b, p["id"], "mine"), await comment(b, p["id"], "rude")
    refused = await a.delete(f"/api/comments/{mine['id']}")  # the post's author is not a moderator
    assert refused.status_code == 403 and "author or a moderator" in refused.json()["detail"]
    assert (await b.delete(f"/api/comments/{mine['id']}")).status_code == 204
    assert (await m.delete(f"/api/comments/{rude['id']}")).status_code == 204
    assert (await a.get(f"/api/posts/{p['id']}/comments")).json()["items"] == []
    gone = await b.delete(f"/api/comments/{mine['id']}")
    assert gone.status_code == 404 and "does not exist" in gone.json()["detail"]


async def test_a_deleted_comment_with_replies_stays_as_a_placeholder(clients, users):
    ann, bob = await users.create(name="Ann"), await users.create(name="Bob")
    a, b = await clients.signed_in(ann), await clients.signed_in(bob)
    p = await post(a, "Post")
    top = await comment(a, p["id"], "question")
    answer = await comment(b, p["id"], "answer", parent_id=top["id"])
    assert (await a.delete(f"/api/comments/{top['id']}")).status_code == 204
    item = (await b.get(f"/api/posts/{p['id']}/comments")).json()["items"][0]
    assert item["deleted"] is True and item["body"] == "" and item["author"] is None
    assert [r["body"] for r in item["replies"]] == ["answer"]
    assert (await b.get(f"/api/posts/{p['id']}")).json()["comment_count"] == 1
    # The last reply going takes the placeholder with it.
    assert (await b.delete(f"/api/comments/{answer['id']}")).status_code == 204
    assert (await b.get(f"/api/posts/{p['id']}/comments")).json()["items"] == []


async def test_deleting_the_post_deletes_its_comments(member_client):
    from server.social.tables import Comment

    p = await post(member_client, "Post")
    top = await comment(member_client, p["id"], "one")
    await comment(member_client, p["id"], "two", parent_id=top["id"])
    assert (await member_client.delete(f"/api/posts/{p['id']}")).status_code == 204
    assert await Comment.count().where(Comment.post == p["id"]) == 0
    response = await member_client.post(f"/api/posts/{p['id']}/comments", json={"body": "too late"})
    assert response.status_code == 404 and "does not exist" in response.json()["detail"]


async def test_bad_comments_are_400s_with_reasons(clients, users):
    ann, bob = await users.create(name="Ann"), await users.create(name="Bob")
    a, b = await clients.signed_in(ann), await clients.signed_in(bob)
    p, other = await post(a, "Post"), await post(a, "Other")
    huge = await a.post(f"/api/posts/{p['id']}/comments", json={"body": "x" * 1_000_000})
    assert huge.status_code == 400 and "at most 2,000 characters" in huge.json()["detail"]
    empty = await a.post(f"/api/posts/{p['id']}/comments", json={"body": "   "})
    assert empty.status_code == 400 and "cannot be empty" in empty.json()["detail"]
    elsewhere = await comment(a, other["id"], "on the other post")
    wrong = await a.post(f"/api/posts/{p['id']}/comments", json={"body": "hi", "parent_id": elsewhere["id"]})
    assert wrong.status_code == 400 and "replying to does not exist" in wrong.json()["detail"]
    c = await comment(b, p["id"], "fine")
    too_long = await b.patch(f"/api/comments/{c['id']}", json={"body": "y" * 2001})
    assert too_long.status_code == 400 and "at most 2,000" in too_long.json()["detail"]
