"""The PWA works under its strict Content-Security-Policy: a walk through every screen (a member's,
then an admin's), a photo picked (blob: preview), uploaded (tus) and shown from /media, without a
single violation."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.e2e.conftest import ADMIN, MEMBER
from tests.e2e.test_pwa import article, sign_in

pytestmark = pytest.mark.browser

# Runs before the PWA's own scripts, through the browser's tooling (not an inline script).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
}, true);
"""
POLICY_WORDS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy", "Refused to")


def watch_policy(page: Page) -> list[str]:
    """Open the app with violations recorded; returns the list the console's complaints go to."""
    complaints: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning") and any(word in message.text for word in POLICY_WORDS):
            complaints.append(f"{message.type}: {message.text}")

    page.on("console", on_console)
    page.add_init_script(RECORD_VIOLATIONS)
    shell = page.goto("/")
    # The test means something only if the policy is there and strict.
    policy = shell.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, policy
    return complaints


def assert_no_violation(page: Page, complaints: list[str]) -> None:
    violations = page.evaluate("window.__violations")
    assert violations == [] and complaints == [], {"violations": violations, "console": complaints}


def test_the_pwa_runs_under_its_policy_without_a_violation(page: Page, tmp_path: Path) -> None:
    complaints = watch_policy(page)
    sign_in(page, MEMBER)
    page.evaluate("navigator.serviceWorker.ready")
    # A photo: the composer previews it from a blob: URL and uploads it with the vendored tus client.
    photo = tmp_path / "whiteboard.png"
    Image.new("RGB", (320, 240), (200, 40, 40)).save(photo)
    page.get_by_role("navigation").get_by_role("link", name="New post").click()
    text = f"Whiteboard {uuid.uuid4().hex[:8]}"
    page.get_by_label("Message").fill(text)
    page.get_by_label("Add photos or video").set_input_files(str(photo))
    attachment = page.get_by_role("listitem").filter(has_text="whiteboard.png")
    expect(attachment.locator("img.preview")).to_have_attribute("src", re.compile(r"^blob:"))
    expect(attachment.get_by_text("Uploaded")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Post", exact=True).click()
    card = article(page, text)
    expect(card.locator("img[src^='/media/']").first).to_be_visible(timeout=60_000)
    # The author's colour is set through the CSSOM, which the policy allows (a style attribute it would not).
    hue = card.locator(".avatar").first.evaluate("a => getComputedStyle(a).getPropertyValue('--hue')")
    assert hue.strip(), "the avatar lost its colour"

    for name in ("Videos", "Notifications", "Profile", "Feed"):
        page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    card.get_by_role("button", name="Comment").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")

    assert_no_violation(page, complaints)


def test_the_admin_screens_run_under_the_policy_too(page: Page) -> None:
    complaints = watch_policy(page)
    sign_in(page, ADMIN)
    page.get_by_role("navigation").get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    for screen in ("announce", "search"):
        page.evaluate(f"() => {{ location.hash = '#/{screen}'; }}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.wait_for_load_state("networkidle")
    assert_no_violation(page, complaints)
