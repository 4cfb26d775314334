"""Push fixtures: loopback endpoints allowed for one test, a local push service, a follows shim."""

from __future__ import annotations

import sys
import types

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
def follows(monkeypatch):
    """Who follows whom, served as server.social.follows.followers_of until follows exist for real."""
    graph: dict[int, set[int]] = {}
    module = types.ModuleType("server.social.follows")

    async def followers_of(author_id: int) -> list[int]:
        return sorted(graph.get(author_id, set()))

    module.followers_of = followers_of
    monkeypatch.setitem(sys.modules, "server.social.follows", module)

    def follow(follower: dict, author: dict) -> None:
        graph.setdefault(author["id"], set()).add(follower["id"])

    return follow
