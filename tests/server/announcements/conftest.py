"""Shared pieces of the announcement tests: a recorder in place of notifications, helpers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from tests.support import run_due_jobs


class Sent:
    """Every notify() call the announcements module made, in order."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def of(self, kind: str) -> list[dict]:
        return [c for c in self.calls if c["kind"] == kind]


@pytest.fixture
def sent(monkeypatch) -> Sent:
    """Records what announcements ask server.notifications to send (its own tests cover the rest)."""
    record = Sent()

    async def notify(user_ids, kind, post_id, title, body="", urgent=False, url=None, image=None, *, once=True, now=None):
        record.calls.append({
            # A Message is written in each recipient's language: "title" is the English one.
            "user_ids": sorted(user_ids), "kind": kind, "post_id": post_id, "body": body, "message": title,
            "title": title.render("en") if hasattr(title, "render") else title,
            "urgent": urgent, "url": url, "image": image, "once": once,
        })
        return []

    monkeypatch.setattr("server.notifications.services.notify", notify)
    return record


def later(**delta) -> str:
    return (datetime.now(timezone.utc) + timedelta(**delta)).isoformat()


async def announce(client, body: str = "Town hall at 10", **fields) -> dict:
    """Announce, then run what the worker would run within milliseconds (the audience's notifications)."""
    response = await client.post("/api/announcements", json={"body": body, **fields})
    assert response.status_code == 201, response.text
    await run_due_jobs()
    return response.json()


async def feed_bodies(client) -> list[str]:
    response = await client.get("/api/feed")
    assert response.status_code == 200, response.text
    return [p["body"] for p in response.json()["items"]]
