"""Growth exponents, computed after the sizes: how each figure grows with the number of triples.

Between consecutive sizes, ``log(t2/t1) / log(n2/n1)`` for the build's time and peak RSS, the
validation time, the two plain times, and the reasoning time of the rules and of HermiT (where
it finished at both sizes), with n the real triple count: 1 means linear growth.
"""

from __future__ import annotations

import math
from typing import Any

from rich.table import Table

from benchmarks.section import Section


def _exponent(a: float | None, b: float | None, n1: int, n2: int) -> float | None:
    """
    >>> round(_exponent(1.0, 10.0, 1_000, 10_000), 2), _exponent(None, 2.0, 1, 2)
    (1.0, None)
    """
    if not a or not b or n1 == n2:
        return None
    return math.log(b / a) / math.log(n2 / n1)


def _get(r: dict[str, Any], *path: str) -> Any:
    for p in path:
        if not isinstance(r, dict):
            return None
        r = r.get(p)
    return r


def _plain_validation(r: dict[str, Any]) -> float | None:
    p = _get(r, "validation", "plain")
    return p["wall_s"] if p and p.get("status") == "ok" else None


def _hermit(r: dict[str, Any]) -> float | None:
    h = _get(r, "reasoning", "hermit")
    return h["wall_s"] if h and h.get("status") == "ok" else None


def growth_exponents(results: dict[str, Any]) -> list[dict[str, Any]]:
    """How each figure grows with the number of triples between consecutive sizes."""
    out = []
    items = list(results["sizes"].items())
    for (l1, r1), (l2, r2) in zip(items, items[1:], strict=False):
        n1, n2 = r1["build"]["triples"], r2["build"]["triples"]

        def exp(fig1: Any, fig2: Any, n1: int = n1, n2: int = n2) -> float | None:
            return _exponent(fig1, fig2, n1, n2)

        out.append(
            {
                "from": l1,
                "to": l2,
                "triples_from": n1,
                "triples_to": n2,
                "build_time": exp(r1["build"]["wall_s"], r2["build"]["wall_s"]),
                "build_rss": exp(r1["build"]["maxrss_bytes"], r2["build"]["maxrss_bytes"]),
                "validation_time": exp(
                    _get(r1, "validation", "trustkg", "wall_s"),
                    _get(r2, "validation", "trustkg", "wall_s"),
                ),
                "plain_build_time": exp(
                    _get(r1, "plain_build", "wall_s"), _get(r2, "plain_build", "wall_s")
                ),
                "plain_validation_time": exp(_plain_validation(r1), _plain_validation(r2)),
                "reasoning_time": exp(
                    _get(r1, "reasoning", "rules", "wall_s"),
                    _get(r2, "reasoning", "rules", "wall_s"),
                ),
                "hermit_time": exp(_hermit(r1), _hermit(r2)),
            }
        )
    return out


def growth_tables(results: dict[str, Any]) -> list[Any]:
    growth = results.get("growth") or []
    if not growth:
        return []
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
        "reason (rules)",
        "HermiT",
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
            e(g.get("reasoning_time")),
            e(g.get("hermit_time")),
        )
    return [t]


GROWTH = Section(key="growth", scope="summary", measure=growth_exponents, tables=growth_tables)
