"""Evidence per asymmetry type (CQ13): one study's rows of the comparison across studies.

This is the figure every study has something for: a study transcribed from a paper reaches the
asymmetry types through its themes, a study imported from a QDA tool through the SSSOM mappings
of its codes (``trustkg link``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .common import (
    GENERAL,
    POINTER_COLOUR,
    QUOTATION_COLOUR,
    Row,
    Words,
    draw_message,
    new_figure,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass
class AsymmetryEvidence:
    """The evidence of one study for one asymmetry type, with words and without."""

    asymmetry: str
    label: str
    quotations: int
    pointers: int


def asymmetry_evidence(cq13_rows: Iterable[Row], study: str) -> list[AsymmetryEvidence]:
    """CQ13's rows for ``study``, in asymmetry-type order."""
    out = [
        AsymmetryEvidence(
            r["asymmetry"],
            r.get("asymmetry_label") or r["asymmetry"],
            int(r.get("quotations") or 0),
            int(r.get("pointers") or 0),
        )
        for r in cq13_rows
        if r.get("study") == study
    ]
    return sorted(out, key=lambda a: a.asymmetry)


def draw_asymmetry_evidence(rows: Sequence[AsymmetryEvidence], words: Words = GENERAL) -> Figure:
    if not rows:
        return draw_message(
            "No evidence of this study reaches an asymmetry type (through its themes, or "
            "through codes mapped with trustkg link)."
        )
    fig = new_figure(10, 1.3 + 0.5 * len(rows))
    ax = fig.add_subplot()
    ys = list(range(len(rows)))
    q = [r.quotations for r in rows]
    p = [r.pointers for r in rows]
    ax.barh(ys, q, color=QUOTATION_COLOUR, label="evidence with its words")
    ax.barh(ys, p, left=q, color=POINTER_COLOUR, label=words.pointers)
    top = max([a + b for a, b in zip(q, p, strict=True)] + [1])
    for y, r in zip(ys, rows, strict=True):
        ax.text(
            r.quotations + r.pointers + top * 0.01,
            y,
            f"{r.quotations} + {r.pointers}",
            va="center",
            fontsize=9,
        )
    ax.set_yticks(ys, [f"{r.asymmetry}  {wrap(r.label, 40)}" for r in rows], fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.2)
    ax.set_xlabel("evidence items (quotations, coded segments, pointers)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig
