"""Response shapes of profiles."""

from __future__ import annotations

from server.accounts.schemas import Manager, Person

__all__ = ["Profile"]


class Profile(Person):
    """A colleague's profile with what the social side knows about them, for the viewer."""

    followers: int
    following: int
    is_following: bool  # does the viewer follow them
    kudos: int  # published posts that thank them
    is_me: bool
    manager: Manager | None = None  # whom they report to (set by admins)
