"""Follows and the Following feed; kudos on profiles."""

from tests.server.social.helpers import post


async def test_follow_unfollow_counts_and_lists(clients, users):
    ann, bob, cay = await users.create(name="Ann"), await users.create(name="Bob"), await users.create(name="Cay")
    a, c = await clients.signed_in(ann), await clients.signed_in(cay)
    for _ in range(2):  # following twice is following once
        state = (await a.put(f"/api/people/{bob['id']}/follow")).json()
    assert state == {"following": True, "followers": 1}
    await c.put(f"/api/people/{bob['id']}/follow")
    profile = (await a.get(f"/api/people/{bob['id']}")).json()
    assert profile["followers"] == 2 and profile["following"] == 0 and profile["is_following"] is True
    assert profile["name"] == "Bob" and profile["is_me"] is False
    followers = (await a.get(f"/api/people/{bob['id']}/followers")).json()
    assert [p["name"] for p in followers["items"]] == ["Cay", "Ann"]
    assert [p["name"] for p in (await a.get(f"/api/people/{ann['id']}/following")).json()["items"]] == ["Bob"]

    from server.social.follows import followers_of

    assert sorted(await followers_of(bob["id"])) == sorted([ann["id"], cay["id"]])
    assert (await a.delete(f"/api/people/{bob['id']}/follow")).json() == {"following": False, "followers": 1}
    assert (await a.delete(f"/api/people/{bob['id']}/follow")).status_code == 200


async def test_following_oneself_or_nobody(member_client, member):
    me = await member_client.put(f"/api/people/{member['id']}/follow")
    assert me.status_code == 400 and "cannot follow yourself" in me.json()["detail"]
    nobody = await member_client.put("/api/people/999999/follow")
    assert nobody.status_code == 404 and "does not exist" in nobody.json()["detail"]


async def test_following_feed_has_followed_people_and_me(clients, users):
    ann, bob, cay = await users.create(name="Ann"), await users.create(name="Bob"), await users.create(name="Cay")
    a, b, c = await clients.signed_in(ann), await clients.signed_in(bob), await clients.signed_in(cay)
    await post(b, "from Bob")
    await post(c, "from Cay")
    await post(a, "from Ann")
    await a.put(f"/api/people/{bob['id']}/follow")
    following = (await a.get("/api/feed", params={"scope": "following"})).json()["items"]
    assert [p["body"] for p in following] == ["from Ann", "from Bob"]
    company = (await a.get("/api/feed", params={"scope": "company"})).json()["items"]
    assert [p["body"] for p in company] == ["from Ann", "from Cay", "from Bob"]
    bad = await a.get("/api/feed", params={"scope": "friends"})
    assert bad.status_code == 400


async def test_kudos_show_on_the_profile(clients, users, notified):
    ann, bob, cay = await users.create(name="Ann"), await users.create(name="Bob"), await users.create(name="Cay")
    a, b = await clients.signed_in(ann), await clients.signed_in(bob)
    p = await post(a, "Huge thanks to the night shift")
    thanked = await a.put(f"/api/posts/{p['id']}/kudos", json={"user_ids": [bob["id"], cay["id"], bob["id"]]})
    assert thanked.status_code == 200, thanked.text
    assert [person["name"] for person in thanked.json()["people"]] == ["Bob", "Cay"]
    assert notified.of("kudos") == [(sorted([bob["id"], cay["id"]]), p["id"])]

    received = (await a.get(f"/api/people/{bob['id']}/kudos")).json()["items"]
    assert [item["id"] for item in received] == [p["id"]]
    assert [k["name"] for k in received[0]["kudos"]] == ["Bob", "Cay"]
    assert (await b.get(f"/api/people/{bob['id']}")).json()["kudos"] == 1
    # Naming the list again replaces it; only newcomers are told.
    await a.put(f"/api/posts/{p['id']}/kudos", json={"user_ids": [cay["id"]]})
    assert (await a.get(f"/api/people/{bob['id']}/kudos")).json()["items"] == []
    assert len(notified.of("kudos")) == 1
    # The post menu's sheet may also empty the list: nobody is thanked any more.
    emptied = await a.put(f"/api/posts/{p['id']}/kudos", json={"user_ids": []})
    assert emptied.status_code == 200 and emptied.json()["people"] == []
    assert (await a.get(f"/api/posts/{p['id']}")).json()["kudos"] == []
    assert (await a.get(f"/api/people/{cay['id']}/kudos")).json()["items"] == []
    posts = (await a.get(f"/api/people/{ann['id']}/posts")).json()["items"]
    assert [item["id"] for item in posts] == [p["id"]]


async def test_kudos_only_by_the_author_and_for_real_colleagues(clients, users, member):
    ann, bob = await users.create(name="Ann"), await users.create(name="Bob")
    a, b = await clients.signed_in(ann), await clients.signed_in(bob)
    p = await post(a, "Thanks!")
    other = await b.put(f"/api/posts/{p['id']}/kudos", json={"user_ids": [bob["id"]]})
    assert other.status_code == 403 and "Only the author" in other.json()["detail"]
    me = await a.put(f"/api/posts/{p['id']}/kudos", json={"user_ids": [ann["id"]]})
    assert me.status_code == 400 and "yourself" in me.json()["detail"]
    ghost = await a.put(f"/api/posts/{p['id']}/kudos", json={"user_ids": [999999]})
    assert ghost.status_code == 400 and "do not exist: 999999" in ghost.json()["detail"]
    many = await a.put(f"/api/posts/{p['id']}/kudos", json={"user_ids": list(range(1, 30))})
    assert many.status_code == 400


async def test_kudos_and_mentions_on_a_processing_post_are_told_when_it_publishes(clients, users, notified):
    from server.posts import states
    from server.posts.tables import Post

    ann, bob, cay = await users.create(name="Ann"), await users.create(name="Bob"), await users.create(name="Cay")
    a = await clients.signed_in(ann)
    rows = await Post.insert(Post(author=ann["id"], body=f"Clip for @[Cay](user:{cay['id']}) #Team", kind="video",
                                  status=states.PROCESSING)).returning(Post.id)
    post_id = rows[0]["id"]
    assert (await a.put(f"/api/posts/{post_id}/kudos", json={"user_ids": [bob["id"]]})).status_code == 200
    assert notified.calls == []  # nothing is told about a post nobody can see yet
    assert (await a.get(f"/api/people/{bob['id']}/kudos")).json()["items"] == []
    assert await states.publish(post_id)
    assert notified.of("kudos") == [([bob["id"]], post_id)]
    assert notified.of("mention") == [([cay["id"]], post_id)]
    assert [i["id"] for i in (await a.get("/api/tags/team/posts")).json()["items"]] == [post_id]
    assert [i["id"] for i in (await a.get(f"/api/people/{bob['id']}/kudos")).json()["items"]] == [post_id]


async def test_follower_list_pages_with_a_cursor(clients, users):
    star = await users.create(name="Star")
    fans = [await users.create(name=f"Fan {i}") for i in range(5)]
    for fan in fans:
        await (await clients.signed_in(fan)).put(f"/api/people/{star['id']}/follow")
    viewer = await clients.signed_in(star)
    seen, cursor = [], None
    for _ in range(5):
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await viewer.get(f"/api/people/{star['id']}/followers?{query}")).json()
        seen += [p["name"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"Fan {i}" for i in reversed(range(5))]  # latest first, each once
    bad = await viewer.get(f"/api/people/{star['id']}/followers?cursor=garbage")
    assert bad.status_code == 400


async def test_kudos_list_pages_with_a_cursor(clients, users):
    ann, bob = await users.create(name="Ann"), await users.create(name="Bob")
    a = await clients.signed_in(ann)
    for i in range(3):
        p = await post(a, f"thanks {i}")
        assert (await a.put(f"/api/posts/{p['id']}/kudos", json={"user_ids": [bob["id"]]})).status_code == 200
    first = (await a.get(f"/api/people/{bob['id']}/kudos?limit=2")).json()
    rest = (await a.get(f"/api/people/{bob['id']}/kudos?limit=2&cursor={first['next_cursor']}")).json()
    assert [p["body"] for p in first["items"] + rest["items"]] == ["thanks 2", "thanks 1", "thanks 0"]
    assert rest["next_cursor"] is None
