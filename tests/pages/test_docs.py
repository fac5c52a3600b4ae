"""`trustkg docs`: pyLODE's ontology page shows every term with its definition, the alignments
and the ontology's own metadata; the catalogue page shows every query, escaped; mistakes are
one line."""

from __future__ import annotations

import html
import logging
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import SKOS

from trustkg.core.resources import ontology_file
from trustkg.pages.docs import PAGES, write_docs
from trustkg.sparql.catalogue import catalogue

from ..browser import chromium_page, screenshot

TK = "https://w3id.org/trustkg/ontology#"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(markup: str) -> str:
    """What a reader sees: the page's text with whitespace collapsed."""
    parser = _Text()
    parser.feed(markup)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    written = write_docs(out)
    assert [p.name for p in written] == list(PAGES)
    return out


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file())


def _tk_terms(g: Graph, kind: URIRef) -> list[URIRef]:
    terms = [s for s in g.subjects(RDF.type, kind) if str(s).startswith(TK)]
    assert terms, f"no {kind} found"  # a glob that finds nothing must not pass
    return sorted(terms)


@pytest.mark.parametrize(
    "kind", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty], ids=lambda k: k.split("#")[1]
)
def test_every_term_is_shown_with_its_label_and_definition(site, ontology, kind):
    markup = (site / "ontology.html").read_text(encoding="utf-8")
    text = text_of(markup)
    for term in _tk_terms(ontology, kind):
        assert str(term) in markup, term
        label = str(ontology.value(term, RDFS.label))
        definition = " ".join(str(ontology.value(term, SKOS.definition)).split())
        assert label in text, (term, label)
        assert definition in text, (term, definition[:60])


def test_alignments_to_external_vocabularies_are_shown(site, ontology):
    markup = (site / "ontology.html").read_text(encoding="utf-8")
    external = {
        str(o)
        for p in (RDFS.subClassOf, RDFS.subPropertyOf)
        for s, o in ontology.subject_objects(p)
        if str(s).startswith(TK) and isinstance(o, URIRef) and not str(o).startswith(TK)
    }
    assert "http://www.w3.org/ns/prov#Activity" in external and len(external) > 10
    for iri in sorted(external):
        assert iri in markup, iri
    # the alignment is drawn on the tk: term's own entry: Study is a sub class of prov:Activity
    study = markup[markup.index(f"<code>{TK}Study</code>") :]
    study = study[: study.index('class="property entity"')]
    assert "Sub Class Of" in text_of(study)
    assert 'href="http://www.w3.org/ns/prov#Activity"' in study


def test_every_reused_term_is_listed_with_its_source(site, ontology):
    """Each external class or property the ontology declares is on the page with its IRI and
    the vocabulary that defines it (rdfs:isDefinedBy, which pyLODE shows as "Is Defined By")."""
    text = text_of((site / "ontology.html").read_text(encoding="utf-8"))
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    reused = sorted(
        t
        for k in kinds
        for t in ontology.subjects(RDF.type, k)
        if isinstance(t, URIRef) and not str(t).startswith(TK)
    )
    assert len(reused) > 40
    for term in reused:
        source = ontology.value(term, RDFS.isDefinedBy)
        assert source is not None, term
        at = text.find(f"IRI {term} ")
        assert at >= 0, f"{term} is not on the page"
        shown = text[at : at + 400].split(" IRI ", 1)[0]
        names = {str(source), ontology.namespace_manager.normalizeUri(source)}
        assert "Is Defined By" in shown and any(n in shown for n in names), (term, shown)


def test_the_metadata_is_the_ontology_s_own(site, ontology):
    markup = (site / "ontology.html").read_text(encoding="utf-8")
    start = markup.index('id="metadata"')
    meta = markup[start : markup.index('id="classes"', start)]
    text = text_of(meta)
    ont = next(ontology.subjects(RDF.type, OWL.Ontology))
    assert f"IRI {ont}" in text
    assert "SectorScheme" not in meta  # pyLODE would take the SKOS concept scheme for it
    for value in (
        "trustkg ontology: inter-organisational trust in integrated care",
        "https://w3id.org/trustkg/ontology/0.2.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "trustkg contributors",
    ):
        assert value in text, value


def test_index_lists_the_individuals_pylode_leaves_out(site, ontology):
    text = text_of((site / "index.html").read_text(encoding="utf-8"))
    individuals = sorted(ontology.subjects(RDF.type, OWL.NamedIndividual))
    assert len(individuals) >= 8
    for ind in individuals:
        assert str(ontology.value(ind, RDFS.label)) in text
        assert " ".join(str(ontology.value(ind, SKOS.definition)).split()) in text


def test_catalogue_page_shows_every_query_escaped(site):
    markup = (site / "queries.html").read_text(encoding="utf-8")
    queries = catalogue()
    assert len(queries) >= 17
    blocks = re.findall(r'<pre><code class="language-sparql">(.*?)</code></pre>', markup, re.S)
    assert [html.unescape(b) for b in blocks] == [q.text for q in queries]
    for q in queries:
        start = markup.index(f'<section id="{q.name}">')
        section = markup[start : markup.index("</section>", start)]
        text = text_of(section)
        for value in (q.title, q.question, q.expects, f"trustkg query run {q.short}"):
            assert " ".join(value.split()) in text, (q.name, value[:40])
        assert q.cq in text
        for p in q.params:
            assert p.name in text and " ".join(p.description.split()) in text
    # SPARQL's < and > (IRIs, comparisons) are escaped, never markup
    assert "&lt;https://w3id.org/trustkg/ontology#&gt;" in markup


def test_pylode_does_not_change_the_logging_of_the_process(tmp_path):
    root = logging.getLogger()
    before = (root.level, list(root.handlers))
    write_docs(tmp_path / "d")
    assert (root.level, list(root.handlers)) == before


def test_docs_open_in_a_browser(site):
    with chromium_page(1280, 900) as page:
        page.goto((site / "index.html").as_uri())
        screenshot(page, "docs-index.png")
        page.click("text=The ontology")
        page.wait_for_load_state("load")
        assert page.url.endswith("ontology.html")
        headings = page.locator("h2").all_inner_texts()
        assert {"Metadata", "Classes", "Object Properties", "Datatype Properties"} <= set(headings)
        # (no screenshot of this page: it is 66,000 pixels tall and takes seconds to capture)
        page.goto((site / "queries.html").as_uri() + "#cq04-participants-per-network-sector")
        assert page.locator("section#cq04-participants-per-network-sector pre").is_visible()
        screenshot(page, "docs-queries.png")


def test_docs_out_on_a_file_is_one_line(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    res = subprocess.run(
        [sys.executable, "-m", "trustkg.cli", "docs", "--out", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("trustkg: error:")


def test_docs_library_refuses_a_file_as_out(tmp_path):
    from trustkg.core.errors import TrustkgError

    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(TrustkgError, match="must name a folder"):
        write_docs(target)
    assert target.read_text() == "x"


def test_pages_show_hostile_values_as_text():
    """A definition, label or query text written to break a page shows as itself: in pyLODE's
    ontology page (which reads definitions as Markdown), the index and the catalogue page that
    `docs` and `serve` share."""
    from trustkg.pages.catalogue import ServerLinks, catalogue_html
    from trustkg.pages.docs import index_html, ontology_html
    from trustkg.sparql.catalogue import CatalogueQuery, Param

    from ..conftest import HOSTILE

    evil = " ".join(v for v in HOSTILE if "\n" not in v and "\x1b" not in v)
    graph = Graph().parse(ontology_file(), format="turtle")
    quotation = URIRef(TK + "Quotation")
    graph.remove((quotation, SKOS.definition, None))
    graph.add((quotation, SKOS.definition, rdflib_literal(evil)))
    individual = next(graph.subjects(RDF.type, OWL.NamedIndividual))
    graph.remove((individual, RDFS.label, None))
    graph.add((individual, RDFS.label, rdflib_literal(evil)))
    query = CatalogueQuery(
        "evil",
        Path("evil.rq"),
        evil,
        evil,
        "CQ99",
        evil,
        [Param("p", '"x"', evil)],
        "SELECT * WHERE { ?s ?p '<script>' }",
    )
    server = ServerLinks(
        "http://127.0.0.1:1/", "http://127.0.0.1:1/query", "http://127.0.0.1:1/store?a=1&b=2"
    )
    pages = {
        "ontology": ontology_html(graph),
        "index": index_html(graph, [query]),
        "docs catalogue": catalogue_html([query]),
        "serve catalogue": catalogue_html([query], server),
    }
    for name, markup in pages.items():
        assert "<script>" not in markup and "<b>" not in markup, name
        assert " ".join(evil.split()) in text_of(markup), name


def rdflib_literal(text: str):
    from rdflib import Literal

    return Literal(text, lang="en")
