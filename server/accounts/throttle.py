"""Sign-in throttling: guessing gets slow, and nobody can lock a colleague out.

OWASP ASVS 5.0 V6.1.1 and V6.3.1 (rate limiting that prevents malicious account lockout), with
OWASP's "device cookies" (Slow Down Online Guessing Attacks with Device Cookies). Each counter is
a backoff (server/lib/ratelimit.py): some failures are free, then the wait doubles from 1 s up to
HALLWAY_SIGNIN_MAX_WAIT, and failures are forgotten HALLWAY_SIGNIN_WINDOW after the last one.

- The account at this address (HALLWAY_SIGNIN_ATTEMPTS free). Guessing a colleague's password
  slows the guesser down only: the colleague, from anywhere else, signs in as usual.
- The address over all accounts (four times as many free): spraying one password over many
  accounts from one place. IPv6 addresses count per /64, which one host can roam at will.
- A browser that signed in to this account before carries a signed cookie naming neither; its
  attempts skip both counters above and count on their own, so a colleague behind the office NAT
  of an attacker still signs in from the phone they always use. One that fails as often as the
  account's free attempts is treated as unknown again.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass

from litestar import Request
from litestar.datastructures import Cookie

from server.lib.cookies import cookie_value
from server.lib.net import client_address
from server.lib.ratelimit import Limiter, backoff_wait
from server.settings import get_settings

__all__ = [
    "DEVICE_COOKIE", "Attempt", "attempt_of", "wait_for", "failed", "succeeded", "address_bucket",
    "password_wait", "password_failed", "password_changed",
]

DEVICE_COOKIE = "hallway_device"
_DEVICE_DAYS = 365


@dataclass(frozen=True, slots=True)
class Attempt:
    """Who tries which account from where."""

    email: str
    address: str
    device: str | None  # the nonce of a device cookie this account issued, else None

    @property
    def keys(self) -> dict[str, str]:
        return {
            "pair": f"signin:pair:{self.email}|{self.address}",
            "address": f"signin:addr:{self.address}",
            "device": f"signin:device:{self.device}",
        }


def address_bucket(address: str) -> str:
    """The address to count: IPv4 as it is, IPv6 by its /64 network."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _signature(email: str, nonce: str) -> str:
    message = f"hallway-device\n{email}\n{nonce}".encode()
    return hmac.new(get_settings().secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def _device_nonce(value: str | None, email: str) -> str | None:
    nonce, _, signature = (value or "").partition(".")
    if nonce and signature and hmac.compare_digest(signature, _signature(email, nonce)):
        return nonce
    return None


def attempt_of(request: Request, email: str) -> Attempt:
    email = email.strip().lower()
    device = _device_nonce(cookie_value(request.scope, DEVICE_COOKIE), email)
    return Attempt(email=email, address=address_bucket(client_address(request)), device=device)


async def _trusted_device(limiter: Limiter, attempt: Attempt) -> bool:
    if attempt.device is None:
        return False
    count, _ = await limiter.failures(attempt.keys["device"])
    return count < get_settings().signin_attempts


async def wait_for(limiter: Limiter, attempt: Attempt) -> int:
    """Seconds this attempt must wait before its password is even checked; 0 to go ahead."""
    if await _trusted_device(limiter, attempt):
        return 0
    settings = get_settings()
    waits = []
    for name, free in (("pair", settings.signin_attempts), ("address", settings.signin_attempts * 4)):
        count, last = await limiter.failures(attempt.keys[name])
        waits.append(backoff_wait(count, last, free, settings.signin_max_wait))
    return max(waits)


async def failed(limiter: Limiter, attempt: Attempt) -> None:
    """A wrong password: counted on the device alone while it is trusted, else on account+address and address."""
    forget = get_settings().signin_window
    names = ("device",) if await _trusted_device(limiter, attempt) else ("pair", "address")
    for name in names:
        await limiter.fail(attempt.keys[name], forget)


async def succeeded(limiter: Limiter, attempt: Attempt) -> Cookie:
    """The right password: this account's counters start again (not the address's: one account
    of one's own must not reset a spraying address) and the browser is remembered."""
    await limiter.reset(attempt.keys["pair"])
    if attempt.device is not None:
        await limiter.reset(attempt.keys["device"])
    nonce = attempt.device or secrets.token_urlsafe(16)
    return Cookie(
        key=DEVICE_COOKIE,
        value=f"{nonce}.{_signature(attempt.email, nonce)}",
        max_age=_DEVICE_DAYS * 86400,
        httponly=True,
        secure=get_settings().secure_cookies,
        samesite="strict",
        path="/api/session",
    )


# Changing one's password asks for the current one: someone at an unlocked, signed-in laptop
# must not be able to guess it at full speed and take the account over for good.


async def password_wait(limiter: Limiter, user_id: int) -> int:
    settings = get_settings()
    count, last = await limiter.failures(f"password:{user_id}")
    return backoff_wait(count, last, settings.signin_attempts, settings.signin_max_wait)


async def password_failed(limiter: Limiter, user_id: int) -> None:
    await limiter.fail(f"password:{user_id}", get_settings().signin_window)


async def password_changed(limiter: Limiter, user_id: int) -> None:
    await limiter.reset(f"password:{user_id}")
