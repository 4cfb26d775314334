"""What push does when something happens elsewhere (wired in server/wiring.py)."""

from __future__ import annotations

from server.push.tables import PushSubscription

__all__ = ["forget_devices"]


async def forget_devices(user_id: int) -> None:
    """A person's sessions all ended (disabled, signed out everywhere): their browsers stop getting pushes.

    In the same transaction: a lost phone must not keep showing post previews on its lock screen,
    and a disabled colleague's phone must not keep hearing the company's news.
    """
    await PushSubscription.delete().where(PushSubscription.user == user_id)
