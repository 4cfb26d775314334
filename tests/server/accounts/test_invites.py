"""Invitations and the first admin's setup link."""

from datetime import datetime, timedelta, timezone

from server.accounts.services import setup_link_if_empty
from server.accounts.tables import Invite, User


async def test_admin_invites_a_colleague_who_joins_and_is_signed_in(admin_client, clients):
    created = await admin_client.post("/api/invites", json={"role": "moderator", "days": 3})
    assert created.status_code == 201
    invite = created.json()
    assert invite["url"].endswith(f"/#/join/{invite['token']}")
    guest = await clients.anonymous()
    info = await guest.get(f"/api/invites/{invite['token']}")
    assert info.json()["role"] == "moderator"
    joined = await guest.post(
        f"/api/invites/{invite['token']}/accept",
        json={"name": "Noah New", "email": "noah@example.com", "password": "long enough pw"},
    )
    assert joined.status_code == 201
    assert (await guest.get("/api/me")).json()["role"] == "moderator"


async def test_a_used_invite_cannot_be_used_again(admin_client, clients):
    token = (await admin_client.post("/api/invites", json={})).json()["token"]
    first = await clients.anonymous()
    body = {"name": "One", "email": "one@example.com", "password": "long enough pw"}
    assert (await first.post(f"/api/invites/{token}/accept", json=body)).status_code == 201
    second = await clients.anonymous()
    again = await second.post(f"/api/invites/{token}/accept", json={**body, "email": "two@example.com"})
    assert again.status_code == 410
    assert "already been used" in again.json()["detail"]
    assert await User.count().where(User.email == "two@example.com") == 0


async def test_an_expired_invite_says_so(admin_client, clients):
    token = (await admin_client.post("/api/invites", json={})).json()["token"]
    await Invite.update({Invite.expires_at: datetime.now(timezone.utc) - timedelta(minutes=1)}).where(Invite.id > 0)
    guest = await clients.anonymous()
    response = await guest.get(f"/api/invites/{token}")
    assert response.status_code == 410
    assert "expired" in response.json()["detail"]


async def test_unknown_invite_is_404_and_short_password_is_refused(admin_client, clients):
    guest = await clients.anonymous()
    assert (await guest.get("/api/invites/not-a-token")).status_code == 404
    token = (await admin_client.post("/api/invites", json={})).json()["token"]
    weak = await guest.post(f"/api/invites/{token}/accept", json={"name": "W", "email": "w@example.com", "password": "short"})
    assert weak.status_code == 400
    assert "at least 10 characters" in weak.json()["detail"]
    # The failed attempt did not use the invitation up.
    assert (await guest.get(f"/api/invites/{token}")).status_code == 200


async def test_members_cannot_invite(member_client):
    response = await member_client.post("/api/invites", json={"role": "admin"})
    assert response.status_code == 403


async def test_empty_instance_gets_a_one_time_admin_setup_link(engine, clients):
    link = await setup_link_if_empty("http://hallway.test")
    token = link.rsplit("/", 1)[1]
    guest = await clients.anonymous()
    joined = await guest.post(
        f"/api/invites/{token}/accept", json={"name": "First", "email": "first@example.com", "password": "long enough pw"}
    )
    assert joined.json()["role"] == "admin"
    assert await setup_link_if_empty("http://hallway.test") is None


async def test_profile_edit_checks_lengths_and_control_characters(member_client):
    ok = await member_client.patch(
        "/api/me", json={"bio": "Welding since 2001", "expertise": ["TIG", "TIG", "safety"], "language": "de"}
    )
    assert ok.status_code == 200
    assert ok.json()["expertise"] == ["TIG", "safety"]
    assert ok.json()["language"] == "de"
    bad = await member_client.patch("/api/me", json={"name": "Evil\x07Bell"})
    assert bad.status_code == 400
    assert "control characters" in bad.json()["detail"]
    long = await member_client.patch("/api/me", json={"bio": "x" * 5000})
    assert long.status_code == 400


async def _join(guest, token: str, email: str):
    return await guest.post(f"/api/invites/{token}/accept", json={"name": "Eve", "email": email, "password": "long enough pw"})


async def test_the_setup_link_dies_the_moment_an_admin_exists(engine, clients, users):
    """The link printed at start sits in the server's log; once the operator made an admin some
    other way (`hallway user add … --role admin`), whoever reads that log must not become one."""
    link = await setup_link_if_empty("http://hallway.test")
    token = link.rsplit("/", 1)[1]
    await users.create("admin")
    guest = await clients.anonymous()
    info = await guest.get(f"/api/invites/{token}")
    assert info.status_code == 410
    assert "already has an administrator" in info.json()["detail"]
    joined = await _join(guest, token, "eve@example.com")
    assert joined.status_code == 410
    assert await User.count().where(User.email == "eve@example.com") == 0


async def test_a_restart_mints_no_second_setup_link_while_one_is_valid(engine, caplog):
    assert await setup_link_if_empty("http://hallway.test")
    # The web process starts again (or a second one starts beside it): no second live link.
    assert await setup_link_if_empty("http://hallway.test") is None
    assert "still valid until" in caplog.text
    assert await Invite.count().where(Invite.kind == "setup") == 1


async def test_a_restart_after_the_setup_link_expired_makes_a_new_one(engine):
    assert await setup_link_if_empty("http://hallway.test")
    await Invite.update({Invite.expires_at: datetime.now(timezone.utc) - timedelta(minutes=1)}).where(Invite.id > 0)
    assert await setup_link_if_empty("http://hallway.test")


async def test_members_but_no_admin_still_get_a_setup_link(engine, users, clients):
    """Members made with `hallway user add` first: the instance still needs its first admin."""
    await users.create("member")
    link = await setup_link_if_empty("http://hallway.test")
    joined = await _join(await clients.anonymous(), link.rsplit("/", 1)[1], "first@example.com")
    assert joined.status_code == 201 and joined.json()["role"] == "admin"


async def test_an_admin_invite_is_not_a_setup_link(admin_client, clients, users):
    """An admin may invite a second admin; that link keeps working although admins exist."""
    token = (await admin_client.post("/api/invites", json={"role": "admin"})).json()["token"]
    joined = await _join(await clients.anonymous(), token, "second-admin@example.com")
    assert joined.status_code == 201 and joined.json()["role"] == "admin"
