"""The admins' People screen in Chromium: find a colleague, change the role, disable (their phone is
signed out at once), enable, hand over a password link, and revoke an open invitation."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import ADMIN
from tests.e2e.test_pwa import sign_in

pytestmark = pytest.mark.browser


@contextmanager
def _as_admin(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, timeout=30) as http:
        http.get("/api/health")
        http.headers["x-csrftoken"] = http.cookies.get("csrftoken", "")
        http.post("/api/session", json={"email": ADMIN["email"], "password": ADMIN["password"]}).raise_for_status()
        yield http


def _colleague(server: str) -> dict:
    """A colleague of their own for this test (the shared ADMIN and MEMBER must stay as they are)."""
    suffix = uuid.uuid4().hex[:6]
    person = {"email": f"rita-{suffix}@example.com", "name": f"Rita Leaver {suffix}", "password": "rita-correct-horse"}
    with _as_admin(server) as admin:
        token = admin.post("/api/invites", json={"role": "member"}).json()["token"]
    with httpx.Client(base_url=server, timeout=30) as guest:
        guest.get("/api/health")
        joined = guest.post(f"/api/invites/{token}/accept", json={k: person[k] for k in ("name", "email", "password")},
                            headers={"x-csrftoken": guest.cookies.get("csrftoken", "")})
        joined.raise_for_status()
    return person


def _open_people(page: Page) -> None:
    page.get_by_role("navigation").get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()


def _find(page: Page, person: dict):
    page.get_by_label("Search people").fill(person["email"])
    page.get_by_role("button", name="Search", exact=True).click()
    row = page.get_by_role("listitem").filter(has_text=person["email"])
    expect(row).to_have_count(1)
    return row


def test_an_admin_changes_a_role_disables_enables_and_resets_a_password(new_context, server) -> None:
    rita = _colleague(server)
    phone = new_context().new_page()
    sign_in(phone, rita)

    admin = new_context().new_page()
    sign_in(admin, ADMIN)
    _open_people(admin)
    row = _find(admin, rita)
    expect(row.get_by_role("heading", name=rita["name"])).to_be_visible()

    row.get_by_label("Role").select_option("moderator")
    expect(admin.get_by_text(f"{rita['name']} is now Moderator.")).to_be_visible()

    row.get_by_role("button", name="Disable").click()
    admin.get_by_role("dialog").get_by_role("button", name="Disable").click()
    expect(row.get_by_text("Disabled", exact=True)).to_be_visible()
    expect(row.get_by_role("button", name="Enable")).to_be_visible()
    expect(row.get_by_role("button", name="Reset password")).to_be_disabled()

    # Rita's phone: the next thing she opens says she is signed out, and she cannot sign in again.
    phone.get_by_role("navigation").get_by_role("link", name="Notifications").click()
    expect(phone.get_by_role("button", name="Sign in")).to_be_visible()
    phone.get_by_label("Email").fill(rita["email"])
    phone.get_by_label("Password").fill(rita["password"])
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("alert")).to_contain_text("disabled")

    row.get_by_role("button", name="Enable").click()
    expect(row.get_by_role("button", name="Disable")).to_be_visible()
    row.get_by_role("button", name="Reset password").click()
    link = row.get_by_label(f"Password link for {rita['name']}")
    expect(link).to_have_value(re.compile(r"#/reset/\S+"))
    expect(row.get_by_role("button", name="Copy")).to_be_visible()

    # Rita opens the link the admin handed over and chooses a new password.
    fresh = new_context().new_page()
    fresh.goto(link.input_value())
    expect(fresh.get_by_text(f"For {rita['name']} ({rita['email']}).")).to_be_visible()
    fresh.get_by_label("New password").fill("short")
    fresh.get_by_role("button", name="Save password").click()
    expect(fresh.get_by_role("alert")).to_contain_text("at least 10 characters")
    fresh.get_by_label("New password").fill("ritas-new-passphrase")
    fresh.get_by_role("button", name="Save password").click()
    expect(fresh.get_by_role("heading", name="Feed", level=1)).to_be_visible()


def test_an_admin_revokes_an_open_invitation(new_context, server) -> None:
    email = f"never-{uuid.uuid4().hex[:6]}@example.com"
    with _as_admin(server) as http:
        token = http.post("/api/invites", json={"role": "moderator", "email": email}).json()["token"]

    admin = new_context().new_page()
    sign_in(admin, ADMIN)
    _open_people(admin)
    expect(admin.get_by_role("heading", name="Invites")).to_be_visible()
    invite = admin.get_by_role("listitem").filter(has_text=email)
    expect(invite).to_contain_text("Moderator")
    invite.get_by_role("button", name="Revoke").click()
    admin.get_by_role("dialog").get_by_role("button", name="Revoke").click()
    expect(admin.get_by_text("Invitation revoked.")).to_be_visible()
    expect(invite).to_have_count(0)

    guest = new_context().new_page()
    guest.goto(f"/#/join/{token}")
    expect(guest.get_by_role("alert")).to_contain_text("withdrawn")


def test_members_do_not_get_the_people_screen(page: Page) -> None:
    from tests.e2e.conftest import MEMBER

    sign_in(page, MEMBER)
    page.get_by_role("navigation").get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", name="Profile", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="People", exact=True)).to_have_count(0)
    page.evaluate("() => { location.hash = '#/accounts'; }")
    expect(page.get_by_text("Only admins manage people.")).to_be_visible()


def test_an_admin_sets_where_someone_sits_and_they_see_it_read_only(new_context, server) -> None:
    """Issue 12 #4: departments and locations address announcements, so the admin sets them on the
    People screen; the member's own profile shows them as text, and the rest stays editable."""
    rita = _colleague(server)
    admin = new_context().new_page()
    sign_in(admin, ADMIN)
    _open_people(admin)
    row = _find(admin, rita)
    row.get_by_text("Job, department, location, manager").click()
    row.get_by_label("Job title").fill("Account Manager")
    row.get_by_label("Department").fill("Sales")
    row.get_by_label("Location").fill("Berlin")
    row.get_by_role("combobox", name="Manager").fill("Ada")
    row.get_by_role("option", name=re.compile("Ada Admin")).click()
    expect(row.get_by_role("list", name="Manager")).to_contain_text("Ada Admin")
    row.get_by_role("button", name="Save details").click()
    expect(admin.get_by_text(f"Details of {rita['name']} saved.")).to_be_visible()
    expect(row).to_contain_text("Account Manager · Sales · Berlin · reports to Ada Admin")

    phone = new_context().new_page()
    sign_in(phone, rita)
    phone.get_by_role("navigation").get_by_role("link", name="Profile").click()
    form = phone.locator("form").filter(has=phone.get_by_role("heading", name="About you"))
    expect(form.get_by_role("definition")).to_have_text(["Account Manager", "Sales", "Berlin", "Ada Admin"])
    expect(form.get_by_text("Your job title, department, location and manager are set by your admins.")).to_be_visible()
    for label in ("Job title", "Department", "Location", "Manager"):
        expect(form.get_by_label(label, exact=True)).to_have_count(0)
    # Her card says whom she reports to, with a link to that profile.
    expect(phone.get_by_role("link", name="Ada Admin")).to_have_attribute("href", re.compile(r"#/people/\d+"))
    # What she may edit still saves: the form no longer sends what admins set.
    form.get_by_label("Short bio").fill("Ask me about price lists")
    form.get_by_role("button", name="Save profile").click()
    expect(phone.get_by_text("Profile saved.")).to_be_visible()
    expect(phone.get_by_text("Ask me about price lists").first).to_be_visible()
