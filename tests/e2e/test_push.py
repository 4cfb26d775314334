"""A web push reaching the real service worker in Chromium, and what a tap on it opens.

The push is the message the server builds (server.notifications.delivery.message_of, the same function the
delivery job encrypts and sends), handed to the service worker by the DevTools protocol's
`ServiceWorker.deliverPushMessage` — the path of the "Push" button in DevTools' Application panel,
which skips only the push service and the decryption (tested in tests/server/push).

A tap cannot be made: neither the DevTools protocol nor Playwright can click a system
notification, and a synthetic `notificationclick` event dispatched in the worker is untrusted, so
its `event.waitUntil` throws. The test therefore runs the worker's own click path,
`openFromNotification` (all the `notificationclick` listener does), inside the real service worker
on the real notification the push showed. Without the tap's user activation Chromium refuses
`WindowClient.focus()`; the handler carries on and navigates the open window to the post, which
is what is checked. Opening a new window (no window open) needs that activation and is covered by
the unit tests in tests/pwa/sw-push.test.mjs.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid

import httpx
import pytest
from playwright.sync_api import expect

from server.notifications.delivery import message_of
from tests.e2e import conftest
from tests.e2e.conftest import ADMIN, MEMBER
from tests.e2e.test_pwa import article, sign_in

pytestmark = pytest.mark.browser


def _text_post(server: str, person: dict, body: str) -> int:
    with httpx.Client(base_url=server, timeout=30) as http:
        http.get("/api/health")
        csrf = {"x-csrftoken": http.cookies.get("csrftoken", "")}
        http.post("/api/session", json={"email": person["email"], "password": person["password"]}, headers=csrf).raise_for_status()
        created = http.post("/api/posts", json={"body": body}, headers={"x-csrftoken": http.cookies.get("csrftoken", "")})
        assert created.status_code == 201, created.text
        assert created.json()["status"] == "published"
        return created.json()["id"]


def _registration_id(cdp, page, scope: str) -> str:
    """The service worker registration's id, from the events `ServiceWorker.enable` replays."""
    registrations: dict[str, dict] = {}

    def updated(event: dict) -> None:
        for registration in event["registrations"]:
            registrations[registration["registrationId"]] = registration

    cdp.on("ServiceWorker.workerRegistrationUpdated", updated)
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = [r for r in registrations.values() if r["scopeURL"] == scope and not r["isDeleted"]]
        if found:
            return found[0]["registrationId"]
        page.wait_for_timeout(50)  # lets Playwright dispatch the protocol events that arrived
    pytest.fail(f"no service worker registration for {scope} was reported: {list(registrations.values())}")


_NOTIFICATIONS = """async (tag) => {
  const registration = await navigator.serviceWorker.ready;
  return (await registration.getNotifications({ tag })).map((n) => ({
    title: n.title, body: n.body, tag: n.tag, icon: n.icon, data: n.data,
  }));
}"""


def _notifications(page, tag: str, until) -> list[dict]:
    """The service worker registration's notifications with `tag`, once `until(them)` holds."""
    deadline = time.monotonic() + 10
    while True:
        found = page.evaluate(_NOTIFICATIONS, tag)
        if until(found):
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"the notifications tagged {tag} never became right: {found}")
        page.wait_for_timeout(50)


def test_a_push_shows_a_notification_whose_tap_opens_the_post(new_context, server: str) -> None:
    text = f"Our new lab in Leipzig {uuid.uuid4().hex[:6]}\nA tour with the team."
    post_id = _text_post(server, ADMIN, text)
    context = new_context()
    context.grant_permissions(["notifications"], origin=server)
    page = context.new_page()
    sign_in(page, MEMBER)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=10_000)
    assert page.evaluate("Notification.permission") == "granted"

    # The message a follower's phone gets for this post (notify() writes these row values).
    message = message_of({
        "id": 1, "post": post_id, "title": "Ada Admin posted", "body": text.splitlines()[0],
        "url": f"/#/post/{post_id}", "image": "",
    })
    cdp = context.new_cdp_session(page)
    registration = _registration_id(cdp, page, f"{server}/")
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": server, "registrationId": registration, "data": json.dumps(message),
    })

    tag = f"post-{post_id}"
    (shown,) = _notifications(page, tag, lambda found: len(found) == 1)
    assert shown["title"] == "Ada Admin posted"
    assert shown["body"] == text.splitlines()[0]
    assert shown["tag"] == tag
    assert shown["icon"] == f"{server}/icons/icon-192.png"
    assert shown["data"] == {"url": f"{server}/#/post/{post_id}"}

    # The same post pushed again replaces the notification instead of stacking a second one.
    cdp.send("ServiceWorker.deliverPushMessage", {
        "origin": server, "registrationId": registration, "data": json.dumps({**message, "body": "Updated"}),
    })
    (again,) = _notifications(page, tag, lambda found: len(found) != 1 or found[0]["body"] == "Updated")
    assert again["body"] == "Updated"

    # The tap, in the real service worker on the real notification (see the module docstring).
    page.get_by_role("navigation").get_by_role("link", name="Notifications").click()
    expect(page).to_have_url(f"{server}/#/notifications")
    (worker,) = [w for w in context.service_workers if w.url.startswith(server)]
    worker.evaluate(
        """async (tag) => {
          const [notification] = await self.registration.getNotifications({ tag });
          await openFromNotification(notification);
        }""",
        tag,
    )
    expect(page).to_have_url(f"{server}/#/post/{post_id}")
    expect(article(page, text.splitlines()[0])).to_be_visible()
    # The tap closed it.
    assert page.evaluate(_NOTIFICATIONS, tag) == []
    cdp.detach()


def _member_language(server: str, *, reset: bool = False) -> str | None:
    con = sqlite3.connect(conftest._DATA[server] / "hallway.sqlite3", timeout=30)
    try:
        with con:
            if reset:
                con.execute("UPDATE users SET language = NULL WHERE email = ?", (MEMBER["email"],))
            (found,) = con.execute("SELECT language FROM users WHERE email = ?", (MEMBER["email"],)).fetchone()
        return found
    finally:
        con.close()


def test_the_app_tells_the_server_its_language_for_pushes(new_context, server: str) -> None:
    # A German phone whose requests say French: the server cannot tell from Accept-Language,
    # so the app, showing German, tells it at sign-in (pushes are then written in German).
    _member_language(server, reset=True)
    try:
        page = new_context(locale="de-DE", extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"}).new_page()
        page.goto("/#/feed")
        page.get_by_label("E-Mail").fill(MEMBER["email"])
        page.get_by_label("Passwort").fill(MEMBER["password"])
        page.get_by_role("button", name="Anmelden").click()
        deadline = time.monotonic() + 10
        while _member_language(server) != "de":
            assert time.monotonic() < deadline, "the app did not tell the server its language"
            page.wait_for_timeout(50)
        assert page.evaluate("fetch('/api/me').then((r) => r.json())")["language"] == "de"
    finally:
        # The member is shared by the other browser tests, which expect English.
        _member_language(server, reset=True)
