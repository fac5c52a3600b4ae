"""Measured subprocesses, the CPU probe, and what the figures were measured on.

Anything whose memory matters (build, validation, plain rdflib load, plain pySHACL) runs as a
subprocess, so its peak RSS is its own. ``RUSAGE_CHILDREN`` cannot give that (it is the maximum
over all children so far), and neither can ``os.wait4`` on a child Python started: Linux folds
the parent's high-water RSS into a vfork-ed child's ``ru_maxrss`` when it execs, so once the
harness holds a parsed rdflib graph every child would report at least that. Each measured
command therefore runs under GNU ``time`` (``%M``), a tiny launcher; see ``run_measured``.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: GNU time, used as a small launcher so a child's peak RSS is its own (see run_measured).
GNU_TIME = "/usr/bin/time"


def log(message: str) -> None:
    """Progress on stderr with a clock, so a background run's log shows where it is."""
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


def folder_size(path: Path) -> int:
    """Bytes of every file under ``path`` (the store's real footprint on disk)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def trustkg_exe() -> str:
    """The ``trustkg`` console script of the interpreter running this file (the venv's)."""
    beside = Path(sys.executable).with_name("trustkg")
    return str(beside) if beside.exists() else (shutil.which("trustkg") or "trustkg")


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
