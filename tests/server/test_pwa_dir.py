"""Which PWA files the server serves: the configured folder, else a build that is not older than
the sources, else the sources themselves (never a stale build)."""

from __future__ import annotations

import os

from server import app as app_module


def _tree(tmp_path, monkeypatch):
    source, build = tmp_path / "pwa", tmp_path / "build" / "pwa"
    (source / "js").mkdir(parents=True)
    (source / "js" / "main.js").write_text("export {};")
    monkeypatch.setattr(app_module, "PWA_DIR", source)
    monkeypatch.setattr(app_module, "PWA_BUILD", build)
    return source, build


def test_configured_folder_wins(tmp_path, monkeypatch):
    _tree(tmp_path, monkeypatch)
    assert app_module.pwa_dir(str(tmp_path / "elsewhere")) == (tmp_path / "elsewhere").resolve()


def test_without_a_build_the_sources_are_served(tmp_path, monkeypatch):
    source, _ = _tree(tmp_path, monkeypatch)
    assert app_module.pwa_dir() == source


def test_a_fresh_build_is_served_and_a_stale_one_is_not(tmp_path, monkeypatch):
    source, build = _tree(tmp_path, monkeypatch)
    build.mkdir(parents=True)
    (build / "index.html").write_text("<!doctype html>")
    os.utime(source / "js" / "main.js", (1_000_000, 1_000_000))
    os.utime(build / "index.html", (2_000_000, 2_000_000))
    assert app_module.pwa_dir() == build
    os.utime(source / "js" / "main.js", (3_000_000, 3_000_000))  # edited after the build
    assert app_module.pwa_dir() == source


async def test_the_shell_is_gzipped_and_the_api_is_not(clients):
    """The first-load budget counts compressed bytes; API answers (server-sent events among them) go as they are."""
    client = await clients.anonymous()
    shell = await client.get("/", headers={"accept-encoding": "gzip"})
    assert shell.status_code == 200 and shell.headers.get("content-encoding") == "gzip"
    api = await client.get("/api/health", headers={"accept-encoding": "gzip"})
    assert api.status_code == 200 and "content-encoding" not in api.headers
