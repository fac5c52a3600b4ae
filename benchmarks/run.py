#!/usr/bin/env python3
"""Measure trustkg against the plain way (rdflib + pySHACL) at several graph sizes, in one run.

Why this exists: the Scale issue sets targets (build time and memory, query latency, validation
time, cold start) and claims trustkg is much faster than loading the same graph into rdflib and
validating it with pySHACL. This script checks those claims on synthetic corpora
(``trustkg.sources.synth``), prints one table per section with the targets beside the
figures, and writes
every number to a JSON file so that runs can be compared.

Usage::

    python benchmarks/run.py --sizes 100k 1m --out benchmarks/results.json
    python benchmarks/run.py --sizes 100k 1m 10m --plain-max 1m --work /tmp/bench

It is deliberately not part of the test run: at a million triples it takes tens of minutes.

How things are measured, and why:

* Anything whose memory matters (build, validation, plain rdflib load, plain pySHACL) runs as a
  subprocess, so its peak RSS is its own. ``RUSAGE_CHILDREN`` cannot give that (it is the maximum
  over all children so far), and neither can ``os.wait4`` on a child Python started: Linux folds
  the parent's high-water RSS into a vfork-ed child's ``ru_maxrss`` when it execs, so once the
  harness holds a parsed rdflib graph every child would report at least that. Each measured
  command therefore runs under GNU ``time`` (``%M``), a tiny launcher; see ``run_measured``.
* Queries run in this process, on the store opened once read-only, because that is how a
  researcher's notebook or a server would use trustkg: the latency of a query, not of starting
  Python. The rdflib side runs each query in a forked worker that inherits the parsed graph, so
  a query that never finishes can be killed without losing the graph.
* Sizes are nominal (``100k`` = 25 synthetic studies of ~4,000 triples each); the growth
  exponents use the real triple counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import math
import multiprocessing as mp
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

#: Triples one synthetic study builds to (see ``trustkg.sources.synth``): 250 studies ≈ 1,000,000.
TRIPLES_PER_STUDY = 4000
#: A size counts as "≈1M" (where most targets of the Scale issue apply) within this range.
ONE_MILLION_BAND = (500_000, 2_000_000)
#: A size counts as "10M" from this many triples on.
TEN_MILLION_FROM = 5_000_000
#: Regular expression for the title line ``trustkg build`` prints.
TRIPLES_LINE = re.compile(r"trustkg graph: (\d+) triples")

#: The Scale issue's targets, by key: (description, where it applies, limit, unit, sense).
#: ``sense`` is "max" (value must be ≤ limit) or "min" (value must be ≥ limit).
TARGETS: dict[str, tuple[str, str, float, str, str]] = {
    "build_s": ("build wall time", "1m", 15.0, "s", "max"),
    "build_rss_1m": ("build peak RSS", "1m", 1.5 * 1024**3, "B", "max"),
    "build_speedup": ("build speed-up over plain rdflib", "1m", 5.0, "x", "min"),
    "build_rss_10m": ("build peak RSS", "10m", 8 * 1024**3, "B", "max"),
    "query_max_ms": ("slowest query median", "1m", 100.0, "ms", "max"),
    "query_geomean": ("geometric-mean query speed-up over rdflib", "1m", 20.0, "x", "min"),
    "query_slower": ("queries slower than rdflib", "1m", 0, "", "max"),
    "validate_s": ("validation wall time", "1m", 60.0, "s", "max"),
    "validate_speedup": ("validation speed-up over plain pySHACL", "1m", 5.0, "x", "min"),
    "validate_same": ("same result counts as plain pySHACL", "1m", 1, "", "min"),
    "help_s": ("trustkg --help", "any", 0.3, "s", "max"),
    "cq04_s": ("trustkg query run cq04 (seed store)", "any", 1.0, "s", "max"),
}

console = Console(width=None if sys.stdout.isatty() else 150)


# -- small helpers -------------------------------------------------------------------------


def log(message: str) -> None:
    """Progress on stderr with a clock, so a background run's log shows where it is."""
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


def parse_size(text: str) -> int:
    """``100k`` → 100000, ``1m`` → 1000000, ``2.5M`` → 2500000, ``5000`` → 5000."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", text.strip())
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 100k or 1m")
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()]
    return int(float(m.group(1)) * factor)


def human_bytes(n: float | None) -> str:
    if n is None:
        return "—"
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.2f} {unit}"
        n /= 1024
    return f"{n:.2f} GB"


def fmt_s(x: float | None, digits: int = 2) -> str:
    return "—" if x is None else f"{x:.{digits}f} s"


def fmt_ms(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.1f}" if x < 1000 else f"{x:,.0f}"


def fmt_ratio(x: float | None) -> str:
    return "—" if x is None else f"{x:.1f}×"


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def geomean(values: list[float]) -> float | None:
    values = [v for v in values if v and v > 0]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else None


def folder_size(path: Path) -> int:
    """Bytes of every file under ``path`` (the store's real footprint on disk)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def trustkg_exe() -> str:
    """The ``trustkg`` console script of the interpreter running this file (the venv's)."""
    beside = Path(sys.executable).with_name("trustkg")
    return str(beside) if beside.exists() else (shutil.which("trustkg") or "trustkg")


# -- measured subprocesses -----------------------------------------------------------------


@dataclass
class Measured:
    """One subprocess run: wall time, exact peak RSS of that child, exit code and output."""

    cmd: list[str]
    wall_s: float
    maxrss_bytes: int
    maxrss_method: str
    returncode: int
    timed_out: bool
    stdout: str
    stderr: str

    def summary(self) -> dict[str, Any]:
        return {
            "wall_s": self.wall_s,
            "maxrss_bytes": self.maxrss_bytes,
            "maxrss_method": self.maxrss_method,
            "returncode": self.returncode,
            "timed_out": self.timed_out,
        }


#: GNU time, used as a small launcher so a child's peak RSS is its own (see run_measured).
GNU_TIME = "/usr/bin/time"


def run_measured(cmd: list[str], timeout: float | None = None, cwd: Path | None = None) -> Measured:
    """Run ``cmd`` and return its wall time and its own peak RSS.

    Why not just ``os.wait4`` on the child: Python starts children with vfork, and when the
    child execs, Linux folds the high-water RSS of the memory it leaves (the *parent's*) into the
    child's ``ru_maxrss``. Once this harness holds a parsed rdflib graph, every child measured
    that way would report at least the harness's own peak. So each measured command is started
    through GNU ``time`` (a ~2 MB process whose forked child inherits only that), which writes the
    child's ``ru_maxrss`` (``%M``, KB) to a file. Wall time is taken here with ``perf_counter``
    (GNU time's ``%e`` has only 10 ms resolution). Without GNU time, ``wait4`` is used and the
    figure is flagged as an upper bound.

    Output goes to temporary files rather than pipes, so a child that writes megabytes (a JSON
    validation report) never blocks on a full pipe. After ``timeout`` seconds the whole process
    group is killed; the main thread stays blocked in ``wait4`` so short runs are timed exactly.
    """
    use_time = os.path.exists(GNU_TIME)
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile(suffix=".rss") as rss,
    ):
        full = [GNU_TIME, "-f", "%M", "-o", rss.name, *cmd] if use_time else cmd
        start = time.perf_counter()
        proc = subprocess.Popen(full, stdout=out, stderr=err, cwd=cwd, start_new_session=True)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # GNU time and the command under it
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not reap it again
        maxrss_kb = usage.ru_maxrss
        method = "wait4 (upper bound: includes the harness's peak)"
        if use_time:
            lines = [ln.strip() for ln in Path(rss.name).read_text().splitlines() if ln.strip()]
            if lines and lines[-1].isdigit():
                maxrss_kb, method = int(lines[-1]), "GNU time %M"
        out.seek(0)
        err.seek(0)
        return Measured(
            cmd=cmd,
            wall_s=wall,
            maxrss_bytes=maxrss_kb * 1024,
            maxrss_method=method,
            returncode=proc.returncode,
            timed_out=killed.is_set(),
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


def python_snippet(code: str, *args: str) -> list[str]:
    """A command running ``code`` in a fresh interpreter of this venv (the plain-way workers)."""
    return [sys.executable, "-c", code, *args]


#: Plain rdflib load: parse the N-Triples export into an in-memory Graph.
PLAIN_BUILD_CODE = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
t0 = time.perf_counter()
import rdflib
t1 = time.perf_counter()
g = rdflib.Graph()
g.parse(sys.argv[1], format="nt")
t2 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "parse_s": t2 - t1, "triples": len(g)}))
"""

#: Plain pySHACL: parse the same N-Triples and validate with the same data shapes file.
PLAIN_VALIDATE_CODE = r"""
import json, sys, time, warnings
from collections import Counter
warnings.simplefilter("ignore")
t0 = time.perf_counter()
import rdflib, pyshacl
from rdflib import RDF, URIRef, Namespace
t1 = time.perf_counter()
data = rdflib.Graph()
data.parse(sys.argv[1], format="nt")
shapes = rdflib.Graph()
shapes.parse(sys.argv[2], format="turtle")
t2 = time.perf_counter()
conforms, report, _ = pyshacl.validate(
    data, shacl_graph=shapes, inference="none", allow_warnings=True, allow_infos=True
)
t3 = time.perf_counter()
SH = Namespace("http://www.w3.org/ns/shacl#")
counts = Counter()
pairs = []
for r in report.subjects(RDF.type, SH.ValidationResult):
    sev = str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
    counts[sev] += 1
    focus = report.value(r, SH.focusNode)
    pairs.append([sev, str(focus) if isinstance(focus, URIRef) else None])
with open(sys.argv[3], "w", encoding="utf-8") as fh:
    json.dump({
        "import_s": t1 - t0, "parse_s": t2 - t1, "validate_s": t3 - t2,
        "conforms": bool(conforms), "triples": len(data),
        "counts": {s: counts.get(s, 0) for s in ("Violation", "Warning", "Info")},
        "results": pairs,
    }, fh)
"""


# -- sections ------------------------------------------------------------------------------


def machine_info() -> dict[str, Any]:
    """What the figures were measured on: they mean little without it."""
    from importlib.metadata import PackageNotFoundError, version

    mem_total = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_total = int(line.split()[1]) * 1024
    except OSError:
        pass
    cpu_model = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for pkg in ("trustkg", "pyoxigraph", "rdflib", "pyshacl", "rich"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = None
    import trustkg

    return {
        "trustkg_path": str(Path(trustkg.__file__).resolve().parent),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_model": cpu_model,
        "cpu_count": os.cpu_count(),
        "mem_total_bytes": mem_total,
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "versions": versions,
    }


def cpu_probe() -> float:
    """Seconds for a fixed loop of pure Python (5 million additions), taken before each section.

    The machine's speed is not constant: on the shared 2-core VM this was written on, the same
    loop took from 0.6 s to 1.5 s within one hour, with no other process running. Targets in
    seconds and ratios between sections measured minutes apart mean more beside this figure.
    """
    start = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i
    return time.perf_counter() - start


def git_state() -> dict[str, Any]:
    """The commit and the uncommitted files measured: the figures belong to that code."""
    repo = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", *args], cwd=repo, capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.rstrip("\n") if done.returncode == 0 else None

    status = git("status", "--porcelain")
    return {
        "commit": git("rev-parse", "HEAD"),
        "uncommitted": status.splitlines() if status else [],
    }


def cold_start(work: Path) -> dict[str, Any]:
    """``trustkg --help`` and ``trustkg query run cq04`` end to end: what a researcher waits for
    at the prompt. One unrecorded run first, so the figures are for warm file caches."""
    exe = trustkg_exe()
    seed = work / "seed-store"
    log("cold start: building the seed store from the bundled studies")
    if seed.exists():
        shutil.rmtree(seed)
    built = run_measured([exe, "build", "--store", str(seed)])
    if built.returncode != 0:
        raise RuntimeError(f"seed build failed: {built.stderr.strip()}")
    out: dict[str, Any] = {"seed_build": built.summary()}
    for key, cmd, runs in (
        ("help", [exe, "--help"], 10),
        ("cq04", [exe, "query", "run", "cq04", "--store", str(seed), "--format", "csv"], 5),
    ):
        run_measured(cmd)  # warm-up
        times, failures = [], []
        for _ in range(runs):
            m = run_measured(cmd)
            times.append(m.wall_s)
            if m.returncode != 0:
                failures.append(m.stderr.strip()[:300])
        out[key] = {
            "cmd": cmd,
            "runs": times,
            "median_s": median(times),
            "min_s": min(times),
            "failures": failures,
        }
        log(f"cold start: {' '.join(cmd[1:3])}: median {median(times):.3f} s")
    return out


def synthesize_corpus(n_studies: int, work: Path) -> tuple[Path, float]:
    from trustkg.sources.synth import synthesize

    corpus = work / f"corpus-{n_studies}"
    if corpus.exists():
        shutil.rmtree(corpus)
    start = time.perf_counter()
    synthesize(n_studies, corpus, seed=0)
    return corpus, time.perf_counter() - start


def build_once(corpus: Path, store: Path) -> Measured:
    """One ``trustkg build`` subprocess into an empty place (deleting the previous store is not
    part of what is timed)."""
    if store.exists():
        shutil.rmtree(store)
    cmd = [trustkg_exe(), "build", "--no-bundled", "--study", str(corpus), "--store", str(store)]
    m = run_measured(cmd)
    if m.returncode != 0:
        raise RuntimeError(f"trustkg build failed ({m.returncode}): {m.stderr.strip()}")
    return m


def bench_build(corpus: Path, store: Path, repeat: int) -> dict[str, Any]:
    """``trustkg build`` as a subprocess, ``repeat`` times, each into an empty place."""
    runs: list[Measured] = []
    for i in range(repeat):
        m = build_once(corpus, store)
        runs.append(m)
        log(f"  build run {i + 1}/{repeat}: {m.wall_s:.2f} s, {human_bytes(m.maxrss_bytes)}")
    match = TRIPLES_LINE.search(runs[-1].stdout)
    import pyoxigraph

    st = pyoxigraph.Store.read_only(str(store))
    counted = len(st)
    named = len(list(st.named_graphs()))
    del st
    return {
        "cmd": runs[-1].cmd,
        "runs": [m.summary() for m in runs],
        "wall_s": median([m.wall_s for m in runs]),
        "maxrss_bytes": max(m.maxrss_bytes for m in runs),
        "store_bytes": folder_size(store),
        "triples_reported": int(match.group(1)) if match else None,
        "triples": counted,
        "named_graphs": named,
    }


def export_ntriples(store: Path, target: Path) -> dict[str, Any]:
    """The store's default graph (where the build puts everything) as N-Triples, once."""
    import pyoxigraph

    start = time.perf_counter()
    st = pyoxigraph.Store.read_only(str(store))
    st.dump(str(target), pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    del st
    return {
        "path": str(target),
        "bytes": target.stat().st_size,
        "export_s": time.perf_counter() - start,
    }


def bench_plain_build(
    nt: Path, repeat: int, corpus: Path | None = None, scratch: Path | None = None
) -> dict[str, Any]:
    """rdflib parsing the N-Triples in a fresh interpreter: the plain way to get the graph.

    With ``corpus``, each plain load is paired with a ``trustkg build`` of that corpus into
    ``scratch`` run right after it, and the speed-up is the median of the pairs' ratios. Why:
    the VM's speed drifts by up to 2x within an hour, and the builds of section 1 ran a minute
    or more before the plain loads, so a ratio of the two sections' medians measured the drift
    as much as the code (5.4x and 4.6x in two runs of the same build code). A pair's two runs
    follow each other (the plain load takes about a minute at 1M), which narrows the drift
    without removing it (pairs of 5.3x, 5.4x and 6.3x in one run).
    """
    runs: list[Measured] = []
    inner: list[dict[str, Any]] = []
    paired: list[Measured] = []
    try:
        for i in range(repeat):
            m = run_measured(python_snippet(PLAIN_BUILD_CODE, str(nt)))
            if m.returncode != 0:
                raise RuntimeError(f"plain rdflib load failed: {m.stderr.strip()[-500:]}")
            runs.append(m)
            inner.append(json.loads(m.stdout.strip().splitlines()[-1]))
            rss = human_bytes(m.maxrss_bytes)
            log(f"  plain rdflib load {i + 1}/{repeat}: {m.wall_s:.2f} s, {rss}")
            if corpus is None or scratch is None:
                continue
            b = build_once(corpus, scratch)
            paired.append(b)
            log(f"    paired trustkg build: {b.wall_s:.2f} s ({m.wall_s / b.wall_s:.1f}x)")
    finally:  # the scratch store is the harness's, whatever happened
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
            Path(str(scratch) + ".lock").unlink(missing_ok=True)
    out: dict[str, Any] = {
        "runs": [m.summary() for m in runs],
        "wall_s": median([m.wall_s for m in runs]),
        "parse_s": median([x["parse_s"] for x in inner]),
        "maxrss_bytes": max(m.maxrss_bytes for m in runs),
        "triples": inner[-1]["triples"],
    }
    if paired:
        out["paired_builds"] = [b.summary() for b in paired]
        out["pair_ratios"] = [m.wall_s / b.wall_s for m, b in zip(runs, paired, strict=True)]
    return out


def _trustkg_worker(conn, store: str) -> None:
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


#: The rdflib graph a forked query worker inherits (set just before forking).
_RDFLIB_GRAPH: Any = None


def _rdflib_worker(conn, text: str, runs: int) -> None:
    """In the forked child: run the query ``runs`` times, sending each time and row count."""
    try:
        for _ in range(runs):
            start = time.perf_counter()
            rows = list(_RDFLIB_GRAPH.query(text))
            conn.send(("ok", (time.perf_counter() - start) * 1000, len(rows)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, not raised
        conn.send(("error", f"{type(exc).__name__}: {exc}"[:500], None))
    finally:
        conn.close()


def rdflib_query(text: str, runs: int, timeout: float) -> dict[str, Any]:
    """Time ``text`` on the inherited rdflib graph in a forked worker, each run capped at
    ``timeout`` seconds; a run over the cap kills the worker and reports "timeout"."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_rdflib_worker, args=(child, text, runs), daemon=True)
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


def bench_queries(
    store: Path,
    nt: Path | None,
    variants: list[tuple[str, dict[str, str]]],
    repeat: int,
    budget_s: float,
    timeout: float,
    plain_timeout: float,
    cache: dict[str, Any],
    save: Callable[[], None],
) -> dict[str, dict[str, Any]]:
    """Every catalogued query on trustkg (one worker, store opened once) and, when ``nt`` is
    given, on rdflib over the same triples, for each variant of parameter bindings.

    The rdflib graph is parsed once for all variants, and a bound text that another variant
    already ran (a query without the parameter) is measured once and reused: a plain rdflib query
    at a million triples can take minutes. Every measurement goes into ``cache`` (by the SHA-1 of
    the bound text) and ``save()`` is called, so a run that is stopped and resumed measures only
    what is missing.
    """
    global _RDFLIB_GRAPH
    from trustkg.sparql.catalogue import catalogue
    from trustkg.sparql.params import bind

    queries = catalogue()
    plan: dict[str, list[dict[str, Any]]] = {}
    tk_cache: dict[str, dict[str, Any]] = cache.setdefault("trustkg", {})
    rd_cache: dict[str, dict[str, Any]] = cache.setdefault("rdflib", {})
    worker: TrustkgWorker | None = None
    for variant, params in variants:
        log(f"  trustkg queries ({variant})")
        results: list[dict[str, Any]] = []
        for q in queries:
            own = {k: v for k, v in params.items() if k in {p.name for p in q.params}}
            text = bind(q, own)
            key = hashlib.sha1(text.encode()).hexdigest()
            entry: dict[str, Any] = {
                "name": q.name,
                "short": q.short,
                "params": own,
                "text_sha1": key,
            }
            if key in tk_cache:
                entry["trustkg"] = tk_cache[key]
            else:
                if worker is None:
                    worker = TrustkgWorker(store)
                entry["trustkg"] = tk_cache[key] = worker.measure(text, repeat, budget_s, timeout)
                save()
                if entry["trustkg"]["status"] != "ok":
                    worker.close()  # killed or failed: the next query gets a fresh worker
                    worker = None
            entry["_text"] = text
            results.append(entry)
            tk = entry["trustkg"]
            log(
                f"  trustkg {q.short}: {tk['status']} {fmt_ms(tk.get('median_ms'))} ms, "
                f"rows {tk.get('rows')}"
            )
        plan[variant] = results
    if worker is not None:
        worker.close()
    gc.collect()

    parse_s = cache.get("rdflib_parse_s")
    plain_runs = max(1, repeat // 2) if nt is not None else 0
    missing = {e["text_sha1"] for res in plan.values() for e in res} - set(rd_cache)
    if nt is not None and not missing:
        for results in plan.values():
            for entry in results:
                entry["rdflib"] = rd_cache[entry["text_sha1"]]
    elif nt is not None:
        import rdflib

        log("  parsing the N-Triples into rdflib for the plain queries")
        start = time.perf_counter()
        graph = rdflib.Graph()
        graph.parse(str(nt), format="nt")
        parse_s = cache["rdflib_parse_s"] = time.perf_counter() - start
        list(graph.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1"))  # load rdflib's SPARQL engine
        _RDFLIB_GRAPH = graph
        for variant, results in plan.items():
            log(f"  rdflib queries ({variant})")
            for entry in results:
                key = entry["text_sha1"]
                if key not in rd_cache:
                    rd_cache[key] = rdflib_query(entry["_text"], plain_runs, plain_timeout)
                    save()
                rd = entry["rdflib"] = rd_cache[key]
                log(
                    f"  rdflib {entry['short']}: {rd['status']} {fmt_ms(rd['median_ms'])} ms, "
                    f"rows {rd['rows']}"
                )
        _RDFLIB_GRAPH = None
        del graph
        gc.collect()

    keys = [{e["text_sha1"] for e in res} for res in plan.values()]
    for results in plan.values():
        for entry in results:  # measured once, reported in both variants
            entry["same_text_in_other_variant"] = sum(entry["text_sha1"] in k for k in keys) > 1
    out: dict[str, dict[str, Any]] = {}
    for variant, params in variants:
        summary = summarise_queries(plan[variant], timeout, plain_timeout)
        out[variant] = {
            "params": params,
            "repeat": repeat,
            "timeout_s": timeout,
            "plain_runs": plain_runs,
            "plain_timeout_s": plain_timeout,
            "rdflib_parse_s": parse_s,
            "queries": plan[variant],
            **summary,
        }
    return out


def summarise_queries(
    results: list[dict[str, Any]], timeout: float, plain_timeout: float
) -> dict[str, Any]:
    """Ratios, row-count checks and the figures the targets are judged on."""
    ratios, lower_bounds, slower, mismatches, over_100 = [], [], [], [], []
    for entry in results:
        entry.pop("_text", None)
        tk = entry["trustkg"]
        rd = entry.get("rdflib")
        tk_ms = tk.get("median_ms")
        if tk_ms is not None and tk_ms > 100:
            over_100.append(entry["short"])
        entry["ratio"] = None
        entry["rows_match"] = None
        if rd is None or tk_ms is None:
            continue
        if rd["status"] == "ok":
            entry["ratio"] = rd["median_ms"] / tk_ms if tk_ms > 0 else None
            entry["rows_match"] = rd["rows"] == tk["rows"]
            if entry["ratio"] is not None:
                ratios.append(entry["ratio"])
                lower_bounds.append(entry["ratio"])
                if entry["ratio"] < 1:
                    slower.append(entry["short"])
            if not entry["rows_match"]:
                mismatches.append(entry["short"])
        elif rd["status"] == "timeout":
            lower_bounds.append(plain_timeout * 1000 / tk_ms)  # rdflib took at least this
    for entry in results:  # trustkg itself over its cap: certainly over 100 ms
        if entry["trustkg"]["status"] == "timeout":
            over_100.append(entry["short"])
            if (entry.get("rdflib") or {}).get("status") == "ok":
                slower.append(entry["short"])  # rdflib finished, trustkg did not
    tk_medians = [e["trustkg"]["median_ms"] for e in results if e["trustkg"].get("median_ms")]
    tk_medians += [timeout * 1000 for e in results if e["trustkg"]["status"] == "timeout"]
    return {
        "max_median_ms": max(tk_medians) if tk_medians else None,
        "geomean_ratio": geomean(ratios),
        "geomean_ratio_timeouts_as_lower_bound": geomean(lower_bounds),
        "slower_than_rdflib": slower,
        "row_mismatches": mismatches,
        "over_100_ms": over_100,
        "errors": [
            e["short"]
            for e in results
            if e["trustkg"]["status"] == "error" or (e.get("rdflib") or {}).get("status") == "error"
        ],
        "timeouts": [
            e["short"] for e in results if (e.get("rdflib") or {}).get("status") == "timeout"
        ],
        "trustkg_timeouts": [e["short"] for e in results if e["trustkg"]["status"] == "timeout"],
    }


def bench_validation(
    store: Path, nt: Path | None, work: Path, plain_timeout: float
) -> dict[str, Any]:
    """``trustkg validate`` as a subprocess and, when ``nt`` is given, plain pySHACL with the same
    data shapes over the same triples; then whether they found the same results."""
    from trustkg.check.validate import data_shapes_file

    exe = trustkg_exe()
    cmd = [exe, "validate", "--store", str(store), "--format", "json"]
    m = run_measured(cmd)
    out: dict[str, Any] = {"cmd": cmd, "trustkg": m.summary()}
    if m.returncode not in (0, 1):
        out["trustkg"]["error"] = m.stderr.strip()[-500:]
        log(f"  trustkg validate failed: {m.stderr.strip()[-300:]}")
        return out
    report = json.loads(m.stdout)
    out["trustkg"].update(conforms=report["conforms"], counts=report["counts"])
    tk_pairs = Counter((r["severity"], r["focus"]) for r in report["results"])
    log(f"  trustkg validate: {m.wall_s:.2f} s, {human_bytes(m.maxrss_bytes)}, {report['counts']}")
    if nt is None:
        return out

    result_file = work / "plain-validation.json"
    result_file.unlink(missing_ok=True)
    shapes = data_shapes_file()
    pm = run_measured(
        python_snippet(PLAIN_VALIDATE_CODE, str(nt), str(shapes), str(result_file)),
        timeout=plain_timeout,
    )
    plain: dict[str, Any] = {"shapes": str(shapes), **pm.summary()}
    out["plain"] = plain
    if pm.timed_out:
        plain["status"] = "timeout"
        out["speedup_lower_bound"] = pm.wall_s / m.wall_s if m.wall_s else None
        log(f"  plain pySHACL: timeout after {plain_timeout:.0f} s")
        return out
    if pm.returncode != 0 or not result_file.exists():
        plain["status"] = "error"
        plain["error"] = pm.stderr.strip()[-500:]
        log(f"  plain pySHACL failed: {plain['error'][-300:]}")
        return out
    doc = json.loads(result_file.read_text(encoding="utf-8"))
    plain.update(
        status="ok",
        conforms=doc["conforms"],
        counts=doc["counts"],
        parse_s=doc["parse_s"],
        validate_s=doc["validate_s"],
        triples=doc["triples"],
    )
    plain_pairs = Counter((sev, focus) for sev, focus in doc["results"])
    out["same_counts"] = doc["counts"] == report["counts"]
    out["same_conforms"] = doc["conforms"] == report["conforms"]
    only_tk = tk_pairs - plain_pairs
    only_plain = plain_pairs - tk_pairs
    out["same_results_by_focus"] = not only_tk and not only_plain
    out["only_trustkg_sample"] = [list(k) for k in list(only_tk)[:20]]
    out["only_plain_sample"] = [list(k) for k in list(only_plain)[:20]]
    out["speedup"] = pm.wall_s / m.wall_s if m.wall_s else None
    log(f"  plain pySHACL: {pm.wall_s:.1f} s, {human_bytes(pm.maxrss_bytes)}, {doc['counts']}")
    return out


# -- targets and tables --------------------------------------------------------------------


def size_class(triples: int) -> str:
    if ONE_MILLION_BAND[0] <= triples <= ONE_MILLION_BAND[1]:
        return "1m"
    if triples >= TEN_MILLION_FROM:
        return "10m"
    return "other"


def check(key: str, value: float | None) -> str:
    """PASS, FAIL or n/a (not measured) for one target."""
    if value is None:
        return "n/a"
    _, _, limit, _, sense = TARGETS[key]
    ok = value <= limit if sense == "max" else value >= limit
    return "PASS" if ok else "FAIL"


def target_text(key: str) -> str:
    desc, where, limit, unit, sense = TARGETS[key]
    op = "≤" if sense == "max" else "≥"
    if unit == "B":
        shown = human_bytes(limit)
    elif unit == "x":
        shown = f"{limit:g}×"
    elif key == "validate_same":
        return "same" + ("" if where == "any" else f" at ≈{where.upper()}")
    elif key == "query_slower":
        return "none" + f" at ≈{where.upper()}"
    else:
        shown = f"{limit:g} {unit}".strip()
    at = "" if where == "any" else f" at ≈{where.upper()}"
    return f"{op} {shown}{at}"


def styled(verdict: str) -> str:
    colour = {"PASS": "green", "FAIL": "bold red"}.get(verdict, "dim")
    return f"[{colour}]{verdict}[/]"


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target against the size it applies to (the first size in its band)."""
    checks: list[dict[str, Any]] = []

    def add(key: str, size: str | None, value: float | None, shown: str, note: str = "") -> None:
        verdict = check(key, value)
        checks.append(
            {
                "target": key,
                "description": TARGETS[key][0] + note,
                "size": size,
                "value": value,
                "shown": shown,
                "limit": target_text(key),
                "verdict": verdict,
            }
        )

    def lower_bound_pass(key: str, bound: float | None) -> float | None:
        """A lower bound (rdflib or pySHACL was stopped at its cap) decides a "≥" target only
        when it already reaches it; otherwise the verdict is left open (n/a)."""
        return bound if bound is not None and check(key, bound) == "PASS" else None

    by_class: dict[str, tuple[str, dict[str, Any]]] = {}
    for label, res in results["sizes"].items():
        cls = size_class(res.get("build", {}).get("triples", 0))
        by_class.setdefault(cls, (label, res))
    one = by_class.get("1m")
    if one:
        label, res = one
        b = res.get("build", {})
        add("build_s", label, b.get("wall_s"), fmt_s(b.get("wall_s")))
        add("build_rss_1m", label, b.get("maxrss_bytes"), human_bytes(b.get("maxrss_bytes")))
        sp = res.get("build_speedup")
        add("build_speedup", label, sp, fmt_ratio(sp))
        for q in (res.get("queries") or {}).values():
            bound = ", ".join(f"{k}={v}" for k, v in q["params"].items()) or "catalogue defaults"
            note = f" ({bound})"
            slow = q.get("trustkg_timeouts") or []
            if slow:
                shown = f"> {fmt_ms(q['timeout_s'] * 1000)} ms (timeout: {', '.join(slow)})"
            else:
                slowest = max(
                    (e for e in q["queries"] if e["trustkg"].get("median_ms") is not None),
                    key=lambda e: e["trustkg"]["median_ms"],
                    default=None,
                )
                shown = f"{fmt_ms(q.get('max_median_ms'))} ms" + (
                    f" ({slowest['short']})" if slowest else ""
                )
            if q.get("over_100_ms"):
                shown += f"; over 100 ms: {', '.join(q['over_100_ms'])}"
            add("query_max_ms", label, q.get("max_median_ms"), shown, note)
            gm, lb = q.get("geomean_ratio"), q.get("geomean_ratio_timeouts_as_lower_bound")
            shown = fmt_ratio(gm)
            if q.get("timeouts"):
                shown += f" of finished; ≥ {fmt_ratio(lb)} counting timeouts"
            value = lower_bound_pass("query_geomean", lb) if q.get("timeouts") else gm
            add("query_geomean", label, value, shown, note)
            slower = q.get("slower_than_rdflib")
            add(
                "query_slower",
                label,
                None if not q.get("plain_runs") else len(slower or []),
                ", ".join(slower) if slower else ("none" if q.get("plain_runs") else "—"),
                note,
            )
        v = res.get("validation", {})
        vt = v.get("trustkg", {}).get("wall_s")
        add("validate_s", label, vt, fmt_s(vt))
        if v.get("speedup") is not None:
            add("validate_speedup", label, v["speedup"], fmt_ratio(v["speedup"]))
        else:
            lb = v.get("speedup_lower_bound")
            add(
                "validate_speedup",
                label,
                lower_bound_pass("validate_speedup", lb),
                "—" if lb is None else f"≥ {fmt_ratio(lb)} (pySHACL timed out)",
            )
        same = v.get("same_counts")
        add(
            "validate_same",
            label,
            None if same is None else int(bool(same)),
            "—" if same is None else ("same" if same else "DIFFERENT"),
        )
    else:
        for key in (
            "build_s",
            "build_rss_1m",
            "build_speedup",
            "query_max_ms",
            "query_geomean",
            "query_slower",
            "validate_s",
            "validate_speedup",
            "validate_same",
        ):
            add(key, None, None, "no ≈1M size measured")
    ten = by_class.get("10m")
    if ten:
        label, res = ten
        rss = res.get("build", {}).get("maxrss_bytes")
        add("build_rss_10m", label, rss, human_bytes(rss))
    else:
        add("build_rss_10m", None, None, "no 10M size measured")
    cs = results.get("cold_start") or {}
    h = (cs.get("help") or {}).get("median_s")
    add("help_s", "—", h, fmt_s(h, 3))
    c = (cs.get("cq04") or {}).get("median_s")
    add("cq04_s", "—", c, fmt_s(c, 3))
    return checks


def verdict_for(checks: list[dict[str, Any]], key: str) -> tuple[str, str]:
    for c in checks:
        if c["target"] == key:
            where = f" ({c['size']})" if c["size"] and c["size"] != "—" else ""
            return c["limit"], styled(c["verdict"]) + where
    return "", ""


def print_tables(results: dict[str, Any]) -> None:
    checks = results["targets"]
    labels = list(results["sizes"])
    sizes = results["sizes"]

    def metric_table(title: str, rows: list[tuple[str, list[str], str | None]]) -> Table:
        t = Table(title=title, title_justify="left")
        t.add_column("figure")
        for label in labels:
            t.add_column(label, justify="right")
        t.add_column("target")
        t.add_column("verdict")
        for name, values, key in rows:
            limit, verdict = verdict_for(checks, key) if key else ("", "")
            t.add_row(name, *values, limit, verdict)
        return t

    def col(fn) -> list[str]:
        out = []
        for label in labels:
            try:
                out.append(fn(sizes[label]))
            except (KeyError, TypeError):
                out.append("—")
        return out

    console.print(
        metric_table(
            "Build (trustkg build vs rdflib parsing the N-Triples)",
            [
                ("studies", col(lambda r: str(r["studies"])), None),
                ("triples", col(lambda r: f"{r['build']['triples']:,}"), None),
                (
                    "trustkg build, median wall",
                    col(lambda r: fmt_s(r["build"]["wall_s"])),
                    "build_s",
                ),
                ("  runs", col(lambda r: str(len(r["build"]["runs"]))), None),
                (
                    "trustkg build, peak RSS",
                    col(lambda r: human_bytes(r["build"]["maxrss_bytes"])),
                    "build_rss_1m",
                ),
                ("  (10M target)", ["" for _ in labels], "build_rss_10m"),
                ("store on disk", col(lambda r: human_bytes(r["build"]["store_bytes"])), None),
                ("N-Triples export", col(lambda r: human_bytes(r["ntriples"]["bytes"])), None),
                ("plain rdflib load, wall", col(lambda r: fmt_s(r["plain_build"]["wall_s"])), None),
                ("  of which parse", col(lambda r: fmt_s(r["plain_build"]["parse_s"])), None),
                (
                    "plain rdflib load, peak RSS",
                    col(lambda r: human_bytes(r["plain_build"]["maxrss_bytes"])),
                    None,
                ),
                (
                    "  trustkg builds paired with it",
                    col(
                        lambda r: (
                            " / ".join(
                                f"{b['wall_s']:.1f}" for b in r["plain_build"]["paired_builds"]
                            )
                            + " s"
                        )
                    ),
                    None,
                ),
                (
                    "speed-up (plain / trustkg)",
                    col(lambda r: fmt_ratio(r["build_speedup"])),
                    "build_speedup",
                ),
                (
                    "  of the sections' medians",
                    col(lambda r: fmt_ratio(r["build_speedup_unpaired"])),
                    None,
                ),
                (
                    "memory ratio (plain / trustkg)",
                    col(
                        lambda r: fmt_ratio(
                            r["plain_build"]["maxrss_bytes"] / r["build"]["maxrss_bytes"]
                        )
                    ),
                    None,
                ),
            ],
        )
    )

    for label in labels:
        for variant, q in (sizes[label].get("queries") or {}).items():
            bound = ", ".join(f"{k}={v}" for k, v in q["params"].items()) or "defaults"
            plain = (
                f"rdflib median of {q['plain_runs']}, cap {q['plain_timeout_s']:g} s"
                if q["plain_runs"]
                else "rdflib not run: above --plain-max"
            )
            t = Table(
                title=escape(
                    f"Queries at {label} ({variant}: {bound}; trustkg median of {q['repeat']} "
                    f"after a warm-up, cap {q['timeout_s']:g} s; {plain})"
                ),
                title_justify="left",
            )
            for name, just in (
                ("query", "left"),
                ("rows tk", "right"),
                ("rows rdflib", "right"),
                ("trustkg ms", "right"),
                ("rdflib ms", "right"),
                ("speed-up", "right"),
                ("≤ 100 ms", "left"),
                ("not slower", "left"),
            ):
                t.add_column(name, justify=just)
            applies = size_class(sizes[label]["build"]["triples"]) == "1m"
            for e in q["queries"]:
                tk, rd = e["trustkg"], e.get("rdflib") or {}
                tk_ms = tk.get("median_ms")
                rd_txt = {
                    "timeout": f"> {q['plain_timeout_s'] * 1000:,.0f} (timeout)",
                    "error": "error",
                }.get(rd.get("status"), fmt_ms(rd.get("median_ms")))
                rows_rd = "—" if rd.get("rows") is None else str(rd["rows"])
                if e.get("rows_match") is False:
                    rows_rd = f"[bold red]{rows_rd} ≠[/]"
                fast = "—" if tk_ms is None else ("PASS" if tk_ms <= 100 else "FAIL")
                if tk["status"] == "timeout":
                    fast = "FAIL"
                if e["ratio"] is None:
                    slower = "FAIL" if e["short"] in q["slower_than_rdflib"] else "—"
                else:
                    slower = "PASS" if e["ratio"] >= 1 else "FAIL"
                if not applies:
                    fast = f"[dim]{fast}[/]" if fast != "—" else fast
                    slower = f"[dim]{slower}[/]" if slower != "—" else slower
                else:
                    fast, slower = (styled(x) if x != "—" else x for x in (fast, slower))
                tk_txt = {
                    "ok": fmt_ms(tk_ms),
                    "error": "error",
                    "timeout": f"> {q['timeout_s'] * 1000:,.0f} (timeout)",
                }[tk["status"]]
                if tk.get("note"):
                    tk_txt += " (warm-up only)"
                elif tk["status"] == "ok" and len(tk["runs_ms"]) < q["repeat"]:
                    tk_txt += f" ({len(tk['runs_ms'])} runs)"
                t.add_row(
                    e["short"],
                    "—" if tk.get("rows") is None else str(tk["rows"]),
                    rows_rd,
                    tk_txt,
                    rd_txt,
                    fmt_ratio(e["ratio"]),
                    fast,
                    slower,
                )
            t.add_section()
            gm = q["geomean_ratio"]
            gm_value = gm
            if q["timeouts"]:
                lb = q["geomean_ratio_timeouts_as_lower_bound"]
                gm_value = lb if lb is not None and check("query_geomean", lb) == "PASS" else None
            t.add_row(
                "slowest median",
                "",
                "",
                fmt_ms(q["max_median_ms"]),
                "",
                "",
                target_text("query_max_ms"),
                styled(check("query_max_ms", q["max_median_ms"])) if applies else "[dim]info[/]",
            )
            t.add_row(
                "geometric mean" + (" (finished)" if q["timeouts"] else ""),
                "",
                "",
                "",
                "",
                fmt_ratio(gm),
                target_text("query_geomean"),
                styled(check("query_geomean", gm_value)) if applies else "[dim]info[/]",
            )
            if q["timeouts"]:
                t.add_row(
                    "  timeouts as lower bounds",
                    "",
                    "",
                    "",
                    "",
                    f"≥ {fmt_ratio(q['geomean_ratio_timeouts_as_lower_bound'])}",
                    "",
                    "",
                )
            t.add_row(
                "slower than rdflib",
                "",
                "",
                ", ".join(q["slower_than_rdflib"]) or "none",
                "",
                "",
                "",
                "",
            )
            t.add_row(
                "row-count mismatches",
                "",
                "",
                ", ".join(q["row_mismatches"]) or "none",
                "",
                "",
                "",
                "",
            )
            console.print(t)

    def counts(c: dict[str, int] | None) -> str:
        if not c:
            return "—"
        return f"{c['Violation']} / {c['Warning']} / {c['Info']}"

    def validation_speedup(r: dict[str, Any]) -> str:
        v = r["validation"]
        if "speedup" in v:
            return fmt_ratio(v["speedup"])
        return f"≥ {fmt_ratio(v['speedup_lower_bound'])}"

    def plain_wall(r: dict[str, Any]) -> str:
        p = r["validation"].get("plain")
        if p is None:
            return r["validation"].get("plain_skipped", "—")
        if p.get("status") == "timeout":
            return f"timeout (> {p['wall_s']:.0f} s)"
        return fmt_s(p["wall_s"], 1) if p.get("status") == "ok" else "error"

    console.print(
        metric_table(
            "Validation (trustkg validate vs plain pySHACL, same data shapes)",
            [
                (
                    "trustkg validate, wall",
                    col(lambda r: fmt_s(r["validation"]["trustkg"]["wall_s"])),
                    "validate_s",
                ),
                (
                    "trustkg validate, peak RSS",
                    col(lambda r: human_bytes(r["validation"]["trustkg"]["maxrss_bytes"])),
                    None,
                ),
                (
                    "trustkg violations / warnings / infos",
                    col(lambda r: counts(r["validation"]["trustkg"].get("counts"))),
                    None,
                ),
                ("plain pySHACL, wall", col(plain_wall), None),
                (
                    "  of which parse",
                    col(lambda r: fmt_s(r["validation"]["plain"]["parse_s"], 1)),
                    None,
                ),
                (
                    "  of which validate",
                    col(lambda r: fmt_s(r["validation"]["plain"]["validate_s"], 1)),
                    None,
                ),
                (
                    "plain pySHACL, peak RSS",
                    col(lambda r: human_bytes(r["validation"]["plain"]["maxrss_bytes"])),
                    None,
                ),
                (
                    "pySHACL violations / warnings / infos",
                    col(lambda r: counts(r["validation"]["plain"].get("counts"))),
                    None,
                ),
                ("speed-up (plain / trustkg)", col(validation_speedup), "validate_speedup"),
                (
                    "same counts",
                    col(lambda r: "yes" if r["validation"]["same_counts"] else "[bold red]NO[/]"),
                    "validate_same",
                ),
                (
                    "same (severity, focus) results",
                    col(
                        lambda r: (
                            "yes" if r["validation"]["same_results_by_focus"] else "[bold red]NO[/]"
                        )
                    ),
                    None,
                ),
            ],
        )
    )

    cs = results.get("cold_start")
    if cs:
        t = Table(title="Cold start (subprocess, end to end)", title_justify="left")
        for name in ("command", "median", "min", "runs", "target", "verdict"):
            t.add_column(name)
        for key, cmd in (
            ("help", "trustkg --help"),
            ("cq04", "trustkg query run cq04 --format csv (seed store)"),
        ):
            r = cs[key]
            limit, verdict = verdict_for(checks, f"{key}_s")
            t.add_row(
                cmd,
                fmt_s(r["median_s"], 3),
                fmt_s(r["min_s"], 3),
                str(len(r["runs"])),
                limit,
                verdict,
            )
        console.print(t)

    growth = results.get("growth") or []
    if growth:
        t = Table(
            title="Growth exponents (log(t2/t1) / log(n2/n1), n = triples; 1 = linear)",
            title_justify="left",
        )
        for name in (
            "from → to",
            "build time",
            "build peak RSS",
            "validation time",
            "plain rdflib load",
            "plain pySHACL",
        ):
            t.add_column(name, justify="right")

        def e(x: float | None) -> str:
            return "—" if x is None else f"{x:.2f}"

        for g in growth:
            t.add_row(
                f"{g['from']} → {g['to']}",
                e(g["build_time"]),
                e(g["build_rss"]),
                e(g["validation_time"]),
                e(g["plain_build_time"]),
                e(g["plain_validation_time"]),
            )
        console.print(t)

    t = Table(title="Scale issue targets", title_justify="left")
    for name in ("target", "size", "measured", "limit", "verdict"):
        t.add_column(name)
    for c in checks:
        t.add_row(
            escape(c["description"]),
            c["size"] or "—",
            escape(c["shown"]),
            c["limit"],
            styled(c["verdict"]),
        )
    console.print(t)


def growth_exponents(results: dict[str, Any]) -> list[dict[str, Any]]:
    """How each figure grows with the number of triples between consecutive sizes."""

    def exp(a: float | None, b: float | None, n1: int, n2: int) -> float | None:
        if not a or not b or n1 == n2:
            return None
        return math.log(b / a) / math.log(n2 / n1)

    def get(r: dict[str, Any], *path: str) -> Any:
        for p in path:
            if not isinstance(r, dict):
                return None
            r = r.get(p)
        return r

    out = []
    items = list(results["sizes"].items())
    for (l1, r1), (l2, r2) in zip(items, items[1:], strict=False):
        n1, n2 = r1["build"]["triples"], r2["build"]["triples"]

        def plain_val(r: dict[str, Any]) -> float | None:
            p = get(r, "validation", "plain")
            return p["wall_s"] if p and p.get("status") == "ok" else None

        out.append(
            {
                "from": l1,
                "to": l2,
                "triples_from": n1,
                "triples_to": n2,
                "build_time": exp(r1["build"]["wall_s"], r2["build"]["wall_s"], n1, n2),
                "build_rss": exp(r1["build"]["maxrss_bytes"], r2["build"]["maxrss_bytes"], n1, n2),
                "validation_time": exp(
                    get(r1, "validation", "trustkg", "wall_s"),
                    get(r2, "validation", "trustkg", "wall_s"),
                    n1,
                    n2,
                ),
                "plain_build_time": exp(
                    get(r1, "plain_build", "wall_s"), get(r2, "plain_build", "wall_s"), n1, n2
                ),
                "plain_validation_time": exp(plain_val(r1), plain_val(r2), n1, n2),
            }
        )
    return out


# -- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Benchmark trustkg against plain rdflib + pySHACL on synthetic corpora.",
        epilog="Example: python benchmarks/run.py --sizes 100k 1m --out benchmarks/results.json",
    )
    p.add_argument(
        "--sizes",
        nargs="+",
        help="Graph sizes in triples (100k ≈ 25 synthetic studies, 1m ≈ 250).",
    )
    p.add_argument("--out", type=Path, help="JSON file for all results.")
    p.add_argument(
        "--show",
        type=Path,
        metavar="JSON",
        help="Print the tables of an earlier results file (targets re-checked) and exit.",
    )
    p.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="Runs per measurement: default 3 for builds, 5 for queries "
        "(rdflib queries run max(1, repeat // 2) times).",
    )
    p.add_argument(
        "--work",
        type=Path,
        default=None,
        help="Folder for corpora, stores and exports (kept). Default: a temporary "
        "folder, removed at the end.",
    )
    p.add_argument(
        "--plain-max",
        type=parse_size,
        default=parse_size("1m"),
        help="Largest size at which plain rdflib (load, queries) runs (default 1m).",
    )
    p.add_argument(
        "--skip-plain-validation-above",
        type=parse_size,
        default=parse_size("1m"),
        help="Largest size at which plain pySHACL runs (default 1m).",
    )
    p.add_argument(
        "--plain-query-timeout",
        type=float,
        default=120.0,
        help="Seconds one rdflib query run may take before it is killed (default 120).",
    )
    p.add_argument(
        "--plain-validation-timeout",
        type=float,
        default=1800.0,
        help="Seconds plain pySHACL may take before it is killed (default 1800).",
    )
    p.add_argument(
        "--query-budget",
        type=float,
        default=60.0,
        help="Seconds of trustkg runs per query after which no further repeat starts "
        "(default 60); the runs actually made are recorded.",
    )
    p.add_argument(
        "--query-timeout",
        type=float,
        default=300.0,
        help="Seconds one trustkg query run may take before its worker is killed and "
        "the query reported as a timeout (default 300).",
    )
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="Also run the queries a second time with this parameter bound wherever a "
        "query declares it (e.g. study=synth0001: the catalogue's defaults name the "
        "seed study, which a synthetic corpus does not hold). Repeatable.",
    )
    p.add_argument("--no-cold-start", action="store_true", help="Skip the cold-start section.")
    p.add_argument(
        "--resume",
        action="store_true",
        help="Continue a run that was stopped: keep what --out already holds (same options, "
        "same commit) and measure the rest, reusing the stores in --work.",
    )
    return p.parse_args(argv)


def write_json(path: Path, results: dict[str, Any]) -> None:
    """Written after every section, so a run that dies still leaves what it measured."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(
        json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    tmp.replace(path)


#: Options that must be the same when a run is resumed (the figures must be comparable).
RESUME_KEYS = (
    "sizes",
    "repeat",
    "plain_max",
    "skip_plain_validation_above",
    "plain_query_timeout",
    "plain_validation_timeout",
    "query_budget",
    "query_timeout",
    "param",
    "no_cold_start",
)


def load_for_resume(args: argparse.Namespace) -> dict[str, Any] | None:
    """The earlier results to continue, after checking they were made the same way."""
    if not args.resume or not args.out.exists():
        return None
    old = json.loads(args.out.read_text(encoding="utf-8"))
    now = vars(args)
    for key in RESUME_KEYS:
        if old["args"].get(key) != now.get(key):
            raise SystemExit(f"--resume: --{key.replace('_', '-')} differs from {args.out}")
    commit = git_state()["commit"]
    if old.get("git", {}).get("commit") != commit:
        raise SystemExit(f"--resume: {args.out} was measured on another commit")
    return old


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.show:
        results = json.loads(args.show.read_text(encoding="utf-8"))
        results["targets"] = evaluate_targets(results)
        print_tables(results)
        return 0
    if not args.sizes or not args.out:
        raise SystemExit("--sizes and --out are required (or --show JSON)")
    if args.resume and args.work is None:
        raise SystemExit("--resume needs --work: the stores and exports of the earlier run")
    build_repeat = args.repeat or 3
    query_repeat = args.repeat or 5
    params: dict[str, str] = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--param {item!r}: write KEY=VALUE")
        params[key.strip()] = value
    sizes = [(label, parse_size(label)) for label in args.sizes]
    temp = args.work is None
    work = Path(tempfile.mkdtemp(prefix="trustkg-bench-")) if temp else args.work
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    segment = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "loadavg_start": os.getloadavg(),
    }
    results = load_for_resume(args)
    if results is None:
        results = {
            "started": segment["started"],
            "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
            "machine": machine_info(),
            "git": git_state(),
            "targets_defined": {
                k: {"description": d, "applies_at": w, "limit": lim, "unit": u, "sense": s}
                for k, (d, w, lim, u, s) in TARGETS.items()
            },
            "sizes": {},
        }
    else:
        log(f"resuming {args.out}: already measured are kept, the rest is measured now")
    # A run stopped and resumed has several segments; the load average of each is recorded
    # because other work on the machine makes every figure noisier.
    segments = results.setdefault("segments", [])
    segments.append(segment)
    log(f"work folder: {work}")

    def save() -> None:
        write_json(args.out, results)

    def stop(signum: int, _frame: Any) -> None:
        """A kill should leave a trace in the log and the JSON, not a silent gap."""
        log(f"stopped by signal {signum}; continue with --resume")
        segment["stopped_by_signal"] = signum
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    try:
        if not args.no_cold_start and "cold_start" not in results:
            results["cold_start"] = cold_start(work)
            save()
        for label, n in sizes:
            n_studies = max(1, round(n / TRIPLES_PER_STUDY))
            res: dict[str, Any] = results["sizes"].setdefault(
                label, {"nominal_triples": n, "studies": n_studies}
            )
            if res.get("complete"):
                log(f"size {label}: already measured")
                continue
            store = work / f"store-{n_studies}"
            if "build" not in res or not (store / "CURRENT").is_file():
                log(f"size {label}: synthesizing {n_studies} studies")
                corpus, synth_s = synthesize_corpus(n_studies, work)
                res["synth_s"] = synth_s
                log(f"size {label}: trustkg build x{build_repeat}")
                res.setdefault("cpu_probe_s", {})["build"] = cpu_probe()
                res["build"] = bench_build(corpus, store, build_repeat)
                for later in ("ntriples", "plain_build", "queries", "query_cache", "validation"):
                    res.pop(later, None)  # measured on the store just replaced: measure again
                save()

            nt: Path | None = None
            if n <= args.plain_max or n <= args.skip_plain_validation_above:
                nt = work / f"graph-{n_studies}.nt"
                done = res.get("ntriples")
                if not done or not nt.exists() or nt.stat().st_size != done["bytes"]:
                    res["ntriples"] = export_ntriples(store, nt)
            plain_ok = n <= args.plain_max
            if plain_ok and "plain_build" not in res:
                corpus = work / f"corpus-{n_studies}"
                paired = (corpus / "synth0001" / "study.csv").is_file()
                plain_repeat = build_repeat if paired else max(1, build_repeat // 2)
                log(
                    f"size {label}: plain rdflib load x{plain_repeat}"
                    + (", each followed by a trustkg build" if paired else "")
                )
                res.setdefault("cpu_probe_s", {})["plain_build"] = cpu_probe()
                res["plain_build"] = bench_plain_build(
                    nt,
                    plain_repeat,
                    corpus if paired else None,
                    work / f"store-{n_studies}-paired" if paired else None,
                )
                unpaired = res["plain_build"]["wall_s"] / res["build"]["wall_s"]
                ratios = res["plain_build"].get("pair_ratios")
                res["build_speedup"] = median(ratios) if ratios else unpaired
                res["build_speedup_unpaired"] = unpaired
                if res["plain_build"]["triples"] != res["build"]["triples"]:
                    res["plain_build"]["triple_count_differs"] = True
            elif not plain_ok:
                res["plain_build_skipped"] = f"above --plain-max ({args.plain_max:,})"
            save()

            if "queries" not in res:
                variants = [("default", {})] + ([("bound", params)] if params else [])
                log(f"size {label}: queries ({', '.join(v for v, _ in variants)})")
                res.setdefault("cpu_probe_s", {})["queries"] = cpu_probe()
                res["queries"] = bench_queries(
                    store,
                    nt if plain_ok else None,
                    variants,
                    query_repeat,
                    args.query_budget,
                    args.query_timeout,
                    args.plain_query_timeout,
                    res.setdefault("query_cache", {}),
                    save,
                )
                res.pop("query_cache", None)  # everything it held is in res["queries"] now
                save()

            if "validation" not in res:
                log(f"size {label}: validation")
                res.setdefault("cpu_probe_s", {})["validation"] = cpu_probe()
                plain_val = n <= args.skip_plain_validation_above
                res["validation"] = bench_validation(
                    store, nt if plain_val else None, work, args.plain_validation_timeout
                )
                if not plain_val:
                    res["validation"]["plain_skipped"] = (
                        f"skipped: above --skip-plain-validation-above "
                        f"({args.skip_plain_validation_above:,})"
                    )
            res["complete"] = True
            save()
            if nt is not None and temp:
                nt.unlink(missing_ok=True)
        results["growth"] = growth_exponents(results)
    finally:
        segment["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        segment["seconds"] = time.perf_counter() - started
        segment["loadavg_end"] = os.getloadavg()
        results["finished"] = segment["finished"]
        results["total_s"] = sum(seg.get("seconds", 0) for seg in segments)
        results["targets"] = evaluate_targets(results)
        save()
        if temp:
            shutil.rmtree(work, ignore_errors=True)
    print_tables(results)
    console.print(
        f"total run time: {results['total_s'] / 60:.1f} min"
        + (f" in {len(segments)} segments" if len(segments) > 1 else "")
        + f"; results in {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
