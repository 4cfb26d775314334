"""`hallway people import FILE.csv`: HR's list sets names, titles, departments, locations and managers."""

from __future__ import annotations

import pytest

from server.accounts import people_import
from server.accounts.people_import import Refused
from server.accounts.tables import Session, User
from tests.conftest import PASSWORD
from tests.server.test_cli_user import hallway

STAFF = b"""email,name,title,department,location,manager email
ana@example.com,Ana Alves,Head of Sales,Sales,Berlin,
ben@example.com,Ben Becker,Account Manager,Sales,Hamburg,ana@example.com
cem@example.com,"Cem Cakir, Jr.",Technician,Field Service,Munich,dora@example.com
dora@example.com,Dora Diaz,Lead Technician,Field Service,Munich,ana@example.com
"""


async def _people() -> dict[str, dict]:
    rows = await User.select(
        User.email, User.name, User.title, User.department, User.location, User.role, User.disabled,
        User.manager.email.as_alias("manager"), User.password_hash,
    )
    return {r["email"]: r for r in rows}


async def test_people_are_created_with_where_they_sit_and_without_a_password(clients, users):
    report = await people_import.run(STAFF)
    assert report.created == ["ana@example.com", "ben@example.com", "cem@example.com", "dora@example.com"]
    assert (report.updated, report.unchanged, report.disabled) == ([], 0, [])
    people = await _people()
    cem = people["cem@example.com"]
    assert (cem["name"], cem["title"], cem["department"], cem["location"], cem["manager"], cem["role"]) == (
        "Cem Cakir, Jr.", "Technician", "Field Service", "Munich", "dora@example.com", "member"
    )
    # Nobody can sign in as them until they chose a password (the dummy hash's text neither).
    guest = await clients.anonymous()
    for password in ("", "not a real password, only for timing", PASSWORD):
        refused = await guest.post("/api/session", json={"email": "ana@example.com", "password": password})
        assert refused.status_code == 401
    # They are colleagues already: in the directory, and in their department's audience.
    admin = await clients.signed_in(await users.create("admin"))
    found = (await admin.get("/api/people", params={"q": "field service"})).json()["items"]
    assert [p["name"] for p in found] == ["Cem Cakir, Jr.", "Dora Diaz"]
    accounts = (await admin.get("/api/admin/people", params={"q": "cem"})).json()["items"]
    assert accounts[0]["has_password"] is False and accounts[0]["manager"]["name"] == "Dora Diaz"
    audiences = (await admin.get("/api/announcements/audiences")).json()
    assert {"name": "Sales", "people": 2} in audiences["departments"]


async def test_the_same_file_twice_changes_nothing_the_second_time(engine):
    await people_import.run(STAFF)
    before = await _people()
    again = await people_import.run(STAFF)
    assert (again.created, again.updated, again.unchanged, again.disabled) == ([], [], 4, [])
    assert await _people() == before


async def test_changes_are_reported_by_field_and_absent_columns_stay_as_they_are(engine):
    await people_import.run(STAFF)
    moved = b"""Email;Manager Email;Department;Name
ana@example.com;;Sales;Ana Alves
ben@example.com;dora@example.com;  Field   Service ;Ben Becker
cem@example.com;dora@example.com;Field Service;Cem Cakir
"""
    report = await people_import.run(moved)
    assert report.updated == [("ben@example.com", ["department", "manager"]), ("cem@example.com", ["name"])]
    assert (report.created, report.unchanged) == ([], 1)
    people = await _people()
    # No title or location column: those stay; an empty cell empties its field.
    assert (people["ben@example.com"]["title"], people["ben@example.com"]["location"]) == ("Account Manager", "Hamburg")
    assert people["ben@example.com"]["department"] == "Field Service"
    assert people["dora@example.com"]["department"] == "Field Service"  # not in the file: untouched
    cleared = await people_import.run(b"email,manager email,title\nben@example.com,,\n")
    assert cleared.updated == [("ben@example.com", ["title", "manager"])]
    assert (await _people())["ben@example.com"]["manager"] is None


async def test_a_malformed_file_is_refused_with_its_lines_and_changes_nothing(users):
    await people_import.run(STAFF)
    before = await _people()
    bad = (
        "email,name,department,manager email\n"
        "ana@example.com,Ana Alves,Marketing,\n"  # fine alone, but the file is refused as a whole
        "not-an-email,Somebody,Sales,\n"
        "\n"
        "ben@example.com,Ben,Sales,zed@example.com\n"
        "ana@example.com,Ana Again,Sales,\n"
        "eve@example.com,Eve,Sal\u202eselas,\n"
        "fay@example.com,Fay,Sales\n"
        "gus@example.com,Gus,Sales,gus@example.com\n"
        "hal@example.com,,Sales,\n"
    ).encode()
    with pytest.raises(Refused) as refused:
        await people_import.run(bad)
    assert refused.value.errors == [
        'line 3: the email "not-an-email" is not a valid email address.',
        "line 6: ana@example.com is already on line 2.",
        "line 7: The department contains characters that reverse the text's direction; please remove them.",
        "line 8: 3 values, but the header has 4 columns.",
        "line 9: gus@example.com cannot be their own manager.",
        "line 10: The name cannot be empty.",
    ]
    # Only once every line reads well is the database asked: here, about the manager nobody knows.
    fixed = bad.decode().replace("not-an-email", "ok@example.com")
    fixed = fixed.replace("ana@example.com,Ana Again", "ivy@example.com,Ivy")
    fixed = "\n".join(line for line in fixed.split("\n") if not line.startswith(("eve@", "fay@", "gus@", "hal@")))
    with pytest.raises(Refused) as refused:
        await people_import.run(fixed.encode())
    assert refused.value.errors == ["line 5: the manager zed@example.com is neither in Hallway nor in this file."]
    assert await _people() == before


@pytest.mark.parametrize(("data", "errors"), [
    (b"", ["line 1: the file is empty; the first line names the columns: email, name, title, department, location, "
           "manager email."]),
    (b"mail,name\nx@example.com,X\n", [
        'line 1: there is no column "mail"; the columns are: email, name, title, department, location, manager email.',
        'line 1: an "email" column is needed: it says who each line is.',
    ]),
    (b"email,name,name\n", ['line 1: the column "name" appears twice.']),
    (b"email,name\nnew@example.com,New\n\xff\xfe\n", [
        'line 3: this is not UTF-8 text. Save the file as "CSV UTF-8" and try again.'
    ]),
    (b'email,name\n"new@example.com,New\n', ["line 2: unexpected end of data (a quote opened but never closed?)"]),
    (b"email,department\nnew@example.com,Sales\n", [
        'line 2: new@example.com is not in Hallway yet; a "name" column is needed to add them.'
    ]),
])
async def test_files_that_cannot_be_read_say_why(engine, data, errors):
    with pytest.raises(Refused) as refused:
        await people_import.run(data)
    assert refused.value.errors == errors
    assert await User.count() == 0


async def test_managers_going_round_in_a_circle_are_refused(engine):
    await people_import.run(STAFF)
    with pytest.raises(Refused) as refused:
        await people_import.run(b"email,manager email\nana@example.com,cem@example.com\n")
    assert refused.value.errors == [
        "line 2: ana@example.com would report to themselves through cem@example.com (managers go round in a circle)."
    ]


async def test_nobody_absent_is_disabled_unless_asked_and_roles_are_never_changed(clients, users):
    boss = await users.create("admin", "Boss", email="boss@example.com")
    await users.create("admin", "Ops", email="ops@example.com")
    leaver = await users.create(name="Leaver", email="leaver@example.com")
    phone = await clients.signed_in(leaver)
    listed = STAFF + b"boss@example.com,The Boss,CEO,Board,Berlin,\n"

    report = await people_import.run(listed)
    assert report.disabled == []
    people = await _people()
    assert not people["leaver@example.com"]["disabled"] and not people["ops@example.com"]["disabled"]
    assert people["boss@example.com"]["role"] == "admin" and people["boss@example.com"]["title"] == "CEO"

    report = await people_import.run(listed, disable_missing=True)
    assert report.disabled == ["leaver@example.com", "ops@example.com"]
    assert (await phone.get("/api/me")).status_code == 401  # their sessions ended with it
    assert await Session.count().where(Session.user == leaver["id"]) == 0
    assert (await _people())["boss@example.com"]["role"] == "admin"

    # Someone an admin disabled stays so when the file lists them.
    again = await people_import.run(listed + b"leaver@example.com,Leaver,,,,\n")
    assert again.left_disabled == ["leaver@example.com"] and (await _people())["leaver@example.com"]["disabled"]


async def test_disabling_the_missing_never_leaves_hallway_without_an_admin(users):
    await users.create("admin", "Only Admin")
    with pytest.raises(Refused) as refused:
        await people_import.run(STAFF, disable_missing=True)
    assert refused.value.errors == [
        "--disable-missing: This is the last active admin. Make someone else an admin first, so that Hallway keeps one."
    ]
    # The whole import was rolled back, the people created before the refusal too.
    assert await User.count() == 1


async def test_a_dry_run_reports_and_changes_nothing(engine):
    report = await people_import.run(STAFF, dry_run=True)
    assert len(report.created) == 4
    assert await User.count() == 0


async def test_links_let_the_people_created_choose_a_password(clients, engine):
    report = await people_import.run(STAFF, links=True)
    assert sorted(report.links) == ["ana@example.com", "ben@example.com", "cem@example.com", "dora@example.com"]
    token = report.links["ben@example.com"].rsplit("/#/reset/", 1)[1]
    guest = await clients.anonymous()
    info = await guest.get(f"/api/password-resets/{token}")
    assert info.json()["name"] == "Ben Becker"
    chosen = await guest.post(f"/api/password-resets/{token}", json={"password": "bens own passphrase"})
    assert chosen.status_code == 200
    me = chosen.json()
    assert me["department"] == "Sales" and me["manager"]["name"] == "Ana Alves"
    signed_in = await (await clients.anonymous()).post(
        "/api/session", json={"email": "ben@example.com", "password": "bens own passphrase"}
    )
    assert signed_in.status_code == 200


async def test_the_command_reports_what_changed_and_refuses_a_bad_file(database_url, engine, tmp_path):
    staff = tmp_path / "staff.csv"
    staff.write_bytes(STAFF)
    code, out, err = await hallway(database_url, "people", "import", str(staff))
    assert code == 0, err
    assert out.splitlines() == [
        "created ana@example.com", "created ben@example.com", "created cem@example.com", "created dora@example.com",
        "4 created, 0 updated, 0 unchanged, 0 disabled",
    ]
    assert "cannot sign in until they choose a password" in err

    staff.write_bytes(STAFF.replace(b"Hamburg", b"Bremen"))
    code, out, err = await hallway(database_url, "people", "import", str(staff))
    assert code == 0, err
    assert out.splitlines() == ["updated ben@example.com: location", "0 created, 1 updated, 3 unchanged, 0 disabled"]

    staff.write_bytes(STAFF.replace(b"Bremen", b"Kiel") + b"broken\n")
    code, out, err = await hallway(database_url, "people", "import", str(staff))
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "line 6: 1 value, but the header has 6 columns.",
        "error: nothing was imported; correct the lines above and run the import again.",
    ]
    assert (await _people())["ben@example.com"]["location"] == "Bremen"
    code, _, err = await hallway(database_url, "people", "import", str(tmp_path / "missing.csv"))
    assert code == 2 and "error: cannot read" in err
