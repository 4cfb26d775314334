"""One text policy everywhere: what each attack looks like to the person who tries it."""

from __future__ import annotations

import pytest
from litestar.exceptions import ValidationException

from server.lib.text import MAX_MARKS, clean_text, visible

RLO = "\u202e"
ZALGO = "H" + "\u0301\u0316\u0334\u0358\u0362\u0335" * 3 + "i"


@pytest.mark.parametrize("value, says", [
    (f"Ann {RLO}nimda", "reverse the text's direction"),
    ("\u2066Ann\u2069", "reverse the text's direction"),
    (ZALGO, "too many accent marks"),
    ("\u200b\u200b", "cannot be empty"),  # zero-width spaces only
    ("\u3164", "cannot be empty"),  # a Hangul filler: a letter that shows nothing
    ("\u2800 \u00ad", "cannot be empty"),  # the Braille blank and a soft hyphen
])
def test_names_that_hide_or_spoof_are_refused(value, says):
    with pytest.raises(ValidationException) as refused:
        clean_text(value, field="name", max_length=100, required=True)
    assert says in refused.value.detail


def test_the_scripts_people_write_pass():
    for name in ("Zoë Müller", "Nguyễn Văn Anh", "שלום עליכם", "مرحبا", "ภาษาไทย", "हिन्दी", "李小龙", "Ana 🎉"):
        assert clean_text(name, field="name", max_length=100) == name
    assert visible("Tiếng Việt") and not visible("\u200d\u200c")
    assert clean_text("e" + "\u0301" * MAX_MARKS, field="name", max_length=100)


async def test_the_api_refuses_a_reversed_name_and_an_invisible_bio(member_client):
    response = await member_client.patch("/api/me", json={"name": f"Mia {RLO}nimda"})
    assert response.status_code == 400 and "reverse the text's direction" in response.json()["detail"]
    response = await member_client.patch("/api/me", json={"name": "\u200b"})
    assert response.status_code == 400 and "cannot be empty" in response.json()["detail"]


async def test_a_post_and_a_comment_follow_the_same_policy(member_client):
    response = await member_client.post("/api/posts", json={"body": f"see {RLO}fdp.exe"})
    assert response.status_code == 400 and "reverse the text's direction" in response.json()["detail"]
    response = await member_client.post("/api/posts", json={"body": "\u200b\u200b\u200b"})
    assert response.status_code == 400
    post = (await member_client.post("/api/posts", json={"body": "Fine"})).json()
    response = await member_client.post(f"/api/posts/{post['id']}/comments", json={"body": ZALGO})
    assert response.status_code == 400 and "too many accent marks" in response.json()["detail"]


async def test_a_mention_token_shows_the_real_name(member_client, users):
    boss = await users.create("admin", "Bo Boss")
    body = f"Congrats @[The CEO says you are fired](user:{boss['id']})!"
    post = (await member_client.post("/api/posts", json={"body": body})).json()
    assert post["body"] == f"Congrats @[Bo Boss](user:{boss['id']})!"
    comment = await member_client.post(f"/api/posts/{post['id']}/comments", json={"body": f"@[Admin](user:{boss['id']})"})
    assert comment.json()["body"] == f"@[Bo Boss](user:{boss['id']})"
