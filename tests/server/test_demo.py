"""`hallway demo`: sample colleagues with their departments, set the way an admin sets them."""

from server.accounts.tables import User
from server.demo import PEOPLE, fill


async def test_the_demo_colleagues_sit_in_their_departments_and_a_second_run_adds_nobody(engine, capsys):
    await fill(engine)
    assert "added 4 demo colleagues" in capsys.readouterr().out
    rows = {r["email"]: r for r in await User.select(User.email, User.title, User.department, User.location, User.expertise)}
    for email, _, _, title, department, location, _, _ in PEOPLE:
        assert (rows[email]["title"], rows[email]["department"], rows[email]["location"]) == (title, department, location)
    assert "forklifts" in rows["jonas.berg@example.com"]["expertise"]
    await fill(engine)
    assert "already there" in capsys.readouterr().out
    assert await User.count() == len(PEOPLE)
