"""Signing in and out, sessions, CSRF and the sign-in rate limit."""

from server.accounts.sessions import COOKIE


async def test_sign_in_sets_httponly_session_cookie(clients, member):
    client = await clients.anonymous()
    response = await client.post("/api/session", json={"email": member["email"].upper(), "password": member["password"]})
    assert response.status_code == 200
    assert response.json()["name"] == "Mia Member"
    set_cookie = response.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=lax" in set_cookie
    me = await client.get("/api/me")
    assert me.json()["email"] == member["email"]


async def test_wrong_password_and_unknown_email_say_the_same(clients, member):
    client = await clients.anonymous()
    wrong = await client.post("/api/session", json={"email": member["email"], "password": "nope nope nope"})
    unknown = await client.post("/api/session", json={"email": "ghost@example.com", "password": "nope nope nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"] == "Wrong email or password."


async def test_disabled_account_cannot_sign_in_and_loses_its_session(clients, users):
    from server.accounts.tables import User

    person = await users.create()
    client = await clients.signed_in(person)
    await User.update({User.disabled: True}).where(User.id == person["id"])
    assert (await client.get("/api/me")).status_code == 401
    again = await (await clients.anonymous()).post("/api/session", json={"email": person["email"], "password": person["password"]})
    assert again.status_code == 403
    assert "disabled" in again.json()["detail"]


async def test_missing_csrf_header_is_refused(clients, member):
    client = await clients.anonymous()
    del client.headers["x-csrftoken"]
    response = await client.post("/api/session", json={"email": member["email"], "password": member["password"]})
    assert response.status_code == 403
    assert COOKIE not in response.cookies


async def test_the_csrf_cookie_is_handed_out_once_and_then_checked(clients, member):
    client = await clients.anonymous()  # its first GET got the cookie
    token = client.cookies.get("csrftoken")
    assert token
    again = await client.get("/api/health")
    assert "csrftoken" not in again.headers.get("set-cookie", ""), "a browser that has the token keeps it"
    # A wrong header, or the right one without the cookie, is refused as well as a missing one.
    client.headers["x-csrftoken"] = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert (await client.post("/api/session", json={"email": member["email"], "password": member["password"]})).status_code == 403
    client.headers["x-csrftoken"] = token
    client.cookies.delete("csrftoken")
    response = await client.post("/api/session", json={"email": member["email"], "password": member["password"]})
    assert response.status_code == 403
    assert COOKIE not in response.cookies


async def test_sign_out_ends_the_session(member_client):
    assert (await member_client.delete("/api/session")).status_code == 204
    assert (await member_client.get("/api/me")).status_code == 401


async def test_sign_in_is_rate_limited_per_account(clients, member):
    client = await clients.anonymous()
    for _ in range(5):
        r = await client.post("/api/session", json={"email": member["email"], "password": "wrong password"})
        assert r.status_code == 401
    blocked = await client.post("/api/session", json={"email": member["email"], "password": member["password"]})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "Too many sign-in attempts" in blocked.json()["detail"]


async def test_sign_in_is_rate_limited_per_address(clients, users):
    client = await clients.anonymous()
    statuses = [
        (await client.post("/api/session", json={"email": f"nobody{i}@example.com", "password": "x" * 12})).status_code
        for i in range(21)
    ]
    assert statuses[:20] == [401] * 20
    assert statuses[20] == 429
