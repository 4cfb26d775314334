"""Reading one cookie from the raw headers agrees with Litestar's parser on what browsers send."""

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


def test_a_repeated_name_keeps_the_last_as_litestar_does():
    scope = _scope(b"hallway_session=old; other=1; hallway_session=new")
    assert cookie_value(scope, "hallway_session") == "new" == ASGIConnection(scope).cookies["hallway_session"]


def test_quoted_or_escaped_values_are_left_to_litestars_rules():
    scope = _scope(b'hallway_session="a%20b"')
    assert cookie_value(scope, "hallway_session") == ASGIConnection(scope).cookies["hallway_session"]
