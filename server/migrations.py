"""Apply Piccolo's migrations of every Hallway app to the configured database."""

from __future__ import annotations

import io
import warnings
from contextlib import redirect_stdout

from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.engine.base import Engine

from server import piccolo_conf

__all__ = ["migrate"]


async def migrate(engine: Engine) -> None:
    """Bring the schema up to date; safe to run again (and by several processes in turn)."""
    piccolo_conf.use_engine(engine)
    out = io.StringIO()
    # Piccolo prints progress and warns that SQLite lacks some ALTERs (Hallway's migrations avoid them).
    with redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = await run_forwards("all")
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}\n{out.getvalue()}")
