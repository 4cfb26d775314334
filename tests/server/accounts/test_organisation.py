"""Job title, department, location and manager: set by admins, read-only for the person (issue 12 #4)."""

import pytest

from server.accounts.tables import User
from tests.server.announcements.conftest import announce, feed_bodies, sent  # noqa: F401 (a fixture)


@pytest.mark.parametrize(("field", "value", "said"), [
    ("title", "CEO", "Your job title is set by your admins."),
    ("department", "", "Your department is set by your admins."),
    ("location", None, "Your location is set by your admins."),
    ("manager", 1, "Your manager is set by your admins."),
])
async def test_a_member_is_told_who_sets_where_they_sit(member_client, member, field, value, said):
    response = await member_client.patch("/api/me", json={"name": "Mia M.", field: value})
    assert response.status_code == 400
    assert response.json()["detail"] == said
    # Nothing of the request was applied, the name neither.
    assert (await User.select(User.name).where(User.id == member["id"]).first())["name"] == "Mia Member"


async def test_members_still_edit_the_rest_of_their_profile(member_client, users, member):
    await User.update({User.department: "Support"}).where(User.id == member["id"])
    response = await member_client.patch(
        "/api/me", json={"name": "Mia Meier", "bio": "Ask me about returns", "expertise": ["returns"], "language": "de"}
    )
    assert response.status_code == 200
    me = response.json()
    assert (me["name"], me["bio"], me["expertise"], me["language"], me["department"]) == (
        "Mia Meier", "Ask me about returns", ["returns"], "de", "Support"
    )
    unknown = await member_client.patch("/api/me", json={"pronouns": "she/her", "role": "admin"})
    assert unknown.status_code == 400 and "unknown field" in unknown.json()["detail"].lower()


async def test_admins_change_their_own_department_on_the_people_screen_too(admin_client, admin):
    """/api/me is the same for everyone: an admin's own department goes through the admin route."""
    refused = await admin_client.patch("/api/me", json={"department": "Sales"})
    assert refused.status_code == 400 and refused.json()["detail"] == "Your department is set by your admins."
    done = await admin_client.patch(f"/api/admin/people/{admin['id']}", json={"department": "Sales"})
    assert done.status_code == 200 and done.json()["department"] == "Sales"


async def test_an_admin_moves_someone_into_a_department_and_they_see_its_announcements_at_once(
    clients, users, admin, sent
):
    sam = await users.create(name="Sam Sales", department="Sales")
    eve = await users.create(name="Eve Support", department="Support", location="Hamburg")
    boss = await users.create(name="Bea Boss", department="Sales")
    author = await clients.signed_in(admin)
    post = await announce(author, "Sales bonus plan", must_read=True, audience={"departments": ["Sales"]})
    e = await clients.signed_in(eve)
    assert "Sales bonus plan" not in await feed_bodies(e)

    moved = await author.patch(
        f"/api/admin/people/{eve['id']}",
        json={"title": " Account  Manager ", "department": "Sales", "location": "Berlin", "manager": boss["id"]},
    )
    assert moved.status_code == 200, moved.text
    account = moved.json()
    assert (account["title"], account["department"], account["location"]) == ("Account Manager", "Sales", "Berlin")
    assert account["manager"] == {"id": boss["id"], "name": "Bea Boss"}
    assert account["role"] == "member" and account["disabled"] is False

    # Her signed-in phone sees Sales' announcement on its next request, and she counts in its stats.
    assert "Sales bonus plan" in await feed_bodies(e)
    stats = (await author.get(f"/api/announcements/{post['id']}/stats")).json()
    assert stats["audience_size"] == 3
    assert sorted(p["name"] for p in stats["not_acknowledged"]) == ["Bea Boss", "Eve Support", sam["name"]]
    # Her profile, as she and as colleagues see it, names her manager.
    me = (await e.get("/api/me")).json()
    assert me["department"] == "Sales" and me["manager"] == {"id": boss["id"], "name": "Bea Boss"}
    profile = (await (await clients.signed_in(sam)).get(f"/api/people/{eve['id']}")).json()
    assert profile["title"] == "Account Manager" and profile["manager"] == {"id": boss["id"], "name": "Bea Boss"}

    cleared = await author.patch(f"/api/admin/people/{eve['id']}", json={"manager": None, "department": ""})
    assert cleared.json()["manager"] is None and cleared.json()["department"] == ""
    assert "Sales bonus plan" not in await feed_bodies(e)


async def test_a_manager_must_be_someone_else_who_does_not_report_to_them(admin_client, users):
    ann, bob, cay = [await users.create(name=n) for n in ("Ann", "Bob", "Cay")]
    assert (await admin_client.patch(f"/api/admin/people/{bob['id']}", json={"manager": ann["id"]})).status_code == 200
    assert (await admin_client.patch(f"/api/admin/people/{cay['id']}", json={"manager": bob["id"]})).status_code == 200

    own = await admin_client.patch(f"/api/admin/people/{ann['id']}", json={"manager": ann["id"]})
    assert own.status_code == 400 and own.json()["detail"] == "Ann cannot be their own manager."
    loop = await admin_client.patch(f"/api/admin/people/{ann['id']}", json={"manager": cay["id"], "title": "CEO"})
    assert loop.status_code == 400
    assert loop.json()["detail"] == (
        "Cay cannot be the manager of Ann: Cay already reports to Ann, directly or through others."
    )
    nobody = await admin_client.patch(f"/api/admin/people/{ann['id']}", json={"manager": 999999})
    assert nobody.status_code == 404 and "no such person" in nobody.json()["detail"]
    # Refused as a whole: the title of the refused request was not set either.
    assert (await User.select(User.title).where(User.id == ann["id"]).first())["title"] == ""
    long = await admin_client.patch(f"/api/admin/people/{ann['id']}", json={"department": "x" * 101})
    assert long.status_code == 400 and "at most 100 characters" in long.json()["detail"]


async def test_a_disabled_manager_is_not_shown(clients, users, admin_client):
    boss = await users.create(name="Old Boss")
    eve = await users.create(name="Eve", manager=boss["id"])
    me = await clients.signed_in(eve)
    assert (await me.get("/api/me")).json()["manager"]["name"] == "Old Boss"
    await admin_client.patch(f"/api/admin/people/{boss['id']}", json={"disabled": True})
    assert (await me.get("/api/me")).json()["manager"] is None
    # Admins still see whom the directory says she reports to, to change it.
    people = (await admin_client.get("/api/admin/people", params={"q": "eve"})).json()["items"]
    assert people[0]["manager"] == {"id": boss["id"], "name": "Old Boss"}


async def test_only_admins_set_where_people_sit(clients, users):
    eve = await users.create(name="Eve")
    for role in ("member", "moderator"):
        client = await clients.signed_in(await users.create(role))
        refused = await client.patch(f"/api/admin/people/{eve['id']}", json={"department": "Sales"})
        assert refused.status_code == 403
    assert (await User.select(User.department).where(User.id == eve["id"]).first())["department"] == ""
