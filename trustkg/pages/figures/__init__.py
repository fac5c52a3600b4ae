"""The evidence report's figures, drawn with matplotlib from the rows of catalogued queries.

Each figure has two steps: a function that shapes query rows into what the figure shows (plain
data, which the tests compare with the queries' answers) and a ``draw_*`` function that draws
it. Figures are matplotlib ``Figure`` objects made without pyplot, so no window system or global
state is involved, and are saved as SVG with the text drawn as paths: the picture looks the same
on every machine, needs no font, and the same data gives the same file.
"""

from __future__ import annotations

import io
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...sources.tables import allowed_values

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Row = Mapping[str, Any]

#: sectors in the order figures show them, the table schema's: the dominant side first, as the
#: 2018 study frames it
SECTORS = allowed_values("organisations", "sector")
SECTOR_NAMES = {
    "health": "health",
    "local-government": "local government",
    "social-care": "social care",
    "voluntary-community": "voluntary & community",
    "independent-provider": "independent provider",
    "unmatched speaker": "attribution matches no Table 1 row",
}
# Okabe-Ito colours: told apart by readers with colour-vision deficiencies
SECTOR_COLOURS = {
    "health": "#0072B2",
    "local-government": "#E69F00",
    "social-care": "#009E73",
    "voluntary-community": "#CC79A7",
    "independent-provider": "#D55E00",
}
OTHER_COLOUR = "#8C8C8C"
THEME_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
QUOTATION_COLOUR = "#0072B2"
POINTER_COLOUR = "#E69F00"


def sector_name(sector: str) -> str:
    return SECTOR_NAMES.get(sector, sector)


def sector_colour(sector: str) -> str:
    return SECTOR_COLOURS.get(sector, OTHER_COLOUR)


def _sector_key(sector: str) -> tuple[int, str]:
    return (SECTORS.index(sector) if sector in SECTORS else len(SECTORS), sector)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def to_svg(fig: Figure) -> str:
    """The figure as an SVG document; the same figure always gives the same text."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "trustkg", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return buf.getvalue()


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def draw_message(message: str) -> Figure:
    """A small figure that says why there is nothing to draw (a study without that data)."""
    fig = _figure(8, 1.2)
    ax = fig.add_subplot()
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#555555")
    return fig


# -- evidence matrix (CQ15) ---------------------------------------------------------------------

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
    sector_list = sorted(sectors, key=_sector_key)
    return EvidenceMatrix(
        themes=[(t, themes[t]) for t in theme_ids],
        sectors=sector_list,
        quotations=[[quotations[(t, s)] for s in sector_list] for t in theme_ids],
        pointers=[pointers[t] for t in theme_ids],
    )


def _heat(ax, values: Sequence[Sequence[int]], cmap: str) -> None:
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


def draw_evidence_matrix(m: EvidenceMatrix) -> Figure:
    if m.is_empty():
        return draw_message("No theme of this study has evidence.")
    n_sectors = max(len(m.sectors), 1)
    fig = _figure(3.2 + 1.25 * n_sectors, 1.4 + 0.95 * len(m.themes))
    left, right = fig.subplots(1, 2, width_ratios=[n_sectors, 1.3], sharey=True)
    ylabels = [f"{t}  {_wrap(label, 30)}" for t, label in m.themes]
    if m.sectors:
        _heat(left, m.quotations, "Blues")
        left.set_xticks(range(len(m.sectors)), [_wrap(sector_name(s), 12) for s in m.sectors])
        for tick, s in zip(left.get_xticklabels(), m.sectors, strict=True):
            tick.set_color(sector_colour(s))
    left.set_yticks(range(len(m.themes)), ylabels)
    left.set_title("Verbatim quotations, by the speaker's sector", fontsize=11, loc="left")
    left.xaxis.tick_top()
    _heat(right, [[p] for p in m.pointers], "Oranges")
    right.set_xticks([0], ["Appendix 2\npointers"])
    right.xaxis.tick_top()
    right.set_title("speaker not given", fontsize=11, loc="left")
    right.tick_params(axis="y", left=False)
    return fig


# -- factor coverage (CQ1, CQ2) -----------------------------------------------------------------


@dataclass
class FactorCoverage:
    """A Table 2 factor and the evidence behind it (none for the factors CQ2 lists)."""

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


def draw_factor_coverage(factors: Sequence[FactorCoverage]) -> Figure:
    if not factors:
        return draw_message("This study has no Table 2 factors.")
    fig = _figure(12, 0.8 + 0.62 * len(factors))
    ax = fig.add_subplot()
    ys = list(range(len(factors)))
    q = [f.quotations for f in factors]
    p = [f.pointers for f in factors]
    ax.barh(ys, q, color=QUOTATION_COLOUR, label="verbatim quotations")
    ax.barh(ys, p, left=q, color=POINTER_COLOUR, label="Appendix 2 pointers")
    top = max([a + b for a, b in zip(q, p, strict=True)] + [1])
    for y, f in zip(ys, factors, strict=True):
        if f.supported:
            themes = " ".join(sorted(f.themes.split()))
            note = (
                f"{_plural(f.quotations, 'quotation')}, {_plural(f.pointers, 'pointer')}"
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
        f"{f.factor}  {_wrap(f.label, 58)}\nsource: {f.source or 'not given'}" for f in factors
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


# -- care networks (report-care-networks, CQ4) --------------------------------------------------


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
        return {s: groups[s] for s in sorted(groups, key=_sector_key)}


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
    fig = _figure(12, 0.9 + 0.3 * sum(heights))
    axes = fig.subplots(len(networks), 1, height_ratios=heights, squeeze=False)[:, 0]
    for ax, n in zip(axes, networks, strict=True):
        _draw_network(ax, n)
    sectors = sorted({o.sector for n in networks for o in n.organisations}, key=_sector_key)
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
            f"{sector_name(sector)} · {_plural(count, 'participant')}",
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
            label = f"{o.name}  ({_plural(o.participants, 'participant')})"
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


# -- theory map (CQ10, report-theme-asymmetries, CQ7) -------------------------------------------


@dataclass
class TheoryMap:
    """2013 concepts ↔ 2018 themes ↔ asymmetry types ↔ Table 4 strategies."""

    concepts: list[tuple[str, str]]
    themes: list[tuple[str, str]]
    asymmetries: list[tuple[str, str]]
    strategies: list[tuple[str, str]]
    concept_theme: list[tuple[str, str]]
    theme_asymmetry: list[tuple[str, str]]
    strategy_target: list[tuple[str, str]]  # target: a theme or an asymmetry type

    def is_empty(self) -> bool:
        return not (self.concepts or self.themes or self.strategies)


def theory_map(
    cq10_rows: Iterable[Row], theme_asymmetry_rows: Iterable[Row], cq07_rows: Iterable[Row]
) -> TheoryMap:
    concepts: dict[str, str] = {}
    themes: dict[str, str] = {}
    asymmetries: dict[str, str] = {}
    strategies: dict[str, str] = {}
    concept_theme, theme_asymmetry, strategy_target = set(), set(), set()
    for r in cq10_rows:
        concepts[r["concept"]] = r["concept_label"]
        themes[r["theme"]] = r["theme_label"]
        concept_theme.add((r["concept"], r["theme"]))
    for r in theme_asymmetry_rows:
        themes[r["theme"]] = r["theme_label"]
        asymmetries[r["asymmetry"]] = r["asymmetry_label"]
        theme_asymmetry.add((r["theme"], r["asymmetry"]))
    for r in cq07_rows:
        strategies[r["strategy"]] = r["strategy_label"]
        if r["target_kind"] == "theme":
            themes.setdefault(r["target"], r["target_label"])
        else:
            asymmetries.setdefault(r["target"], r["target_label"])
        strategy_target.add((r["strategy"], r["target"]))
    theme_order = {t: i for i, t in enumerate(sorted(themes))}

    def first_theme(edges: set[tuple[str, str]], node: str, at: int) -> float:
        linked = [theme_order[e[1 - at]] for e in edges if e[at] == node]
        return sum(linked) / len(linked) if linked else len(theme_order)

    concept_ids = sorted(concepts, key=lambda c: (first_theme(concept_theme, c, 0), c))
    asym_ids = sorted(asymmetries, key=lambda a: (first_theme(theme_asymmetry, a, 1), a))
    return TheoryMap(
        concepts=[(c, concepts[c]) for c in concept_ids],
        themes=[(t, themes[t]) for t in sorted(themes)],
        asymmetries=[(a, asymmetries[a]) for a in asym_ids],
        strategies=[(s, strategies[s]) for s in sorted(strategies)],
        concept_theme=sorted(concept_theme),
        theme_asymmetry=sorted(theme_asymmetry),
        strategy_target=sorted(strategy_target),
    )


def _column(ids: Sequence[str], height: float) -> dict[str, float]:
    n = max(len(ids), 1)
    return {node: height * (1 - (i + 0.5) / n) for i, node in enumerate(ids)}


def draw_theory_map(m: TheoryMap) -> Figure:
    if m.is_empty():
        return draw_message("This study links no theme to theory or strategy.")
    from matplotlib.patches import FancyArrowPatch

    tallest = max(len(m.concepts), len(m.themes), len(m.asymmetries), len(m.strategies), 3)
    height = 0.62 * tallest
    fig = _figure(12, 1.2 + height)
    ax = fig.add_subplot()
    cy = _column([c for c, _ in m.concepts], height)
    ty = _column([t for t, _ in m.themes], height)
    ay = _column([a for a, _ in m.asymmetries], height)
    theme_colour = {t: THEME_COLOURS[i % len(THEME_COLOURS)] for i, (t, _) in enumerate(m.themes)}
    # strategies sit at the mean height of what they aim at, to keep lines short
    targets = {**ty, **ay}
    aims: dict[str, list[float]] = defaultdict(list)
    for s, t in m.strategy_target:
        if t in targets:
            aims[s].append(targets[t])
    order = sorted(
        (s for s, _ in m.strategies),
        key=lambda s: (-(sum(aims[s]) / len(aims[s])) if aims[s] else 0, s),
    )
    sy = _column(order, height)
    x_concept, x_theme, x_asym, x_strategy = 0.0, 1.25, 2.35, 3.35

    for c, t in m.concept_theme:
        ax.plot([x_concept, x_theme], [cy[c], ty[t]], color=theme_colour[t], alpha=0.7, lw=1.4)
    for t, a in m.theme_asymmetry:
        ax.plot([x_theme, x_asym], [ty[t], ay[a]], color=theme_colour[t], alpha=0.7, lw=1.4)
    for s, t in m.strategy_target:
        if t in ay:
            ax.plot([x_asym, x_strategy], [ay[t], sy[s]], color="#555555", alpha=0.6, lw=1.1)
        elif t in ty:  # aimed at a theme: a dashed arc past the asymmetry column
            ax.add_patch(
                FancyArrowPatch(
                    (x_theme, ty[t]),
                    (x_strategy, sy[s]),
                    connectionstyle="arc3,rad=-0.18",
                    arrowstyle="-",
                    linestyle="--",
                    color="#555555",
                    alpha=0.6,
                    lw=1.1,
                )
            )

    box = {"boxstyle": "round,pad=0.35", "linewidth": 1.2}
    for c, label in m.concepts:
        ax.scatter([x_concept], [cy[c]], s=28, color="#333333", zorder=3)
        ax.text(
            x_concept - 0.05,
            cy[c],
            f"{_wrap(label, 38)} ({c})",
            ha="right",
            va="center",
            fontsize=8.5,
        )
    for t, label in m.themes:
        ax.text(
            x_theme,
            ty[t],
            f"{t}\n{_wrap(label, 26)}",
            ha="center",
            va="center",
            fontsize=9,
            zorder=4,
            bbox={**box, "facecolor": "white", "edgecolor": theme_colour[t]},
        )
    for a, label in m.asymmetries:
        ax.text(
            x_asym,
            ay[a],
            _wrap(label, 18),
            ha="center",
            va="center",
            fontsize=8.5,
            zorder=4,
            bbox={**box, "facecolor": "#F4F4F4", "edgecolor": "#999999"},
        )
    for s, label in m.strategies:
        ax.scatter([x_strategy], [sy[s]], s=28, color="#333333", zorder=3)
        ax.text(
            x_strategy + 0.05,
            sy[s],
            f"{s} {_wrap(label, 34)}",
            ha="left",
            va="center",
            fontsize=8.5,
        )
    headings = [
        (x_concept - 0.05, "right", "2013 commentary: concepts"),
        (x_theme, "center", "2018 study: themes"),
        (x_asym, "center", "asymmetry types"),
        (x_strategy + 0.05, "left", "Table 4: trust-building strategies"),
    ]
    for x, ha, text in headings:
        ax.text(x, height + 0.35, text, ha=ha, va="bottom", fontsize=10, fontweight="bold")
    ax.set_xlim(-2.1, 5.0)
    ax.set_ylim(-0.3, height + 0.8)
    ax.axis("off")
    return fig
