#!/usr/bin/env python3
"""Measure trustkg against the plain way (rdflib + pySHACL) at several graph sizes, in one run.

Why this exists: the Scale issue sets targets (build time and memory, query latency, validation
time, cold start) and claims trustkg is much faster than loading the same graph into rdflib and
validating it with pySHACL. This script checks those claims on synthetic corpora
(``trustkg.sources.synth``), prints one table per section with the targets beside the
figures, and writes every number to a JSON file so that runs can be compared.

Usage::

    python benchmarks/run.py --sizes 100k 1m --out benchmarks/results.json
    python benchmarks/run.py --sizes 100k 1m 10m --plain-max 1m --work /tmp/bench
    python benchmarks/run.py --show benchmarks/results.json

It is deliberately not part of the test run: at a million triples it takes tens of minutes
(``tests/benchmarks/test_harness.py`` runs it on a tiny corpus). This module parses the options,
resumes a stopped run and runs the sections (``benchmarks.sections``) in order; how each is
measured is told where it is measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __name__ == "__main__" and not __package__:
    # `python benchmarks/run.py`: import the harness as the package it is. The script's folder
    # leaves sys.path, so its modules are not also top-level names (build.py would hide PyPI's
    # `build`, tables.py PyTables' `tables`).
    _here = str(Path(__file__).resolve().parent)
    sys.path[:] = [p for p in sys.path if not p or str(Path(p).resolve()) != _here]
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import studies_for  # noqa: E402
from benchmarks.measure import cpu_probe, git_state, log, machine_info  # noqa: E402
from benchmarks.report import console, judge, print_tables  # noqa: E402
from benchmarks.section import Bench, SizeRun  # noqa: E402
from benchmarks.sections import SECTIONS  # noqa: E402
from benchmarks.targets import all_targets  # noqa: E402
from benchmarks.units import parse_size  # noqa: E402


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
    p.add_argument(
        "--hermit-max",
        type=parse_size,
        default=parse_size("50k"),
        help="Largest size at which HermiT reasons over the whole store (default 50k).",
    )
    p.add_argument(
        "--hermit-timeout",
        type=float,
        default=600.0,
        help="Seconds HermiT may take over one store before it is stopped (default 600).",
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
    "hermit_max",
    "hermit_timeout",
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


def run_sections(bench: Bench, scope: str) -> None:
    """The run's sections (before the sizes) or its summaries (after them)."""
    for section in SECTIONS:
        if section.scope != scope:
            continue
        if scope == "run":
            needed = section.needed(bench) if section.needed else section.key not in bench.results
            if not needed:
                continue
            bench.results[section.key] = section.measure(bench)
        else:
            bench.results[section.key] = section.measure(bench.results)
        bench.save()


def measure_size(bench: Bench, label: str, nominal: int) -> None:
    """Every size section at one size, each skipped where the results already hold it."""
    n_studies = studies_for(nominal)
    res: dict[str, Any] = bench.results["sizes"].setdefault(
        label, {"nominal_triples": nominal, "studies": n_studies}
    )
    if res.get("complete"):
        log(f"size {label}: already measured")
        return
    size = SizeRun(bench, label, nominal, n_studies, res)
    for section in SECTIONS:
        if section.scope != "size":
            continue
        reason = section.skip(size) if section.skip else None
        if reason is not None:
            res[f"{section.key}_skipped"] = reason
            continue
        if not (section.needed(size) if section.needed else section.key not in res):
            continue
        if section.prepare:
            section.prepare(size)
        if section.probe:
            res.setdefault("cpu_probe_s", {})[section.key] = cpu_probe()
        res[section.key] = section.measure(size)
        for key in section.replaces:  # measured on what this section has just remade
            res.pop(key, None)
        bench.save()
    res["complete"] = True
    bench.save()
    if size.nt is not None and bench.temp:
        size.nt.unlink(missing_ok=True)


def new_results(args: argparse.Namespace, started: str) -> dict[str, Any]:
    """The results file's head: options, machine, code and targets, before anything is measured."""
    return {
        "started": started,
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "machine": machine_info(),
        "git": git_state(),
        "targets_defined": {t.key: t.definition() for t in all_targets(SECTIONS)},
        "sizes": {},
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.show:
        results = json.loads(args.show.read_text(encoding="utf-8"))
        judge(results)
        print_tables(results)
        return 0
    if not args.sizes or not args.out:
        raise SystemExit("--sizes and --out are required (or --show JSON)")
    if args.resume and args.work is None:
        raise SystemExit("--resume needs --work: the stores and exports of the earlier run")
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
        results = new_results(args, segment["started"])
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
    bench = Bench(
        args=args,
        work=work,
        temp=temp,
        results=results,
        save=save,
        build_repeat=args.repeat or 3,
        query_repeat=args.repeat or 5,
        params=params,
    )
    try:
        run_sections(bench, "run")
        for label, n in sizes:
            measure_size(bench, label, n)
        run_sections(bench, "summary")
    finally:
        segment["finished"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        segment["seconds"] = time.perf_counter() - started
        segment["loadavg_end"] = os.getloadavg()
        results["finished"] = segment["finished"]
        results["total_s"] = sum(seg.get("seconds", 0) for seg in segments)
        judge(results)
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
