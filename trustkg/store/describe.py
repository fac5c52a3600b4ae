"""The dataset description: DCAT and VoID, after the W3C HCLS dataset-description profile.

A graph on a shared server is found and trusted through its description: what it is, under
which licence, which version built it, how big each part is and where to query it. ``build``
writes it beside the store (``dataset.ttl``) and into the store's own named graph, so ``serve``
answers for it; ``publish`` pushes a copy that also names the SPARQL endpoint. Every figure is
counted from the store, never written by hand.

The profile's three levels are kept: the summary (the dataset whatever its version), the
version (the trustkg release that built it) and the RDF distribution, whose VoID subsets are the
named graphs of ``graphs.py``, each with its graph name (``sd:name``) and triple count.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ..core import iris
from ..core.iris import DCAT, DCTYPES, FOAF, PAV, SD, VOID
from ..core.version import __version__
from .graphs import DEFAULT_BASE, DESCRIPTION, Part, graph_name

PREFIXES = {
    "dcat": DCAT,
    "void": VOID,
    "dct": iris.DCTERMS,
    "dctypes": DCTYPES,
    "pav": PAV,
    "sd": SD,
    "foaf": FOAF,
    "xsd": iris.XSD,
}

#: The dataset's IRI (the HCLS summary level); versions and subsets hang below it.
DATASET = iris.DATA + "dataset"
#: The named graph of the store that holds the description.
DESCRIPTION_GRAPH = graph_name(DEFAULT_BASE, DESCRIPTION)
#: The file ``build`` writes into the store folder.
DESCRIPTION_FILE = "dataset.ttl"

HOMEPAGE = "https://w3id.org/trustkg"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"

#: Licences of the texts that trustkg's bundled studies transcribe, by the DOI of the paper.
#: The study tables have no licence column, so this is where a study's licence comes from: the
#: 2018 study is transcribed from its accepted manuscript, published under CC BY-NC-ND 4.0.
TEXT_LICENCES = {
    "10.1016/j.healthpol.2018.09.003": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
}


def describe(
    store,
    parts: Sequence[Part],
    *,
    base: str = DEFAULT_BASE,
    endpoint: str | None = None,
    issued: datetime | None = None,
) -> list:
    """The description as pyoxigraph triples.

    ``parts`` is ``graphs.split(store)``; ``base`` names the graphs as they are (or will be)
    published; ``endpoint`` and ``issued`` are set by ``publish``. The same store and arguments
    give the same triples, so a rebuild gives the same description.
    """
    import pyoxigraph as ox

    def n(iri: str):
        return ox.NamedNode(iri)

    def text(value: str):
        return ox.Literal(value, language="en")

    def count(value: int):
        return ox.Literal(str(value), datatype=n(iris.XSD + "integer"))

    dct = iris.DCTERMS
    version_node = n(f"{DATASET}/{__version__}")
    dist = n(f"{DATASET}/{__version__}/rdf")
    summary = n(DATASET)
    facts = _facts(store, parts)
    out: list = []

    def add(s, p: str, o) -> None:
        out.append(ox.Triple(s, n(p), o))

    studies = [p for p in parts if p.is_study]
    names = ", ".join(p.key for p in studies) or "none"
    # summary level
    add(summary, iris.RDF + "type", n(DCTYPES + "Dataset"))
    add(summary, iris.RDF + "type", n(DCAT + "Dataset"))
    add(summary, dct + "title", text("trustkg: trust between health and social care organisations"))
    add(
        summary,
        dct + "description",
        text(
            "A knowledge graph of inter-organisational trust in integrated health and social "
            "care, built by trustkg from coded qualitative studies (studies: " + names + "). "
            "Each study is a named graph; the ontology and the nodes studies share have "
            "graphs of their own."
        ),
    )
    add(summary, FOAF + "page", n(HOMEPAGE))
    for word in ("integrated care", "inter-organisational trust", "qualitative research"):
        add(summary, DCAT + "keyword", text(word))
    add(summary, PAV + "hasCurrentVersion", version_node)
    licences = {p.key: facts["licences"].get(p.key) for p in parts if p.triples}
    known = {lic for lic in licences.values() if lic}
    if len(known) == 1 and all(licences.values()):
        add(summary, dct + "license", n(known.pop()))
    else:
        said = "; ".join(f"{key}: {lic}" for key, lic in licences.items() if lic)
        unsaid = ", ".join(key for key, lic in licences.items() if not lic)
        add(
            summary,
            dct + "rights",
            text(
                "Its parts carry different licences, each on its subset"
                + (f" ({said})" if said else "")
                + (f"; none is recorded for {unsaid}" if unsaid else "")
                + ". Cite the papers the studies transcribe when you use them."
            ),
        )
    # version level
    add(version_node, iris.RDF + "type", n(DCTYPES + "Dataset"))
    add(version_node, iris.RDF + "type", n(DCAT + "Dataset"))
    add(version_node, dct + "title", text(f"trustkg graph built by trustkg {__version__}"))
    add(version_node, dct + "isVersionOf", summary)
    add(version_node, PAV + "version", ox.Literal(__version__))
    add(version_node, PAV + "createdWith", n(HOMEPAGE))
    if facts["ontology_version"]:
        add(version_node, dct + "conformsTo", n(facts["ontology_version"]))
    add(version_node, DCAT + "distribution", dist)
    if issued is not None:
        when = issued.isoformat(timespec="seconds")
        add(version_node, dct + "issued", ox.Literal(when, datatype=n(iris.XSD + "dateTime")))
    # distribution level: the RDF itself, its statistics and its named graphs
    add(dist, iris.RDF + "type", n(VOID + "Dataset"))
    add(dist, iris.RDF + "type", n(DCAT + "Distribution"))
    add(dist, dct + "title", text(f"trustkg graph built by trustkg {__version__}, as RDF"))
    add(dist, dct + "conformsTo", n(iris.ONTOLOGY_IRI))
    add(dist, VOID + "triples", count(sum(p.triples for p in parts)))
    add(dist, VOID + "classes", count(facts["classes"]))
    add(dist, VOID + "uriSpace", ox.Literal(iris.DATA))
    add(dist, VOID + "vocabulary", n(iris.TK))
    if endpoint:
        service = n(f"{DATASET}/{__version__}/sparql")
        add(dist, VOID + "sparqlEndpoint", n(endpoint))
        add(dist, DCAT + "accessService", service)
        add(service, iris.RDF + "type", n(DCAT + "DataService"))
        add(service, dct + "title", text("SPARQL endpoint"))
        add(service, DCAT + "endpointURL", n(endpoint))
        add(service, DCAT + "servesDataset", dist)
        add(service, dct + "conformsTo", n(SPARQL_PROTOCOL))
    for part in parts:
        subset = n(f"{DATASET}/{__version__}/rdf/{part.key}")
        add(dist, VOID + "subset", subset)
        add(subset, iris.RDF + "type", n(VOID + "Dataset"))
        add(subset, iris.RDF + "type", n(SD + "NamedGraph"))
        add(subset, dct + "title", text(part.title))
        add(subset, dct + "identifier", ox.Literal(part.key))
        add(subset, SD + "name", n(part.graph(base)))
        add(subset, VOID + "triples", count(part.triples))
        if part.source:
            add(subset, dct + "source", n(part.source))
        if licences.get(part.key):
            add(subset, dct + "license", n(licences[part.key]))
    return out


def _facts(store, parts: Sequence[Part]) -> dict:
    """What the description reads from the graph: licences, ontology version, statistics.

    Only statistics that Oxigraph answers from an index are kept: counting distinct subjects
    or properties reads every triple (0.7 s per million), more than the rest together."""
    licences: dict[str, str] = {}
    onto = list(
        store.query(
            f"""SELECT ?licence ?version WHERE {{
                OPTIONAL {{ <{iris.ONTOLOGY_IRI}> <{iris.DCTERMS}license> ?licence }}
                OPTIONAL {{ <{iris.ONTOLOGY_IRI}> <{iris.OWL}versionIRI> ?version }} }}"""
        )
    )
    row = onto[0] if onto else None
    if row is not None and row["licence"] is not None:
        licences["ontology"] = row["licence"].value
    ontology_version = row["version"].value if row is not None and row["version"] else None
    for part in parts:
        if not (part.is_study and part.source):
            continue
        query = f"""SELECT ?doi WHERE {{ <{part.source}> <{iris.TK}hasPublication> ?pub .
                    ?pub <{iris.BIBO}doi> ?doi }}"""
        for r in store.query(query):
            lic = TEXT_LICENCES.get(r["doi"].value.lower())
            if lic:
                licences[part.key] = lic
    classes = next(iter(store.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")))
    return {
        "licences": licences,
        "ontology_version": ontology_version,
        "classes": int(classes["n"].value),
    }


def turtle(triples) -> bytes:
    """The description as Turtle with readable prefixes."""
    import pyoxigraph as ox

    first: dict = {}
    for i, t in enumerate(triples):
        first.setdefault(t.subject, i)
    grouped = sorted(triples, key=lambda t: first[t.subject])  # one block per subject
    return ox.serialize(grouped, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


def write_description(store, parts: Sequence[Part], folder) -> list:
    """Write ``dataset.ttl`` into the store folder and load it into the store's description
    graph, kept out of the default graph that the queries' counts and validation see."""
    from pathlib import Path

    import pyoxigraph as ox

    triples = describe(store, parts)
    (Path(folder) / DESCRIPTION_FILE).write_bytes(turtle(triples))
    graph = ox.NamedNode(DESCRIPTION_GRAPH)
    store.extend([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples])
    return triples
