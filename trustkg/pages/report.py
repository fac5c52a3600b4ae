"""The evidence report: one HTML page of figures computed by the question catalogue.

Every number in the report comes from running a catalogued ``.rq`` query on the built store,
the same query a researcher can run with ``trustkg query run`` and cite: there is no second
code path that could drift from the catalogue. Each figure's caption names the queries that
made it, and the rows behind it are printed under it. Figures are SVG embedded in the page as
``data:`` URIs, so the page opens offline and can be mailed as one file; they are also written
beside the page as ``figure-*.svg`` for use in papers and slides.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..core.atomic import staged_output
from ..core.errors import TrustkgError
from ..sparql.catalogue import find_query
from ..sparql.local import run_local
from ..sparql.params import bind
from ..sparql.results import QueryResult
from . import figures
from .html import esc, page, table


@dataclass
class ReportFigure:
    """One figure of the report, with what made it."""

    slug: str
    title: str
    reading: str  # how to read it, one or two sentences
    queries: list[str]  # catalogued query names, in the order the caption names them
    svg: str
    results: dict[str, QueryResult]

    @property
    def filename(self) -> str:
        return f"figure-{self.slug}.svg"


@dataclass
class Report:
    study: str
    figures: list[ReportFigure]
    html: str


@dataclass(frozen=True)
class FigureSpec:
    """What a figure shows, which queries it needs, and the function that draws it.

    ``title`` and ``reading`` name things with :class:`~.figures.Words` fields
    (``{w.factors}``), so a study's report uses its own words (see :func:`figures.words_for`).
    """

    slug: str
    title: str
    reading: str
    queries: list[str]
    draw: Callable[[dict[str, QueryResult], figures.Words, str], str]


def _evidence_matrix(r: dict[str, QueryResult], w: figures.Words, study: str) -> str:
    m = figures.evidence_matrix(r["cq15-voice-by-theme-and-sector"].records())
    return figures.to_svg(figures.draw_evidence_matrix(m, w))


def _factor_coverage(r: dict[str, QueryResult], w: figures.Words, study: str) -> str:
    f = figures.factor_coverage(
        r["cq01-supported-factors"].records(), r["cq02-unsupported-factors"].records()
    )
    return figures.to_svg(figures.draw_factor_coverage(f, w))


def _care_networks(r: dict[str, QueryResult], w: figures.Words, study: str) -> str:
    n = figures.care_networks(
        r["report-care-networks"].records(), r["cq04-participants-per-network-sector"].records()
    )
    return figures.to_svg(figures.draw_care_networks(n))


def _theory_map(r: dict[str, QueryResult], w: figures.Words, study: str) -> str:
    m = figures.theory_map(
        r["cq10-theory-and-themes"].records(),
        r["report-theme-asymmetries"].records(),
        r["cq07-strategies-theory"].records(),
    )
    return figures.to_svg(figures.draw_theory_map(m, w))


def _asymmetry_evidence(r: dict[str, QueryResult], w: figures.Words, study: str) -> str:
    a = figures.asymmetry_evidence(r["cq13-evidence-across-studies"].records(), study)
    return figures.to_svg(figures.draw_asymmetry_evidence(a, w))


FIGURES = [
    FigureSpec(
        "evidence-matrix",
        "Evidence matrix: who gives voice to each theme",
        "Each cell counts the verbatim quotations under a theme whose speaker works in that "
        "sector (all networks together). {w.pointers}, whose words and speakers the "
        "source does not give, are counted apart on the right.",
        ["cq15-voice-by-theme-and-sector"],
        _evidence_matrix,
    ),
    FigureSpec(
        "factor-coverage",
        "Factor coverage: which {w.factors} the evidence supports",
        "Each bar counts the quotations and pointers that evidence the subthemes linked to "
        "one of the {w.factors}; the factor's literature source is under its name. Factors "
        "in red have no evidence.",
        ["cq01-supported-factors", "cq02-unsupported-factors"],
        _factor_coverage,
    ),
    FigureSpec(
        "care-networks",
        "The care networks: organisations by sector, and participants",
        "Each network links to its sectors, each sector to the network's organisations in it; "
        "a dot's size and the number beside it give the participants who work there.",
        ["report-care-networks", "cq04-participants-per-network-sector"],
        _care_networks,
    ),
    FigureSpec(
        "theory-map",
        "Theory map: concepts, themes and trust-building strategies",
        "Lines join each theoretical concept{w.concepts_from} to the themes it relates to, each "
        "theme to the asymmetry types it expresses, and each trust-building strategy to the "
        "asymmetry types or (dashed) themes it answers. Concept-theme links are curated, each "
        "with a rationale (listed under the figure).",
        ["cq10-theory-and-themes", "report-theme-asymmetries", "cq07-strategies-theory"],
        _theory_map,
    ),
    FigureSpec(
        "asymmetry-evidence",
        "Evidence per asymmetry type",
        "Each bar counts the study's evidence for an asymmetry type: through its themes, or "
        "through its codes mapped to the type (trustkg link); with its words on the left, "
        "{w.pointers} on the right. CQ13 compares all the studies in the store; these are its "
        "rows for this study.",
        ["cq13-evidence-across-studies"],
        _asymmetry_evidence,
    ),
]


def build_report(store: str | Path | None = None, study: str = "li2018") -> Report:
    """Run the catalogue's queries for ``study`` on the built store and draw the figures.

    Any study the store holds has a report; a figure the study has no data for says so in its
    place. A study the store does not hold is refused, naming the ones it does.
    """
    from ..store.embedded import open_store
    from ..store.graphs import study_titles

    st = open_store(store)
    titles = study_titles(st)
    if study not in titles:
        held = ", ".join(sorted(titles)) or "none"
        raise TrustkgError(
            f"the store holds no study {study!r} (it holds {held}): check --study, or build "
            "the store with that study (trustkg build --study DIR)"
        )
    results: dict[str, QueryResult] = {}
    for spec in FIGURES:
        for name in spec.queries:
            if name not in results:
                query = find_query(name)
                params = {"study": study} if any(p.name == "study" for p in query.params) else {}
                results[name] = run_local(bind(query, params), st)
    # CQ13 compares every study: the figure and its rows are this study's
    cq13 = results["cq13-evidence-across-studies"]
    cq13.rows = [r for r in cq13.rows if "study" in r and r["study"].value == study]
    words = figures.words_for(study)
    with figures.drawing():
        made = [
            ReportFigure(
                spec.slug,
                spec.title.format(w=words),
                spec.reading.format(w=words),
                spec.queries,
                spec.draw(results, words, study),
                {n: results[n] for n in spec.queries},
            )
            for spec in FIGURES
        ]
    return Report(study, made, report_html(study, titles[study], made))


def write_report(
    out: str | Path, store: str | Path | None = None, study: str = "li2018"
) -> list[Path]:
    """Write ``index.html`` and the figures as SVG files into ``out``; return their paths."""
    report = build_report(store, study)
    with staged_output(out) as stage:
        (stage / "index.html").write_text(report.html, encoding="utf-8")
        for f in report.figures:
            (stage / f.filename).write_text(f.svg, encoding="utf-8")
    return [Path(out) / "index.html"] + [Path(out) / f.filename for f in report.figures]


def _rows_table(result: QueryResult) -> str:
    return table(result.variables, [[r.get(v) for v in result.variables] for r in result.records()])


def _figure_html(number: int, f: ReportFigure, study: str) -> str:
    data = base64.b64encode(f.svg.encode("utf-8")).decode("ascii")
    made_by = ", ".join(f"<code>queries/{esc(n)}.rq</code>" for n in f.queries)
    rerun = "; ".join(f"<code>{esc(_rerun(n, study))}</code>" for n in f.queries)
    rows = "\n".join(
        f"<h3>{esc(n)} ({len(r.rows)} rows)</h3>\n{_rows_table(r)}" for n, r in f.results.items()
    )
    nothing = ""
    if not any(r.rows for r in f.results.values()):
        nothing = (
            f'<p class="nothing">Study {esc(study)} has no data for this figure: its queries '
            "answer no rows for it.</p>\n"
        )
    return (
        f'<section id="{esc(f.slug)}">\n<h2>{number}. {esc(f.title)}</h2>\n'
        + nothing
        + f'<figure data-queries="{esc(" ".join(f.queries))}">\n'
        f'<img src="data:image/svg+xml;base64,{data}" alt="{esc(f.title)}">\n'
        f"<figcaption><strong>Figure {number}.</strong> {esc(f.reading)} "
        f"Made by {made_by} on study {esc(study)}. To run again: {rerun}.</figcaption>\n"
        "</figure>\n"
        f"<details><summary>The rows behind figure {number}</summary>\n{rows}\n</details>\n"
        f'<p>Also written as <a href="{esc(f.filename)}">{esc(f.filename)}</a>.</p>\n'
        "</section>"
    )


def _rerun(name: str, study: str) -> str:
    query = find_query(name)
    if any(p.name == "study" for p in query.params):
        return f"trustkg query run {query.short} --param study={study}"
    return f"trustkg query run {query.short}"


def report_html(study: str, title: str, made: list[ReportFigure]) -> str:
    """The report page: a contents list, then each figure with its caption and rows."""
    contents = "\n".join(f'<li><a href="#{esc(f.slug)}">{esc(f.title)}</a></li>' for f in made)
    body = (
        "<p>Every figure below was computed by running queries of trustkg's question "
        "catalogue on the built store; each caption names the query files, which you can run "
        "yourself to get the same rows, and the rows are listed under each figure.</p>\n"
        f"<nav><ul>\n{contents}\n</ul></nav>\n"
        + "\n".join(_figure_html(i, f, study) for i, f in enumerate(made, start=1))
    )
    return page(
        f"trustkg evidence report: {study}",
        body,
        lede=f"The evidence of study {study} ({title}) in the trustkg knowledge graph, in figures.",
    )
