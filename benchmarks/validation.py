"""Section 4: ``trustkg validate`` against plain pySHACL with the same data shapes over the same
triples, whether they find the same results, the validation targets and table.

Both run as subprocesses under GNU time: ``trustkg validate --store STORE --format json``, and a
fresh interpreter running ``pyshacl.validate(..., inference="none", allow_warnings=True,
allow_infos=True)`` on the N-Triples export with ``trustkg.check.validate.data_shapes_file()``.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.measure import log, python_snippet, run_measured, trustkg_exe
from benchmarks.section import Section, SizeRun
from benchmarks.tables import column, metric_table
from benchmarks.targets import Checks, Target
from benchmarks.units import fmt_ratio, fmt_s, human_bytes

VALIDATE_S = Target("validate_s", "validation wall time", "1m", 60.0, "s", "max")
VALIDATE_SPEEDUP = Target(
    "validate_speedup", "validation speed-up over plain pySHACL", "1m", 5.0, "x", "min"
)
VALIDATE_SAME = Target(
    "validate_same", "same result counts as plain pySHACL", "1m", 1, "", "min", "same"
)

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


def _measure(size: SizeRun) -> dict[str, Any]:
    args = size.bench.args
    log(f"size {size.label}: validation")
    out = bench_validation(
        size.store,
        size.nt if size.plain_validation else None,
        size.bench.work,
        args.plain_validation_timeout,
    )
    if not size.plain_validation:
        out["plain_skipped"] = (
            f"skipped: above --skip-plain-validation-above ({args.skip_plain_validation_above:,})"
        )
    return out


def judge_validation(checks: Checks, band: str, label: str, res: dict[str, Any]) -> None:
    v = res.get("validation", {})
    vt = v.get("trustkg", {}).get("wall_s")
    checks.add(VALIDATE_S, label, vt, fmt_s(vt))
    if v.get("speedup") is not None:
        checks.add(VALIDATE_SPEEDUP, label, v["speedup"], fmt_ratio(v["speedup"]))
    else:
        lb = v.get("speedup_lower_bound")
        checks.add(
            VALIDATE_SPEEDUP,
            label,
            Checks.lower_bound(VALIDATE_SPEEDUP, lb),
            "—" if lb is None else f"≥ {fmt_ratio(lb)} (pySHACL timed out)",
        )
    same = v.get("same_counts")
    checks.add(
        VALIDATE_SAME,
        label,
        None if same is None else int(bool(same)),
        "—" if same is None else ("same" if same else "DIFFERENT"),
    )


def _counts(c: dict[str, int] | None) -> str:
    if not c:
        return "—"
    return f"{c['Violation']} / {c['Warning']} / {c['Info']}"


def _speedup(r: dict[str, Any]) -> str:
    v = r["validation"]
    if "speedup" in v:
        return fmt_ratio(v["speedup"])
    return f"≥ {fmt_ratio(v['speedup_lower_bound'])}"


def _plain_wall(r: dict[str, Any]) -> str:
    p = r["validation"].get("plain")
    if p is None:
        return r["validation"].get("plain_skipped", "—")
    if p.get("status") == "timeout":
        return f"timeout (> {p['wall_s']:.0f} s)"
    return fmt_s(p["wall_s"], 1) if p.get("status") == "ok" else "error"


def _yes(flag: bool) -> str:
    return "yes" if flag else "[bold red]NO[/]"


def validation_tables(results: dict[str, Any]) -> list[Any]:
    """The validation table: both validators' time, memory and result counts, and the checks
    that they agree."""

    def col(fn: Any) -> list[str]:
        return column(results, fn)

    def tk(r: dict[str, Any]) -> dict[str, Any]:
        return r["validation"]["trustkg"]

    def plain(r: dict[str, Any]) -> dict[str, Any]:
        return r["validation"]["plain"]

    rows = [
        ("trustkg validate, wall", col(lambda r: fmt_s(tk(r)["wall_s"])), "validate_s"),
        ("trustkg validate, peak RSS", col(lambda r: human_bytes(tk(r)["maxrss_bytes"])), None),
        (
            "trustkg violations / warnings / infos",
            col(lambda r: _counts(tk(r).get("counts"))),
            None,
        ),
        ("plain pySHACL, wall", col(_plain_wall), None),
        ("  of which parse", col(lambda r: fmt_s(plain(r)["parse_s"], 1)), None),
        ("  of which validate", col(lambda r: fmt_s(plain(r)["validate_s"], 1)), None),
        ("plain pySHACL, peak RSS", col(lambda r: human_bytes(plain(r)["maxrss_bytes"])), None),
        (
            "pySHACL violations / warnings / infos",
            col(lambda r: _counts(plain(r).get("counts"))),
            None,
        ),
        ("speed-up (plain / trustkg)", col(_speedup), "validate_speedup"),
        ("same counts", col(lambda r: _yes(r["validation"]["same_counts"])), "validate_same"),
        (
            "same (severity, focus) results",
            col(lambda r: _yes(r["validation"]["same_results_by_focus"])),
            None,
        ),
    ]
    title = "Validation (trustkg validate vs plain pySHACL, same data shapes)"
    return [metric_table(results, title, rows)]


VALIDATION = Section(
    key="validation",
    scope="size",
    measure=_measure,
    tables=validation_tables,
    targets=(VALIDATE_S, VALIDATE_SPEEDUP, VALIDATE_SAME),
    judge=judge_validation,
)
