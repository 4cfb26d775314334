"""The languages Hallway speaks, and a person's default one from the browser's Accept-Language."""

from __future__ import annotations

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "from_accept_language", "language_or_default"]

# The PWA's languages (pwa/js/lib/i18n.js LANGUAGES); the server's messages use the same ones.
LANGUAGES = ("en", "de")
DEFAULT_LANGUAGE = "en"


def from_accept_language(header: str | None) -> str | None:
    """The supported language the browser prefers most (`de-DE,de;q=0.9,en;q=0.8` → "de"), else None."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        base = tag.strip().lower().replace("_", "-").split("-")[0]
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if base in LANGUAGES and quality > 0:
            ranked.append((-quality, position, base))
    return min(ranked)[2] if ranked else None


def language_or_default(language: str | None) -> str:
    """A stored language, or the default for people who never told us theirs."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE
