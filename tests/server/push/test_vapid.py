"""The VAPID key kept in the data dir and the JWTs signed with it."""

import base64
import os
import stat

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from server.push.vapid import KEY_FILE, TOKEN_LIFETIME, Vapid, audience_of, load_or_create_vapid


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def token_of(header: str) -> tuple[str, str]:
    t, k = header.removeprefix("vapid ").split(", ")
    return t.removeprefix("t="), k.removeprefix("k=")


def test_key_is_created_once_with_mode_0600(tmp_path):
    data_dir = tmp_path / "var"
    first = load_or_create_vapid(data_dir)
    path = data_dir / KEY_FILE
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [p.name for p in data_dir.iterdir()] == [KEY_FILE]
    second = load_or_create_vapid(data_dir)
    assert second.public_key == first.public_key


def test_public_key_is_an_uncompressed_p256_point(tmp_path):
    vapid = load_or_create_vapid(tmp_path)
    point = unb64(vapid.public_key)
    assert len(point) == 65 and point[0] == 4
    assert "=" not in vapid.public_key
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)


def test_a_key_on_another_curve_is_refused():
    with pytest.raises(ValueError, match="P-256"):
        Vapid(ec.generate_private_key(ec.SECP384R1()))


def test_jwt_verifies_with_the_public_key_and_names_the_origin(tmp_path):
    vapid = load_or_create_vapid(tmp_path)
    now = 1_800_000_000
    header = vapid.authorization("https://push.example.net:8443/wpush/abc", "mailto:comms@example.com", now=now)
    token, key = token_of(header)
    assert key == vapid.public_key
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(key))
    claims = jwt.decode(
        token, public, algorithms=["ES256"], audience="https://push.example.net:8443", options={"verify_exp": False}
    )
    assert claims == {"aud": "https://push.example.net:8443", "exp": now + TOKEN_LIFETIME, "sub": "mailto:comms@example.com"}
    assert TOKEN_LIFETIME <= 24 * 3600
    assert jwt.get_unverified_header(token) == {"typ": "JWT", "alg": "ES256"}


def test_token_is_reused_per_origin_and_renewed_before_expiry(tmp_path):
    vapid = load_or_create_vapid(tmp_path)
    contact = "https://intranet.example.com/contact"
    now = 1_800_000_000
    a1 = vapid.authorization("https://fcm.googleapis.com/fcm/send/1", contact, now=now)
    a2 = vapid.authorization("https://fcm.googleapis.com/fcm/send/2", contact, now=now + 60)
    other = vapid.authorization("https://web.push.apple.com/x", contact, now=now + 60)
    assert a1 == a2
    assert other != a1
    renewed = vapid.authorization("https://fcm.googleapis.com/fcm/send/3", contact, now=now + TOKEN_LIFETIME - 60)
    assert renewed != a1
    claims = jwt.decode(token_of(renewed)[0], options={"verify_signature": False})
    assert claims["exp"] == now + 2 * TOKEN_LIFETIME - 60


def test_contact_must_be_mailto_or_https(tmp_path):
    vapid = load_or_create_vapid(tmp_path)
    with pytest.raises(ValueError, match="mailto"):
        vapid.authorization("https://fcm.googleapis.com/x", "comms@example.com")


def test_audience_is_the_origin():
    assert audience_of("https://fcm.googleapis.com/fcm/send/abc?x=1") == "https://fcm.googleapis.com"
    assert audience_of("https://fcm.googleapis.com:443/fcm") == "https://fcm.googleapis.com"
    assert audience_of("http://127.0.0.1:8123/push/1") == "http://127.0.0.1:8123"


def test_pem_round_trip(tmp_path):
    vapid = load_or_create_vapid(tmp_path)
    assert Vapid.from_pem(vapid.private_pem()).public_key == vapid.public_key
