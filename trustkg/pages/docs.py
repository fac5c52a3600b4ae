"""HTML documentation a researcher can open, share and cite: the ontology and the questions.

The ontology page is pyLODE's (its OntPub profile), so it looks like the documentation of other
published vocabularies: classes, properties, their definitions (skos:definition, shown as
"Description"), their alignments (rdfs:subClassOf / rdfs:subPropertyOf to PROV-O, ORG, SKOS,
BIBO ... with the external IRIs) and the ontology's metadata. Two things pyLODE does not do well
are handled here rather than hidden:

* OntPub merges the metadata of every ``skos:ConceptScheme`` into the ontology's, so the page
  would give ``tk:SectorScheme`` as the ontology's IRI. pyLODE is handed a copy of the ontology
  without that one type triple; the page then shows the ontology's own IRI and title.
* OntPub has no section for named individuals (the members of the code lists: sectors, study
  types, attribution matches, source and value types, identifier schemes), and shows an
  ``owl:oneOf`` class expression as a blank node id. The index page lists the individuals, so
  the code lists' and the defined classes' members can be looked up.

Every external term the ontology reuses is declared in it with ``rdfs:isDefinedBy`` its
vocabulary, which OntPub shows as "Is Defined By" beside the term's IRI.

The question catalogue page shows each query's title, question, CQ, parameters and SPARQL text.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.atomic import staged_output
from ..core.resources import ontology_file
from ..sparql.catalogue import CatalogueQuery, catalogue
from .html import esc, page, table

if TYPE_CHECKING:
    from rdflib import Graph

#: The files ``trustkg docs`` writes into ``--out``.
PAGES = ("index.html", "ontology.html", "queries.html")


def write_docs(out: str | Path) -> list[Path]:
    """Write the documentation pages into ``out``, all or none (see
    :func:`trustkg.core.atomic.staged_output`)."""
    from rdflib import Graph as RdfGraph

    graph = RdfGraph().parse(ontology_file(), format="turtle")
    queries = catalogue()
    with staged_output(out) as stage:
        (stage / "ontology.html").write_text(ontology_html(graph), encoding="utf-8")
        (stage / "queries.html").write_text(catalogue_html(queries), encoding="utf-8")
        (stage / "index.html").write_text(index_html(graph, queries), encoding="utf-8")
    return [Path(out) / name for name in PAGES]


def _ontpub() -> type:
    """pyLODE's OntPub class, imported without letting pyLODE reconfigure logging.

    Importing pyLODE runs ``logging.basicConfig(level=DEBUG)``, after which every library in
    the process would print its debug messages; the root logger is put back as it was.
    """
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        from pylode import OntPub
    finally:
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
        root.setLevel(level)
    return OntPub


def ontology_html(graph: Graph) -> str:
    """pyLODE's page for the ontology ``graph`` (an rdflib Graph; it is not changed)."""
    from rdflib import Graph as RdfGraph
    from rdflib.namespace import OWL, RDF, SKOS

    copy = RdfGraph()
    for prefix, ns in graph.namespaces():
        copy.bind(prefix, ns, override=True)
    has_ontology = (None, RDF.type, OWL.Ontology) in graph
    for triple in graph:
        if has_ontology and triple[1:] == (RDF.type, SKOS.ConceptScheme):
            continue  # see the module docstring: OntPub would take it for the ontology
        copy.add(triple)
    return _ontpub()(copy, sort_subjects=True).make_html()


def catalogue_html(queries: list[CatalogueQuery]) -> str:
    """One page with every catalogued question: what it asks, its parameters, its SPARQL."""
    toc = "\n".join(
        ["<table>", "<tr><th>query</th><th>answers</th><th>title</th></tr>"]
        + [
            f'<tr><td><a href="#{esc(q.name)}">{esc(q.name)}</a></td><td>{esc(q.cq)}</td>'
            f"<td>{esc(q.title)}</td></tr>"
            for q in queries
        ]
        + ["</table>"]
    )
    sections = [_query_section(q) for q in queries]
    body = (
        "<p>Every question below is a file in <code>queries/</code>; run one with "
        "<code>trustkg query run NAME</code> (or its <code>cqNN</code>), give a parameter with "
        "<code>--param NAME=VALUE</code>, or copy a file to start your own. "
        'The ontology they ask about is documented in <a href="ontology.html">ontology.html</a>.'
        "</p>\n" + toc + "\n" + "\n".join(sections)
    )
    return page(
        "trustkg question catalogue",
        body,
        lede=f"{len(queries)} SPARQL queries: the competency questions CQ1–CQ15 and reports.",
    )


def _query_section(q: CatalogueQuery) -> str:
    if q.params:
        params = table(
            ["parameter", "default", "meaning"],
            [
                (p.name, p.default if p.default is not None else "(none)", p.description)
                for p in q.params
            ],
        )
    else:
        params = "<p>none</p>"
    answers = f"competency question {q.cq}" if q.cq.startswith("CQ") else "a report"
    run = f"trustkg query run {q.short}"
    return (
        f'<section id="{esc(q.name)}">\n<h2>{esc(q.short)}: {esc(q.title)}</h2>\n'
        '<dl class="meta">\n'
        f"<dt>Question</dt><dd>{esc(q.question)}</dd>\n"
        f"<dt>Answers</dt><dd>{esc(answers)}</dd>\n"
        f"<dt>Parameters</dt><dd>{params}</dd>\n"
        f"<dt>On the seed data</dt><dd>{esc(q.expects)}</dd>\n"
        f"<dt>Run it</dt><dd><code>{esc(run)}</code></dd>\n"
        f"<dt>File</dt><dd><code>queries/{esc(q.path.name)}</code></dd>\n"
        "</dl>\n"
        f'<pre><code class="language-sparql">{esc(q.text)}</code></pre>\n</section>'
    )


def index_html(graph: Graph, queries: list[CatalogueQuery]) -> str:
    """The landing page: what the two other pages hold, and the ontology's individuals."""
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    ont = next(graph.subjects(RDF.type, OWL.Ontology), None)
    version = graph.value(ont, OWL.versionInfo) if ont is not None else None
    rows = []
    for ind in sorted(set(graph.subjects(RDF.type, OWL.NamedIndividual)), key=str):
        kinds = sorted(
            graph.namespace_manager.normalizeUri(t)
            for t in graph.objects(ind, RDF.type)
            if t != OWL.NamedIndividual
        )
        rows.append(
            (
                graph.namespace_manager.normalizeUri(ind),
                graph.value(ind, RDFS.label) or "",
                ", ".join(kinds),
                graph.value(ind, SKOS.notation) or "",
                graph.value(ind, SKOS.definition) or "",
            )
        )
    body = (
        "<ul>\n"
        '<li><a href="ontology.html">The ontology</a>: every class and property of '
        "<code>tk:</code> with its definition, its alignment to W3C and community vocabularies, "
        "and the ontology's metadata (written by pyLODE).</li>\n"
        f'<li><a href="queries.html">The question catalogue</a>: the {len(queries)} SPARQL '
        "queries that answer the competency questions, with their parameters and text.</li>\n"
        "</ul>\n"
        "<h2>Named individuals</h2>\n"
        "<p>pyLODE's page has no section for individuals, so they are listed here: the members "
        "of the ontology's code lists, each with the code the source tables write as its "
        "notation (the sectors organisations are classified into, study types, attribution "
        "matches, source and value types, and the schemes of external identifiers; classes "
        "such as <code>tk:Sector</code> and <code>tk:LessDominantSectorOrganisation</code> "
        "enumerate them, which pyLODE shows as a blank node), and the individuals of 0.1 "
        "that they replace.</p>\n"
        + table(["individual", "label", "type", "notation", "definition"], rows)
    )
    lede = "Documentation of the trustkg ontology"
    if version:
        lede += f" (version {version})"
    lede += " and of its question catalogue."
    return page("trustkg documentation", body, lede=lede)
