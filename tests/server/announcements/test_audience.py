"""Audiences: only the people an announcement is for see it and are notified."""

from tests.server.announcements.conftest import announce, feed_bodies


async def test_a_department_announcement_reaches_that_department_only(clients, users, admin, sent):
    sales = await users.create(name="Sam Sales", department="Sales", location="Berlin")
    sales2 = await users.create(name="Sue Sales", department="sales", location="Hamburg")
    support = await users.create(name="Sid Support", department="Support", location="Berlin")
    author = await clients.signed_in(admin)
    post = await announce(author, "New price list", audience={"departments": [" Sales "]})
    assert post["status"] == "published"
    # Department names match whatever their case or spacing.
    assert sent.calls[0]["user_ids"] == sorted([sales["id"], sales2["id"]])

    a, b = await clients.signed_in(sales), await clients.signed_in(support)
    assert "New price list" in await feed_bodies(a)
    assert "New price list" not in await feed_bodies(b)
    assert (await a.get(f"/api/posts/{post['id']}")).status_code == 200
    missing = await b.get(f"/api/posts/{post['id']}")
    assert missing.status_code == 404 and "does not exist" in missing.json()["detail"]
    # Its author always sees it.
    assert "New price list" in await feed_bodies(author)


async def test_a_location_announcement_and_a_moderator_outside_it(clients, users, sent):
    berlin = await users.create(name="Bea", department="Ops", location="Berlin")
    hamburg = await users.create(name="Hal", department="Ops", location="Hamburg")
    author = await clients.signed_in(await users.create("moderator", "Mod One", location="Munich"))
    other_mod = await clients.signed_in(await users.create("moderator", "Mod Two", location="Hamburg"))
    post = await announce(author, "Berlin office closed Monday", audience={"locations": ["Berlin"]})
    assert sent.calls[0]["user_ids"] == [berlin["id"]]
    assert "Berlin office closed Monday" in await feed_bodies(await clients.signed_in(berlin))
    assert "Berlin office closed Monday" not in await feed_bodies(await clients.signed_in(hamburg))
    # A moderator outside the audience does not get it in their feed, but can open it to moderate.
    assert "Berlin office closed Monday" not in await feed_bodies(other_mod)
    assert (await other_mod.get(f"/api/posts/{post['id']}")).status_code == 200


async def test_everyone_means_every_active_person_counted_when_asked(clients, users, admin, sent):
    from server.accounts.tables import User

    early = await users.create(name="Early")
    author = await clients.signed_in(admin)
    post = await announce(author, "Welcome to Hallway", must_read=True)
    assert sent.calls[0]["user_ids"] == [early["id"]]
    # Someone who joins later is in "everyone" too: counted, and sees the must-read on top.
    late = await users.create(name="Late")
    gone = await users.create(name="Gone")
    await User.update({User.disabled: True}).where(User.id == gone["id"])
    stats = (await author.get(f"/api/announcements/{post['id']}/stats")).json()
    assert stats["audience"] == "Everyone" and stats["audience_size"] == 2 and stats["acknowledged"] == 0
    assert [p["name"] for p in stats["not_acknowledged"]] == ["Early", "Late"]
    assert (await feed_bodies(await clients.signed_in(late)))[0] == "Welcome to Hallway"


async def test_a_member_cannot_move_into_a_department_to_read_its_announcements(clients, users, admin, sent):
    """Issue 12 #4: Eve from Support writes "Sales" into her profile to read what Sales is told and to
    count as one of them. She still sees nothing of it, is not counted, and is told who sets a department."""
    sam = await users.create(name="Sam Sales", department="Sales", location="Berlin")
    eve = await users.create(name="Eve Support", department="Support", location="Hamburg")
    author = await clients.signed_in(admin)
    post = await announce(author, "Sales bonus plan", must_read=True, audience={"departments": ["Sales"]})
    in_berlin = await announce(author, "Berlin parking", audience={"locations": ["Berlin"]})

    e = await clients.signed_in(eve)
    moved = await e.patch("/api/me", json={"department": "Sales"})
    relocated = await e.patch("/api/me", json={"bio": "Hi", "location": "Berlin"})

    assert "Sales bonus plan" not in await feed_bodies(e) and "Berlin parking" not in await feed_bodies(e)
    assert (await e.get(f"/api/posts/{post['id']}")).status_code == 404
    assert (await e.get(f"/api/posts/{in_berlin['id']}")).status_code == 404
    stats = (await author.get(f"/api/announcements/{post['id']}/stats")).json()
    assert stats["audience_size"] == 1
    assert [p["name"] for p in stats["not_acknowledged"]] == [sam["name"]]

    assert moved.status_code == 400
    assert moved.json()["detail"] == "Your department is set by your admins."
    assert relocated.status_code == 400
    assert relocated.json()["detail"] == "Your location is set by your admins."
    me = (await e.get("/api/me")).json()
    assert (me["department"], me["location"], me["bio"]) == ("Support", "Hamburg", "")
