"""Schemathesis against `/schema/openapi.json` of a served instance, signed in: whatever a client
sends, valid or not, the answer is never a 5xx (a person would read "Something went wrong on our
side" for their own typo, and the operator would be paged for it)."""

from __future__ import annotations

import pytest

from tests.served import PASSWORD, serve, sign_in
from tests.support import need

try:
    import requests
    import schemathesis
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings
    from hypothesis.errors import Unsatisfiable
    from schemathesis import GenerationMode
    from schemathesis.checks import not_a_server_error
except ImportError:  # the test extras not installed: the test below says so
    schemathesis = None

MEMBER, COLLEAGUE = "mia@example.com", "colin@example.com"
# Examples per operation in each mode (valid input, and input the schema refuses): enough to find
# the classes of bad input, bounded so both runs together stay near a minute here.
EXAMPLES = 10
# Not fuzzed: signing out ends the session every later example needs, and the live stream never ends.
SKIPPED = ["signOut", "liveUpdates"]


@pytest.fixture
async def fuzzed(engine, database_url, users, tmp_path):
    """A served instance with someone signed in, and something of theirs for the ids to find.

    On both databases (the test run's, emptied by `engine`), as each refuses its own things
    (PostgreSQL: 32-bit ids, U+0000 in text): on SQLite as a member, the issue's attacker; on
    PostgreSQL as an admin, who reaches every route a member does and the admin ones (pins,
    announcements, invites) besides, within the same time.
    """
    need(schemathesis is not None, "schemathesis (the test extras: pip install -e '.[test]')")
    role = "member" if database_url.startswith("sqlite") else "admin"
    await users.create(role, name="Mia", email=MEMBER)
    await users.create("member", name="Colin", email=COLLEAGUE)
    with serve(tmp_path, database_url=database_url) as served:
        client, session = sign_in(served.url, MEMBER, PASSWORD), requests.Session()
        try:
            post = client.post("/api/posts", json={"body": "Hello #fuzz @Colin"})
            assert post.status_code == 201, post.text
            comment = client.post(f"/api/posts/{post.json()['id']}/comments", json={"body": "First"})
            assert comment.status_code == 201, comment.text
            session.cookies.update(dict(client.cookies))
            session.headers["x-csrftoken"] = client.cookies["csrftoken"]
            schema = client.get("/schema/openapi.json")
            assert schema.status_code == 200, schema.text
            yield served, session, schema.json()
        finally:
            client.close()
            session.close()


def test_no_request_makes_a_server_error(fuzzed):
    served, session, raw = fuzzed
    schema = schemathesis.openapi.from_dict(raw).exclude(operation_id=SKIPPED)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in GenerationMode:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck),
                      phases=[Phase.explicit, Phase.generate, Phase.shrink], verbosity=Verbosity.quiet)
            def check(case):
                case.call_and_validate(base_url=served.url, session=session, checks=[not_a_server_error], timeout=30)

            try:
                check()
            except Unsatisfiable:
                pass  # nothing to get wrong: no parameters, or any string is valid (ids, tokens)
            except (Exception, BaseExceptionGroup) as exc:  # every operation is tried, then all failures told
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert operations >= 30, f"only {operations} operations in the schema"
    assert not failures, "\n\n".join(failures) + "\n\nserver log:\n" + served.log_text()
