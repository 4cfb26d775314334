"""A local push service for tests and benchmarks: checks VAPID, decrypts like a browser, records."""

from __future__ import annotations

import asyncio
import base64
import os
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import http_ece
import jwt
from aiohttp import web
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

__all__ = ["LocalPushService", "Received", "make_subscription"]

_VAPID_HEADER = re.compile(r"^vapid\s+(.*)$", re.IGNORECASE)
_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_URGENCIES = {"very-low", "low", "normal", "high"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    """One push message the service accepted, decrypted."""

    subscription_id: str
    plaintext: bytes
    ttl: int
    urgency: str | None
    topic: str | None
    claims: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass
class _Device:
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes


class LocalPushService:
    """An HTTP push service on 127.0.0.1 (random port); run it in the test's loop or in a thread."""

    def __init__(self) -> None:
        self.origin = ""
        self.messages: list[Received] = []
        # Requests refused for a broken VAPID token, headers or encryption: a sender bug.
        self.errors: list[str] = []
        self._devices: dict[str, _Device] = {}
        self._answers: dict[str, tuple[int, dict[str, str]]] = {}
        self._delays: dict[str, float] = {}
        self._verified: dict[str, dict[str, Any]] = {}
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- scripting -----------------------------------------------------------------

    def add_device(self, sid: str) -> dict[str, Any]:
        """Create a browser key pair for `sid` and return its PushSubscription JSON."""
        key = ec.generate_private_key(ec.SECP256R1())
        auth = os.urandom(16)
        self._devices[sid] = _Device(key, auth)
        point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": f"{self.origin}/push/{sid}", "keys": {"p256dh": _b64(point), "auth": _b64(auth)}}

    def answer(self, sid: str, status: int, headers: dict[str, str] | None = None) -> None:
        """Answer every push to `sid` with this status (410, 404, 429, 503 …) instead of accepting it."""
        self._answers[sid] = (status, headers or {})

    def delay(self, sid: str, seconds: float) -> None:
        """Hold every push to `sid` this long before answering."""
        self._delays[sid] = seconds

    def messages_for(self, sid: str) -> list[Received]:
        """The accepted messages for one subscription."""
        return [m for m in self.messages if m.subscription_id == sid]

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[Received]:
        """Wait until at least `count` messages arrived (works whichever loop the service runs in)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(self.messages)} of {count} push messages arrived")
            await asyncio.sleep(0.01)
        return self.messages

    # -- running -------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a random port of 127.0.0.1 in the running loop."""
        app = web.Application(client_max_size=64 * 1024)
        app.router.add_post("/push/{sid}", self._push)
        # Delayed answers are cut short on stop: a test that scripted a dead endpoint should not wait for it.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        port = self._runner.addresses[0][1]
        self.origin = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> LocalPushService:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def start_in_thread(self) -> None:
        """Run the service in its own event loop on a background thread (for sync tests and browsers)."""
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._loop.run_until_complete(self.start())
            ready.set()
            self._loop.run_forever()
            self._loop.run_until_complete(self.stop())
            self._loop.close()

        self._thread = threading.Thread(target=run, name="local-push-service", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the local push service did not start")

    def stop_in_thread(self) -> None:
        """Stop a service started with start_in_thread."""
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._thread = self._loop = None

    # -- the push resource -----------------------------------------------------------

    def _refuse(self, status: int, reason: str) -> web.Response:
        self.errors.append(reason)
        return web.Response(status=status, text=reason)

    def _claims(self, authorization: str) -> dict[str, Any]:
        """Verify `vapid t=…, k=…` as RFC 8292 says a push service does; raise ValueError if wrong."""
        match = _VAPID_HEADER.match(authorization)
        if not match:
            raise ValueError("Authorization is not a vapid scheme")
        params = dict(part.strip().split("=", 1) for part in match.group(1).split(",") if "=" in part)
        token, key = params.get("t"), params.get("k")
        if not token or not key:
            raise ValueError("vapid needs t= and k=")
        claims = self._verified.get(token + key)
        if claims is None:
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(key))
            try:
                claims = jwt.decode(
                    token, public, algorithms=["ES256"], audience=self.origin,
                    options={"require": ["aud", "exp", "sub"]},
                )
            except jwt.PyJWTError as exc:
                raise ValueError(f"bad VAPID token: {exc}") from None
            if not str(claims["sub"]).startswith(("mailto:", "https://")):
                raise ValueError("sub must be a mailto: or https: contact")
            # A token is verified once and then only its expiry is checked again: senders
            # reuse one token per origin, and a benchmark should measure them, not us.
            self._verified[token + key] = claims
        now = time.time()
        if not now < claims["exp"] <= now + 24 * 3600:
            raise ValueError("exp must be in the future and at most 24 hours away")
        return claims

    async def _push(self, request: web.Request) -> web.Response:
        sid = request.match_info["sid"]
        if sid in self._delays:
            await asyncio.sleep(self._delays[sid])
        if sid in self._answers:
            status, headers = self._answers[sid]
            return web.Response(status=status, headers=headers)
        device = self._devices.get(sid)
        if device is None:
            return web.Response(status=404, text="no such subscription")
        try:
            claims = self._claims(request.headers.get("Authorization", ""))
        except ValueError as exc:
            return self._refuse(401, str(exc))
        ttl, urgency, topic = request.headers.get("TTL", ""), request.headers.get("Urgency"), request.headers.get("Topic")
        if not ttl.isdigit():
            return self._refuse(400, "TTL header missing or not a number")
        if urgency is not None and urgency not in _URGENCIES:
            return self._refuse(400, f"bad Urgency {urgency!r}")
        if topic is not None and not _TOPIC.match(topic):
            return self._refuse(400, f"bad Topic {topic!r}")
        if request.headers.get("Content-Encoding") != "aes128gcm":
            return self._refuse(400, "Content-Encoding must be aes128gcm")
        body = await request.read()
        if len(body) > 4096:
            return self._refuse(413, f"body of {len(body)} bytes is over 4096")
        try:
            plaintext = http_ece.decrypt(body, private_key=device.private_key, auth_secret=device.auth, version="aes128gcm")
        except http_ece.ECEException as exc:
            return self._refuse(400, f"cannot decrypt: {exc.message}")
        self.messages.append(Received(sid, plaintext, int(ttl), urgency, topic, claims))
        return web.Response(status=201, headers={"Location": f"{self.origin}/message/{len(self.messages)}"})


def make_subscription(service: LocalPushService, sid: str) -> dict[str, Any]:
    """A browser-like PushSubscription JSON at `service`, whose private key only the service knows."""
    return service.add_device(sid)
