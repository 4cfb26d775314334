"""The `hallway` command: serve, worker, migrate, run, user add|disable|enable|role|reset, people import."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time

from server.settings import get_settings, use_address

__all__ = ["main"]

os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")


def _engine():
    from server import db

    settings = get_settings()
    return db.make_engine(settings.database_url, settings.data_dir)


async def _with_engine(work):
    from server import db, piccolo_conf

    engine = _engine()
    piccolo_conf.use_engine(engine)
    await db.start_engine(engine)
    try:
        return await work(engine)
    finally:
        await db.stop_engine(engine)


def cmd_migrate(args) -> int:
    from server.migrations import migrate

    asyncio.run(_with_engine(migrate))
    print("migrations applied")
    return 0


def cmd_serve(args) -> int:
    import uvicorn

    from server.app import create_app
    from server.lib.http_server import BoundedHttpToolsProtocol

    # From here on the settings know the port actually served: links without HALLWAY_BASE_URL use it.
    settings = use_address(args.host, args.port or get_settings().port)
    _warn(settings.link_warnings())
    proxies = settings.trusted_proxies
    # uvicorn takes the same right-most untrusted hop as server/lib/net.py, and X-Forwarded-Proto
    # from those proxies alone.
    uvicorn.run(
        create_app(), host=settings.host, port=settings.port,
        log_config=None, access_log=False, proxy_headers=bool(proxies), forwarded_allow_ips=",".join(proxies) or None,
        # A request's head is bounded while it arrives (uvicorn's httptools protocol takes any size).
        http=BoundedHttpToolsProtocol,
    )
    return 0


def _warn(warnings: list[str]) -> None:
    """Loudly, on stderr, before the server's own lines: a misconfigured address is easy to miss."""
    if not warnings:
        return
    rule = "!" * 78
    lines = [rule] + [f"!! WARNING: {w}" for w in warnings] + [rule]
    print("\n".join(lines), file=sys.stderr, flush=True)


def cmd_worker(args) -> int:
    from server.worker import run_worker

    # Transcodes and push fan-outs take whole cores; on a machine shared with the web process
    # (`make run`, a small instance) people's requests should win. Idle cores it uses in full.
    if (nice := get_settings().worker_nice) > 0:
        os.nice(nice)
    asyncio.run(run_worker(once=args.once))
    return 0


def cmd_run(args) -> int:
    """Migrate, then one web and one worker process; Ctrl-C stops both.

    A worker that dies (killed, out of memory) is started again: its job's lease runs out and
    the new worker finishes it. The web process ending ends everything.
    """
    if cmd_migrate(args):
        return 1
    exe = [sys.executable, "-m", "server.cli"]
    port = ["--port", str(args.port)] if args.port else []
    web = subprocess.Popen(exe + ["serve", "--host", args.host] + port)
    worker, started, quick_deaths = subprocess.Popen(exe + ["worker"]), time.monotonic(), 0
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True
        for p in (web, worker):
            if p.poll() is None:
                p.terminate()

    signal.signal(signal.SIGTERM, stop)
    # Explicitly, not through KeyboardInterrupt: Python installs no Ctrl-C handler when it starts with
    # SIGINT ignored (any command a script runs in the background), and `run` would never stop.
    signal.signal(signal.SIGINT, stop)
    try:
        while web.poll() is None and not stopping:
            try:
                web.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
            if worker.poll() is not None and not stopping and web.poll() is None:
                # A worker that keeps dying at start is waited for longer each time, up to 30 s.
                quick_deaths = quick_deaths + 1 if time.monotonic() - started < 60 else 0
                delay = min(30, 2 ** quick_deaths) if quick_deaths else 0
                print(f"hallway: the worker exited ({worker.returncode}); starting another in {delay} s",
                      file=sys.stderr, flush=True)
                time.sleep(delay)
                if stopping:
                    break
                worker, started = subprocess.Popen(exe + ["worker"]), time.monotonic()
    except KeyboardInterrupt:
        stopping = True
    asked = stopping  # by Ctrl-C or SIGTERM, rather than the web process ending by itself
    stop()
    for p in (web, worker):
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    return 0 if asked else abs(web.returncode or 1)


def cmd_user_add(args) -> int:
    from litestar.exceptions import HTTPException

    from server.accounts.services import create_user

    password = sys.stdin.readline().rstrip("\n") if not sys.stdin.isatty() else __import__("getpass").getpass()

    async def work(engine):
        return await create_user(args.email, args.name, password, args.role)

    try:
        user = asyncio.run(_with_engine(work))
    except HTTPException as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 2
    print(f"created {user['role']} {user['email']} (id {user['id']})")
    return 0


def _in_instance(work):
    """Run `work()` against the database with every listener wired: disabling tells push, as in the web process."""
    from server import wiring

    wiring.wire()
    return asyncio.run(_with_engine(lambda engine: work()))


def _user_command(work) -> int:
    """Run `work()` against the database; an error the API would answer with is printed, exit 2."""
    from litestar.exceptions import HTTPException

    try:
        return _in_instance(work) or 0
    except HTTPException as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 2


def cmd_user_disable(args) -> int:
    from server.accounts import lifecycle

    async def work():
        user = await lifecycle.find_by_email(args.email)
        await lifecycle.update_account(user["id"], disabled=True)
        print(f"disabled {user['email']}: every session ended, no more pushes to their browsers")

    return _user_command(work)


def cmd_user_enable(args) -> int:
    from server.accounts import lifecycle

    async def work():
        user = await lifecycle.find_by_email(args.email)
        await lifecycle.update_account(user["id"], disabled=False)
        print(f"enabled {user['email']}: they can sign in again")

    return _user_command(work)


def cmd_user_role(args) -> int:
    from server.accounts import lifecycle

    async def work():
        user = await lifecycle.find_by_email(args.email)
        await lifecycle.update_account(user["id"], role=args.role)
        print(f"{user['email']} is now {'an' if args.role == 'admin' else 'a'} {args.role}")

    return _user_command(work)


def cmd_user_reset(args) -> int:
    from server.accounts import lifecycle

    warnings = _link_warnings()

    async def work():
        user = await lifecycle.find_by_email(args.email)
        token, row = await lifecycle.create_reset(user["id"], None)
        until = row["expires_at"].isoformat(timespec="minutes")
        _warn(warnings)
        print(f"A one-time link for {user['email']} to choose a new password, valid until {until}; "
              "hand it over yourself (their password and sessions stay until it is used):", file=sys.stderr)
        print(lifecycle.reset_url(token))

    return _user_command(work)


def _link_warnings() -> list[str]:
    settings = get_settings()
    warnings = settings.link_warnings()
    if not settings.base_url:
        # This command does not serve: it cannot know a `--port` given to `hallway serve`.
        warnings.append(f"HALLWAY_BASE_URL is not set: the link assumes Hallway is served at {settings.public_url}.")
    return warnings


def cmd_people_import(args) -> int:
    from server.accounts import people_import

    try:
        data = sys.stdin.buffer.read() if args.file == "-" else open(args.file, "rb").read()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2

    async def work():
        return await people_import.run(
            data, disable_missing=args.disable_missing, links=args.links, dry_run=args.dry_run
        )

    from litestar.exceptions import HTTPException

    try:
        report = _in_instance(work)
    except HTTPException as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 2
    except people_import.Refused as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        print("error: nothing was imported; correct the lines above and run the import again.", file=sys.stderr)
        return 2
    _print_import(report, args)
    return 0


def _print_import(report, args) -> None:
    would = "would be " if args.dry_run else ""
    for email in report.created:
        print(f"created {email}")
    for email, fields in report.updated:
        print(f"updated {email}: {', '.join(fields)}")
    for email in report.disabled:
        print(f"disabled {email} (not in the file)")
    for email in report.left_disabled:
        print(f"note: {email} is disabled, and stays so (`hallway user enable {email}` lets them in again)",
              file=sys.stderr)
    print(f"{len(report.created)} {would}created, {len(report.updated)} {would}updated, {report.unchanged} unchanged, "
          f"{len(report.disabled)} {would}disabled" + (" (a dry run: nothing was changed)" if args.dry_run else ""))
    if report.links:
        _warn(_link_warnings())
        print("One-time links for the people created to choose their password, valid a day; hand each over "
              "yourself:", file=sys.stderr)
        for email, link in report.links.items():
            print(f"link {email} {link}")
    elif report.created and not args.dry_run:
        print(f"The {len(report.created)} people created cannot sign in until they choose a password: give them "
              "a link with `hallway user reset EMAIL` or \"Reset password\" on the People screen (or import with "
              "--links).", file=sys.stderr)


def cmd_demo(args) -> int:
    from server.demo import fill

    asyncio.run(_with_engine(fill))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hallway", description="Hallway, the internal social network.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="serve HTTP")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("worker", help="run background jobs")
    p.add_argument("--once", action="store_true", help="run the jobs that are due, then exit")
    p.set_defaults(func=cmd_worker)

    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=cmd_migrate)

    p = sub.add_parser("run", help="migrate, then serve with one worker (what `make run` does)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(func=cmd_run)

    users = sub.add_parser("user", help="manage accounts").add_subparsers(dest="user_command", required=True)
    p = users.add_parser("add", help="add an account; the password is read from stdin")
    p.add_argument("email")
    p.add_argument("--name", required=True)
    p.add_argument("--role", choices=["admin", "moderator", "member"], default="member")
    p.set_defaults(func=cmd_user_add)
    for name, func, text in (
        ("disable", cmd_user_disable, "disable an account: every session ends at once, and pushes to its browsers"),
        ("enable", cmd_user_enable, "let a disabled account sign in again"),
        ("reset", cmd_user_reset, "print a one-time link (valid a day) for the person to choose a new password"),
    ):
        p = users.add_parser(name, help=text)
        p.add_argument("email")
        p.set_defaults(func=func)
    p = users.add_parser("role", help="change an account's role")
    p.add_argument("email")
    p.add_argument("role", choices=["admin", "moderator", "member"])
    p.set_defaults(func=cmd_user_role)

    people = sub.add_parser("people", help="manage the directory").add_subparsers(dest="people_command", required=True)
    p = people.add_parser(
        "import", help="set names, job titles, departments, locations and managers from a CSV file (all or nothing)",
        description="The first line names the columns: email (required), name, title, department, location, "
        "manager email. Each column in the file is set as it says (an empty cell empties it); a column not "
        "in the file is left as it is. People not in Hallway yet are added as members without a password. "
        "Running the same file again changes nothing.",
    )
    p.add_argument("file", help="the CSV file (UTF-8; comma, semicolon or tab separated), or - for stdin")
    p.add_argument("--disable-missing", action="store_true",
                   help="disable everyone not in the file (their sessions end at once)")
    p.add_argument("--links", action="store_true",
                   help="print a one-time link (valid a day) for each person added to choose a password")
    p.add_argument("--dry-run", action="store_true", help="report what would change, and change nothing")
    p.set_defaults(func=cmd_people_import)

    sub.add_parser("demo", help="fill the instance with sample colleagues and posts").set_defaults(func=cmd_demo)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
