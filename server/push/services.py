"""Push subscriptions: the VAPID identity, subscribing and unsubscribing browsers."""

from __future__ import annotations

import asyncio
import logging
import os
from datetime import datetime, timezone
from pathlib import Path

from litestar.exceptions import HTTPException, ValidationException
from yarl import URL

from server.push.outbound import UnsafeEndpoint, check_endpoint_url, resolve_public
from server.push.sender import Subscription
from server.push.tables import PushSubscription
from server.push.vapid import Vapid, load_or_create_vapid
from server.settings import get_settings

__all__ = ["MAX_DEVICES", "contact", "subscribe", "unsubscribe", "users_with_devices", "vapid"]

log = logging.getLogger(__name__)

# Phones, tablets, work and home browsers; beyond this the oldest subscription goes.
MAX_DEVICES = 10
_RESOLVE_TIMEOUT = 3.0
_TAKEN = (
    "Notifications cannot be turned on for this browser: it is registered to another account. "
    "Sign out of that account on this browser first."
)

_vapid: dict[Path, Vapid] = {}


def vapid() -> Vapid:
    """The instance's VAPID key: HALLWAY_VAPID_PRIVATE_KEY (PEM) if set, else generated into the data dir."""
    data_dir = get_settings().data_dir
    if data_dir not in _vapid:
        pem = os.environ.get("HALLWAY_VAPID_PRIVATE_KEY", "").strip()
        _vapid[data_dir] = Vapid.from_pem(pem.encode()) if pem else load_or_create_vapid(data_dir)
    return _vapid[data_dir]


def contact() -> str:
    """The VAPID `sub` push services may write to: HALLWAY_PUSH_CONTACT, else the instance's https address."""
    if configured := os.environ.get("HALLWAY_PUSH_CONTACT", "").strip():
        return configured
    public = get_settings().public_url
    if public.startswith("https://"):
        return public
    return f"mailto:hallway@{URL(public).host or 'localhost'}"


def _refuse(reason: str) -> ValidationException:
    return ValidationException(f"Notifications cannot be turned on for this browser: {reason}.")


async def _check_endpoint(endpoint: str) -> None:
    """Refuse http, literal non-public addresses, and names that resolve to non-public ones (checked again when sending)."""
    allow_loopback = get_settings().push_allow_loopback
    try:
        check_endpoint_url(endpoint, allow_loopback)
        url = URL(endpoint)
        await asyncio.wait_for(resolve_public(url.host or "", url.port or 443, allow_loopback), _RESOLVE_TIMEOUT)
    except UnsafeEndpoint as exc:
        raise _refuse(exc.reason) from None
    except (OSError, asyncio.TimeoutError):
        raise _refuse(f"the push service {URL(endpoint).host} could not be found") from None


async def subscribe(user_id: int, data: dict, user_agent: str = "") -> dict:
    """Store a browser's PushSubscription (moving it to this person only with its own keys); return the stored row."""
    try:
        checked = Subscription.from_json(None, data)
    except ValueError as exc:
        raise _refuse(str(exc)) from None
    await _check_endpoint(checked.endpoint)
    values = {
        PushSubscription.user: user_id, PushSubscription.p256dh: checked.p256dh, PushSubscription.auth: checked.auth,
        PushSubscription.user_agent: user_agent[:300],
    }
    # The endpoint names one browser profile. Its owner may update it; someone else may take it
    # over only with the keys stored for it: the browser handed on to the next person sends its own
    # subscription, keys and all, while an endpoint learnt elsewhere comes with other keys (the
    # 16-byte auth secret is known only to that browser and this server).
    mine_or_proven = (PushSubscription.user == user_id) | (
        (PushSubscription.p256dh == checked.p256dh) & (PushSubscription.auth == checked.auth)
    )
    updated = await PushSubscription.update(values).where(
        (PushSubscription.endpoint == checked.endpoint) & mine_or_proven
    ).returning(PushSubscription.id)
    if not updated:
        inserted = await PushSubscription.insert(
            PushSubscription(
                user=user_id, endpoint=checked.endpoint, p256dh=checked.p256dh, auth=checked.auth,
                user_agent=user_agent[:300], created_at=datetime.now(timezone.utc),
            )
        ).on_conflict(action="DO NOTHING").returning(PushSubscription.id)
        if not inserted:
            raise HTTPException(status_code=409, detail=_TAKEN)
    await _forget_oldest(user_id)
    row = await PushSubscription.select(
        PushSubscription.id, PushSubscription.endpoint, PushSubscription.created_at
    ).where(PushSubscription.endpoint == checked.endpoint).first()
    return row


async def _forget_oldest(user_id: int) -> None:
    rows = await PushSubscription.select(PushSubscription.id).where(PushSubscription.user == user_id).order_by(
        PushSubscription.created_at, PushSubscription.id, ascending=False
    )
    if extra := rows[MAX_DEVICES:]:
        await PushSubscription.delete().where(PushSubscription.id.is_in([r["id"] for r in extra]))


async def unsubscribe(user_id: int, endpoint: str) -> bool:
    """Forget one of this person's subscriptions; True when there was one."""
    deleted = await PushSubscription.delete().where(
        (PushSubscription.user == user_id) & (PushSubscription.endpoint == endpoint)
    ).returning(PushSubscription.id)
    return bool(deleted)


async def users_with_devices(user_ids: list[int]) -> set[int]:
    """Which of these people have at least one push subscription."""
    found: set[int] = set()
    for start in range(0, len(user_ids), 500):
        chunk = user_ids[start:start + 500]
        rows = await PushSubscription.select(PushSubscription.user).where(PushSubscription.user.is_in(chunk)).distinct()
        found.update(r["user"] for r in rows)
    return found
