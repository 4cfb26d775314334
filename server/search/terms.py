"""Turning what a person typed into a full-text query that cannot be a syntax error.

Only the words are kept (letters and digits); quotes, brackets, `*`, `-`, `:` and the
operators AND/OR/NOT/NEAR are dropped. Each word matches as a prefix ("Bäck" finds
"Bäckerei") and every word must match. The words are then quoted for the engine, so no
input reaches FTS5's or tsquery's own syntax.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["words", "fts5_query", "tsquery"]

MAX_WORDS = 8
MAX_WORD = 50
_WORD = re.compile(r"[^\W_]+")
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


def words(text: str) -> list[str]:
    found = _WORD.findall(unicodedata.normalize("NFC", text))
    kept = [w[:MAX_WORD] for w in found if w not in _OPERATORS]
    return list(dict.fromkeys(kept))[:MAX_WORDS]


def fts5_query(terms: list[str]) -> str:
    """`"bäckerei"* "markt"*`: phrases of one word each, as prefixes, all required."""
    return " ".join(f'"{w}"*' for w in terms)


def tsquery(terms: list[str]) -> str:
    """`'bäckerei':* & 'markt':*` for to_tsquery('simple', …)."""
    return " & ".join(f"'{w}':*" for w in terms)
