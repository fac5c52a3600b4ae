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

The question catalogue page (:mod:`.catalogue`, the same page ``trustkg serve`` shows) gives
each query's title, question, CQ, parameters and SPARQL text.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.atomic import staged_output
from ..core.resources import ontology_file
from ..sparql.catalogue import CatalogueQuery, catalogue
from .catalogue import catalogue_html
from .html import page, table

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
    from rdflib import DCTERMS, RDFS, Literal
    from rdflib import Graph as RdfGraph
    from rdflib.namespace import OWL, RDF, SKOS

    copy = RdfGraph()
    for prefix, ns in graph.namespaces():
        copy.bind(prefix, ns, override=True)
    has_ontology = (None, RDF.type, OWL.Ontology) in graph
    # pyLODE escapes the labels and titles it shows, but reads every other literal as Markdown,
    # raw HTML included: those are handed over escaped, so they show as the ontology says them
    escaped_as_text = {RDFS.label, SKOS.prefLabel, DCTERMS.title, SKOS.example}
    for s, p, o in graph:
        if has_ontology and (p, o) == (RDF.type, SKOS.ConceptScheme):
            continue  # see the module docstring: OntPub would take it for the ontology
        if isinstance(o, Literal) and p not in escaped_as_text and not str(o).startswith("http"):
            o = Literal(markdown_text(str(o)), lang=o.language, datatype=o.datatype)
        copy.add((s, p, o))
    return _ontpub()(copy, sort_subjects=True).make_html()


#: what Python-Markdown reads as syntax and lets a backslash escape (``<`` ``>`` ``&`` become
#: entities instead), and what in a text would make Markdown see syntax at all
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
_SYNTAX = re.compile(r"[<>&*_`\[\]\\]|^\s*([#+-]|\d+\.)\s", re.M)


def markdown_text(text: str) -> str:
    """``text`` as Markdown that renders as the text itself: unchanged when Markdown would
    see no syntax in it, else syntax backslash-escaped and ``<``, ``>``, ``&`` as entities.

    >>> markdown_text("<b>x</b> *y*"), markdown_text("plain words, 1.5 too")
    ('&lt;b&gt;x&lt;/b&gt; \\\\*y\\\\*', 'plain words, 1.5 too')
    """
    if not _SYNTAX.search(text):
        return text
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN.sub(r"\\\1", text)


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
