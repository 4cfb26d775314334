"""Where a person sits in the organisation: job title, department, location and manager, set by admins.

Announcements are addressed by department and location (posts/visibility.py): whoever could set
their own could read any department's announcements and count in its statistics. As in a
directory synced from HR (Microsoft Entra ID provisioning, Slack's SCIM profile fields, which
members cannot edit), only admins change these: on the People screen (PATCH /api/admin/people/ID)
and with `hallway people import FILE.csv` (accounts/people_import.py). Members edit the rest of
their profile.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, TypeVar

from litestar.exceptions import NotFoundException, ValidationException

from server.accounts.schemas import Manager
from server.accounts.tables import User
from server.lib.text import clean_text

__all__ = ["FIELDS", "LABELS", "set_by_admins", "clean", "reports_to_self", "check_manager", "apply", "manager_of"]

FIELDS = ("title", "department", "location", "manager")
LABELS = {"title": "job title", "department": "department", "location": "location", "manager": "manager"}
MAX_LENGTH = 100
K = TypeVar("K", bound=Hashable)


def set_by_admins(field: str) -> ValidationException:
    """The 400 a member gets for sending one of FIELDS about themselves."""
    return ValidationException(f"Your {LABELS[field]} is set by your admins.")


def clean(field: str, value: str) -> str:
    """A title, department or location as stored: the text policy, inner spaces collapsed (audiences
    compare names whatever their spacing, and an import must not see "Sales " and "Sales" as a change)."""
    return " ".join(clean_text(value, field=LABELS[field], max_length=MAX_LENGTH).split())


def reports_to_self(managers: Mapping[K, K | None], person: K) -> bool:
    """Does following `managers` (person -> their manager, by id or email) up from `person` come back to them?"""
    seen = set()
    current = managers.get(person)
    while current is not None and current not in seen:
        if current == person:
            return True
        seen.add(current)
        current = managers.get(current)
    return False


async def _managers() -> dict[int, int | None]:
    rows = await User.select(User.id, User.manager).where(User.manager.is_not_null())
    return {r["id"]: r["manager"] for r in rows}


async def check_manager(person: dict, manager_id: int) -> dict:
    """The manager's row, if they may be this person's manager: someone else, who exists and does
    not already report to this person (an org chart has no loops)."""
    if manager_id == person["id"]:
        raise ValidationException(f"{person['name']} cannot be their own manager.")
    manager = await User.select(User.id, User.name).where(User.id == manager_id).first()
    if manager is None:
        raise NotFoundException("There is no such person to be the manager.")
    managers = await _managers()
    managers[person["id"]] = manager_id
    if reports_to_self(managers, person["id"]):
        raise ValidationException(
            f"{manager['name']} cannot be the manager of {person['name']}: "
            f"{manager['name']} already reports to {person['name']}, directly or through others."
        )
    return manager


async def apply(user_id: int, changes: dict[str, Any]) -> None:
    """Set some of FIELDS for a person (`manager`: an id, or None for none); admins only call this."""
    person = await User.select(User.id, User.name).where(User.id == user_id).first()
    if person is None:
        raise NotFoundException("There is no such person.")
    values: dict[Any, Any] = {}
    for field, value in changes.items():
        if field == "manager":
            values[User.manager] = None if value is None else (await check_manager(person, value))["id"]
        elif field in FIELDS:
            values[getattr(User, field)] = clean(field, value)
        else:
            raise ValueError(f"not an organisation field: {field}")
    if values:
        await User.update(values).where(User.id == user_id)


async def manager_of(row: dict) -> Manager | None:
    """The person's manager as their profile shows them; nobody once the manager is disabled."""
    if not row.get("manager"):
        return None
    found = await User.select(User.id, User.name).where(
        (User.id == row["manager"]) & (User.disabled == False)  # noqa: E712
    ).first()
    return Manager(id=found["id"], name=found["name"]) if found else None
