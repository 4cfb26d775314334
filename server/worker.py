"""The worker process: runs due jobs until stopped."""

__all__ = ["run_worker"]


async def run_worker(once: bool = False) -> None:
    raise NotImplementedError
