"""The care networks (report-care-networks, CQ4): organisations by sector, participants in each."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .common import (
    Row,
    draw_message,
    new_figure,
    plural,
    sector_colour,
    sector_key,
    sector_name,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass
class Organisation:
    organisation: str
    name: str
    sector: str
    participants: int


@dataclass
class CareNetwork:
    network: str
    label: str
    population_min: int | None
    population_max: int | None
    participants: int  # CQ4's count for the network
    organisations: list[Organisation] = field(default_factory=list)

    def by_sector(self) -> dict[str, list[Organisation]]:
        groups: dict[str, list[Organisation]] = defaultdict(list)
        for o in self.organisations:
            groups[o.sector].append(o)
        return {s: groups[s] for s in sorted(groups, key=sector_key)}


def care_networks(network_rows: Iterable[Row], cq04_rows: Iterable[Row]) -> list[CareNetwork]:
    """Each network with its organisations grouped by sector and its participant count.

    The count is CQ4's (participants in the network); the organisations' own counts, from
    report-care-networks, add up to it when every participant works for a member organisation.
    """
    totals = {r["network"]: int(r["participants"]) for r in cq04_rows if r["sector"] == "all"}
    networks: dict[str, CareNetwork] = {}
    for r in network_rows:
        n = networks.get(r["network"])
        if n is None:
            n = networks[r["network"]] = CareNetwork(
                r["network"],
                r.get("network_label") or r["network"],
                r.get("population_min"),
                r.get("population_max"),
                0,
            )
        n.organisations.append(
            Organisation(r["organisation"], r["name"], r["sector"], int(r["participants"]))
        )
    for n in networks.values():
        n.participants = totals.get(n.network, sum(o.participants for o in n.organisations))
    return [networks[k] for k in sorted(networks)]


def _population(n: CareNetwork) -> str:
    lo, hi = n.population_min, n.population_max
    if lo and hi and lo != hi:
        return f"serves {lo:,}–{hi:,} people"
    if lo or hi:
        return f"serves about {(lo or hi):,} people"
    return ""


def draw_care_networks(networks: Sequence[CareNetwork]) -> Figure:
    if not networks:
        return draw_message("This study has no care networks.")
    heights = [max(len(n.organisations), 3) for n in networks]
    fig = new_figure(12, 0.9 + 0.3 * sum(heights))
    axes = fig.subplots(len(networks), 1, height_ratios=heights, squeeze=False)[:, 0]
    for ax, n in zip(axes, networks, strict=True):
        _draw_network(ax, n)
    sectors = sorted({o.sector for n in networks for o in n.organisations}, key=sector_key)
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color=sector_colour(s),
            markersize=9,
            label=sector_name(s),
        )
        for s in sectors
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False)
    return fig


def _draw_network(ax, n: CareNetwork) -> None:
    groups = n.by_sector()
    rows = max(len(n.organisations), 1)
    ys: dict[str, float] = {}
    sector_y: dict[str, float] = {}
    i = 0
    for sector, orgs in groups.items():
        first = i
        for o in orgs:
            ys[o.organisation] = rows - 1 - i
            i += 1
        sector_y[sector] = rows - 1 - (first + i - 1) / 2
    centre = (rows - 1) / 2
    for sector, orgs in groups.items():
        colour = sector_colour(sector)
        count = sum(o.participants for o in orgs)
        ax.plot(
            [0, 1],
            [centre, sector_y[sector]],
            color=colour,
            linewidth=1 + count * 0.6,
            alpha=0.55,
            zorder=1,
            solid_capstyle="round",
        )
        ax.scatter(
            [1], [sector_y[sector]], s=160 + 40 * count, color=colour, zorder=3, edgecolors="white"
        )
        ax.text(
            1,
            sector_y[sector] + 0.42,
            f"{sector_name(sector)} · {plural(count, 'participant')}",
            ha="center",
            va="bottom",
            fontsize=8.5,
            color=colour,
            zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.9},
        )
        for o in orgs:
            y = ys[o.organisation]
            ax.plot([1, 2], [sector_y[sector], y], color=colour, linewidth=0.8, alpha=0.6, zorder=1)
            ax.scatter(
                [2], [y], s=30 + 45 * o.participants, color=colour, zorder=3, edgecolors="white"
            )
            label = f"{o.name}  ({plural(o.participants, 'participant')})"
            ax.text(2.06, y, label, va="center", fontsize=8.5, zorder=4)
    ax.scatter([0], [centre], s=900, color="#444444", zorder=3)
    ax.text(
        0,
        centre,
        n.network,
        ha="center",
        va="center",
        color="white",
        fontsize=10,
        fontweight="bold",
        zorder=4,
    )
    lines = [n.label, f"{n.participants} participants", _population(n)]
    ax.text(
        -0.16,
        centre,
        "\n".join(x for x in lines if x),
        ha="right",
        va="center",
        fontsize=10,
        zorder=4,
    )
    ax.set_xlim(-1.15, 4.3)
    ax.set_ylim(-0.7, rows - 0.2)
    ax.axis("off")
