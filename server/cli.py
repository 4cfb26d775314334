"""The `hallway` command: serve, worker, migrate, run, user add."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys

from server.settings import get_settings

__all__ = ["main"]

os.environ.setdefault("PICCOLO_CONF", "server.piccolo_conf")


def _engine():
    from server import db

    settings = get_settings()
    return db.make_engine(settings.database_url, settings.data_dir)


async def _with_engine(work):
    from server import db

    engine = _engine()
    db.use_engine(engine)
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

    uvicorn.run(
        create_app(), host=args.host, port=args.port or get_settings().port,
        log_config=None, access_log=False, proxy_headers=get_settings().trust_proxy,
    )
    return 0


def cmd_worker(args) -> int:
    from server.worker import run_worker

    asyncio.run(run_worker(once=args.once))
    return 0


def cmd_run(args) -> int:
    """Migrate, then one web and one worker process; Ctrl-C stops both."""
    if cmd_migrate(args):
        return 1
    exe = [sys.executable, "-m", "server.cli"]
    port = ["--port", str(args.port)] if args.port else []
    procs = [
        subprocess.Popen(exe + ["serve", "--host", args.host] + port),
        subprocess.Popen(exe + ["worker"]),
    ]

    def stop(*_):
        for p in procs:
            if p.poll() is None:
                p.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        while all(p.poll() is None for p in procs):
            try:
                procs[0].wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    except KeyboardInterrupt:
        pass
    stop()
    for p in procs:
        p.wait(timeout=20)
    return max(p.returncode or 0 for p in procs)


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

    sub.add_parser("demo", help="fill the instance with sample colleagues and posts").set_defaults(func=cmd_demo)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
