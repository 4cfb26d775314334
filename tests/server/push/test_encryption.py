"""RFC 8291 encryption, the size limit and payload trimming."""

import base64
import json

import http_ece
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from server.push.sender import (
    MAX_BODY,
    MAX_PLAINTEXT,
    PayloadTooLarge,
    Subscription,
    encode_payload,
    encrypt,
    fit_payload,
)
from tests.support_push import LocalPushService, make_subscription


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# RFC 8291 §5 and appendix A: the published keys, salt and resulting message.
RFC_PLAINTEXT = b"When I grow up, I want to be a watermelon"
RFC_AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
RFC_UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
RFC_UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
RFC_AUTH = "BTBZMqHH6r4Tts7J_aSIgg"
RFC_SALT = "DGv6ra1nlYgDCS1FRnbzlw"
RFC_MESSAGE = (
    "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl"
    "7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
)


def test_rfc8291_appendix_a_vector():
    as_key = ec.derive_private_key(int.from_bytes(unb64(RFC_AS_PRIVATE), "big"), ec.SECP256R1())
    subscription = Subscription(id=1, endpoint="https://push.example.net/x", p256dh=RFC_UA_PUBLIC, auth=RFC_AUTH)

    assert encrypt(RFC_PLAINTEXT, subscription, salt=unb64(RFC_SALT), sender_key=as_key) == unb64(RFC_MESSAGE)


def test_rfc8291_message_decrypts_with_http_ece():
    ua_key = ec.derive_private_key(int.from_bytes(unb64(RFC_UA_PRIVATE), "big"), ec.SECP256R1())
    plain = http_ece.decrypt(unb64(RFC_MESSAGE), private_key=ua_key, auth_secret=unb64(RFC_AUTH), version="aes128gcm")
    assert plain == RFC_PLAINTEXT


def test_fresh_messages_use_fresh_salt_and_key():
    subscription = Subscription(id=1, endpoint="https://push.example.net/x", p256dh=RFC_UA_PUBLIC, auth=RFC_AUTH)
    first, second = encrypt(b"same", subscription), encrypt(b"same", subscription)
    assert first[:16] != second[:16]
    assert first[21:86] != second[21:86]


def test_size_limit_is_the_4096_byte_body():
    service = LocalPushService()
    service.origin = "http://127.0.0.1:9"
    sub = Subscription.from_json(1, make_subscription(service, "a"))
    device = service._devices["a"]

    largest = encrypt(b"x" * MAX_PLAINTEXT, sub)
    assert MAX_PLAINTEXT == 3993
    assert len(largest) == MAX_BODY
    assert http_ece.decrypt(largest, private_key=device.private_key, auth_secret=device.auth) == b"x" * MAX_PLAINTEXT
    assert len(encrypt(b"x" * (MAX_PLAINTEXT + 1), sub)) == MAX_BODY + 1


def test_fit_payload_shortens_the_body_to_the_limit():
    payload = {"title": "Ana Lopez posted", "body": "Ünïcödé " * 1000, "url": "/posts/7"}
    fitted = fit_payload(payload)
    size = len(encode_payload(fitted))
    assert size <= MAX_PLAINTEXT
    # The cut is as late as the limit allows: one more character would not fit.
    assert size > MAX_PLAINTEXT - len("Ü…".encode())
    assert fitted["body"].endswith("…")
    assert payload["body"].startswith(fitted["body"][:-1])
    assert {k: v for k, v in fitted.items() if k != "body"} == {"title": "Ana Lopez posted", "url": "/posts/7"}


def test_fit_payload_keeps_a_small_payload():
    payload = {"title": "t", "body": "short"}
    assert fit_payload(payload) == payload


def test_fit_payload_refuses_what_cannot_fit():
    with pytest.raises(PayloadTooLarge):
        fit_payload({"title": "x" * 5000, "body": "b"})


def test_encode_payload_is_compact_utf8():
    assert encode_payload({"a": "é", "b": [1, 2]}) == '{"a":"é","b":[1,2]}'.encode()
    assert json.loads(encode_payload({"body": "ü"})) == {"body": "ü"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"endpoint": "https://p.example/x"}, "needs endpoint"),
        ({"endpoint": "https://p.example/x", "keys": {"p256dh": 5, "auth": "AAAA"}}, "must be strings"),
        ({"endpoint": "https://p.example/x", "keys": {"p256dh": RFC_UA_PUBLIC, "auth": "AAAA"}}, "16 bytes"),
        ({"endpoint": "https://p.example/x", "keys": {"p256dh": "BAAA", "auth": RFC_AUTH}}, "uncompressed"),
        ({"endpoint": "https://p.example/x", "keys": {"p256dh": "B" + "A" * 86, "auth": RFC_AUTH}}, "point on P-256"),
        ({"endpoint": "https://p.example/x", "keys": {"p256dh": "%%%", "auth": RFC_AUTH}}, "base64url"),
    ],
)
def test_malformed_subscription_keys_are_refused(data, message):
    with pytest.raises(ValueError, match=message):
        Subscription.from_json(1, data)
