"""The processes queries are timed in: one that holds the trustkg store open, and forked ones
that run a query on a parsed rdflib graph.

Queries are timed in process (around ``trustkg.sparql.run_local`` on the store opened once
read-only), because that is how a researcher's notebook or a server would use trustkg: the
latency of a query, not of starting Python. Both sides still run in worker processes, so a query
that never finishes can be killed at its cap without losing the store or the parsed graph.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from pathlib import Path
from typing import Any

from benchmarks.units import median


def _trustkg_worker(conn: Any, store: str) -> None:
    """In a forked child: open the store once, read-only, then time the queries the parent
    sends, each with ``trustkg.sparql.run_local`` exactly as a library user would call it."""
    from trustkg.sparql.local import run_local
    from trustkg.store import open_store

    st = open_store(store)
    while True:
        try:
            text = conn.recv()
        except EOFError:
            return
        if text is None:
            return
        try:
            start = time.perf_counter()
            res = run_local(text, st)
            conn.send(("ok", (time.perf_counter() - start) * 1000, len(res.rows)))
        except Exception as exc:  # noqa: BLE001 - reported to the parent
            conn.send(("error", f"{type(exc).__name__}: {exc}"[:500], None))


class TrustkgWorker:
    """A process that holds the store open and runs trustkg queries on request.

    Why not run them in this process: a pathological query can take many minutes and a running
    Oxigraph query cannot be interrupted from Python. In a worker it can be killed at the
    ``--query-timeout`` cap; the timings are still taken around ``run_local`` inside the worker,
    with the store opened once, so they are the in-process latencies a library user sees.
    The worker is forked before this process parses anything into rdflib, so it stays small.
    """

    def __init__(self, store: Path) -> None:
        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_trustkg_worker, args=(child, str(store)), daemon=True)
        self.proc.start()
        child.close()

    def run(self, text: str, timeout: float) -> tuple[str, Any, Any]:
        """One run: ("ok", ms, rows), ("error", message, None) or ("timeout", None, None)."""
        self.conn.send(text)
        if not self.conn.poll(timeout):
            return "timeout", None, None
        try:
            return self.conn.recv()
        except EOFError:
            return "error", "worker died", None

    def measure(self, text: str, repeat: int, budget_s: float, timeout: float) -> dict[str, Any]:
        """One warm-up, then up to ``repeat`` timed runs; no new run starts once ``budget_s``
        seconds have been spent on this query (the runs made are recorded)."""
        kind, warm, rows = self.run(text, timeout)
        if kind != "ok":
            return {
                "status": kind,
                "error": warm if kind == "error" else None,
                "median_ms": None,
                "rows": None,
                "runs_ms": [],
            }
        times: list[float] = []
        spent = warm / 1000
        for _ in range(repeat):
            if spent > budget_s:
                break
            kind, ms, rows = self.run(text, timeout)
            if kind != "ok":
                return {
                    "status": kind,
                    "error": ms if kind == "error" else None,
                    "warmup_ms": warm,
                    "median_ms": None,
                    "rows": None,
                    "runs_ms": times,
                }
            times.append(ms)
            spent += ms / 1000
        note = None
        if not times:  # the warm-up alone used the whole budget: it is the only measurement
            times, note = [warm], "warm-up only (over --query-budget)"
        return {
            "status": "ok",
            "warmup_ms": warm,
            "runs_ms": times,
            "median_ms": median(times),
            "rows": rows,
            "note": note,
        }

    def close(self) -> None:
        if self.proc.is_alive():
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
            self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


def _rdflib_worker(conn: Any, graph: Any, text: str, runs: int) -> None:
    """In the forked child: run the query ``runs`` times on the inherited graph, sending each
    time and row count."""
    try:
        for _ in range(runs):
            start = time.perf_counter()
            rows = list(graph.query(text))
            conn.send(("ok", (time.perf_counter() - start) * 1000, len(rows)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, not raised
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:500], None))
    finally:
        conn.close()


def rdflib_query(graph: Any, text: str, runs: int, timeout: float) -> dict[str, Any]:
    """Time ``text`` on ``graph`` in a forked worker, each run capped at ``timeout`` seconds; a
    run over the cap kills the worker and reports "timeout".

    The worker is forked, so it inherits the parsed graph as it is in memory (nothing is
    pickled or copied up front) and the parent keeps it whatever happens to the child.
    """
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_rdflib_worker, args=(child, graph, text, runs), daemon=True)
    proc.start()
    child.close()
    times: list[float] = []
    rows = None
    status = "ok"
    error = None
    try:
        for _ in range(runs):
            if not parent.poll(timeout):
                status = "timeout"
                break
            try:
                kind, value, n = parent.recv()
            except EOFError:
                status, error = "error", "worker died"
                break
            if kind != "ok":
                status, error = "error", value
                break
            times.append(value)
            rows = n
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()
    return {
        "status": status,
        "error": error,
        "runs_ms": times,
        "median_ms": median(times),
        "rows": rows,
    }
