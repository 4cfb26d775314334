"""Password hashing with argon2id, off the event loop."""

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["hash_password", "verify_password", "has_password", "MIN_LENGTH", "NO_PASSWORD"]

MIN_LENGTH = 10
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified when the email is unknown, so a miss takes as long as a wrong password.
_DUMMY = _hasher.hash("not a real password, only for timing")
# The hash of someone an import created who has not chosen a password yet: nothing signs in with it.
NO_PASSWORD = ""


def has_password(password_hash: str | None) -> bool:
    return bool(password_hash)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches; always spends the same work."""

    def check() -> bool:
        try:
            # No password yet (or no account) spends the same work and is never a match, even for
            # the dummy's own text.
            return _hasher.verify(password_hash or _DUMMY, password) and has_password(password_hash)
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)
