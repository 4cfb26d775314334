"""HTTP routes of push: the VAPID key and this browser's subscription."""

from __future__ import annotations

from litestar import Controller, Request, delete, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from server.lib.guards import viewer_of
from server.push import services
from server.push.schemas import KeyOut, SubscriptionIn, SubscriptionOut, Unsubscribe

__all__ = ["PushController"]


class PushController(Controller):
    path = "/api/push"
    tags = ["push"]

    @get("/key", operation_id="getPushKey", opt={"role": "member"})
    async def key(self) -> KeyOut:
        return KeyOut(public_key=services.vapid().public_key)

    @post("/subscriptions", operation_id="subscribePush", status_code=HTTP_201_CREATED, opt={"role": "member"})
    async def subscribe(self, request: Request, data: JSONBody[SubscriptionIn]) -> SubscriptionOut:
        """Store this browser's subscription; the same endpoint again updates it."""
        subscription = {"endpoint": data.endpoint, "keys": {"p256dh": data.keys.p256dh, "auth": data.keys.auth}}
        row = await services.subscribe(
            viewer_of(request).id, subscription, request.headers.get("user-agent", "")
        )
        return SubscriptionOut(id=row["id"], endpoint=row["endpoint"], created_at=row["created_at"])

    @delete("/subscriptions", operation_id="unsubscribePush", status_code=HTTP_204_NO_CONTENT, opt={"role": "member"})
    async def unsubscribe(self, request: Request, data: JSONBody[Unsubscribe]) -> None:
        """Forget one of your own subscriptions (by endpoint); idempotent, and others' are left alone."""
        await services.unsubscribe(viewer_of(request).id, data.endpoint)
