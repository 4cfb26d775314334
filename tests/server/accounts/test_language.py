"""A person's language: the browser's at sign-in until they choose one, which then stays."""

from __future__ import annotations

import pytest

from server.accounts.languages import from_accept_language


@pytest.mark.parametrize(
    "header, language",
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("en-GB,en;q=0.9", "en"),
        ("fr-FR,fr;q=0.9,en;q=0.5,de;q=0.7", "de"),
        ("de;q=0,en", "en"),
        ("DE_at", "de"),
        ("fr, it", None),
        ("", None),
        (None, None),
        ("de;q=x", None),
    ],
)
def test_the_preferred_supported_language_comes_from_accept_language(header, language):
    assert from_accept_language(header) == language


async def sign_in(clients, person: dict, accept_language: str | None):
    client = await clients.anonymous()
    headers = {"accept-language": accept_language} if accept_language else {}
    response = await client.post(
        "/api/session", json={"email": person["email"], "password": person["password"]}, headers=headers
    )
    assert response.status_code == 200, response.text
    return client, response.json()


async def test_sign_in_takes_the_browsers_language_until_one_is_chosen(clients, member):
    assert member["language"] is None
    client, me = await sign_in(clients, member, "fr-CH, fr;q=0.9")
    assert me["language"] is None  # a language we do not speak is not a choice
    client, me = await sign_in(clients, member, "de-DE,de;q=0.9,en;q=0.8")
    assert me["language"] == "de"
    assert (await client.get("/api/me")).json()["language"] == "de"
    # Chosen in the profile: a browser in another language does not change it back.
    assert (await client.patch("/api/me", json={"language": "en"})).json()["language"] == "en"
    _, me = await sign_in(clients, member, "de-DE")
    assert me["language"] == "en"


async def test_joining_with_an_invite_takes_the_browsers_language(admin_client, clients):
    invite = (await admin_client.post("/api/invites", json={"role": "member"})).json()
    guest = await clients.anonymous()
    response = await guest.post(
        f"/api/invites/{invite['token']}/accept",
        json={"name": "Neue Kollegin", "email": "neu@example.com", "password": "long enough pw"},
        headers={"accept-language": "de-AT,de;q=0.9"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["language"] == "de"


async def test_an_unknown_language_is_refused(member_client):
    response = await member_client.patch("/api/me", json={"language": "fr"})
    assert response.status_code == 400
