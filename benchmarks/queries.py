"""Section 3: every catalogued query on trustkg against the same text on rdflib, with the query
targets and one table per size and parameter variant.

Every query is bound with ``trustkg.sparql.params.bind`` and timed on the store opened once
read-only (median of ``--repeat`` runs after a warm-up), then on an rdflib ``Graph`` parsed from
the N-Triples export (``max(1, repeat // 2)`` runs); see ``workers`` for where they run. Only row
counts are compared here; whole answers are compared by ``tests/sparql/test_plain_path.py``.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from benchmarks.measure import log
from benchmarks.section import Section, SizeRun
from benchmarks.targets import Checks, Target, size_class, styled
from benchmarks.units import fmt_ms, fmt_ratio, geomean
from benchmarks.workers import TrustkgWorker, rdflib_query

QUERY_MAX_MS = Target("query_max_ms", "slowest query median", "1m", 100.0, "ms", "max")
QUERY_GEOMEAN = Target(
    "query_geomean", "geometric-mean query speed-up over rdflib", "1m", 20.0, "x", "min"
)
QUERY_SLOWER = Target("query_slower", "queries slower than rdflib", "1m", 0, "", "max", "none")


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
    from trustkg.sparql.catalogue import catalogue
    from trustkg.sparql.params import bind

    queries = [q for q in catalogue() if not q.federated]  # SERVICE needs a second server
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
        for variant, results in plan.items():
            log(f"  rdflib queries ({variant})")
            for entry in results:
                key = entry["text_sha1"]
                if key not in rd_cache:
                    rd_cache[key] = rdflib_query(graph, entry["_text"], plain_runs, plain_timeout)
                    save()
                rd = entry["rdflib"] = rd_cache[key]
                log(
                    f"  rdflib {entry['short']}: {rd['status']} {fmt_ms(rd['median_ms'])} ms, "
                    f"rows {rd['rows']}"
                )
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


def _measure(size: SizeRun) -> dict[str, Any]:
    bench = size.bench
    params = bench.params
    variants = [("default", {})] + ([("bound", params)] if params else [])
    log(f"size {size.label}: queries ({', '.join(v for v, _ in variants)})")
    out = bench_queries(
        size.store,
        size.nt if size.plain else None,
        variants,
        bench.query_repeat,
        bench.args.query_budget,
        bench.args.query_timeout,
        bench.args.plain_query_timeout,
        size.res.setdefault("query_cache", {}),
        bench.save,
    )
    size.res.pop("query_cache", None)  # everything it held is in the section's figures now
    return out


def _geomean_value(q: dict[str, Any]) -> float | None:
    """The figure the speed-up target is judged on: the geometric mean of the queries rdflib
    finished, or, when some timed out, the lower bound that counts them (if it passes)."""
    if q.get("timeouts"):
        return Checks.lower_bound(QUERY_GEOMEAN, q.get("geomean_ratio_timeouts_as_lower_bound"))
    return q.get("geomean_ratio")


def judge_queries(checks: Checks, band: str, label: str, res: dict[str, Any]) -> None:
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
        checks.add(QUERY_MAX_MS, label, q.get("max_median_ms"), shown, note)
        gm, lb = q.get("geomean_ratio"), q.get("geomean_ratio_timeouts_as_lower_bound")
        shown = fmt_ratio(gm)
        if q.get("timeouts"):
            shown += f" of finished; ≥ {fmt_ratio(lb)} counting timeouts"
        checks.add(QUERY_GEOMEAN, label, _geomean_value(q), shown, note)
        slower = q.get("slower_than_rdflib")
        checks.add(
            QUERY_SLOWER,
            label,
            None if not q.get("plain_runs") else len(slower or []),
            ", ".join(slower) if slower else ("none" if q.get("plain_runs") else "—"),
            note,
        )


COLUMNS = (
    ("query", "left"),
    ("rows tk", "right"),
    ("rows rdflib", "right"),
    ("trustkg ms", "right"),
    ("rdflib ms", "right"),
    ("speed-up", "right"),
    ("≤ 100 ms", "left"),
    ("not slower", "left"),
)


def _query_row(e: dict[str, Any], q: dict[str, Any], applies: bool) -> list[str]:
    """One query's cells: rows, latencies, ratio, and its two per-query verdicts (dimmed where
    the size is not the one the targets apply to)."""
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
    rows_tk = "—" if tk.get("rows") is None else str(tk["rows"])
    return [e["short"], rows_tk, rows_rd, tk_txt, rd_txt, fmt_ratio(e["ratio"]), fast, slower]


def _summary_rows(q: dict[str, Any], applies: bool) -> list[list[str]]:
    """The rows under the queries: slowest median, geometric mean, slower ones, mismatches."""
    info = "[dim]info[/]"
    gm = q["geomean_ratio"]
    gm_value = gm
    if q["timeouts"]:
        lb = q["geomean_ratio_timeouts_as_lower_bound"]
        gm_value = lb if lb is not None and QUERY_GEOMEAN.verdict(lb) == "PASS" else None
    rows = [
        ["slowest median", "", "", fmt_ms(q["max_median_ms"]), "", "", QUERY_MAX_MS.text()]
        + [styled(QUERY_MAX_MS.verdict(q["max_median_ms"])) if applies else info],
        ["geometric mean" + (" (finished)" if q["timeouts"] else ""), "", "", "", ""]
        + [fmt_ratio(gm), QUERY_GEOMEAN.text()]
        + [styled(QUERY_GEOMEAN.verdict(gm_value)) if applies else info],
    ]
    if q["timeouts"]:
        lb_text = f"≥ {fmt_ratio(q['geomean_ratio_timeouts_as_lower_bound'])}"
        rows.append(["  timeouts as lower bounds", "", "", "", "", lb_text, "", ""])
    slower = ", ".join(q["slower_than_rdflib"]) or "none"
    rows.append(["slower than rdflib", "", "", slower, "", "", "", ""])
    mismatches = ", ".join(q["row_mismatches"]) or "none"
    rows.append(["row-count mismatches", "", "", mismatches, "", "", "", ""])
    return rows


def _query_table(label: str, variant: str, q: dict[str, Any], applies: bool) -> Table:
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
    for name, just in COLUMNS:
        t.add_column(name, justify=just)
    for e in q["queries"]:
        t.add_row(*_query_row(e, q, applies))
    t.add_section()
    for row in _summary_rows(q, applies):
        t.add_row(*row)
    return t


def query_tables(results: dict[str, Any]) -> list[Any]:
    """One table per size and variant (catalogue defaults; parameters bound with --param)."""
    tables = []
    for label, res in results["sizes"].items():
        for variant, q in (res.get("queries") or {}).items():
            applies = size_class(res["build"]["triples"]) == "1m"
            tables.append(_query_table(label, variant, q, applies))
    return tables


QUERIES = Section(
    key="queries",
    scope="size",
    measure=_measure,
    tables=query_tables,
    targets=(QUERY_MAX_MS, QUERY_GEOMEAN, QUERY_SLOWER),
    judge=judge_queries,
)
