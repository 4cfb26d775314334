"""One policy for every text people type: names, tags, departments, alt texts, posts, comments.

Refused: control characters (they break rendering and logs), bidirectional overrides and
isolates (U+202A–202E, U+2066–2069: "‮txt.exe" shows as "exe.txt"), and more than
MAX_MARKS combining marks on one letter ("Zalgo" text that spills over the lines above and
below; the scripts people write need at most three). Text that is only invisible — spaces,
format characters, combining marks, Hangul fillers, the Braille blank — counts as empty.
Mention tokens `@[Name](user:ID)` are the composer's; `with_names` makes them show the
person's real name, whatever a client wrote between the brackets.
"""

import re
import unicodedata

from litestar.exceptions import ValidationException

__all__ = ["MAX_MARKS", "MENTION", "clean_text", "visible", "mention_ids", "with_names"]

MAX_MARKS = 4
# Tabs and newlines are fine in multi-line text; other C0/C1 controls break rendering and logs.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Letters that render as nothing (category Lo or So, so the category test alone misses them).
_BLANK_LETTERS = set("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"}
MENTION = re.compile(r"@\[([^\[\]\n]{1,100})\]\(user:(\d{1,12})\)")


def visible(value: str) -> bool:
    """Does the text show anything at all?"""
    return any(ch not in _BLANK_LETTERS and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES for ch in value)


def _too_many_marks(value: str) -> bool:
    run = 0
    for ch in value:
        run = run + 1 if unicodedata.category(ch) in ("Mn", "Me") else 0
        if run > MAX_MARKS:
            return True
    return False


def clean_text(value: str, *, field: str, max_length: int, multiline: bool = False, required: bool = False) -> str:
    """Normalise and check one text field; raise a 400 a person understands."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
    if len(value) > max_length:
        raise ValidationException(
            f"The {field} can be at most {max_length:,} characters long (this one has {len(value):,})."
        )
    if (_CONTROL if multiline else _CONTROL_LINE).search(value):
        raise ValidationException(f"The {field} contains control characters; please remove them.")
    if _BIDI.search(value):
        raise ValidationException(f"The {field} contains characters that reverse the text's direction; please remove them.")
    if _too_many_marks(value):
        raise ValidationException(f"The {field} stacks too many accent marks on one letter.")
    if not visible(value):
        value = ""
    if required and not value:
        raise ValidationException(f"The {field} cannot be empty.")
    return value


def mention_ids(text: str) -> list[int]:
    """The people mention tokens name, in order, each once."""
    return list(dict.fromkeys(int(m.group(2)) for m in MENTION.finditer(text)))


def with_names(text: str, names: dict[int, str]) -> str:
    """Each token shows its person's name; a token for nobody known becomes its plain text."""

    def named(match: re.Match) -> str:
        person = int(match.group(2))
        if person not in names:
            return "@" + match.group(1)
        shown = re.sub(r"[\[\]\n]", " ", names[person]).strip()[:100] or "someone"
        return f"@[{shown}](user:{person})"

    return MENTION.sub(named, text)
