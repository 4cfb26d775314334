"""Helpers shared by every test suite."""

import os

import pytest

__all__ = ["need", "NO_SKIP"]

# CI sets HALLWAY_NO_SKIP=1: a missing component there is a failure, never a quiet skip.
NO_SKIP = os.environ.get("HALLWAY_NO_SKIP") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip loudly when a component is missing locally; fail under HALLWAY_NO_SKIP=1."""
    if condition:
        return
    if NO_SKIP:
        pytest.fail(f"required component missing (HALLWAY_NO_SKIP=1): {reason}", pytrace=False)
    pytest.skip(f"MISSING COMPONENT: {reason}")
