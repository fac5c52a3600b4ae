"""`trustkg build --out` files read the same in other tools: each export format is loaded into
a real Oxigraph server and a real Virtuoso, each by its own loader, and the graphs they hold
are compared with the store's, term for term (blank nodes up to isomorphism).

The formats must avoid what loaders get wrong. Turtle and TriG once wrote data IRIs as prefixed
names with escaped slashes (``tkd:li2018\\/participant\\/N3-P08``): valid Turtle, but Virtuoso
7.2.5's loaders kept the backslashes in 3,050 lines' IRIs. Virtuoso's bulk loader
(``ld_dir``, ``rdf_loader_run``) is used here, as a user with a file would; Oxigraph loads
through its Graph Store Protocol. JSON-LD is loaded into Oxigraph only: Virtuoso 7.2.5's bulk
loader does not read it (it takes the file for Turtle).
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from trustkg.core import iris
from trustkg.store import open_store
from trustkg.store.build import export_store

from ..conftest import SERVER_KINDS, start_server
from ..servers import SparqlServer

DESCRIPTION = iris.DATA + "dataset/graph"
DEFAULT = "urn:trustkg:test:default"  # where Virtuoso's loader puts a dataset's default graph
#: extension → the media type a Graph Store Protocol upload of it carries
FORMATS = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".owl": "application/rdf+xml",
    ".n3": "text/n3",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".jsonld": "application/ld+json",
}
DATASETS = {".trig", ".nq", ".jsonld"}  # pyoxigraph writes named graphs in JSON-LD too


@pytest.fixture(scope="module", params=SERVER_KINDS)
def loader(request, tmp_path_factory) -> SparqlServer:
    """A fresh server of each kind: the dataset formats load into its default graph."""
    server = start_server(request.param, tmp_path_factory.mktemp(f"loader-{request.param}"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def store_graphs(linked_store: Path) -> dict[str | None, rdflib.Graph]:
    """The store's graphs: None for the default graph (the whole graph), the description's."""
    out: dict[str | None, rdflib.Graph] = {}
    st = open_store(linked_store)
    for name in (None, DESCRIPTION):
        graph = pyoxigraph.DefaultGraph() if name is None else pyoxigraph.NamedNode(name)
        found = [
            pyoxigraph.Triple(q.subject, q.predicate, q.object)
            for q in st.quads_for_pattern(None, None, None, graph)
        ]
        text = pyoxigraph.serialize(found, format=pyoxigraph.RdfFormat.N_TRIPLES).decode()
        out[name] = rdflib.Graph().parse(data=text, format="nt")
    return out


def _load(server: SparqlServer, path: Path, into: str | None) -> None:
    if server.kind == "virtuoso":
        server.load(path.read_bytes(), FORMATS[path.suffix], into)
        return
    url = server.base + "/store" + (f"?graph={into}" if into else "")
    req = urllib.request.Request(
        url, data=path.read_bytes(), method="POST", headers={"Content-Type": FORMATS[path.suffix]}
    )
    urllib.request.urlopen(req, timeout=120).read()


def _held(server: SparqlServer, name: str | None) -> rdflib.Graph:
    if name is None and server.kind == "oxigraph":  # a dataset's default graph
        req = urllib.request.Request(
            server.base + "/store?default", headers={"Accept": "application/n-triples"}
        )
        text = urllib.request.urlopen(req, timeout=60).read().decode("utf-8")
    else:
        text = server.graph_text(name or DEFAULT)
    return rdflib.Graph().parse(data=text, format="nt")


def _no_backslash_in_iris(graph: rdflib.Graph) -> None:
    bad = [t for triple in graph for t in triple if isinstance(t, rdflib.URIRef) and "\\" in t]
    assert not bad, bad[:3]


@pytest.mark.parametrize("ext", sorted(FORMATS))
def test_each_export_loads_as_the_store_holds_it(ext, loader, linked_store, store_graphs, tmp_path):
    if ext == ".jsonld" and loader.kind == "virtuoso":
        pytest.skip("Virtuoso 7.2.5's bulk loader does not read JSON-LD (docs/servers.md)")
    path = export_store(linked_store, tmp_path / f"graph{ext}")
    if ext in DATASETS:
        loader.update(f"CLEAR SILENT GRAPH <{DESCRIPTION}>")
        loader.update(
            "CLEAR SILENT DEFAULT"
            if loader.kind == "oxigraph"
            else f"CLEAR SILENT GRAPH <{DEFAULT}>"
        )
        _load(loader, path, None)
        for name, want in store_graphs.items():
            got = _held(loader, name)
            _no_backslash_in_iris(got)
            assert len(got) == len(want) and isomorphic(got, want), (ext, name)
    else:  # one graph: the union of the store's graphs
        into = f"urn:trustkg:test:export{ext.replace('.', ':')}"
        _load(loader, path, into)
        want = store_graphs[None] + store_graphs[DESCRIPTION]
        got = rdflib.Graph().parse(data=loader.graph_text(into), format="nt")
        _no_backslash_in_iris(got)
        assert len(got) == len(want) and isomorphic(got, want), ext


@pytest.mark.parametrize("ext", [".ttl", ".trig"])
def test_turtle_exports_write_no_escaped_prefixed_name(ext, linked_store, tmp_path):
    """Data IRIs in full; vocabulary terms keep their prefixes (tk:Quotation)."""
    text = export_store(linked_store, tmp_path / f"graph{ext}").read_text("utf-8")
    assert "@prefix tkd:" not in text
    assert "<https://w3id.org/trustkg/data/li2018/participant/N3-P08>" in text
    assert "\ta tk:Participant ;" in text
    outside_strings = [line for line in text.splitlines() if '"' not in line]
    assert not [line for line in outside_strings if "\\" in line][:3]


def test_a_vocabulary_iri_that_would_need_an_escape_is_written_in_full(tmp_path):
    """An IRI under a kept prefix with a slash in its local part (as an imported mapping could
    bring) makes that prefix go, not an escape appear."""
    from trustkg.store.rdfio import export

    odd = pyoxigraph.NamedNode(iris.SKOS + "odd/name")
    quads = [
        pyoxigraph.Quad(
            odd, pyoxigraph.NamedNode(iris.RDFS + "label"), pyoxigraph.Literal("a\\/b")
        ),
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(iris.TK + "Quotation"),
            pyoxigraph.NamedNode(iris.RDF + "type"),
            pyoxigraph.NamedNode(iris.OWL + "Class"),
        ),
    ]
    text = export(quads, tmp_path / "odd.ttl").read_text("utf-8")
    assert f"<{iris.SKOS}odd/name>" in text and "skos:odd" not in text
    assert "tk:Quotation a owl:Class" in text  # the other prefixes stay
    assert '"a\\\\/b"' in text  # a backslash inside a literal is the literal's own
