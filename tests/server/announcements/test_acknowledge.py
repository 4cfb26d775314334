"""Must-reads: "Got it", the 80% rule for videos, staying on top until confirmed, stats and Remind."""

from datetime import datetime, timedelta, timezone

from tests.server.announcements.conftest import announce, feed_bodies


async def _as_video(post_id: int, duration: float = 10.0) -> None:
    """Make an announcement a video one without transcoding (the media tests cover that)."""
    from server.posts.tables import Post, PostMedia

    await Post.update({Post.kind: "video"}).where(Post.id == post_id)
    await PostMedia.insert(PostMedia(post=post_id, kind="video", status="ready", duration=duration, width=720, height=1280))


async def test_a_must_read_stays_on_top_for_each_person_until_they_confirm(clients, users, admin, sent):
    ann, bob = await users.create(name="Ann"), await users.create(name="Bob")
    author, a, b = await clients.signed_in(admin), await clients.signed_in(ann), await clients.signed_in(bob)
    post = await announce(author, "Read the safety rules", must_read=True)
    await b.post("/api/posts", json={"body": "newer chatter"})
    from server.posts.tables import Post

    # Not pinned, and older than the chatter: still first until confirmed.
    assert (await feed_bodies(a))[:2] == ["Read the safety rules", "newer chatter"]
    # A pin that ended does not change that.
    await Post.update({Post.pinned_at: datetime.now(timezone.utc) - timedelta(days=2),
                       Post.pinned_until: datetime.now(timezone.utc) - timedelta(days=1)}).where(Post.id == post["id"])
    assert (await feed_bodies(a))[0] == "Read the safety rules"
    done = await a.post(f"/api/announcements/{post['id']}/ack")
    assert done.status_code == 200 and done.json()["acknowledged"] is True
    assert await feed_bodies(a) == ["newer chatter", "Read the safety rules"]
    assert (await a.post(f"/api/announcements/{post['id']}/ack")).status_code == 200  # twice is fine
    # Bob has not confirmed: still on top for him; the DESIGN.md path works the same.
    assert (await feed_bodies(b))[0] == "Read the safety rules"
    assert (await b.post(f"/api/posts/{post['id']}/ack")).json()["acknowledged"] is True
    items = (await b.get("/api/feed")).json()["items"]
    assert [p["body"] for p in items] == ["newer chatter", "Read the safety rules"] and items[1]["acknowledged"]


async def test_what_cannot_be_confirmed_says_why(clients, users, admin, sent):
    inside = await users.create(name="In", department="Sales")
    outside = await users.create(name="Out", department="Support")
    author = await clients.signed_in(admin)
    plain = await announce(author, "FYI", audience={"departments": ["Sales"]})
    must = await announce(author, "Must", must_read=True, audience={"departments": ["Sales"]})
    a, o = await clients.signed_in(inside), await clients.signed_in(outside)
    r = await a.post(f"/api/announcements/{plain['id']}/ack")
    assert r.status_code == 400 and "does not ask for confirmation" in r.json()["detail"]
    assert (await o.post(f"/api/announcements/{must['id']}/ack")).status_code == 404
    r = await author.post(f"/api/announcements/{must['id']}/ack")
    assert r.status_code == 400 and "You wrote this announcement" in r.json()["detail"]
    r = await a.post("/api/announcements/999999/ack")
    assert r.status_code == 404


async def _watching_for(post_id: int, viewer: dict, seconds: float) -> None:
    """The clock moved on: the viewer's first progress report came `seconds` ago."""
    from server.announcements.tables import Receipt

    await Receipt.update({Receipt.started_at: datetime.now(timezone.utc) - timedelta(seconds=seconds)}).where(
        (Receipt.post == post_id) & (Receipt.user == viewer["id"])
    )


async def test_a_must_read_video_counts_only_once_watched_to_80_percent(clients, users, admin, sent):
    viewer = await users.create(name="Viv")
    author, v = await clients.signed_in(admin), await clients.signed_in(viewer)
    post = await announce(author, "Watch the CEO's message", must_read=True)
    await _as_video(post["id"], duration=60.0)
    r = await v.post(f"/api/announcements/{post['id']}/ack")
    assert r.status_code == 409 and r.json()["detail"] == "Watch the video to the end before confirming."
    r = await v.post(f"/api/announcements/{post['id']}/progress", json={"fraction": 0.01})  # it starts playing
    assert r.json() == {"watched": 0.01, "can_acknowledge": False}
    await _watching_for(post["id"], viewer, 30)
    r = await v.post(f"/api/announcements/{post['id']}/progress", json={"fraction": 0.5})
    assert r.json() == {"watched": 0.5, "can_acknowledge": False}
    assert (await v.post(f"/api/announcements/{post['id']}/ack")).status_code == 409
    await _watching_for(post["id"], viewer, 51)
    r = await v.post(f"/api/announcements/{post['id']}/progress", json={"watched_seconds": 51})
    assert r.json() == {"watched": 0.85, "can_acknowledge": True}
    # Seeking back later does not undo what was watched.
    r = await v.post(f"/api/announcements/{post['id']}/progress", json={"watched_seconds": 1})
    assert r.json()["watched"] == 0.85
    r = await v.post(f"/api/announcements/{post['id']}/ack")
    assert r.status_code == 200 and r.json()["acknowledged"] and r.json()["watched"] == 0.85
    bad = await v.post(f"/api/announcements/{post['id']}/progress", json={"fraction": 0.5, "watched_seconds": 3})
    assert bad.status_code == 400 and "either" in bad.json()["detail"]
    bad = await v.post(f"/api/announcements/{post['id']}/progress", json={"fraction": 2})
    assert bad.status_code == 400 and "fraction" in bad.json()["detail"]


async def test_reporting_the_end_at_once_does_not_unlock_got_it(clients, users, admin, sent):
    """A client that claims `fraction: 1` the moment it opens a one-minute clip: what counts is what the
    clock allows since its first report, so "Got it" unlocks only once a minute's 80 % could have played."""
    viewer = await users.create(name="Quick")
    author, v = await clients.signed_in(admin), await clients.signed_in(viewer)
    post = await announce(author, "Safety briefing", must_read=True)
    await _as_video(post["id"], duration=60.0)
    r = await v.post(f"/api/announcements/{post['id']}/progress", json={"fraction": 1})
    assert r.status_code == 200 and r.json()["can_acknowledge"] is False and r.json()["watched"] < 0.1
    r = await v.post(f"/api/announcements/{post['id']}/ack")
    assert r.status_code == 409 and r.json()["detail"] == "Watch the video to the end before confirming."
    await _watching_for(post["id"], viewer, 30)
    r = await v.post(f"/api/announcements/{post['id']}/progress", json={"watched_seconds": 60})
    assert r.json()["can_acknowledge"] is False and 0.5 <= r.json()["watched"] < 0.6
    assert (await v.post(f"/api/announcements/{post['id']}/ack")).status_code == 409
    await _watching_for(post["id"], viewer, 50)
    r = await v.post(f"/api/announcements/{post['id']}/progress", json={"fraction": 1})
    assert r.json()["can_acknowledge"] is True
    assert (await v.post(f"/api/announcements/{post['id']}/ack")).status_code == 200


async def test_stats_count_x_of_y_and_page_through_who_has_not(clients, users, sent):
    mod = await users.create("moderator", "Mo")
    people = [await users.create(name=n, department="Ops") for n in ("Cleo", "abe", "Bert", "Dora")]
    await users.create(name="Elsewhere", department="HR")
    author = await clients.signed_in(mod)
    post = await announce(author, "Shift plan", must_read=True, audience={"departments": ["Ops"]})
    for person in people[:2]:
        assert (await (await clients.signed_in(person)).post(f"/api/announcements/{post['id']}/ack")).status_code == 200
    stats = (await author.get(f"/api/announcements/{post['id']}/stats")).json()
    assert (stats["acknowledged"], stats["audience_size"], stats["audience"]) == (2, 4, "Ops")
    assert [p["name"] for p in stats["not_acknowledged"]] == ["Bert", "Dora"]
    first = (await author.get(f"/api/announcements/{post['id']}/stats", params={"limit": 1})).json()
    assert [p["name"] for p in first["not_acknowledged"]] == ["Bert"] and first["next_cursor"]
    second = (await author.get(f"/api/announcements/{post['id']}/stats",
                               params={"limit": 1, "cursor": first["next_cursor"]})).json()
    assert [p["name"] for p in second["not_acknowledged"]] == ["Dora"] and second["next_cursor"] is None
    # Someone who left no longer counts.
    from server.accounts.tables import User

    await User.update({User.disabled: True}).where(User.id == people[3]["id"])
    stats = (await author.get(f"/api/announcements/{post['id']}/stats")).json()
    assert (stats["acknowledged"], stats["audience_size"]) == (2, 3)
    # A member of the audience may not see who confirmed; an admin may.
    member = await clients.signed_in(people[0])
    r = await member.get(f"/api/announcements/{post['id']}/stats")
    assert r.status_code == 403 and "Only the author" in r.json()["detail"]
    admin = await clients.signed_in(await users.create("admin", "Ada"))
    assert (await admin.get(f"/api/announcements/{post['id']}/stats")).status_code == 200
    bad = await author.get(f"/api/announcements/{post['id']}/stats", params={"cursor": "garbage"})
    assert bad.status_code == 400


async def test_remind_notifies_only_those_who_have_not_confirmed_once_an_hour(clients, users, sent):
    from server.announcements.tables import Announcement

    mod = await users.create("moderator", "Mo")
    done, late1, late2 = [await users.create(name=n) for n in ("Done", "Late One", "Late Two")]
    author = await clients.signed_in(mod)
    post = await announce(author, "Sign the policy\nby Friday", must_read=True)
    await (await clients.signed_in(done)).post(f"/api/announcements/{post['id']}/ack")
    member = await clients.signed_in(late1)
    assert (await member.post(f"/api/announcements/{post['id']}/remind")).status_code == 403
    r = await author.post(f"/api/announcements/{post['id']}/remind")
    assert r.status_code == 200 and r.json()["reminded"] == 2
    [reminder] = sent.of("reminder")
    assert reminder["user_ids"] == sorted([late1["id"], late2["id"]])
    assert reminder["urgent"] is True and reminder["once"] is False and reminder["body"] == "Sign the policy"
    again = await author.post(f"/api/announcements/{post['id']}/remind")
    assert again.status_code == 429 and "You can remind again in" in again.json()["detail"]
    assert int(again.headers["retry-after"]) > 0
    assert len(sent.of("reminder")) == 1
    stats = (await author.get(f"/api/announcements/{post['id']}/stats")).json()
    assert stats["reminded_at"] and stats["next_reminder_at"]
    # An hour later it works again; once everyone confirmed there is nobody to remind.
    await Announcement.update({Announcement.reminded_at: datetime.now(timezone.utc) - timedelta(hours=2)}).where(
        Announcement.post == post["id"])
    assert (await author.post(f"/api/announcements/{post['id']}/remind")).status_code == 200
    for person in (late1, late2):
        await (await clients.signed_in(person)).post(f"/api/announcements/{post['id']}/ack")
    await Announcement.update({Announcement.reminded_at: None}).where(Announcement.post == post["id"])
    r = await author.post(f"/api/announcements/{post['id']}/remind")
    assert r.status_code == 400 and "nobody to remind" in r.json()["detail"]
    plain = await announce(author, "Just news")
    r = await author.post(f"/api/announcements/{plain['id']}/remind")
    assert r.status_code == 400 and "Only a must-read" in r.json()["detail"]


async def test_remind_lands_in_the_notifications_of_the_missing_only(clients, users):
    """Without a stand-in: through server/notifications into its table."""
    from server.notifications.tables import Notification

    mod = await users.create("moderator", "Mo")
    done, late = await users.create(name="Done"), await users.create(name="Late")
    author = await clients.signed_in(mod)
    post = await announce(author, "Fire drill at 11", must_read=True)
    await (await clients.signed_in(done)).post(f"/api/announcements/{post['id']}/ack")
    assert (await author.post(f"/api/announcements/{post['id']}/remind")).status_code == 200
    rows = await Notification.select(Notification.user, Notification.kind).where(Notification.post == post["id"])
    assert sorted((r["kind"], r["user"]) for r in rows) == sorted(
        [("must_read", done["id"]), ("must_read", late["id"]), ("reminder", late["id"])]
    )
