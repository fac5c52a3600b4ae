"""Section 6, once per run: cold start, what a researcher waits for at the prompt.

``trustkg --help`` runs 10 times and ``trustkg query run cq04 --format csv`` 5 times on a store
built from the bundled studies, each a subprocess end to end, after one unrecorded warm-up run
(so the figures are for warm file caches).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from rich.table import Table

from benchmarks.measure import log, run_measured, trustkg_exe
from benchmarks.section import Bench, Section
from benchmarks.targets import Checks, Target, verdict_for
from benchmarks.units import fmt_s, median

HELP_S = Target("help_s", "trustkg --help", "any", 0.3, "s", "max")
CQ04_S = Target("cq04_s", "trustkg query run cq04 (seed store)", "any", 1.0, "s", "max")

#: The commands timed, with the row each gets in the table.
COMMANDS = (
    ("help", "trustkg --help"),
    ("cq04", "trustkg query run cq04 --format csv (seed store)"),
)


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


def _needed(bench: Bench) -> bool:
    return not bench.args.no_cold_start and "cold_start" not in bench.results


def _measure(bench: Bench) -> dict[str, Any]:
    return cold_start(bench.work)


def judge_cold(checks: Checks, band: str, label: str, results: dict[str, Any]) -> None:
    cs = results.get("cold_start") or {}
    h = (cs.get("help") or {}).get("median_s")
    checks.add(HELP_S, label, h, fmt_s(h, 3))
    c = (cs.get("cq04") or {}).get("median_s")
    checks.add(CQ04_S, label, c, fmt_s(c, 3))


def cold_tables(results: dict[str, Any]) -> list[Any]:
    cs = results.get("cold_start")
    if not cs:
        return []
    t = Table(title="Cold start (subprocess, end to end)", title_justify="left")
    for name in ("command", "median", "min", "runs", "target", "verdict"):
        t.add_column(name)
    for key, cmd in COMMANDS:
        r = cs[key]
        limit, verdict = verdict_for(results["targets"], f"{key}_s")
        t.add_row(
            cmd, fmt_s(r["median_s"], 3), fmt_s(r["min_s"], 3), str(len(r["runs"])), limit, verdict
        )
    return [t]


COLD_START = Section(
    key="cold_start",
    scope="run",
    measure=_measure,
    tables=cold_tables,
    targets=(HELP_S, CQ04_S),
    judge=judge_cold,
    needed=_needed,
)
