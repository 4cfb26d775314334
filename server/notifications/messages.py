"""What notifications say, in each recipient's language: a small catalogue and `Message`.

Callers of notify() pass a `Message` (a key and its parameters); notify() renders it once per
language among the recipients, so a German colleague's phone says "Ana hat ein Video gepostet".
Parameters are people's names and the like, inserted as they are (no markup is ever built here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from server.accounts.languages import DEFAULT_LANGUAGE, LANGUAGES, language_or_default

__all__ = ["CATALOGUE", "Message", "render"]

# German addresses people with "Sie", as the PWA does (pwa/js/intl/de.js).
CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "post": "{name} posted",
        "post.video": "{name} posted a video",
        "post.photo": "{name} posted a photo",
        "post.photos": "{name} posted photos",
        "comment": "{name} commented on your post",
        "reply": "{name} replied to your comment",
        "mention": "{name} mentioned you",
        "kudos": "{name} gave you kudos",
        "announcement": "Announcement from {name}",
        "must_read": "Must-read from {name}",
        "reminder": "Reminder from {name}: please confirm",
        "digest": "{count} new notifications",
        "generic": "Hallway",
    },
    "de": {
        "post": "{name} hat etwas gepostet",
        "post.video": "{name} hat ein Video gepostet",
        "post.photo": "{name} hat ein Foto gepostet",
        "post.photos": "{name} hat Fotos gepostet",
        "comment": "{name} hat Ihren Beitrag kommentiert",
        "reply": "{name} hat auf Ihren Kommentar geantwortet",
        "mention": "{name} hat Sie erwähnt",
        "kudos": "{name} hat Ihnen Kudos gegeben",
        "announcement": "Ankündigung von {name}",
        "must_read": "Pflichtlektüre von {name}",
        "reminder": "Erinnerung von {name}: bitte bestätigen",
        "digest": "{count} neue Mitteilungen",
        "generic": "Hallway",
    },
}
assert set(CATALOGUE) == set(LANGUAGES) and all(CATALOGUE[lang].keys() == CATALOGUE["en"].keys() for lang in LANGUAGES)


def _number(value: int, language: str) -> str:
    # 1,234 in English, 1.234 in German: the same grouping the PWA's Intl.NumberFormat shows.
    text = f"{value:,}"
    return text.replace(",", ".") if language == "de" else text


@dataclass(frozen=True)
class Message:
    """A catalogue key with its parameters, rendered per recipient by notify()."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key not in CATALOGUE[DEFAULT_LANGUAGE]:
            raise ValueError(f"no notification message {self.key!r}")

    def render(self, language: str | None) -> str:
        """This message in `language` (the default language for an unknown or missing one)."""
        return render(self.key, language, **self.params)


def render(key: str, language: str | None, **params: Any) -> str:
    """The catalogue entry `key` in `language` with its placeholders filled in."""
    language = language_or_default(language)
    values = {name: _number(v, language) if isinstance(v, int) else str(v) for name, v in params.items()}
    return CATALOGUE[language][key].format_map(values)
