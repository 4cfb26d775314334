"""@mentions recorded and told once; #hashtags and their tag page."""

from tests.server.social.helpers import comment, post


async def _mentioned(post_id: int) -> list[tuple[int | None, int]]:
    from server.social.tables import Mention

    rows = await Mention.select(Mention.comment, Mention.person).where(Mention.post == post_id).order_by(Mention.id)
    return [(row["comment"], row["person"]) for row in rows]


async def test_tokens_and_unambiguous_names_are_mentions(clients, users, notified):
    ann = await users.create(name="Ann Author")
    bea = await users.create(name="Bea Schmidt")
    carl = await users.create(name="Carl Weber")
    await users.create(name="Dora One")
    await users.create(name="Dora Two")
    a = await clients.signed_in(ann)
    body = (f"Thanks @[Bea S.](user:{bea['id']}) and @Carl.Weber! @Dora is ambiguous, @Nobody is nobody, "
            f"@[Ghost](user:999999) does not exist, and I do not mention @[me](user:{ann['id']}).")
    p = await post(a, body)
    assert await _mentioned(p["id"]) == [(None, bea["id"]), (None, carl["id"])]
    assert notified.of("mention") == [(sorted([bea["id"], carl["id"]]), p["id"])]
    # A token shows the person's real name, whatever the client wrote; a token for nobody is plain text.
    assert (await a.get(f"/api/posts/{p['id']}")).json()["body"] == (
        f"Thanks @[Bea Schmidt](user:{bea['id']}) and @Carl.Weber! @Dora is ambiguous, @Nobody is nobody, "
        f"@Ghost does not exist, and I do not mention @[Ann Author](user:{ann['id']})."
    )


async def test_mentions_in_comments_and_edits_are_told_once(clients, users, notified):
    ann, bea, carl = await users.create(name="Ann"), await users.create(name="Bea"), await users.create(name="Carl")
    a, b = await clients.signed_in(ann), await clients.signed_in(bea)
    p = await post(a, "Who knows Excel?")
    c = await comment(b, p["id"], f"@[Carl](user:{carl['id']}) does")
    await b.patch(f"/api/comments/{c['id']}", json={"body": f"@[Carl](user:{carl['id']}) does, and @Ann too"})
    assert await _mentioned(p["id"]) == [(c["id"], carl["id"]), (c["id"], ann["id"])]
    # Carl told once (not again on the edit); Ann told of the mention, and of the comment on her post.
    assert notified.of("mention") == [([carl["id"]], p["id"]), ([ann["id"]], p["id"])]
    assert notified.of("comment") == [([ann["id"]], p["id"])]


async def test_hashtags_page_newest_first_case_insensitive(clients, users):
    ann = await users.create(name="Ann")
    a = await clients.signed_in(ann)
    first = await post(a, "Fresh bread at the #Bäckerei today")
    await post(a, "No tag here, just a mail a#b and https://example.com/#Bäckerei")
    second = await post(a, "#BÄCKEREI closes early #friday")
    for tag in ("bäckerei", "BÄCKEREI", "%23Bäckerei"):
        page = (await a.get(f"/api/tags/{tag}/posts")).json()
        assert [item["id"] for item in page["items"]] == [second["id"], first["id"]], tag
    assert [i["id"] for i in (await a.get("/api/feed", params={"tag": "Friday"})).json()["items"]] == [second["id"]]
    assert (await a.get("/api/tags/nothing/posts")).json() == {"items": [], "next_cursor": None}
    pages = (await a.get("/api/tags/bäckerei/posts", params={"limit": 1})).json()
    rest = (await a.get("/api/tags/bäckerei/posts", params={"cursor": pages["next_cursor"]})).json()
    assert [i["id"] for i in pages["items"] + rest["items"]] == [second["id"], first["id"]]


async def test_a_huge_hashtag_is_no_500(member_client):
    p = await post(member_client, "#" + "a" * 500)
    assert p["status"] == "published"
    too_long = await member_client.get(f"/api/tags/{'a' * 150}/posts")
    assert too_long.status_code == 400 and "at most" not in too_long.json()["detail"]
    assert "1 to 100" in too_long.json()["detail"]
