"""Delivery cut short, in the test's process: what each phone gets (server/notifications/delivery.py's docstring).

The real processes and a real database restart are in tests/faults/; here each fault is made
exactly where it hurts: after a sub-batch went out and before it was marked, while outcomes are
written, after the job was taken over, between a notification's row and its queued push.
"""

from __future__ import annotations

import sqlite3

import pytest

from server.jobs import queue
from server.jobs.tables import Job
from server.notifications import delivery, services as notifications
from server.notifications.tables import Notification
from server.push import delivery as push_delivery
from tests.faults.support import delivered_counts, people_with_devices
from tests.support import run_due_jobs

COUNT = 250  # three sub-batches: 100, 100, 50


class Killed(Exception):
    """Stands for the worker process dying at this point."""


async def _the_delivery_job() -> dict:
    (row,) = await Job.select(Job.payload).where(Job.kind == notifications.DELIVER_JOB).output(load_json=True)
    return row["payload"]


async def _reminder_to(people: list[int]) -> dict:
    await notifications.notify(people, "reminder", None, "Fire drill at 11:00", urgent=True)
    return await _the_delivery_job()


def _sids(count: int = COUNT) -> list[str]:
    return [f"p{i}" for i in range(count)]


async def test_a_worker_killed_after_a_sub_batch_went_out_sends_only_that_one_again(
    engine, push_service, allow_loopback, monkeypatch,
):
    """At least once for everyone; the 100 phones of the cut sub-batch show it twice, nobody else."""
    assert delivery.SUB_BATCH == 100
    monkeypatch.setattr(delivery, "IN_FLIGHT", 1)  # one sub-batch at a time: which one is cut is then certain
    people = await people_with_devices(COUNT, push_service)
    payload = await _reminder_to(people)
    real_patiently, marks = delivery.patiently, []

    async def die_before_the_second_mark(operation, *, what, **options):
        if what == "mark pushes sent":
            marks.append(1)
            if len(marks) == 2:
                raise Killed  # the second sub-batch is out; nothing marks it
        return await real_patiently(operation, what=what, **options)

    monkeypatch.setattr(delivery, "patiently", die_before_the_second_mark)
    with pytest.raises(Killed):
        await delivery.deliver(payload)
    monkeypatch.setattr(delivery, "patiently", real_patiently)
    assert len(push_service.messages) == 200

    await delivery.deliver(payload)  # the job's next attempt
    missing, twice = delivered_counts(push_service, _sids())
    assert missing == []
    assert sorted(twice) == sorted(f"p{i}" for i in range(100, 200)) and set(twice.values()) == {2}
    assert await Notification.count().where(Notification.pushed_at.is_null()) == 0

    await delivery.deliver(payload)  # once all is marked, a third run sends nothing
    assert len(push_service.messages) == COUNT + 100


@pytest.mark.parametrize("outage", [
    ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)"),  # PostgreSQL restarting
    sqlite3.OperationalError("database is locked"),  # SQLite's write lock held past the busy timeout
], ids=["refused", "locked"])
async def test_pushes_sent_while_the_database_is_away_are_written_down_once_it_is_back(
    engine, push_service, allow_loopback, monkeypatch, outage,
):
    """The outcome of sends already made is kept and written later, not lost with a failed job that sends again."""
    from server.lib import outages

    monkeypatch.setattr(outages, "_FIRST_WAIT", 0.01)
    people = await people_with_devices(COUNT, push_service)
    payload = await _reminder_to(people)
    real_settle, failures = push_delivery._settle, []

    async def settle_after_an_outage(*args, **kwargs):
        if len(failures) < 3:
            failures.append(1)
            raise outage
        return await real_settle(*args, **kwargs)

    monkeypatch.setattr(push_delivery, "_settle", settle_after_an_outage)
    await delivery.deliver(payload)
    await delivery.deliver(payload)  # as if the job were run again: nothing goes twice
    assert len(failures) == 3
    missing, twice = delivered_counts(push_service, _sids())
    assert (missing, twice) == ([], {})
    assert await Notification.count().where(Notification.pushed_at.is_null()) == 0


async def test_an_attempt_that_lost_its_job_sends_nothing_more(engine, push_service, allow_loopback):
    """Its lease ran out in an outage and the job was taken again: only the new attempt sends."""
    people = await people_with_devices(10, push_service)
    payload = await _reminder_to(people)
    old = await queue.claim(lease=30)
    await Job.update({Job.attempts: old.attempts + 1}).where(Job.id == old.id)  # taken again meanwhile
    token = queue.running.set(old)
    try:
        await delivery.deliver(payload)
    finally:
        queue.running.reset(token)
    assert push_service.messages == []
    assert await Notification.count().where(Notification.push_claimed_at.is_not_null()) == 0


async def test_a_notify_cut_short_leaves_no_one_told_without_a_push(engine, push_service, allow_loopback, monkeypatch):
    """The people whose in-app row was written before the failure get their push too, once."""
    from server.posts.tables import Post

    people = await people_with_devices(6, push_service)
    post = (await Post.insert(Post(author=people[0], body="Lab tour", kind="text", status="published")).returning(Post.id))[0]
    monkeypatch.setattr(notifications, "_chunks", lambda items, size=2: (items[i:i + 2] for i in range(0, len(items), 2)))
    real_enqueue, queued = notifications.enqueue, []

    async def enqueue_until_the_database_goes(kind, payload, **options):
        queued.append(kind)
        if len(queued) == 2:
            raise ConnectionResetError(104, "Connection reset by peer")
        await real_enqueue(kind, payload, **options)

    monkeypatch.setattr(notifications, "enqueue", enqueue_until_the_database_goes)
    with pytest.raises(ConnectionResetError):
        await notifications.notify(people, "post", post["id"], "Ana posted", urgent=True)
    monkeypatch.setattr(notifications, "enqueue", real_enqueue)
    # The second pair's rows went with their job: nobody has a notification whose push is not queued.
    assert await Notification.count() == 2

    await notifications.notify(people, "post", post["id"], "Ana posted", urgent=True)  # the job's retry
    await run_due_jobs()
    missing, twice = delivered_counts(push_service, _sids(6))
    assert (missing, twice) == ([], {})
    assert await Notification.count() == 6
