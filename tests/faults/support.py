"""What the fault tests share: a PostgreSQL server of their own, real Hallway processes, many devices."""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

__all__ = [
    "ROOT", "PrivatePostgres", "Processes", "find_pg_bin", "free_port", "people_with_devices", "until", "query",
    "delivered_counts", "need_private_postgres",
]

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_pg_bin() -> Path | None:
    """The directory of initdb and pg_ctl: on PATH, else Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


class PrivatePostgres:
    """A PostgreSQL server in a temporary directory that a test may stop and start at will.

    Never the shared server on :5432: stopping that one would break every other test running on
    this machine. initdb refuses to run as root, so as root the server runs as `postgres`.
    """

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="hallway-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "server.log"
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str, timeout: float = 60) -> None:
        result = subprocess.run(self._as + [str(self.bin_dir / args[0]), *args[1:]], capture_output=True, text=True,
                                timeout=timeout, cwd=self.base)
        if result.returncode != 0:
            raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stderr or result.stdout}\n{self.logs()}")

    def init(self) -> None:
        if self._as:
            self.base.chmod(0o755)
            shutil.chown(self.base, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        # fsync off: the tests stop it with a clean shutdown, never by pulling the power.
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k /tmp -c fsync=off -c max_connections=100"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session at once and shuts down cleanly, as an operator's restart does."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    async def create_database(self) -> str:
        """A fresh database on this server; returns its URL."""
        import asyncpg

        name = f"hallway_{uuid.uuid4().hex[:10]}"
        conn = await asyncpg.connect(self.url())
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return self.url(name)

    def logs(self) -> str:
        try:
            return self.log.read_text()[-3000:]
        except OSError:
            return "(no server log)"

    def destroy(self) -> None:
        if self.data.exists() and (self.data / "postmaster.pid").exists():
            try:
                self.stop("immediate")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.base, ignore_errors=True)


class Processes:
    """Hallway processes of one test (`python -m server.cli …` from this checkout), each with a log file."""

    def __init__(self, log_dir: Path, env: dict[str, str]) -> None:
        self.log_dir = log_dir
        self.env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))}
        self.children: list[tuple[str, subprocess.Popen, Path]] = []

    def start(self, name: str, *args: str, **env: str) -> subprocess.Popen:
        log = self.log_dir / f"{name}.log"
        # A file, not a pipe: nobody reads a pipe until the end, and a full one blocks the child.
        with log.open("ab") as out:
            proc = subprocess.Popen([sys.executable, "-m", "server.cli", *args], cwd=ROOT, env={**self.env, **env},
                                    stdout=out, stderr=subprocess.STDOUT)
        self.children.append((name, proc, log))
        return proc

    def run(self, *args: str, timeout: float = 120) -> None:
        subprocess.run([sys.executable, "-m", "server.cli", *args], cwd=ROOT, env=self.env, check=True,
                       capture_output=True, timeout=timeout)

    @staticmethod
    def kill(proc: subprocess.Popen) -> None:
        """SIGKILL: no handler runs, nothing is flushed or rolled back by the process itself."""
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)

    def stop(self) -> None:
        for _, proc, _ in self.children:
            if proc.poll() is None:
                proc.terminate()
        for _, proc, _ in self.children:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def logs(self) -> str:
        out = []
        for name, proc, log in self.children:
            text = log.read_text(errors="replace")[-4000:] if log.exists() else "(no log)"
            out.append(f"----- {name} (exit {proc.returncode}) -----\n{text}")
        return "\n".join(out)


async def until(check, timeout: float, what: str, every: float = 0.1):
    """Await `check()` until it returns something true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(every)


async def query(url: str, sql: str, *args) -> list[dict]:
    """One statement on a connection of its own (a pool's connections die with a restarted server)."""
    import asyncpg

    conn = await asyncpg.connect(url, timeout=5)
    try:
        return [dict(r) for r in await conn.fetch(sql, *args)]
    finally:
        await conn.close()


async def people_with_devices(count: int, service, prefix: str = "p") -> list[int]:
    """`count` colleagues with one browser each at `service` (subscription id f"{prefix}{i}"); their ids.

    Written straight to the tables: a thousand sign-ins through the API would take the test's time
    and test nothing this suite is about.
    """
    from server.accounts.tables import User
    from server.push.tables import PushSubscription

    run = uuid.uuid4().hex[:6]
    ids: list[int] = []
    for start in range(0, count, 500):
        rows = await User.insert(*[
            User(email=f"{prefix}{i}-{run}@example.com", name=f"Colleague {i}", password_hash="-", role="member")
            for i in range(start, min(count, start + 500))
        ]).returning(User.id)
        ids.extend(r["id"] for r in rows)
    subscriptions = []
    for i, uid in enumerate(ids):
        browser = service.add_device(f"{prefix}{i}")
        subscriptions.append(PushSubscription(
            user=uid, endpoint=browser["endpoint"], p256dh=browser["keys"]["p256dh"], auth=browser["keys"]["auth"],
        ))
    for start in range(0, len(subscriptions), 500):
        await PushSubscription.insert(*subscriptions[start:start + 500])
    return ids


def delivered_counts(service, sids: list[str]) -> tuple[list[str], dict[str, int]]:
    """The devices that got nothing, and those that got the message more than once (with how often)."""
    counts: dict[str, int] = dict.fromkeys(sids, 0)
    for message in list(service.messages):
        if message.subscription_id in counts:
            counts[message.subscription_id] += 1
    missing = [sid for sid, n in counts.items() if n == 0]
    twice = {sid: n for sid, n in counts.items() if n > 1}
    return missing, twice


def need_private_postgres():
    """Skip loudly (fail under HALLWAY_NO_SKIP=1) when the PostgreSQL server programs are missing."""
    from tests.support import need

    bin_dir = find_pg_bin()
    need(bin_dir is not None, "initdb and pg_ctl (PostgreSQL server programs) to run a private server that a test may stop")
    if os.geteuid() == 0:
        import pwd

        need(shutil.which("runuser") is not None, "runuser, to run initdb as the postgres user (it refuses root)")
        need("postgres" in {entry.pw_name for entry in pwd.getpwall()}, "a postgres user to run the private server as")
    return bin_dir
