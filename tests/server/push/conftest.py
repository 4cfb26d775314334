"""Push fixtures: loopback endpoints allowed for one test, a local push service, follows."""

from __future__ import annotations

import pytest

from server.settings import reset_settings
from tests.support_push import LocalPushService


@pytest.fixture
def allow_loopback(monkeypatch):
    """HALLWAY_PUSH_ALLOW_LOOPBACK=1 for this test only (the local push service listens on 127.0.0.1)."""
    monkeypatch.setenv("HALLWAY_PUSH_ALLOW_LOOPBACK", "1")
    reset_settings()
    yield
    monkeypatch.delenv("HALLWAY_PUSH_ALLOW_LOOPBACK")
    reset_settings()


@pytest.fixture
async def push_service():
    async with LocalPushService() as service:
        yield service


@pytest.fixture
def follows(engine):
    """follows(follower, author): a follow row, as the People screen's Follow button writes it."""
    from server.social.tables import Follow

    async def follow(follower: dict, author: dict) -> None:
        await Follow.insert(Follow(follower=follower["id"], followee=author["id"]))

    return follow
