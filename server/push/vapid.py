"""VAPID (RFC 8292): the server's P-256 key pair, kept in the data dir, and the JWTs it signs."""

from __future__ import annotations

import base64
import json
import os
import time
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from yarl import URL

__all__ = ["KEY_FILE", "TOKEN_LIFETIME", "Vapid", "audience_of", "b64url", "load_or_create_vapid"]

KEY_FILE = "vapid_private.pem"
# Push services refuse tokens that live longer than 24 hours (RFC 8292 §2); half a day
# leaves room for clock skew and lets one token serve a whole fan-out.
TOKEN_LIFETIME = 12 * 3600
# A cached token is re-signed this long before it expires, so none is sent about to lapse.
_RENEW_MARGIN = 3600


def b64url(data: bytes) -> str:
    """Base64url without padding, the encoding Web Push uses for keys and JWT parts."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def audience_of(endpoint: str) -> str:
    """The origin of a push endpoint (scheme, host and non-default port): the JWT's `aud`."""
    return str(URL(endpoint).origin())


class Vapid:
    """The application server's identity: signs VAPID JWTs and reuses each for its lifetime."""

    def __init__(self, private_key: ec.EllipticCurvePrivateKey) -> None:
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ValueError("a VAPID key must be on the P-256 curve")
        self.private_key = private_key
        point = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        # The browser's applicationServerKey and the `k=` of every Authorization header.
        self.public_key = b64url(point)
        self._tokens: dict[tuple[str, str], tuple[str, int]] = {}

    @classmethod
    def from_pem(cls, pem: bytes) -> Vapid:
        """Load a PEM private key (PKCS#8 or SEC 1), e.g. one given in settings."""
        key = serialization.load_pem_private_key(pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("a VAPID key must be an EC private key")
        return cls(key)

    def private_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM."""
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def sign(self, audience: str, contact: str, expires: int) -> str:
        """A fresh ES256 JWT for one push service origin."""
        if not contact.startswith(("mailto:", "https://")):
            raise ValueError("the VAPID contact must be a mailto: or https: URI")
        header = b64url(b'{"typ":"JWT","alg":"ES256"}')
        claims = b64url(json.dumps({"aud": audience, "exp": expires, "sub": contact}, separators=(",", ":")).encode())
        signing_input = f"{header}.{claims}".encode("ascii")
        r, s = decode_dss_signature(self.private_key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        # JWS wants the raw 64-byte r||s, not the DER that OpenSSL returns.
        return f"{header}.{claims}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"

    def authorization(self, endpoint: str, contact: str, now: float | None = None) -> str:
        """The `Authorization: vapid t=…, k=…` value for an endpoint, signed once per origin and lifetime."""
        now_s = int(time.time() if now is None else now)
        key = (audience_of(endpoint), contact)
        cached = self._tokens.get(key)
        # Signing costs about as much as encrypting a message; a fan-out of thousands
        # to a handful of push services needs only a handful of signatures.
        if cached is None or cached[1] - now_s < _RENEW_MARGIN:
            expires = now_s + TOKEN_LIFETIME
            cached = (self.sign(key[0], contact, expires), expires)
            self._tokens[key] = cached
        return f"vapid t={cached[0]}, k={self.public_key}"


def load_or_create_vapid(data_dir: Path) -> Vapid:
    """The instance's VAPID key from `data_dir/vapid_private.pem`, generated (mode 0600) on first start."""
    path = Path(data_dir) / KEY_FILE
    if path.exists():
        return Vapid.from_pem(path.read_bytes())
    path.parent.mkdir(parents=True, exist_ok=True)
    vapid = Vapid(ec.generate_private_key(ec.SECP256R1()))
    tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(vapid.private_pem())
            out.flush()
            os.fsync(out.fileno())
        # link() refuses an existing name: when the web and worker processes start together,
        # exactly one key wins and the other process reads it instead of overwriting it.
        os.link(tmp, path)
    except FileExistsError:
        return Vapid.from_pem(path.read_bytes())
    finally:
        tmp.unlink(missing_ok=True)
    return vapid
