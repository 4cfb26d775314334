"""Idempotency-Key on creation requests: a retry with the same key gets the first answer, not a second post.

As the IETF draft (draft-ietf-httpapi-idempotency-key-header) and Stripe do it: a key means
something to its sender only; the same key with the same request within RETENTION answers with
the first one's status and body (and `Idempotent-Replayed: true`); with another request it is a
422; while the first is still running, a 409. Only a success is kept: a refused request changed
nothing, so the key stays free for the corrected one.

The record is claimed before the work starts and bound to what it made (`bind(resource_id)`)
inside the work's own transaction, so a process killed between committing the post and storing
the answer still answers a retry with that post instead of making a second one.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any

import msgspec
from litestar import Response
from litestar.enums import MediaType
from litestar.exceptions import ClientException, ValidationException
from litestar.params import HeaderParameter

from server.idempotency.tables import IdempotencyKey

__all__ = ["HEADER", "RETENTION", "KeyHeader", "fingerprint", "once", "remove_expired"]

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
RETENTION = timedelta(hours=24)
# A claim older than this with no answer belongs to a request that died; a retry may run again.
ABANDONED = timedelta(seconds=60)
_VALID = re.compile(r"^[\x21-\x7e]{1,255}$")

# The header as a route parameter (documented in the OpenAPI schema).
KeyHeader = Annotated[str | None, HeaderParameter(
    name=HEADER, max_length=255,
    description="Any unique string per intended request (a UUID): a retry with the same key gets the first answer.",
)]

Make = Callable[[Callable[[int], Awaitable[None]]], Awaitable[msgspec.Struct]]
Rebuild = Callable[[int], Awaitable[msgspec.Struct]]


class Conflict(ClientException):
    status_code = 409


class Unprocessable(ClientException):
    status_code = 422


def _busy() -> Conflict:
    return Conflict(f"A request with this {HEADER} is still being processed; try again in a moment.",
                    headers={"Retry-After": "1"})


def _now() -> datetime:
    return datetime.now(timezone.utc)


def fingerprint(method: str, path: str, body: Any) -> str:
    """What makes two requests the same: method, path and the decoded body (field order fixed by its Struct)."""
    encoded = msgspec.json.encode(msgspec.to_builtins(body))
    return hashlib.sha256(f"{method} {path}\n".encode() + encoded).hexdigest()


def _answer(status: int, body: bytes, replayed: bool = False) -> Response:
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)


async def _claim(person_id: int, key: str, digest: str) -> tuple[int, str] | None:
    """The new record's id and claim, or None when the person's key is taken."""
    claim = secrets.token_hex(16)
    rows = await IdempotencyKey.insert(
        IdempotencyKey(person=person_id, key=key, fingerprint=digest, claim=claim)
    ).on_conflict(action="DO NOTHING").returning(IdempotencyKey.id)
    return (rows[0]["id"], claim) if rows else None


def _held(record_id: int, claim: str):
    """The record while this request still holds it (a retry that took it over wrote its own claim)."""
    return (IdempotencyKey.id == record_id) & (IdempotencyKey.claim == claim)


async def once(
    person_id: int, key: str | None, digest: str, make: Make, rebuild: Rebuild, *, status_code: int,
) -> Response:
    """Run `make(bind)` once per (person, key) and answer with its result as JSON; see the module."""
    if key is None:
        async def unbound(resource_id: int) -> None:
            return None

        return _answer(status_code, msgspec.json.encode(await make(unbound)))
    if not _VALID.match(key):
        raise ValidationException(f"The {HEADER} header must be 1 to 255 visible ASCII characters (a UUID is best).")
    # Kept tidy as people write; the worker's sweep removes the rest.
    await IdempotencyKey.delete().where(
        (IdempotencyKey.person == person_id) & (IdempotencyKey.created_at < _now() - RETENTION)
    )
    held = await _claim(person_id, key, digest)
    if held is None:
        row = await IdempotencyKey.select().where(
            (IdempotencyKey.person == person_id) & (IdempotencyKey.key == key)
        ).first()
        if row is not None:
            if row["fingerprint"] != digest:
                raise Unprocessable(
                    f"This {HEADER} was already used for a different request. Send a new key for a new request."
                )
            if row["status"] is not None:
                return _answer(row["status"], row["response"].encode(), replayed=True)
            if row["created_at"] > _now() - ABANDONED:
                raise _busy()
            if row["resource"] is not None:
                # Its request made the resource, then died before answering: answer with that resource.
                body = msgspec.json.encode(await rebuild(row["resource"]))
                await _store((row["id"], row["claim"]), status_code, body)
                return _answer(status_code, body, replayed=True)
            # Its request died before making anything: this one runs in its place (one retry wins).
            await IdempotencyKey.delete().where(
                _held(row["id"], row["claim"]) & IdempotencyKey.status.is_null() & IdempotencyKey.resource.is_null()
            )
        # Gone meanwhile (its request failed and let go of it, or was abandoned): claim it afresh.
        held = await _claim(person_id, key, digest)
        if held is None:
            raise _busy()

    async def bind(resource_id: int) -> None:
        await IdempotencyKey.update({IdempotencyKey.resource: resource_id}).where(_held(*held))

    try:
        body = msgspec.json.encode(await make(bind))
    except BaseException:
        # Nothing was made: free the key for the corrected request (a 5xx may be retried as it is).
        try:
            await IdempotencyKey.delete().where(
                _held(*held) & IdempotencyKey.status.is_null() & IdempotencyKey.resource.is_null()
            )
        except Exception:  # the claim is then abandoned, and free again after ABANDONED
            log.warning("could not release an Idempotency-Key claim", exc_info=True)
        raise
    await _store(held, status_code, body)
    return _answer(status_code, body)


async def _store(held: tuple[int, str], status: int, body: bytes) -> None:
    await IdempotencyKey.update({IdempotencyKey.status: status, IdempotencyKey.response: body.decode()}).where(
        _held(*held)
    )


async def remove_expired() -> int:
    """Forget the records older than RETENTION (a sweep of the worker); returns how many went."""
    gone = await IdempotencyKey.delete().where(IdempotencyKey.created_at < _now() - RETENTION).returning(
        IdempotencyKey.id
    )
    return len(gone)
