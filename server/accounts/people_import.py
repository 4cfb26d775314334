"""`hallway people import FILE.csv`: names, job titles, departments, locations and managers from HR's list.

Provisioning as Microsoft Entra ID or Slack's SCIM do it: the file is the source of truth for the
columns it has, the email is the key, and running it twice changes nothing the second time.
People not in Hallway yet are created as members without a password: they appear in the
directory and in their department's audiences, but nobody can sign in as them until an admin
hands over a one-time link to choose a password (`--links`, `hallway user reset`, or "Reset
password" on the People screen). Roles are never changed, and nobody absent from the file is
disabled unless `--disable-missing` says so. A file with any error changes nothing: every
error is reported with its line, and the whole import is one transaction.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from litestar.exceptions import HTTPException

from server.accounts import lifecycle, organisation
from server.accounts.passwords import NO_PASSWORD
from server.accounts.services import normalise_email
from server.accounts.tables import User
from server.lib import events
from server.lib.text import clean_text

__all__ = ["COLUMNS", "Line", "Report", "Refused", "parse", "run"]

# The columns a file may have (in any order); only `email` is required.
COLUMNS = ("email", "name", "title", "department", "location", "manager_email")
_ALIASES = {"manager": "manager_email", "e_mail": "email", "job_title": "title"}
_SHOWN = {"manager_email": "manager email"}
_FIELDS = ("name", "title", "department", "location", "manager")


class Refused(Exception):
    """The file cannot be imported; nothing was changed. `errors` are lines a person can act on."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Line:
    """One person as the file has them: only the columns the file has are in `values`."""

    number: int
    email: str
    values: dict[str, str]


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)  # email, the fields changed
    unchanged: int = 0
    disabled: list[str] = field(default_factory=list)  # absent from the file, with --disable-missing
    left_disabled: list[str] = field(default_factory=list)  # in the file, but an admin disabled them
    links: dict[str, str] = field(default_factory=dict)  # email -> link to choose a password (--links)


def _column(name: str) -> str:
    key = "_".join(name.strip().lower().replace("-", " ").split())
    return _ALIASES.get(key, key)


def _delimiter(first_line: str) -> str:
    # Excel writes ";" where the comma is the decimal sign (German settings), some tools tabs.
    return max((",", ";", "\t"), key=first_line.count) if first_line.strip() else ","


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Refused([f"line {line}: this is not UTF-8 text. Save the file as \"CSV UTF-8\" and try again."]) from None


def parse(data: bytes) -> list[Line]:
    """The people in a CSV file, checked line by line; Refused with every error found."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]), strict=True)
    errors: list[str] = []
    lines: list[Line] = []
    first_seen: dict[str, int] = {}
    header: list[str] | None = None
    while True:
        number = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise Refused(errors + [f"line {number}: {exc} (a quote opened but never closed?)"]) from None
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [_column(c) for c in cells]
            errors += _check_header(header)
            if errors:
                raise Refused(errors)
            continue
        if len(cells) != len(header):
            count = f"{len(cells)} value" + ("s" if len(cells) != 1 else "")
            errors.append(f"line {number}: {count}, but the header has {len(header)} columns.")
            continue
        line, problems = _line(number, dict(zip(header, cells)))
        errors += [f"line {number}: {p}" for p in problems]
        if line is None:
            continue
        if line.email in first_seen:
            errors.append(f"line {number}: {line.email} is already on line {first_seen[line.email]}.")
            continue
        first_seen[line.email] = number
        lines.append(line)
    if header is None:
        raise Refused(["line 1: the file is empty; the first line names the columns: " + _listed(COLUMNS) + "."])
    if errors:
        raise Refused(errors)
    return lines


def _listed(columns) -> str:
    return ", ".join(_SHOWN.get(c, c) for c in columns)


def _check_header(header: list[str]) -> list[str]:
    errors = []
    for name in header:
        if name not in COLUMNS:
            errors.append(f"line 1: there is no column \"{name}\"; the columns are: {_listed(COLUMNS)}.")
    for name in sorted({n for n in header if header.count(n) > 1}):
        errors.append(f"line 1: the column \"{_SHOWN.get(name, name)}\" appears twice.")
    if "email" not in header:
        errors.append("line 1: an \"email\" column is needed: it says who each line is.")
    return errors


def _email(raw: str, what: str) -> str:
    try:
        return normalise_email(raw)
    except HTTPException:
        raise ValueError(f"the {what} \"{raw.strip()}\" is not a valid email address.") from None


def _line(number: int, cells: dict[str, str]) -> tuple[Line | None, list[str]]:
    problems: list[str] = []
    values: dict[str, str] = {}
    email = ""
    for column, raw in cells.items():
        try:
            if column == "email":
                email = _email(raw, "email") if raw.strip() else ""
                if not email:
                    problems.append("the email is empty: it says who this line is.")
            elif column == "manager_email":
                values["manager"] = _email(raw, "manager email") if raw.strip() else ""
            elif column == "name":
                values["name"] = clean_text(raw, field="name", max_length=100, required=True)
            else:
                values[column] = organisation.clean(column, raw)
        except HTTPException as exc:  # first: Litestar's ValidationException is a ValueError too
            problems.append(exc.detail)
        except ValueError as exc:
            problems.append(str(exc))
    if email and values.get("manager") == email:
        problems.append(f"{email} cannot be their own manager.")
    return (Line(number, email, values) if not problems else None), problems


async def run(data: bytes, *, disable_missing: bool = False, links: bool = False, dry_run: bool = False) -> Report:
    """Import the file: all of it, or (Refused) nothing. With dry_run, what would change, changing nothing."""
    lines = parse(data)
    report = Report()
    try:
        async with events.transaction(User._meta.db):
            await _apply(lines, report, disable_missing=disable_missing, links=links and not dry_run)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except lifecycle.LastAdmin as exc:
        raise Refused([f"--disable-missing: {exc.detail}"]) from None
    return report


class _DryRun(Exception):
    """Rolls the transaction back after the report is made."""


async def _apply(lines: list[Line], report: Report, *, disable_missing: bool, links: bool) -> None:
    rows = await User.select(
        User.id, User.email, User.name, User.title, User.department, User.location, User.disabled,
        User.manager.email.as_alias("manager_email"),
    )
    people = {r["email"]: r for r in rows}
    _check(lines, people)
    created = await _create([line for line in lines if line.email not in people], report)
    ids = {**{email: r["id"] for email, r in people.items()}, **created}
    for line in lines:
        if line.email in created:
            if manager := line.values.get("manager"):
                await User.update({User.manager: ids[manager]}).where(User.id == created[line.email])
        else:
            await _update(line, people[line.email], ids, report)
    if disable_missing:
        listed = {line.email for line in lines}
        for email, row in sorted(people.items()):
            if email not in listed and not row["disabled"]:
                await lifecycle.update_account(row["id"], disabled=True)
                report.disabled.append(email)
    if links:
        for email, user_id in created.items():
            token, _ = await lifecycle.create_reset(user_id, None)
            report.links[email] = lifecycle.reset_url(token)


async def _create(lines: list[Line], report: Report) -> dict[str, int]:
    """New members without a password (their managers are set once everyone exists); email -> id."""
    created = {}
    for line in lines:
        values = line.values
        user = await User.insert(User(
            email=line.email, name=values["name"], password_hash=NO_PASSWORD, role="member",
            **{f: values.get(f, "") for f in ("title", "department", "location")},
        )).returning(User.id)
        created[line.email] = user[0]["id"]
        report.created.append(line.email)
    return created


async def _update(line: Line, row: dict, ids: dict[str, int], report: Report) -> None:
    """Set what differs from the file, and say which fields that was."""
    changes: dict[Any, Any] = {}
    for name in _FIELDS:
        if name not in line.values:
            continue
        wanted = line.values[name]
        if name == "manager":
            if wanted != (row["manager_email"] or ""):
                changes[User.manager] = ids[wanted] if wanted else None
        elif wanted != row[name]:
            changes[getattr(User, name)] = wanted
    if changes:
        await User.update(changes).where(User.id == row["id"])
        report.updated.append((line.email, [column._meta.name for column in changes]))
    else:
        report.unchanged += 1
    if row["disabled"]:
        report.left_disabled.append(line.email)


def _check(lines: list[Line], people: dict[str, dict]) -> None:
    """What only the database can tell: whom a line creates has a name, every manager exists (in
    Hallway or in the file), and nobody ends up reporting to themselves."""
    errors = []
    in_file = {line.email for line in lines}
    managers = {email: row["manager_email"] for email, row in people.items()}
    for line in lines:
        if line.email not in people and "name" not in line.values:
            errors.append(
                f"line {line.number}: {line.email} is not in Hallway yet; a \"name\" column is needed to add them."
            )
        manager = line.values.get("manager")
        if manager and manager not in in_file and manager not in people:
            errors.append(f"line {line.number}: the manager {manager} is neither in Hallway nor in this file.")
        if "manager" in line.values:
            managers[line.email] = manager or None
    for line in lines:
        if line.values.get("manager") and organisation.reports_to_self(managers, line.email):
            errors.append(
                f"line {line.number}: {line.email} would report to themselves through {line.values['manager']} "
                "(managers go round in a circle)."
            )
    if errors:
        raise Refused(errors)
