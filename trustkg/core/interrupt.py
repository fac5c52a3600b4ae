"""Run work that Python's Ctrl-C cannot reach, so that Ctrl-C and a time limit still stop it.

An Oxigraph query is evaluated in Rust: a SIGINT only sets a flag that Python looks at once the
call returns, which for a cross product on a big store is never. The work therefore runs on a
daemon thread while the calling thread waits for it in short steps, where Python acts on the
signal at once (``KeyboardInterrupt``) or gives up at the deadline. The abandoned thread is
not stopped (Rust cannot be interrupted from outside); it ends with the process, and a daemon
thread does not hold the process open.

>>> run_interruptibly(lambda: 6 * 7, timeout=5)
42
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from .errors import TrustkgError

T = TypeVar("T")

#: how often the waiting thread wakes to look for a signal or the deadline (a finished result
#: is taken at once, not at the next step)
STEP = 0.1


def run_interruptibly(
    work: Callable[[], T], *, timeout: float | None = None, what: str = "the query"
) -> T:
    """Return ``work()``, run on a daemon thread; Ctrl-C raises ``KeyboardInterrupt`` within
    :data:`STEP` seconds, and past ``timeout`` seconds :class:`TrustkgError` is raised."""
    done = threading.Event()
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # handed to the waiting thread, raised there
            outcome["error"] = exc
        finally:
            done.set()

    worker = threading.Thread(target=target, name="trustkg-work", daemon=True)
    deadline = None if timeout is None else time.monotonic() + timeout
    worker.start()
    while not done.wait(STEP):
        if deadline is not None and time.monotonic() > deadline:
            raise TrustkgError(
                f"{what} did not finish within {timeout:g} s (--timeout sets the limit)"
            )
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
