""""Share → Hallway" reaching the server (no service worker to take it): a redirect to the composer, never a 404/405."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("signed_in", [False, True])
async def test_a_shared_post_without_the_service_worker_lands_in_the_composer(clients, member, signed_in):
    client = await (clients.signed_in(member) if signed_in else clients.anonymous())
    # What a phone's share sheet sends: multipart, no CSRF header (it is a plain form navigation).
    response = await client.post(
        "/share-target", data={"title": "Lab tour", "text": "look"},
        files={"media": ("clip.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 4096, "video/mp4")},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/#/new?share=unavailable"
    # Someone opening the URL itself is sent there too.
    again = await client.get("/share-target")
    assert (again.status_code, again.headers["location"]) == (303, "/#/new?share=unavailable")
