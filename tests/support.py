"""Helpers shared by every test suite."""

import os
import socket

import pytest

__all__ = ["need", "NO_SKIP", "redis_up", "run_due_jobs"]

# CI sets HALLWAY_NO_SKIP=1: a missing component there is a failure, never a quiet skip.
NO_SKIP = os.environ.get("HALLWAY_NO_SKIP") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip loudly when a component is missing locally; fail under HALLWAY_NO_SKIP=1."""
    if condition:
        return
    if NO_SKIP:
        pytest.fail(f"required component missing (HALLWAY_NO_SKIP=1): {reason}", pytrace=False)
    pytest.skip(f"MISSING COMPONENT: {reason}")


async def run_due_jobs() -> int:
    """Run every job that is due now in this process, as `hallway worker` would; returns how many ran."""
    from server.worker import run_one

    ran = 0
    while await run_one():
        ran += 1
    return ran


def redis_up(host: str = "127.0.0.1", port: int = 6379) -> bool:
    """Is a Redis server listening there (for `need(redis_up(), ...)`)?"""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False
