"""The theory map (CQ10, report-theme-asymmetries, CQ7): concepts, themes, asymmetries and
strategies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .common import (
    GENERAL,
    THEME_COLOURS,
    Row,
    Words,
    draw_message,
    new_figure,
    wrap,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass
class TheoryMap:
    """Theoretical concepts ↔ themes ↔ asymmetry types ↔ trust-building strategies."""

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


def draw_theory_map(m: TheoryMap, words: Words = GENERAL) -> Figure:
    if m.is_empty():
        return draw_message("This study links no theme to theory or strategy.")
    from matplotlib.patches import FancyArrowPatch

    tallest = max(len(m.concepts), len(m.themes), len(m.asymmetries), len(m.strategies), 3)
    height = 0.62 * tallest
    fig = new_figure(12, 1.2 + height)
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
            f"{wrap(label, 38)} ({c})",
            ha="right",
            va="center",
            fontsize=8.5,
        )
    for t, label in m.themes:
        ax.text(
            x_theme,
            ty[t],
            f"{t}\n{wrap(label, 26)}",
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
            wrap(label, 18),
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
            f"{s} {wrap(label, 34)}",
            ha="left",
            va="center",
            fontsize=8.5,
        )
    headings = [
        (x_concept - 0.05, "right", words.concepts),
        (x_theme, "center", words.themes),
        (x_asym, "center", "asymmetry types"),
        (x_strategy + 0.05, "left", words.strategies),
    ]
    for x, ha, text in headings:
        ax.text(x, height + 0.35, text, ha=ha, va="bottom", fontsize=10, fontweight="bold")
    ax.set_xlim(-2.1, 5.0)
    ax.set_ylim(-0.3, height + 0.8)
    ax.axis("off")
    return fig
