"""The shape most sections' tables share: one row per figure, one column per size, then the
target and its verdict. A section's table function builds its rows with ``column`` and hands
them to ``metric_table``; both read only the results file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.table import Table

from benchmarks.targets import verdict_for

#: A row: the figure's name, its value at each size, and the key of its target (or None).
Row = tuple[str, list[str], str | None]


def column(results: dict[str, Any], fn: Callable[[dict[str, Any]], str]) -> list[str]:
    """``fn`` applied to each size's results; "—" where the figure was not measured."""
    out = []
    for res in results["sizes"].values():
        try:
            out.append(fn(res))
        except (KeyError, TypeError):
            out.append("—")
    return out


def blank(results: dict[str, Any]) -> list[str]:
    """An empty cell for each size (a row that only carries a target)."""
    return ["" for _ in results["sizes"]]


def metric_table(results: dict[str, Any], title: str, rows: list[Row]) -> Table:
    """A table of figures by size, with each row's target and verdict beside it."""
    checks = results["targets"]
    t = Table(title=title, title_justify="left")
    t.add_column("figure")
    for label in results["sizes"]:
        t.add_column(label, justify="right")
    t.add_column("target")
    t.add_column("verdict")
    for name, values, key in rows:
        limit, verdict = verdict_for(checks, key) if key else ("", "")
        t.add_row(name, *values, limit, verdict)
    return t
