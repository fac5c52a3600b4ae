"""The Scale issue's targets and how a measured figure is judged against one.

A target belongs to the section that measures its figure (``Section.targets``) and applies in a
band of sizes: ``1m`` (the first size from 500k to 2M triples), ``10m`` (from 5M) or ``any``.
``evaluate`` asks each section to judge its targets on the size of each band, in the order the
sections are listed, and fills the band's targets with "not measured" when no size falls in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from rich.table import Table

from benchmarks.units import human_bytes

if TYPE_CHECKING:
    from benchmarks.section import Section

#: A size counts as "≈1M" (where most targets of the Scale issue apply) within this range.
ONE_MILLION_BAND = (500_000, 2_000_000)
#: A size counts as "10M" from this many triples on.
TEN_MILLION_FROM = 5_000_000
#: The bands a target applies in, and what its row says when no size fell in the band.
BANDS = {"1m": "no ≈1M size measured", "10m": "no 10M size measured"}


def size_class(triples: int) -> str:
    """The band of a size, by its real triple count.

    >>> size_class(1_009_138), size_class(10_101_212), size_class(102_055)
    ('1m', '10m', 'other')
    """
    if ONE_MILLION_BAND[0] <= triples <= ONE_MILLION_BAND[1]:
        return "1m"
    if triples >= TEN_MILLION_FROM:
        return "10m"
    return "other"


@dataclass(frozen=True)
class Target:
    """One target: the figure must be at most (``sense="max"``) or at least ``limit``.

    ``words`` replaces the number in the target column where a number would mislead (a count
    of 0 is "none").

    >>> t = Target("build_s", "build wall time", "1m", 15.0, "s", "max")
    >>> t.verdict(12.5), t.verdict(16.0), t.verdict(None), t.text()
    ('PASS', 'FAIL', 'n/a', '≤ 15 s at ≈1M')
    """

    key: str
    description: str
    applies_at: str
    limit: float
    unit: str
    sense: str
    words: str | None = None

    def verdict(self, value: float | None) -> str:
        """PASS, FAIL or n/a (not measured)."""
        if value is None:
            return "n/a"
        ok = value <= self.limit if self.sense == "max" else value >= self.limit
        return "PASS" if ok else "FAIL"

    def text(self) -> str:
        """The target as the tables show it, e.g. ``≥ 5× at ≈1M``."""
        op = "≤" if self.sense == "max" else "≥"
        at = "" if self.applies_at == "any" else f" at ≈{self.applies_at.upper()}"
        if self.unit == "B":
            shown = human_bytes(self.limit)
        elif self.unit == "x":
            shown = f"{self.limit:g}×"
        elif self.words is not None:
            return self.words + at
        else:
            shown = f"{self.limit:g} {self.unit}".strip()
        return f"{op} {shown}{at}"

    def definition(self) -> dict[str, Any]:
        """The target as the results file records it (``targets_defined``)."""
        return {
            "description": self.description,
            "applies_at": self.applies_at,
            "limit": self.limit,
            "unit": self.unit,
            "sense": self.sense,
        }


def styled(verdict: str) -> str:
    """A verdict in rich markup: green PASS, red FAIL, dim otherwise."""
    colour = {"PASS": "green", "FAIL": "bold red"}.get(verdict, "dim")
    return f"[{colour}]{verdict}[/]"


class Checks:
    """The verdicts of one evaluation, in the order they are added (the targets table's)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        target: Target,
        size: str | None,
        value: float | None,
        shown: str,
        note: str = "",
    ) -> None:
        """Judge ``value`` against ``target``; ``shown`` is the figure as the table gives it."""
        self.rows.append(
            {
                "target": target.key,
                "description": target.description + note,
                "size": size,
                "value": value,
                "shown": shown,
                "limit": target.text(),
                "verdict": target.verdict(value),
            }
        )

    @staticmethod
    def lower_bound(target: Target, bound: float | None) -> float | None:
        """A lower bound (rdflib or pySHACL was stopped at its cap) decides a "≥" target only
        when it already reaches it; otherwise the verdict is left open (n/a)."""
        return bound if bound is not None and target.verdict(bound) == "PASS" else None


def all_targets(sections: Sequence[Section]) -> list[Target]:
    """Every section's targets, in the sections' order."""
    return [t for s in sections for t in s.targets]


def evaluate(results: dict[str, Any], sections: Sequence[Section]) -> list[dict[str, Any]]:
    """Every target against the size it applies to (the first size in its band)."""
    checks = Checks()
    by_band: dict[str, tuple[str, dict[str, Any]]] = {}
    for label, res in results["sizes"].items():
        band = size_class(res.get("build", {}).get("triples", 0))
        by_band.setdefault(band, (label, res))
    for band, missing in BANDS.items():
        for section in sections:
            targets = [t for t in section.targets if t.applies_at == band]
            if not targets:
                continue
            if band in by_band and section.judge is not None:
                section.judge(checks, band, *by_band[band])
            else:
                for t in targets:
                    checks.add(t, None, None, missing)
    for section in sections:
        if section.judge is not None and any(t.applies_at == "any" for t in section.targets):
            section.judge(checks, "any", "—", results)
    return checks.rows


def verdict_for(checks: list[dict[str, Any]], key: str) -> tuple[str, str]:
    """The target column and the styled verdict of one target, for a section's table."""
    for c in checks:
        if c["target"] == key:
            where = f" ({c['size']})" if c["size"] and c["size"] != "—" else ""
            return c["limit"], styled(c["verdict"]) + where
    return "", ""


def targets_table(checks: list[dict[str, Any]]) -> Table:
    """The closing table: every target, the size it was judged at, the figure and the verdict."""
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
    return t
