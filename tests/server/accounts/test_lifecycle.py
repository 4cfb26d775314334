"""Offboarding and the rest of an account's life: disable, enable, role, reset, own password, sign-out everywhere, invites."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from server.accounts.tables import Invite, PasswordReset, Session, User
from server.push.tables import PushSubscription
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase"


async def _add_device(user_id: int, name: str = "phone") -> None:
    """A browser that said yes to pushes (stored directly: the push service is not the point here)."""
    await PushSubscription.insert(
        PushSubscription(user=user_id, endpoint=f"https://push.example.com/{name}-{user_id}", p256dh="k" * 87, auth="a" * 22)
    )


async def _sign_in(clients, email: str, password: str):
    client = await clients.anonymous()
    response = await client.post("/api/session", json={"email": email, "password": password})
    return client, response


async def test_disabling_someone_ends_their_sessions_and_pushes_at_once(admin_client, clients, member):
    phone, laptop = await clients.signed_in(member), await clients.signed_in(member)
    await _add_device(member["id"], "phone")
    await _add_device(member["id"], "laptop")
    assert (await phone.get("/api/me")).status_code == 200  # both sessions in use (and cached) before

    response = await admin_client.patch(f"/api/admin/people/{member['id']}", json={"disabled": True})
    assert response.status_code == 200, response.text
    assert response.json()["disabled"] is True
    # The very next request of either browser is refused; nothing is left to push to.
    assert (await phone.get("/api/me")).status_code == 401
    assert (await laptop.get("/api/feed")).status_code == 401
    assert await Session.count().where(Session.user == member["id"]) == 0
    assert await PushSubscription.count().where(PushSubscription.user == member["id"]) == 0
    _, again = await _sign_in(clients, member["email"], PASSWORD)
    assert again.status_code == 403 and "disabled" in again.json()["detail"]
    # The directory no longer lists them; the admin's list does, marked.
    directory = (await admin_client.get("/api/people")).json()["items"]
    assert member["id"] not in [p["id"] for p in directory]
    listed = (await admin_client.get("/api/admin/people", params={"q": member["email"]})).json()["items"]
    assert [(p["id"], p["disabled"]) for p in listed] == [(member["id"], True)]


async def test_enabling_lets_them_sign_in_again(admin_client, clients, member):
    await admin_client.patch(f"/api/admin/people/{member['id']}", json={"disabled": True})
    response = await admin_client.patch(f"/api/admin/people/{member['id']}", json={"disabled": False})
    assert response.json()["disabled"] is False
    _, again = await _sign_in(clients, member["email"], PASSWORD)
    assert again.status_code == 200


async def test_disabling_an_admin_withdraws_the_invitations_they_made(clients, users):
    keeper, leaver = await users.create("admin"), await users.create("admin")
    leaver_client = await clients.signed_in(leaver)
    token = (await leaver_client.post("/api/invites", json={"role": "admin"})).json()["token"]
    await (await clients.signed_in(keeper)).patch(f"/api/admin/people/{leaver['id']}", json={"disabled": True})
    response = await (await clients.anonymous()).get(f"/api/invites/{token}")
    assert response.status_code == 410 and "withdrawn" in response.json()["detail"]


async def test_a_new_role_applies_to_the_next_request(clients, users):
    first, second = await users.create("admin"), await users.create("admin")
    second_client = await clients.signed_in(second)
    assert (await second_client.get("/api/admin/people")).status_code == 200
    demoted = await (await clients.signed_in(first)).patch(f"/api/admin/people/{second['id']}", json={"role": "member"})
    assert demoted.json()["role"] == "member"
    assert (await second_client.get("/api/admin/people")).status_code == 403
    assert (await second_client.get("/api/me")).json()["role"] == "member"


async def test_the_last_active_admin_can_neither_disable_nor_demote_themselves(admin_client, admin, users):
    for change in ({"disabled": True}, {"role": "moderator"}):
        refused = await admin_client.patch(f"/api/admin/people/{admin['id']}", json=change)
        assert refused.status_code == 409
        assert "last active admin" in refused.json()["detail"]
    # A disabled admin does not count as one who keeps the instance running.
    other = await users.create("admin")
    await User.update({User.disabled: True}).where(User.id == other["id"])
    assert (await admin_client.patch(f"/api/admin/people/{admin['id']}", json={"role": "member"})).status_code == 409
    # With another active admin, stepping down is fine.
    await User.update({User.disabled: False}).where(User.id == other["id"])
    stepped_down = await admin_client.patch(f"/api/admin/people/{admin['id']}", json={"role": "member"})
    assert stepped_down.status_code == 200
    assert (await User.select(User.role).where(User.id == admin["id"]).first())["role"] == "member"


async def test_admin_changes_refuse_unknown_fields_and_roles(admin_client, member):
    typo = await admin_client.patch(f"/api/admin/people/{member['id']}", json={"disabled": True, "rol": "admin"})
    assert typo.status_code == 400
    assert (await User.select(User.disabled).where(User.id == member["id"]).first())["disabled"] is False
    assert (await admin_client.patch(f"/api/admin/people/{member['id']}", json={"role": "owner"})).status_code == 400
    assert (await admin_client.patch("/api/admin/people/999999", json={"disabled": True})).status_code == 404


async def test_moderators_cannot_manage_people(clients, users, member):
    moderator = await clients.signed_in(await users.create("moderator"))
    for method, path, body in (
        ("GET", "/api/admin/people", None),
        ("PATCH", f"/api/admin/people/{member['id']}", {"disabled": True}),
        ("POST", f"/api/admin/people/{member['id']}/password-reset", None),
        ("GET", "/api/admin/invites", None),
        ("DELETE", "/api/admin/invites/1", None),
    ):
        response = await moderator.request(method, path, json=body)
        assert response.status_code == 403, (method, path, response.status_code)


async def test_admins_search_people_by_name_or_email(admin_client, users):
    await users.create(name="Zoë Zimmer", email="zoe@example.com")
    await users.create(name="Yusuf Young", email="yusuf@corp.example")
    by_name = (await admin_client.get("/api/admin/people", params={"q": "zimm"})).json()["items"]
    assert [p["email"] for p in by_name] == ["zoe@example.com"]
    by_email = (await admin_client.get("/api/admin/people", params={"q": "CORP.example"})).json()["items"]
    assert [p["name"] for p in by_email] == ["Yusuf Young"]
    assert (await admin_client.get("/api/admin/people", params={"q": "%"})).json()["items"] == []
    page = (await admin_client.get("/api/admin/people", params={"limit": 1})).json()
    rest = (await admin_client.get("/api/admin/people", params={"limit": 5, "cursor": page["next_cursor"]})).json()
    assert len(page["items"]) + len(rest["items"]) == 3


async def _reset_link(admin_client, person_id: int) -> str:
    created = await admin_client.post(f"/api/admin/people/{person_id}/password-reset")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["url"].endswith(f"/#/reset/{body['token']}")
    return body["token"]


async def test_a_reset_link_lets_the_person_choose_a_new_password_once(admin_client, clients, member):
    old_session = await clients.signed_in(member)
    token = await _reset_link(admin_client, member["id"])
    # Making the link changes nothing yet: the old password and session still work.
    assert (await old_session.get("/api/me")).status_code == 200

    person = await clients.anonymous()
    info = await person.get(f"/api/password-resets/{token}")
    assert info.json()["email"] == member["email"]
    used = await person.post(f"/api/password-resets/{token}", json={"password": NEW_PASSWORD})
    assert used.status_code == 200, used.text
    assert (await person.get("/api/me")).json()["id"] == member["id"]  # signed in with the new password
    assert (await old_session.get("/api/me")).status_code == 401  # every earlier session ended
    assert (await _sign_in(clients, member["email"], PASSWORD))[1].status_code == 401
    assert (await _sign_in(clients, member["email"], NEW_PASSWORD))[1].status_code == 200
    again = await (await clients.anonymous()).post(f"/api/password-resets/{token}", json={"password": "someone else's"})
    assert again.status_code == 410 and "already been used" in again.json()["detail"]


async def test_a_reset_link_is_refused_when_superseded_expired_or_the_person_disabled(admin_client, clients, users):
    person = await users.create()
    guest = await clients.anonymous()
    first = await _reset_link(admin_client, person["id"])
    second = await _reset_link(admin_client, person["id"])
    assert (await guest.get(f"/api/password-resets/{first}")).status_code == 404  # superseded
    await PasswordReset.update({PasswordReset.expires_at: datetime.now(timezone.utc) - timedelta(minutes=1)}).where(
        PasswordReset.id > 0
    )
    expired = await guest.post(f"/api/password-resets/{second}", json={"password": NEW_PASSWORD})
    assert expired.status_code == 410 and "expired" in expired.json()["detail"]
    third = await _reset_link(admin_client, person["id"])
    await admin_client.patch(f"/api/admin/people/{person['id']}", json={"disabled": True})
    assert (await guest.post(f"/api/password-resets/{third}", json={"password": NEW_PASSWORD})).status_code == 404
    refused = await admin_client.post(f"/api/admin/people/{person['id']}/password-reset")
    assert refused.status_code == 409 and "disabled" in refused.json()["detail"]
    assert (await _sign_in(clients, person["email"], NEW_PASSWORD))[1].status_code == 401


async def test_a_reset_password_must_be_long_enough_and_a_short_one_keeps_the_link(admin_client, clients, member):
    token = await _reset_link(admin_client, member["id"])
    guest = await clients.anonymous()
    short = await guest.post(f"/api/password-resets/{token}", json={"password": "short"})
    assert short.status_code == 400 and "at least 10 characters" in short.json()["detail"]
    assert (await guest.post(f"/api/password-resets/{token}", json={"password": NEW_PASSWORD})).status_code == 200


async def test_changing_ones_password_needs_the_current_one_and_ends_the_other_sessions(clients, member):
    here, elsewhere = await clients.signed_in(member), await clients.signed_in(member)
    wrong = await here.put("/api/me/password", json={"current_password": "not it at all", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 400 and "current password" in wrong.json()["detail"]
    assert (await elsewhere.get("/api/me")).status_code == 200

    changed = await here.put("/api/me/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 204
    assert (await here.get("/api/me")).status_code == 200
    assert (await elsewhere.get("/api/me")).status_code == 401
    assert (await _sign_in(clients, member["email"], NEW_PASSWORD))[1].status_code == 200
    unknown = await here.put("/api/me/password", json={"current_password": NEW_PASSWORD, "new_password": PASSWORD, "x": 1})
    assert unknown.status_code == 400


async def test_guessing_the_current_password_at_an_unlocked_laptop_is_slowed_down(member_client):
    statuses = [
        (await member_client.put("/api/me/password", json={"current_password": f"guess {i:04d}", "new_password": NEW_PASSWORD})).status_code
        for i in range(6)
    ]
    assert statuses == [400] * 5 + [429]


async def test_signing_out_everywhere_ends_every_session_and_push(clients, member):
    here, lost_phone = await clients.signed_in(member), await clients.signed_in(member)
    await _add_device(member["id"])
    response = await here.delete("/api/me/sessions")
    assert response.status_code == 204
    assert (await here.get("/api/me")).status_code == 401
    assert (await lost_phone.get("/api/me")).status_code == 401
    assert await PushSubscription.count().where(PushSubscription.user == member["id"]) == 0
    assert (await _sign_in(clients, member["email"], PASSWORD))[1].status_code == 200


async def test_admins_list_open_invitations_and_withdraw_one(admin_client, clients, admin):
    first = (await admin_client.post("/api/invites", json={"role": "member", "email": "a@example.com"})).json()
    second = (await admin_client.post("/api/invites", json={"role": "moderator"})).json()
    used = (await admin_client.post("/api/invites", json={})).json()
    guest = await clients.anonymous()
    await guest.post(f"/api/invites/{used['token']}/accept", json={"name": "U", "email": "u@example.com", "password": NEW_PASSWORD})

    listed = (await admin_client.get("/api/admin/invites")).json()
    assert [(i["role"], i["email"], i["created_by"]) for i in listed] == [
        ("moderator", "", admin["name"]), ("member", "a@example.com", admin["name"]),
    ]
    assert "token" not in listed[0]  # shown once, when made; only its hash is kept

    assert (await admin_client.delete(f"/api/admin/invites/{listed[0]['id']}")).status_code == 204
    withdrawn = await guest.get(f"/api/invites/{second['token']}")
    assert withdrawn.status_code == 410 and "withdrawn" in withdrawn.json()["detail"]
    refused = await guest.post(
        f"/api/invites/{second['token']}/accept", json={"name": "M", "email": "m@example.com", "password": NEW_PASSWORD}
    )
    assert refused.status_code == 410
    assert [i["email"] for i in (await admin_client.get("/api/admin/invites")).json()] == ["a@example.com"]
    assert (await admin_client.delete(f"/api/admin/invites/{listed[0]['id']}")).status_code == 404
    assert (await guest.get(f"/api/invites/{first['token']}")).status_code == 200


async def test_setup_links_are_not_listed_or_withdrawn_as_invitations(admin_client):
    expires = datetime.now(timezone.utc) + timedelta(days=1)
    setup = (await Invite.insert(Invite(token_hash="x" * 64, kind="setup", role="admin", expires_at=expires)).returning(Invite.id))[0]
    assert (await admin_client.get("/api/admin/invites")).json() == []
    assert (await admin_client.delete(f"/api/admin/invites/{setup['id']}")).status_code == 404


async def test_an_id_no_row_can_have_is_a_400_not_a_server_error(admin_client):
    for method, path in (
        ("PATCH", f"/api/admin/people/{2**63}"), ("POST", f"/api/admin/people/{2**31}/password-reset"),
        ("DELETE", f"/api/admin/invites/{10**20}"), ("PATCH", "/api/admin/people/0"),
    ):
        response = await admin_client.request(method, path, json={"disabled": True} if method == "PATCH" else None)
        assert response.status_code == 400, (method, path, response.status_code)


async def test_two_admins_demoting_each_other_at_once_leave_one_admin(clients, users):
    import asyncio

    first, second = await users.create("admin"), await users.create("admin")
    first_client, second_client = await clients.signed_in(first), await clients.signed_in(second)
    results = await asyncio.gather(
        first_client.patch(f"/api/admin/people/{second['id']}", json={"role": "member"}),
        second_client.patch(f"/api/admin/people/{first['id']}", json={"role": "member"}),
    )
    assert sorted(r.status_code for r in results) in ([200, 403], [200, 409]), [r.text for r in results]
    assert await User.count().where((User.role == "admin") & (User.disabled == False)) == 1  # noqa: E712
