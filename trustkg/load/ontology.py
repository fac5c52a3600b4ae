"""The ontology file as triples for the graph, and what it declares.

The build, validation and the reasoner all start from the ontology's triples, so they are read
here, once, in the layer below the store.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from ..core.errors import TrustkgError
from ..core.iris import OWL
from ..core.resources import ontology_file, ontology_owl_file


def ontology_quads() -> list:
    """The ontology's triples, as pyoxigraph quads in the default graph."""
    import pyoxigraph

    path = ontology_file()
    try:
        triples = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
        return [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples]
    except SyntaxError as exc:
        raise TrustkgError(f"ontology does not parse: {exc}", file=path) from None


def ontology_ntriples() -> str:
    """The ontology as N-Triples text."""
    import pyoxigraph

    triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in ontology_quads()]
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode()


@dataclass
class OntologyInfo:
    iri: str
    version_iri: str
    version: str
    title: str
    classes: int
    object_properties: int
    datatype_properties: int
    annotation_properties: int
    individuals: int
    triples: int
    file: str

    def as_dict(self) -> dict:
        return asdict(self)


_COUNT = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?type (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?type . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/trustkg/ontology#"))
} GROUP BY ?type
"""

_HEADER = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?o ?v ?vi ?t WHERE {
  ?o a owl:Ontology .
  OPTIONAL { ?o owl:versionIRI ?v } OPTIONAL { ?o owl:versionInfo ?vi }
  OPTIONAL { ?o dcterms:title ?t }
} LIMIT 1
"""


def ontology_info() -> OntologyInfo:
    """Read the ontology (Turtle) and count the trustkg terms it declares."""
    import pyoxigraph

    path = ontology_file()
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    owl = OWL
    counts = {row["type"].value: int(row["n"].value) for row in store.query(_COUNT)}
    header = next(iter(store.query(_HEADER)), None)

    def val(key: str) -> str:
        return header[key].value if header is not None and header[key] is not None else ""

    return OntologyInfo(
        iri=val("o"),
        version_iri=val("v"),
        version=val("vi"),
        title=val("t"),
        classes=counts.get(owl + "Class", 0),
        object_properties=counts.get(owl + "ObjectProperty", 0),
        datatype_properties=counts.get(owl + "DatatypeProperty", 0),
        annotation_properties=counts.get(owl + "AnnotationProperty", 0),
        individuals=counts.get(owl + "NamedIndividual", 0),
        triples=len(store),
        file=str(path),
    )


def write_rdfxml() -> Path:
    """Write ``trustkg.owl``, the RDF/XML copy of the Turtle ontology that Protégé and owlready2
    open, from ``trustkg.ttl`` (the file to edit); a test checks the two are the same graph.

    Run it after editing the ontology: ``python -m trustkg.load.ontology``.
    """
    import warnings

    from rdflib import Graph

    graph = Graph().parse(ontology_file(), format="turtle")
    with warnings.catch_warnings():  # rdflib notes that list nodes carry only first/rest
        warnings.simplefilter("ignore", UserWarning)
        text = graph.serialize(format="pretty-xml")
    out = ontology_owl_file()
    out.write_text(text, encoding="utf-8")
    return out


if __name__ == "__main__":
    print(write_rdfxml())
