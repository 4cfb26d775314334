"""Quality-bar tools shared by the browser tests and bench/pwa.py: axe-core in a page, and
Lighthouse (npm, `npm ci`) against Debian's Chromium at the mobile form factor."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "core" / "index.js"
RUNNER = Path(__file__).with_name("lighthouse-run.mjs")
CHROMIUM = "/usr/bin/chromium"

__all__ = ["AXE", "LIGHTHOUSE", "axe_violations", "describe", "lighthouse", "browser_cookies"]


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (WCAG 2.x A/AA and best practices)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's tooling: the PWA's Content-Security-Policy refuses the
        # inline <script> that add_script_tag() would insert.
        page.evaluate(AXE.read_text())
    return page.evaluate("""async () => {
        const result = await axe.run(document, { resultTypes: ['violations'] });
        return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => n.target.join(' ') + ' — ' + n.failureSummary).slice(0, 5),
        }));
    }""")


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations)


def browser_cookies(context) -> list[dict]:
    """The browser context's cookies, for the Lighthouse browser's own cookie jar (the session)."""
    return [
        {k: c[k] for k in ("name", "value", "domain", "path", "httpOnly", "secure", "sameSite") if k in c}
        for c in context.cookies()
    ]


def lighthouse(url: str, *, cookies: list[dict] | None = None, categories=("performance", "accessibility"),
               timeout: float = 240) -> dict:
    """Lighthouse once (tests/e2e/lighthouse-run.mjs), mobile form factor with its default simulated
    throttling (slow 4G, 4x CPU slowdown); returns the JSON report (lhr)."""
    node = shutil.which("node") or "node"
    args = [node, str(RUNNER), url, ",".join(categories), json.dumps(cookies or [])]
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    run = subprocess.run(args, capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)
    if run.returncode != 0:
        raise RuntimeError(f"lighthouse exited {run.returncode}: {run.stderr[-2000:]}")
    return json.loads(run.stdout)
