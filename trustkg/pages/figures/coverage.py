"""Factor coverage (CQ1, CQ2): each literature factor and the quotations and pointers behind it."""

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
    plural,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass
class FactorCoverage:
    """A literature factor (Table 2 of the 2018 study) and the evidence behind it (none for the
    factors CQ2 lists)."""

    factor: str
    label: str
    source: str
    quotations: int
    pointers: int
    themes: str = ""
    linked_subthemes: int | None = None  # only for unsupported factors

    @property
    def supported(self) -> bool:
        return self.quotations + self.pointers > 0


def factor_coverage(cq01_rows: Iterable[Row], cq02_rows: Iterable[Row]) -> list[FactorCoverage]:
    """Every factor of CQ1 (supported) and CQ2 (unsupported), in factor order."""
    out = [
        FactorCoverage(
            r["factor"],
            r["factor_label"],
            r.get("source") or "",
            int(r["quotations"]),
            int(r["pointers"]),
            r.get("themes") or "",
        )
        for r in cq01_rows
    ]
    out += [
        FactorCoverage(
            r["factor"],
            r["factor_label"],
            r.get("source") or "",
            0,
            0,
            linked_subthemes=int(r.get("linked_subthemes") or 0),
        )
        for r in cq02_rows
    ]
    return sorted(out, key=lambda f: f.factor)


def draw_factor_coverage(factors: Sequence[FactorCoverage], words: Words = GENERAL) -> Figure:
    if not factors:
        return draw_message(f"This study has no {words.factors}.")
    fig = new_figure(12, 0.8 + 0.62 * len(factors))
    ax = fig.add_subplot()
    ys = list(range(len(factors)))
    q = [f.quotations for f in factors]
    p = [f.pointers for f in factors]
    ax.barh(ys, q, color=QUOTATION_COLOUR, label="verbatim quotations")
    ax.barh(ys, p, left=q, color=POINTER_COLOUR, label=words.pointers)
    top = max([a + b for a, b in zip(q, p, strict=True)] + [1])
    for y, f in zip(ys, factors, strict=True):
        if f.supported:
            themes = " ".join(sorted(f.themes.split()))
            note = (
                f"{plural(f.quotations, 'quotation')}, {plural(f.pointers, 'pointer')}"
                f" · {'theme' if len(themes.split()) == 1 else 'themes'} {themes}"
            )
            ax.text(f.quotations + f.pointers + top * 0.01, y, note, va="center", fontsize=9)
        else:
            linked = f.linked_subthemes or 0
            if linked == 0:
                why = "no evidence: no subtheme bears on it"
            elif linked == 1:
                why = "no evidence: its one linked subtheme has none"
            else:
                why = f"no evidence: its {linked} linked subthemes have none"
            ax.plot([0], [y], marker="x", color="#B00020", markersize=9, clip_on=False)
            ax.text(top * 0.02, y, why, va="center", fontsize=9, color="#B00020")
    labels = [
        f"{f.factor}  {wrap(f.label, 58)}\nsource: {f.source or 'not given'}" for f in factors
    ]
    ax.set_yticks(ys, labels, fontsize=9)
    for tick, f in zip(ax.get_yticklabels(), factors, strict=True):
        if not f.supported:
            tick.set_color("#B00020")
    ax.invert_yaxis()
    ax.set_xlim(0, top * 1.45)
    ax.set_xlabel("evidence items behind the factor's subthemes")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="lower right", frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig
