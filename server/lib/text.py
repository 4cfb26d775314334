"""Checks on text people type: length and invisible control characters."""

import re
import unicodedata

from litestar.exceptions import ValidationException

__all__ = ["clean_text"]

# Tabs and newlines are fine in multi-line text; other C0/C1 controls break rendering and logs.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean_text(value: str, *, field: str, max_length: int, multiline: bool = False, required: bool = False) -> str:
    """Normalise and check one text field; raise a 400 a person understands."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()
    if required and not value:
        raise ValidationException(f"The {field} cannot be empty.")
    if len(value) > max_length:
        raise ValidationException(
            f"The {field} can be at most {max_length:,} characters long (this one has {len(value):,})."
        )
    if (_CONTROL if multiline else _CONTROL_LINE).search(value):
        raise ValidationException(f"The {field} contains control characters; please remove them.")
    return value
