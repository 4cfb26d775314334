"""Finding #hashtags and @mentions in plain post and comment text.

Bodies stay plain text, never HTML. A mention is written one of two ways:

- `@[Display Name](user:42)`: the unambiguous token the PWA's autocomplete inserts; the name
  is only what readers see, the id decides who is meant.
- `@Name` typed by hand (letters, digits, `_`, `.` and `-`, the PWA's linkify rule): it
  counts when it names exactly one colleague, by full name with the spaces left out or
  replaced (`@AnnSmith`, `@Ann.Smith`, `@ann_smith`) or by a first name nobody else has.

Hashtags follow the PWA's linkify rule too (`#` then up to 100 letters, digits or `_`, with
at least one letter, not inside a URL or after a word character), case-folded, so
#Bäckerei and #BÄCKEREI are one tag.
"""

from __future__ import annotations

import re
import unicodedata

from server.lib import text as policy

__all__ = [
    "MAX_TAG", "MAX_MENTIONS", "hashtags", "normalise_tag", "mention_ids", "plain_mentions",
    "name_key", "plain_text",
]

MAX_TAG = 100
MAX_MENTIONS = 50  # more in one text is a mass mailing, not a mention

_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
# \w is Unicode in Python: letters, digits and "_", like the PWA's [\p{L}\p{N}_].
_PLAIN = re.compile(r"(?:^|(?<=[^\w@#/.]))@(\w[\w.-]{0,63})")
_TAG = re.compile(r"(?:^|(?<=[^\w@#/&]))#(\w{1,%d})" % MAX_TAG)
_LETTER = re.compile(r"[^\W\d_]")


def normalise_tag(tag: str) -> str:
    """The stored form of a tag: NFC, case-folded, without a leading '#'."""
    return unicodedata.normalize("NFC", tag.lstrip("#")).casefold()


def _without_urls_and_tokens(text: str) -> str:
    return policy.MENTION.sub(" ", _URL.sub(" ", text))


def hashtags(text: str) -> list[str]:
    """The distinct tags of a text, in order of first appearance."""
    found: dict[str, None] = {}
    for match in _TAG.finditer(_without_urls_and_tokens(text)):
        tag = match.group(1)
        if _LETTER.search(tag):
            found.setdefault(normalise_tag(tag)[:MAX_TAG], None)
    return list(found)


def mention_ids(text: str) -> list[int]:
    """User ids of the `@[Name](user:ID)` tokens, distinct, in order."""
    return policy.mention_ids(text)[:MAX_MENTIONS]


def plain_mentions(text: str) -> list[str]:
    """The hand-typed `@Name` words (trailing dots and dashes dropped, as the PWA does)."""
    found: dict[str, None] = {}
    for match in _PLAIN.finditer(_URL.sub(" ", policy.MENTION.sub(" ", text))):
        word = match.group(1).rstrip(".-")
        if word:
            found.setdefault(word, None)
    return list(found)[:MAX_MENTIONS]


def name_key(name: str) -> str:
    """A name compared loosely: case-folded, letters and digits only ('Ann Smith' == 'ann.smith')."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFC", name).casefold())


def plain_text(text: str) -> str:
    """The text as people read it: mention tokens shown as '@Display Name' (notifications, snippets)."""
    return policy.MENTION.sub(lambda m: "@" + m.group(1), text)
