"""Section 5, at every size: ``trustkg reason`` (the rule engine, with HermiT's check of the
ontology alone), HermiT over the whole store at the sizes it finishes, whether both answer the
same, and the reasoning issue's targets.

Both run as subprocesses under GNU time: ``trustkg reason --store STORE --format json`` and
``trustkg reason --engine hermit --store STORE --format json --timeout T``, the latter only up
to ``--hermit-max`` triples (HermiT took 181 s at 40,000 triples and did not finish 100,000 in
300 s). The peak RSS is the largest process's: Python's, or HermiT's Java.
"""

from __future__ import annotations

import json
from typing import Any

from benchmarks.measure import log, run_measured, trustkg_exe
from benchmarks.section import Section, SizeRun
from benchmarks.tables import blank, column, metric_table
from benchmarks.targets import Checks, Target
from benchmarks.units import fmt_s, human_bytes

REASON_S = Target("reason_s", "trustkg reason wall time", "1m", 60.0, "s", "max")
REASON_RSS = Target("reason_rss", "trustkg reason peak RSS", "1m", 2 * 1024**3, "B", "max")
REASON_S_10M = Target("reason_s_10m", "trustkg reason wall time", "10m", 600.0, "s", "max")


def _answer(stdout: str) -> dict[str, Any]:
    doc = json.loads(stdout)
    return {
        "consistent": doc["consistent"],
        "members": {c: len(m) for c, m in doc["inferred"].items()},
        "inferred": doc["inferred"],
        "undecided": len(doc["undecided"]),
        "tbox_s": doc.get("tbox", {}).get("seconds"),
        "stats": doc.get("stats", {}),
    }


def bench_reasoning(size: SizeRun) -> dict[str, Any]:
    args = size.bench.args
    exe = trustkg_exe()
    log(f"size {size.label}: reasoning")
    m = run_measured([exe, "reason", "--store", str(size.store), "--format", "json"])
    out: dict[str, Any] = {"rules": m.summary()}
    if m.returncode not in (0, 1):
        out["rules"]["error"] = m.stderr.strip()[-500:]
        log(f"  trustkg reason failed: {m.stderr.strip()[-300:]}")
        return out
    rules = _answer(m.stdout)
    out["rules"].update({k: v for k, v in rules.items() if k != "inferred"})
    log(f"  trustkg reason: {m.wall_s:.2f} s, {human_bytes(m.maxrss_bytes)}, {rules['members']}")
    if size.nominal > args.hermit_max:
        out["hermit_skipped"] = f"above --hermit-max ({args.hermit_max:,})"
        return out
    cmd = [exe, "reason", "--engine", "hermit", "--store", str(size.store), "--format", "json",
           "--timeout", str(int(args.hermit_timeout))]  # fmt: skip
    h = run_measured(cmd, timeout=args.hermit_timeout + 60)
    out["hermit"] = h.summary()
    if h.timed_out or (h.returncode != 0 and "did not finish" in h.stderr):
        out["hermit"]["status"] = "timeout"
        log(f"  HermiT: did not finish in {args.hermit_timeout:.0f} s")
        return out
    if h.returncode not in (0, 1):
        out["hermit"].update(status="error", error=h.stderr.strip()[-500:])
        return out
    hermit = _answer(h.stdout)
    out["hermit"].update(status="ok", consistent=hermit["consistent"], members=hermit["members"])
    out["same_answer"] = hermit["consistent"] == rules["consistent"] and (
        not hermit["consistent"] or hermit["inferred"] == rules["inferred"]
    )
    log(f"  HermiT: {h.wall_s:.1f} s, {human_bytes(h.maxrss_bytes)}, same: {out['same_answer']}")
    return out


def judge_reasoning(checks: Checks, band: str, label: str, res: dict[str, Any]) -> None:
    rules = res.get("reasoning", {}).get("rules", {})
    wall, rss = rules.get("wall_s"), rules.get("maxrss_bytes")
    if band == "1m":
        checks.add(REASON_S, label, wall, fmt_s(wall) if wall else "—")
        checks.add(REASON_RSS, label, rss, human_bytes(rss) if rss else "—")
    elif band == "10m":
        checks.add(REASON_S_10M, label, wall, fmt_s(wall) if wall else "—")


def _hermit_wall(r: dict[str, Any]) -> str:
    if "hermit_skipped" in r["reasoning"]:
        return r["reasoning"]["hermit_skipped"]
    h = r["reasoning"]["hermit"]
    if h.get("status") == "timeout":
        return f"timeout (> {h['wall_s']:.0f} s)"
    return fmt_s(h["wall_s"], 1) if h.get("status") == "ok" else "error"


def reasoning_tables(results: dict[str, Any]) -> list[Any]:
    def col(fn: Any) -> list[str]:
        return column(results, fn)

    def rules(r: dict[str, Any]) -> dict[str, Any]:
        return r["reasoning"]["rules"]

    def same(r: dict[str, Any]) -> str:
        flag = r["reasoning"]["same_answer"]
        return "yes" if flag else "[bold red]NO[/]"

    rows = [
        ("trustkg reason (rules), wall", col(lambda r: fmt_s(rules(r)["wall_s"])), "reason_s"),
        ("  (10M target)", blank(results), "reason_s_10m"),
        ("  of which HermiT on the ontology", col(lambda r: fmt_s(rules(r)["tbox_s"])), None),
        (
            "trustkg reason, peak RSS",
            col(lambda r: human_bytes(rules(r)["maxrss_bytes"])),
            "reason_rss",
        ),  # fmt: skip
        ("consistent", col(lambda r: "yes" if rules(r)["consistent"] else "NO"), None),
        (
            "members of defined classes",
            col(lambda r: f"{sum(rules(r)['members'].values()):,}"),
            None,
        ),  # fmt: skip
        ("HermiT over the store, wall", col(_hermit_wall), None),
        (
            "HermiT, peak RSS",
            col(lambda r: human_bytes(r["reasoning"]["hermit"]["maxrss_bytes"])),
            None,
        ),  # fmt: skip
        ("same answer as HermiT", col(same), None),
    ]
    title = "Reasoning (trustkg reason: rules, beside HermiT where it finishes)"
    return [metric_table(results, title, rows)]


REASONING = Section(
    key="reasoning",
    scope="size",
    measure=bench_reasoning,
    tables=reasoning_tables,
    targets=(REASON_S, REASON_RSS, REASON_S_10M),
    judge=judge_reasoning,
)
