"""The Range and conditional-request rules alone (no app, no database)."""

import pytest

from server.media_files.ranges import ByteRange, Unsatisfiable, if_range_allows, none_match, parse_range


@pytest.mark.parametrize(("header", "size", "expected"), [
    (None, 100, None),
    ("", 100, None),
    ("bytes=0-1", 100, ByteRange(0, 1)),
    ("bytes=0-", 100, ByteRange(0, 99)),
    ("bytes=50-60", 100, ByteRange(50, 60)),
    ("bytes=90-1000", 100, ByteRange(90, 99)),
    ("bytes=-1", 100, ByteRange(99, 99)),
    ("bytes=-500", 100, ByteRange(0, 99)),
    ("bytes=0-0", 1, ByteRange(0, 0)),
    ("bytes= 3-4 ,", 100, ByteRange(3, 4)),   # empty list elements are allowed by the grammar
    ("bytes=0-1,3-4", 100, None),              # several ranges: whole file
    ("bytes=4-3", 100, None),
    ("bytes=-", 100, None),
    ("bytes=1", 100, None),
    ("bytes=a-b", 100, None),
    ("bytes=１-２", 100, None),               # non-ASCII digits are not digits here
    ("bytes=" + "9" * 30 + "-", 100, None),   # absurd numbers are malformed, not slow
    ("pages=1-2", 100, None),
    ("bytes 0-1", 100, None),
])
def test_parse_range(header, size, expected):
    assert parse_range(header, size) == expected


@pytest.mark.parametrize(("header", "size"), [("bytes=100-", 100), ("bytes=100-200", 100), ("bytes=-0", 100), ("bytes=-5", 0), ("bytes=0-", 0)])
def test_unsatisfiable(header, size):
    with pytest.raises(Unsatisfiable):
        parse_range(header, size)


def test_content_range_and_length():
    part = ByteRange(10, 19)
    assert part.length == 10 and part.content_range(100) == "bytes 10-19/100"


def test_if_none_match_uses_weak_comparison():
    assert none_match('"a"', '"a"') and none_match('W/"a"', '"a"') and none_match('"x", "a"', '"a"')
    assert none_match("*", '"a"')
    assert not none_match(None, '"a"') and not none_match('"b"', '"a"') and not none_match('"a', '"a"')


def test_if_range_needs_the_exact_strong_etag():
    assert if_range_allows(None, '"a"') and if_range_allows('"a"', '"a"') and if_range_allows(' "a" ', '"a"')
    assert not if_range_allows('W/"a"', '"a"')
    assert not if_range_allows('"b"', '"a"')
    assert not if_range_allows("Wed, 21 Oct 2015 07:28:00 GMT", '"a"')
