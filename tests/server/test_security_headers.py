"""Security headers: a strict Content-Security-Policy for the PWA and the API, media sandboxed."""

from __future__ import annotations

import pytest

from tests.server.media_files.conftest import put_media, raw_get  # noqa: F401 (a fixture)

KEY = "p/7/3f9a0c1d2e-720p.mp4"


def _directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in (part.strip() for part in policy.split(";")) if d}


@pytest.mark.parametrize("path", ["/", "/index.html", "/api/me", "/api/nothing-here", "/schema/openapi.json"])
async def test_the_pwa_and_the_api_answer_with_a_strict_policy(member_client, path):
    # A script injected into a post cannot run (no inline script, no other origin), the app cannot
    # be framed for clickjacking, and nothing leaks the instance's address to linked sites.
    response = await member_client.get(path)
    h = response.headers
    csp = _directives(h["content-security-policy"])
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"], csp
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in h["content-security-policy"] and "'unsafe-eval'" not in h["content-security-policy"]
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "same-origin"
    assert "geolocation=()" in h["permissions-policy"] and "payment=()" in h["permissions-policy"]
    assert h["cross-origin-opener-policy"] == "same-origin"
    assert h["cross-origin-resource-policy"] == "same-origin"
    assert "strict-transport-security" not in h  # the test instance is plain http


async def test_media_is_sandboxed_and_not_embeddable_elsewhere(app, member_client, put_media):
    # An uploaded file opened on its own renders in a sandbox: no script, no subresources.
    await put_media(KEY, size=1000)
    for path in (f"/media/{KEY}", "/media/p/7/missing.mp4"):
        status, headers, _ = await raw_get(app, member_client, path)
        assert status in (200, 404)
        assert headers["content-security-policy"] == "sandbox; default-src 'none'"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cross-origin-resource-policy"] == "same-origin"


async def test_hsts_when_the_base_url_is_https(engine, monkeypatch):
    import httpx

    from server.app import create_app
    from server.settings import reset_settings

    monkeypatch.setenv("HALLWAY_BASE_URL", "https://hallway.example.com")
    reset_settings()
    try:
        app = create_app(engine=engine)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://hallway.example.com") as c:
            response = await c.get("/api/health")
    finally:
        monkeypatch.delenv("HALLWAY_BASE_URL")
        reset_settings()
    assert response.headers["strict-transport-security"] == "max-age=63072000; includeSubDomains"


async def test_only_the_json_schema_is_served_not_the_viewers_that_load_cdn_scripts(member_client):
    assert (await member_client.get("/schema/openapi.json")).status_code == 200
    for viewer in ("/schema/swagger", "/schema/redoc", "/schema/elements", "/schema/rapidoc"):
        assert (await member_client.get(viewer)).status_code == 404, viewer
