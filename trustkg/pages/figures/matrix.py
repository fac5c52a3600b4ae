"""The evidence matrix (CQ15): verbatim quotations per theme and speaker's sector, with the
Appendix pointers counted apart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .common import (
    GENERAL,
    Row,
    Words,
    draw_message,
    new_figure,
    sector_colour,
    sector_key,
    sector_name,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


#: CQ15's sector for evidence whose speaker is not given (Appendix pointers)
UNATTRIBUTED = "unattributed"


@dataclass
class EvidenceMatrix:
    """Quotations per theme and speaker's sector, and Appendix pointers per theme, apart."""

    themes: list[tuple[str, str]]  # (id, label)
    sectors: list[str]  # speakers' sectors, then "unmatched speaker" and the like
    quotations: list[list[int]]  # [theme][sector]
    pointers: list[int]  # [theme]

    def is_empty(self) -> bool:
        return not self.themes


def evidence_matrix(cq15_rows: Iterable[Row]) -> EvidenceMatrix:
    """Sum CQ15's theme × network × sector counts over the networks."""
    quotations: dict[tuple[str, str], int] = defaultdict(int)
    pointers: dict[str, int] = defaultdict(int)
    themes: dict[str, str] = {}
    sectors: set[str] = set()
    for r in cq15_rows:
        theme = r["theme"]
        themes[theme] = r.get("theme_label") or theme
        pointers[theme] += int(r.get("pointers") or 0)
        if r["sector"] != UNATTRIBUTED:
            sectors.add(r["sector"])
            quotations[(theme, r["sector"])] += int(r.get("quotations") or 0)
        else:  # a quotation whose network and sector are unknown would still be a quotation
            if int(r.get("quotations") or 0):
                sectors.add(UNATTRIBUTED)
                quotations[(theme, UNATTRIBUTED)] += int(r["quotations"])
    theme_ids = sorted(themes)
    sector_list = sorted(sectors, key=sector_key)
    return EvidenceMatrix(
        themes=[(t, themes[t]) for t in theme_ids],
        sectors=sector_list,
        quotations=[[quotations[(t, s)] for s in sector_list] for t in theme_ids],
        pointers=[pointers[t] for t in theme_ids],
    )


def heat(ax, values: Sequence[Sequence[int]], cmap: str) -> None:
    flat = [v for row in values for v in row]
    top = max(flat + [1])
    ax.imshow(values, cmap=cmap, vmin=0, vmax=top, aspect="auto")
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            ax.text(
                j,
                i,
                str(v),
                ha="center",
                va="center",
                fontsize=13,
                color="white" if v > top * 0.6 else "#1b1b1b",
            )
    ax.set_xticks([x - 0.5 for x in range(len(values[0]) + 1)], minor=True)
    ax.set_yticks([y - 0.5 for y in range(len(values) + 1)], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def draw_evidence_matrix(m: EvidenceMatrix, words: Words = GENERAL) -> Figure:
    if m.is_empty():
        return draw_message("No theme of this study has evidence.")
    n_sectors = max(len(m.sectors), 1)
    fig = new_figure(3.2 + 1.25 * n_sectors, 1.4 + 0.95 * len(m.themes))
    left, right = fig.subplots(1, 2, width_ratios=[n_sectors, 1.3], sharey=True)
    ylabels = [f"{t}  {wrap(label, 30)}" for t, label in m.themes]
    if m.sectors:
        heat(left, m.quotations, "Blues")
        names = [wrap(sector_name(s, words), 12) for s in m.sectors]
        left.set_xticks(range(len(m.sectors)), names)
        for tick, s in zip(left.get_xticklabels(), m.sectors, strict=True):
            tick.set_color(sector_colour(s))
    left.set_yticks(range(len(m.themes)), ylabels)
    left.set_title("Verbatim quotations, by the speaker's sector", fontsize=11, loc="left")
    left.xaxis.tick_top()
    heat(right, [[p] for p in m.pointers], "Oranges")
    right.set_xticks([0], [words.pointers_short])
    right.xaxis.tick_top()
    right.set_title("speaker not given", fontsize=11, loc="left")
    right.tick_params(axis="y", left=False)
    return fig
