"""Run pyHanko's coroutines from synchronous code, also when the caller already runs an
event loop (an async web handler, a test driving a browser): then the coroutine runs on
its own loop in a short-lived thread instead of failing with "asyncio.run() cannot be
called from a running event loop"."""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()
