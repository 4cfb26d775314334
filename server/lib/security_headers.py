"""Security headers on every response: what the browser may run, load, frame and tell other sites.

The PWA is plain files from this origin, without inline script or style (components/dom.js sets
styles through the CSSOM), so its policy allows 'self' alone, plus blob: for the composer's
previews of the photos and clips a person picks. Media files are people's uploads, made safe by
the worker but still theirs: opened directly, they render sandboxed, with no script and no
subresource, and no other site may embed them. HSTS once the base URL is https (a proxy may end
TLS in front of us, so the configured URL decides, not the request's scheme). References: OWASP
ASVS 5.0 V3.4 (CSP, frame-ancestors, nosniff, Referrer-Policy, COOP, CORP, HSTS); Synapse serves
uploaded media with a sandbox CSP and nosniff the same way.
"""

from __future__ import annotations

from litestar.types import Message, Scope

__all__ = ["PWA_POLICY", "MEDIA_POLICY", "PERMISSIONS_POLICY", "security_headers"]

PWA_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
MEDIA_POLICY = "sandbox; default-src 'none'"
# Features the PWA never uses, refused to it and to anything it could embed. Camera and microphone
# are left at their default: the composer's camera button is a file input with `capture`.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "browsing-topics", "display-capture", "geolocation", "gyroscope", "hid",
    "magnetometer", "midi", "payment", "serial", "usb", "xr-spatial-tracking",
))
HSTS = "max-age=63072000; includeSubDomains"


def _encoded(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode(), value.encode()) for name, value in headers.items()]


def security_headers(public_url: str):
    """A Litestar `before_send` hook adding the headers to every response, unless a handler set its own."""
    common = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",  # links in posts lead out; the instance's address stays inside
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    if public_url.startswith("https://"):
        common["Strict-Transport-Security"] = HSTS
    pwa = _encoded({
        **common, "Content-Security-Policy": PWA_POLICY, "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin", "X-Frame-Options": "DENY",
    })
    media = _encoded({**common, "Content-Security-Policy": MEDIA_POLICY})

    async def add(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        wanted = media if scope["path"].startswith("/media/") else pwa
        headers = list(message.get("headers") or ())
        present = {name.lower() for name, _ in headers}
        message["headers"] = headers + [header for header in wanted if header[0] not in present]

    return add
