"""Random tokens for cookies and links, stored only as hashes."""

import hashlib
import secrets

__all__ = ["new_token", "token_hash"]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
