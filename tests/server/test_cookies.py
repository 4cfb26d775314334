"""Reading one cookie from the raw headers agrees with Litestar's parser on the tokens Hallway sets."""

from litestar.connection import ASGIConnection

from server.lib.cookies import cookie_value


def _scope(*cookie_headers: bytes) -> dict:
    return {"type": "http", "headers": [(b"host", b"hallway.test"), *((b"cookie", h) for h in cookie_headers)]}


def test_a_cookie_is_found_among_others_and_missing_ones_are_none():
    scope = _scope(b"theme=dark; hallway_session=Ab-_09; csrftoken=deadbeef")
    assert cookie_value(scope, "hallway_session") == "Ab-_09"
    assert cookie_value(scope, "csrftoken") == "deadbeef"
    assert cookie_value(scope, "hallway") is None
    assert cookie_value(_scope(), "csrftoken") is None
    # A signed token (the sign-in device cookie: nonce.signature) is one of ours too.
    assert cookie_value(_scope(b"hallway_device=n0nce-_.5ig"), "hallway_device") == "n0nce-_.5ig"


def test_a_repeated_name_keeps_the_last_as_litestar_does():
    scope = _scope(b"hallway_session=old; other=1; hallway_session=new")
    assert cookie_value(scope, "hallway_session") == "new" == ASGIConnection(scope).cookies["hallway_session"]


def test_quoted_or_escaped_values_are_not_ours_and_never_reach_the_stdlib_parser(monkeypatch):
    # Hallway sets URL-safe tokens; a quoted value full of backslashes is an attack on
    # http.cookies._unquote (quadratic in CPython 3.11.7, CVE-2024-7592), read here as no cookie.
    import http.cookies

    import litestar._parsers

    def never(value):
        raise AssertionError("the standard library's cookie unquoting was called")

    monkeypatch.setattr(http.cookies, "_unquote", never)
    monkeypatch.setattr(litestar._parsers, "unquote_cookie", never)
    for value in (b'"a%20b"', b'"' + b"\\" * 20_000 + b'"', b"a%20b", b"a\\b", b'"abc"'):
        assert cookie_value(_scope(b"hallway_session=" + value), "hallway_session") is None
