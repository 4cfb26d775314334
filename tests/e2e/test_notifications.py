"""The Notifications tab and Settings › Notifications in Chromium against a real server."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e import conftest
from tests.e2e.conftest import MEMBER
from tests.e2e.test_pwa import sign_in

pytestmark = pytest.mark.browser


def _database(server: str, tmp_path_factory) -> Path:
    """The served instance's SQLite file (the `server` fixture makes one data dir per session)."""
    known = getattr(conftest, "_DATA", {}).get(server)
    if known:
        return known / "hallway.sqlite3"
    (found,) = tmp_path_factory.getbasetemp().glob("hallway-data[0-9]*/hallway.sqlite3")
    return found


def _notify_member(database: Path, title: str) -> int:
    """Record a notification for the member straight in the served database, as notify() would."""
    con = sqlite3.connect(database, timeout=30)
    try:
        with con:
            (user_id,) = con.execute("SELECT id FROM users WHERE email = ?", (MEMBER["email"],)).fetchone()
            post_id = con.execute(
                "INSERT INTO posts (author, body, kind, status, error, created_at, published_at, must_read, audience) "
                "VALUES (?, ?, 'text', 'published', '', ?, ?, 0, '{}')",
                (user_id, title, datetime.now(timezone.utc).isoformat(), datetime.now(timezone.utc).isoformat()),
            ).lastrowid
            con.execute(
                "INSERT INTO notifications (user, kind, post, title, body, url, image, held, created_at) "
                "VALUES (?, 'mention', ?, ?, 'Have a look', ?, '', 0, ?)",
                (user_id, post_id, title, f"/#/post/{post_id}", datetime.now(timezone.utc).isoformat()),
            )
        return post_id
    finally:
        con.close()


def test_the_notifications_tab_lists_unread_and_opens_the_post(page: Page, server: str, tmp_path_factory) -> None:
    title = f"Mia mentioned you {uuid.uuid4().hex[:6]}"
    post_id = _notify_member(_database(server, tmp_path_factory), title)
    sign_in(page, MEMBER)
    page.get_by_role("navigation").get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_text("1 unread")).to_be_visible()
    page.get_by_role("link", name=title).click()
    expect(page).to_have_url(f"{server}/#/post/{post_id}")
    expect(page.get_by_role("article").filter(has_text=title)).to_be_visible()
    # Seen once, read from then on.
    page.get_by_role("navigation").get_by_role("link", name="Notifications").click()
    expect(page.get_by_text("0 unread")).to_be_visible()


def test_settings_show_the_device_switch_without_asking_and_keep_preferences(page: Page) -> None:
    sign_in(page, MEMBER)
    page.get_by_role("navigation").get_by_role("link", name="Profile").click()
    switch = page.get_by_role("switch", name="Notifications on this device")
    expect(switch).to_be_visible()
    expect(switch).not_to_be_checked()
    # Nothing was asked on the way here: the permission is still undecided.
    assert page.evaluate("Notification.permission") == "default"
    follows = page.get_by_role("checkbox", name="Posts from people I follow")
    expect(follows).to_be_checked()
    with page.expect_response(lambda r: r.url.endswith("/api/notifications/preferences") and r.request.method == "PATCH"):
        follows.uncheck()
    page.reload()
    expect(page.get_by_role("checkbox", name="Posts from people I follow")).not_to_be_checked()
    page.get_by_role("checkbox", name="Posts from people I follow").check()
    expect(page.get_by_label("From", exact=True)).to_have_value("20:00")
    expect(page.get_by_label("Until", exact=True)).to_have_value("07:00")
