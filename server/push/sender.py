"""Sending web pushes: RFC 8291 encryption, VAPID headers and a bounded, per-origin fair fan-out."""

from __future__ import annotations

import asyncio
import base64
import binascii
import hmac
import json
import math
import os
import re
import struct
import time
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Literal

import aiohttp
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from server.push.outbound import PublicResolver, UnsafeEndpoint, check_endpoint_url
from server.push.vapid import Vapid, audience_of

__all__ = [
    "MAX_BODY",
    "MAX_PLAINTEXT",
    "MAX_TTL",
    "URGENCIES",
    "PayloadTooLarge",
    "PushSender",
    "Result",
    "Subscription",
    "encode_payload",
    "encrypt",
    "fit_payload",
    "parse_retry_after",
]

# Push services must accept bodies of 4096 bytes and need not accept more (RFC 8030 §7.2).
MAX_BODY = 4096
# aes128gcm header (salt 16, record size 4, key id length 1, key 65), the padding
# delimiter (1) and the GCM tag (16): RFC 8291 §4 arrives at 3993 bytes of plaintext.
_OVERHEAD = 16 + 4 + 1 + 65 + 1 + 16
MAX_PLAINTEXT = MAX_BODY - _OVERHEAD
# Chromium and Firefox keep a message at most four weeks.
MAX_TTL = 28 * 24 * 3600
URGENCIES = ("very-low", "low", "normal", "high")
_TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_B64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
# Enough of an error body to explain a refusal; a hostile endpoint cannot make us read more.
_REASON_BYTES = 200
# Retry-After beyond a day is not a hint anyone should wait for.
_MAX_RETRY_AFTER = 24 * 3600.0

Outcome = Literal["delivered", "gone", "retry", "rejected"]


class PayloadTooLarge(ValueError):
    """The payload cannot fit in one push message, even shortened."""


@dataclass(frozen=True, slots=True)
class Subscription:
    """One browser push subscription, as stored: endpoint and its two base64url keys."""

    id: Any
    endpoint: str
    p256dh: str
    auth: str

    @classmethod
    def from_json(cls, id: Any, data: dict[str, Any]) -> Subscription:
        """Read a browser `PushSubscription.toJSON()`, refusing malformed keys with ValueError."""
        try:
            endpoint, keys = data["endpoint"], data["keys"]
            p256dh, auth = keys["p256dh"], keys["auth"]
        except (KeyError, TypeError):
            raise ValueError("a subscription needs endpoint, keys.p256dh and keys.auth") from None
        if not all(isinstance(v, str) for v in (endpoint, p256dh, auth)):
            raise ValueError("endpoint and keys must be strings")
        point, secret = _b64decode(p256dh, "keys.p256dh"), _b64decode(auth, "keys.auth")
        if len(secret) != 16:
            raise ValueError("keys.auth must be 16 bytes")
        if len(point) != 65 or point[0] != 4:
            raise ValueError("keys.p256dh must be an uncompressed P-256 point")
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        except ValueError:
            raise ValueError("keys.p256dh is not a point on P-256") from None
        return cls(id=id, endpoint=endpoint, p256dh=p256dh, auth=auth)


@dataclass(frozen=True, slots=True)
class Result:
    """What happened to one subscription: the caller deletes `gone`, re-queues `retry`, logs `rejected`."""

    subscription_id: Any
    outcome: Outcome
    status: int | None = None
    retry_after: float | None = None
    reason: str = ""


def _b64decode(value: str, name: str) -> bytes:
    # urlsafe_b64decode silently skips stray characters; a key with any is refused instead.
    if not _B64URL.match(value):
        raise ValueError(f"{name} is not base64url")
    try:
        return base64.urlsafe_b64decode(value.rstrip("=") + "=" * (-len(value.rstrip("=")) % 4))
    except binascii.Error:
        raise ValueError(f"{name} is not base64url") from None


def encode_payload(payload: dict[str, Any]) -> bytes:
    """The bytes a payload is sent as: compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fit_payload(payload: dict[str, Any], limit: int = MAX_PLAINTEXT) -> dict[str, Any]:
    """Shorten `body` (ending it with an ellipsis) until the payload fits one push message."""
    if len(encode_payload(payload)) <= limit:
        return payload
    body = str(payload.get("body", ""))
    trimmed = {**payload, "body": ""}
    if len(encode_payload(trimmed)) > limit:
        raise PayloadTooLarge("the payload is too large even without its body")
    # Binary search over characters, not bytes: a cut must never split a UTF-8 sequence.
    low, high = 0, len(body)
    while low < high:
        mid = (low + high + 1) // 2
        if len(encode_payload({**payload, "body": body[:mid] + "…"})) <= limit:
            low = mid
        else:
            high = mid - 1
    trimmed["body"] = body[:low].rstrip() + "…" if low else ""
    return trimmed


# RFC 8291 §3.4's info strings, each with HKDF's single-block counter 0x01 appended; one
# aes128gcm record of 4096 bytes (RFC 8188 §2.1) holds any message a push service must accept.
_KEY_INFO = b"WebPush: info\x00"
_CEK_INFO = b"Content-Encoding: aes128gcm\x00\x01"
_NONCE_INFO = b"Content-Encoding: nonce\x00\x01"
_RECORD_SIZE = struct.pack("!L", 4096)


def encrypt(
    plaintext: bytes,
    subscription: Subscription,
    *,
    salt: bytes | None = None,
    sender_key: ec.EllipticCurvePrivateKey | None = None,
) -> bytes:
    """The aes128gcm body (RFC 8291) of one message for one subscription.

    `salt` and `sender_key` must be fresh for every message, which they are when left out;
    only the RFC's test vector passes them.
    """
    ua_public = _b64decode(subscription.p256dh, "keys.p256dh")
    auth_secret = _b64decode(subscription.auth, "keys.auth")
    ua_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), ua_public)
    if sender_key is None:
        sender_key = ec.generate_private_key(ec.SECP256R1())
    if salt is None:
        salt = os.urandom(16)
    sender_public = sender_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)

    # HKDF-SHA256 written out as RFC 8291 §3.4 does: every output fits one HMAC block.
    ecdh_secret = sender_key.exchange(ec.ECDH(), ua_key)
    prk_key = hmac.digest(auth_secret, ecdh_secret, "sha256")
    ikm = hmac.digest(prk_key, _KEY_INFO + ua_public + sender_public + b"\x01", "sha256")
    prk = hmac.digest(salt, ikm, "sha256")
    cek = hmac.digest(prk, _CEK_INFO, "sha256")[:16]
    nonce = hmac.digest(prk, _NONCE_INFO, "sha256")[:12]
    # A single record is the last one, so its padding delimiter is 0x02 (RFC 8188 §2).
    ciphertext = AESGCM(cek).encrypt(nonce, plaintext + b"\x02", None)
    return salt + _RECORD_SIZE + bytes([len(sender_public)]) + sender_public + ciphertext


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(seconds, 0.0), _MAX_RETRY_AFTER)


def _classify(subscription_id: Any, status: int, retry_after: str | None, detail: str) -> Result:
    if 200 <= status < 300:
        return Result(subscription_id, "delivered", status)
    if status in (404, 410):
        return Result(subscription_id, "gone", status, reason=f"the push service says the subscription is gone{detail}")
    if status == 429 or status >= 500:
        return Result(subscription_id, "retry", status, parse_retry_after(retry_after), f"HTTP {status}{detail}")
    if 300 <= status < 400:
        return Result(subscription_id, "rejected", status, reason="the push service redirected; redirects are not followed")
    return Result(subscription_id, "rejected", status, reason=f"the push service refused the message: HTTP {status}{detail}")


class PushSender:
    """Sends one payload to many subscriptions over one aiohttp session; use it with `async with`."""

    def __init__(
        self,
        vapid: Vapid,
        contact: str,
        *,
        allow_loopback: bool = False,
        concurrency: int = 100,
        per_origin: int | None = None,
        timeout: float = 10.0,
        connect_timeout: float = 5.0,
    ) -> None:
        if not contact.startswith(("mailto:", "https://")):
            raise ValueError("the VAPID contact must be a mailto: or https: URI")
        self.vapid = vapid
        self.contact = contact
        self.allow_loopback = allow_loopback
        self.concurrency = concurrency
        # A slow or dead push service may hold at most this many of the slots, so
        # subscribers of the other services keep getting theirs.
        self.per_origin = per_origin or max(1, math.ceil(concurrency * 0.8))
        self.timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=connect_timeout)
        self._session: aiohttp.ClientSession | None = None
        self._slots: asyncio.Semaphore | None = None
        self._origin_slots: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> PushSender:
        connector = aiohttp.TCPConnector(
            resolver=PublicResolver(self.allow_loopback), limit=self.concurrency, enable_cleanup_closed=True
        )
        # No cookie jar: nothing a push service sets is ever sent back, and no work per response.
        self._session = aiohttp.ClientSession(
            connector=connector, timeout=self.timeout, auto_decompress=False, cookie_jar=aiohttp.DummyCookieJar()
        )
        self._slots = asyncio.Semaphore(self.concurrency)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def send_many(
        self,
        subscriptions: Iterable[Subscription],
        payload: dict[str, Any],
        *,
        ttl: int,
        urgency: str = "normal",
        topic: str | None = None,
    ) -> list[Result]:
        """Encrypt and send `payload` to every subscription; one Result each, in the same order."""
        if self._session is None:
            raise RuntimeError("use PushSender with `async with`")
        if not isinstance(ttl, int) or not 0 <= ttl <= MAX_TTL:
            raise ValueError(f"ttl must be whole seconds between 0 and {MAX_TTL}")
        if urgency not in URGENCIES:
            raise ValueError(f"urgency must be one of {', '.join(URGENCIES)}")
        if topic is not None and not _TOPIC.match(topic):
            raise ValueError("topic must be 1 to 32 base64url characters")
        # Set on every request: a TTL of 0 would drop any message to a phone that is
        # asleep at that very moment.
        headers = {
            "TTL": str(ttl),
            "Urgency": urgency,
            "Content-Encoding": "aes128gcm",
            "Content-Type": "application/octet-stream",
        }
        if topic is not None:
            headers["Topic"] = topic
        plaintext = encode_payload(payload)
        subscriptions = list(subscriptions)
        if len(plaintext) > MAX_PLAINTEXT:
            reason = f"payload too large: {len(plaintext)} bytes, at most {MAX_PLAINTEXT} (use fit_payload)"
            return [Result(s.id, "rejected", reason=reason) for s in subscriptions]
        return list(await asyncio.gather(*(self._send(s, plaintext, headers) for s in subscriptions)))

    async def _send(self, subscription: Subscription, plaintext: bytes, headers: dict[str, str]) -> Result:
        sid = subscription.id
        try:
            check_endpoint_url(subscription.endpoint, self.allow_loopback)
        except UnsafeEndpoint as exc:
            return Result(sid, "rejected", reason=exc.reason)
        origin = audience_of(subscription.endpoint)
        origin_slots = self._origin_slots.setdefault(origin, asyncio.Semaphore(self.per_origin))
        assert self._session is not None and self._slots is not None
        async with origin_slots, self._slots:
            try:
                body = encrypt(plaintext, subscription)
            except ValueError as exc:
                return Result(sid, "rejected", reason=f"malformed subscription keys: {exc}")
            request_headers = {**headers, "Authorization": self.vapid.authorization(subscription.endpoint, self.contact)}
            try:
                async with self._session.post(
                    subscription.endpoint, data=body, headers=request_headers, allow_redirects=False
                ) as response:
                    detail = ""
                    if response.status >= 300:
                        text = (await response.content.read(_REASON_BYTES)).decode("utf-8", "replace").strip()
                        detail = f" ({text})" if text else ""
                    return _classify(sid, response.status, response.headers.get("Retry-After"), detail)
            except UnsafeEndpoint as exc:
                return Result(sid, "rejected", reason=exc.reason)
            except asyncio.TimeoutError:
                return Result(sid, "retry", reason="the push service did not answer in time")
            except aiohttp.ClientError as exc:
                return Result(sid, "retry", reason=f"could not reach the push service: {exc}")
