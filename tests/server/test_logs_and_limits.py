"""Logs never carry secrets: no cookie, password, session or capability in a path."""

from __future__ import annotations

import logging


async def test_logs_hold_no_cookie_password_session_or_invite_token(clients, admin, caplog):
    caplog.set_level(logging.INFO)
    client = await clients.signed_in(admin)
    invite = await client.post("/api/invites", json={"role": "member"})
    token = invite.json()["url"].rsplit("/", 1)[-1]
    await (await clients.anonymous()).get(f"/api/invites/{token}")
    await (await clients.anonymous()).post("/api/session", json={"email": admin["email"], "password": "wrong guess 123"})

    # The server's records; httpx's are the test client's own, not the server's.
    server = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    text = "\n".join(logging.Formatter().format(r) + repr(vars(r)) for r in server)
    access = [r for r in caplog.records if r.name == "hallway.access"]
    assert {r.path for r in access} >= {"/api/session", "/api/invites", "/api/invites/{token}"}, {r.path for r in access}
    for secret in (admin["password"], "wrong guess 123", token, client.cookies["hallway_session"]):
        assert secret not in text


async def test_a_server_error_logs_the_route_not_the_capability_in_its_path(clients, admin, monkeypatch, caplog):
    # An invite link's token (and an upload's id) in a path is a key: whoever reads the log could
    # use it. A failure behind such a path logs the route's template, and the person sees a 500.
    from server.accounts import services
    from server.uploads import services as uploads

    async def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "invite_info", broken)
    monkeypatch.setattr(uploads, "get_upload", broken)
    caplog.set_level(logging.INFO)
    client = await clients.signed_in(admin)
    token = (await client.post("/api/invites", json={"role": "member"})).json()["url"].rsplit("/", 1)[-1]
    upload_id = "u" * 43
    assert (await (await clients.anonymous()).get(f"/api/invites/{token}")).status_code == 500
    assert (await client.head(f"/api/uploads/{upload_id}", headers={"Tus-Resumable": "1.0.0"})).status_code == 500

    errors = [r for r in caplog.records if r.name == "hallway" and r.getMessage() == "unhandled error"]
    assert [r.path for r in errors] == ["/api/invites/{token}", "/api/uploads/{upload_id}"]
    access = [r for r in caplog.records if r.name == "hallway.access" and r.status == 500]
    assert [r.path for r in access] == ["/api/invites/{token}", "/api/uploads/{upload_id}"]
    text = "\n".join(logging.Formatter().format(r) + repr(vars(r)) for r in caplog.records if r.name.startswith("hallway"))
    assert token not in text and upload_id not in text
