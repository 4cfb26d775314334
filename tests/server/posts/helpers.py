"""Helpers of the media-post tests: uploads through the tus endpoint, jobs run in the test, stored files."""

from __future__ import annotations

import base64
from pathlib import Path

__all__ = ["TUS", "upload", "run_jobs", "process_job", "stored", "post_files"]

TUS = {"Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream"}


def _metadata(**pairs: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in pairs.items())


async def upload(client, content: bytes | Path, filename: str | None = None) -> str:
    """One tus creation-with-upload carrying the whole file; returns the upload id."""
    if isinstance(content, Path):
        filename = filename or content.name
        content = content.read_bytes()
    headers = {**TUS, "Upload-Length": str(len(content))}
    if filename:
        headers["Upload-Metadata"] = _metadata(filename=filename)
    response = await client.post("/api/uploads", content=content, headers=headers)
    assert response.status_code == 201, response.text
    assert response.headers["Upload-Offset"] == str(len(content))
    return response.headers["Location"].rsplit("/", 1)[1]


async def run_jobs() -> int:
    """Run every due job in this process, as `hallway worker` would; returns how many process-post runs that made.

    Other domains enqueue their own jobs when a post is published (notifications): those run
    too, but are not counted.
    """
    from server.worker import run_one

    before = await _process_attempts()
    while await run_one():
        pass
    return await _process_attempts() - before


async def _process_attempts() -> int:
    from server.jobs.tables import Job

    return sum(row["attempts"] for row in await Job.select(Job.attempts).where(Job.kind == "process-post"))


async def process_job() -> dict:
    """The newest process-post job (a Retry makes a new one)."""
    from server.jobs.tables import Job

    return await Job.select().where(Job.kind == "process-post").order_by(Job.id, ascending=False).first()


def stored(url: str) -> Path:
    """The file behind a media URL on the local disk."""
    from server.settings import get_settings

    assert url.startswith("/media/p/"), url
    return get_settings().media_dir / url.removeprefix("/media/")


def post_files(post_id: int) -> list[str]:
    """Every file the storage holds for a post (names only)."""
    from server.settings import get_settings

    folder = get_settings().media_dir / "p" / str(post_id)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []
