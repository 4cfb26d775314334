"""Configuration from the environment, with embedded defaults that run on one machine."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["Settings", "get_settings", "reset_settings", "use_address"]


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw not in (None, "") else default


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    return float(raw) if raw not in (None, "") else default


def _env_flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    return default if raw in (None, "") else raw.lower() in {"1", "true", "yes", "on"}


# What HALLWAY_TRUST_PROXY=1 trusts: a proxy on this machine.
LOOPBACK_PROXIES = ("127.0.0.0/8", "::1/128")


def _trusted_proxies() -> tuple[str, ...]:
    """HALLWAY_TRUSTED_PROXIES (addresses or CIDRs, comma-separated), else loopback with HALLWAY_TRUST_PROXY."""
    listed = tuple(p.strip() for p in os.environ.get("HALLWAY_TRUSTED_PROXIES", "").split(",") if p.strip())
    for proxy in listed:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ValueError(f"HALLWAY_TRUSTED_PROXIES: {proxy!r} is not an address or network (e.g. 10.0.0.0/8)") from None
    return listed or (LOOPBACK_PROXIES if _env_flag("HALLWAY_TRUST_PROXY") else ())


@dataclass(frozen=True)
class Settings:
    """Everything Hallway reads from the environment, read once per process."""

    data_dir: Path = field(default_factory=lambda: Path(os.environ.get("HALLWAY_DATA", "./var")).resolve())
    database_url: str = field(default_factory=lambda: os.environ.get("DATABASE_URL", ""))
    redis_url: str = field(default_factory=lambda: os.environ.get("REDIS_URL", ""))
    port: int = field(default_factory=lambda: _env_int("PORT", 8000))
    # Where `hallway serve` listens (use_address); with port, the links' address when there is no base URL.
    host: str = "127.0.0.1"
    # The address people open; it makes invite links and decides whether cookies are Secure.
    base_url: str = field(default_factory=lambda: os.environ.get("HALLWAY_BASE_URL", "").rstrip("/"))
    session_days: int = field(default_factory=lambda: _env_int("HALLWAY_SESSION_DAYS", 30))
    # Sign-in throttling (server/accounts/throttle.py): wrong passwords free per account and address
    # (four times as many per address) before the wait doubles from 1 s up to signin_max_wait;
    # failures are forgotten signin_window seconds after the last one.
    signin_attempts: int = field(default_factory=lambda: _env_int("HALLWAY_SIGNIN_ATTEMPTS", 5))
    signin_window: int = field(default_factory=lambda: _env_int("HALLWAY_SIGNIN_WINDOW", 3600))
    signin_max_wait: int = field(default_factory=lambda: _env_int("HALLWAY_SIGNIN_MAX_WAIT", 900))
    # The proxies whose X-Forwarded-For entries are believed (server/lib/net.py).
    trusted_proxies: tuple[str, ...] = field(default_factory=_trusted_proxies)
    # What one person may write per hour (server/lib/budgets.py): posts (announcements included),
    # comments, and people named in @mentions; a 429 with Retry-After beyond that.
    posts_per_hour: int = field(default_factory=lambda: _env_int("HALLWAY_POSTS_PER_HOUR", 30))
    comments_per_hour: int = field(default_factory=lambda: _env_int("HALLWAY_COMMENTS_PER_HOUR", 120))
    mentions_per_hour: int = field(default_factory=lambda: _env_int("HALLWAY_MENTIONS_PER_HOUR", 100))
    push_allow_loopback: bool = field(default_factory=lambda: _env_flag("HALLWAY_PUSH_ALLOW_LOOPBACK"))
    worker_concurrency: int = field(default_factory=lambda: _env_int("HALLWAY_WORKER_CONCURRENCY", 2))
    log_level: str = field(default_factory=lambda: os.environ.get("HALLWAY_LOG_LEVEL", "INFO"))
    # Per-process caches of sessions and feed pages (SQLite only; see server/lib/caches.py).
    caches: bool = field(default_factory=lambda: _env_flag("HALLWAY_CACHE", True))
    # The most each of those caches holds, in MiB, least recently used pages going first.
    cache_mb: int = field(default_factory=lambda: max(1, _env_int("HALLWAY_CACHE_MB", 64)))
    # Seconds a worker holds a job between renewals: a killed worker's job is taken again after this.
    job_lease: int = field(default_factory=lambda: _env_int("HALLWAY_JOB_LEASE", 60))
    # How much lower the worker's CPU priority is than the web process's (os.nice increment).
    worker_nice: int = field(default_factory=lambda: _env_int("HALLWAY_WORKER_NICE", 10))
    # tus uploads: the largest file (Tus-Max-Size), open uploads per person, hours an upload lives.
    upload_max: int = field(default_factory=lambda: _env_int("HALLWAY_UPLOAD_MAX", 1 << 30))
    upload_quota: int = field(default_factory=lambda: _env_int("HALLWAY_UPLOAD_QUOTA", 20))
    upload_expiry_hours: int = field(default_factory=lambda: _env_int("HALLWAY_UPLOAD_EXPIRY_HOURS", 24))
    # Seconds a PATCH may go without a byte before it ends (keeping what arrived), and of silence
    # after which a newer PATCH of the owner takes the upload over (server/uploads/handover.py).
    upload_idle_timeout: float = field(default_factory=lambda: _env_float("HALLWAY_UPLOAD_IDLE_TIMEOUT", 30.0))
    upload_handover: float = field(default_factory=lambda: _env_float("HALLWAY_UPLOAD_HANDOVER", 5.0))
    # The PWA served at /: the build (`node pwa/build.mjs`, run by `make run`) when there is one.
    pwa_dir: str = field(default_factory=lambda: os.environ.get("HALLWAY_PWA_DIR", ""))

    @property
    def public_url(self) -> str:
        """The base URL, else the address served: what invite, setup and password links start with."""
        if self.base_url:
            return self.base_url
        host = "127.0.0.1" if self.host in _EVERY_INTERFACE else self.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def link_warnings(self) -> list[str]:
        """What is wrong with the address links point at, for `hallway serve` to say loudly at start."""
        warnings = []
        url = urlsplit(self.public_url)
        if (self.base_url and url.scheme not in ("http", "https")) or not url.hostname:
            return [f"HALLWAY_BASE_URL={self.base_url!r} is not an address like https://hallway.example.com: "
                    "invite, setup and password links will not open."]
        if not self.base_url and self.host in _EVERY_INTERFACE:
            warnings.append(
                f"HALLWAY_BASE_URL is not set: invite, setup and password links point at {self.public_url}, "
                "which opens on this machine only. Set HALLWAY_BASE_URL to the address people open."
            )
        if url.scheme != "https" and not _loopback(url.hostname):
            warnings.append(
                f"Hallway is reached over plain http at {self.public_url}: passwords and session cookies cross "
                "the network readable by anyone on the way, and cookies are not marked Secure. Serve it behind an "
                "https proxy and set HALLWAY_BASE_URL=https://…"
            )
        return warnings

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "hallway.sqlite3"

    @property
    def media_dir(self) -> Path:
        return self.data_dir / "media"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def originals_dir(self) -> Path:
        """Uploaded originals, kept outside media_dir so they are never served."""
        return self.data_dir / "originals"

    @cached_property
    def secret(self) -> str:
        """A per-instance secret, generated on first start and kept in the data dir."""
        if env := os.environ.get("HALLWAY_SECRET"):
            return env
        path = self.data_dir / "secret.key"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            # Write aside, then link: when web and worker start together, one wins and
            # neither can read a half-written file.
            tmp = path.with_name(f".secret.{os.getpid()}.tmp")
            tmp.write_text(secrets.token_urlsafe(48))
            tmp.chmod(0o600)
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        return path.read_text().strip()


# Hosts that mean "listen everywhere": no one can open a link to them.
_EVERY_INTERFACE = ("0.0.0.0", "::", "")


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_settings: Settings | None = None


def get_settings() -> Settings:
    """The process-wide settings."""
    global _settings
    if _settings is None:
        _settings = Settings()
    return _settings


def use_address(host: str, port: int) -> Settings:
    """Make the address `hallway serve` listens on part of this process's settings, so links made
    without HALLWAY_BASE_URL point at the port actually served, not at PORT."""
    global _settings
    _settings = replace(get_settings(), host=host, port=port)
    return _settings


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment between apps)."""
    global _settings
    _settings = None
