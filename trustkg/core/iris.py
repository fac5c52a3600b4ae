"""The one place where trustkg mints IRIs and names the vocabularies it uses.

Every data IRI is ``{DATA}{study}/{kind}/{id}``: deterministic from the source identifiers, so a
rebuild gives the same graph, and scoped by study, so two studies never collide.

>>> data_iri("li2018", "quotation", "Q03")
'https://w3id.org/trustkg/data/li2018/quotation/Q03'
>>> curie(TK + "Quotation")
'tk:Quotation'
"""

from __future__ import annotations

import re
from urllib.parse import quote

TK = "https://w3id.org/trustkg/ontology#"
DATA = "https://w3id.org/trustkg/data/"
ONTOLOGY_IRI = "https://w3id.org/trustkg/ontology"
ONTOLOGY_GRAPH = DATA + "ontology/graph"
#: the memberships ``trustkg reason --write`` inferred (copied into the default graph too)
INFERRED_GRAPH = DATA + "inferred/graph"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
FOAF = "http://xmlns.com/foaf/0.1/"
BIBO = "http://purl.org/ontology/bibo/"
CITO = "http://purl.org/spar/cito/"
FABIO = "http://purl.org/spar/fabio/"
PRISM = "http://prismstandard.org/namespaces/basic/2.0/"
ADMS = "http://www.w3.org/ns/adms#"
SSSOM = "https://w3id.org/sssom/"
SH = "http://www.w3.org/ns/shacl#"
DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
PAV = "http://purl.org/pav/"
SD = "http://www.w3.org/ns/sparql-service-description#"
DCTYPES = "http://purl.org/dc/dcmitype/"
SEMAPV = "https://w3id.org/semapv/vocab/"
#: trustkg's own annotation terms for shapes (e.g. the whole-graph SELECT of a SPARQL rule)
TK_SHAPES = "https://w3id.org/trustkg/shapes#"
RDF_TYPE = RDF + "type"

PREFIXES: dict[str, str] = {
    "tk": TK,
    "tkd": DATA,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "foaf": FOAF,
    "bibo": BIBO,
    "cito": CITO,
    "fabio": FABIO,
    "prism": PRISM,
    "adms": ADMS,
    "sssom": SSSOM,
    "semapv": SEMAPV,
    "sh": SH,
}

_STUDY_ID = re.compile(r"[a-z][a-z0-9_-]*")

#: First path segments under DATA that trustkg mints for things other than studies (shared
#: nodes, and the graphs ``publish`` names ``{segment}/graph``); a study may not take them.
RESERVED_IDS = frozenset(
    {"ontology", "shared", "dataset", "inferred", "curator", "identifier", "area"}
)


def valid_study_id(study: str) -> bool:
    """Study ids become IRI path segments and graph names, so they are kept plain (the whole
    id must match: a '$' would let a trailing newline through), and clear of the segments
    trustkg uses itself.

    >>> valid_study_id("carestudy"), valid_study_id("Care Study"), valid_study_id("shared")
    (True, False, False)
    """
    return bool(_STUDY_ID.fullmatch(study)) and study not in RESERVED_IDS


_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]*")


def quote_id(ident: str) -> str:
    """An id as an IRI path segment: percent-quoted, except the unreserved characters.

    Most ids need no quoting, and a build quotes a quarter of a million of them at a million
    triples, so those skip ``urllib``'s quote.

    >>> quote_id("N3-P08"), quote_id("café 1")
    ('N3-P08', 'caf%C3%A9%201')
    """
    return ident if _UNRESERVED.fullmatch(ident) else quote(ident, safe="-_.~")


def data_iri(study: str, kind: str, ident: str) -> str:
    """The IRI of a study's row: ``data_iri('li2018', 'quotation', 'Q03')``."""
    return f"{DATA}{study}/{kind}/{quote_id(ident)}"


def study_iri(study: str) -> str:
    return f"{DATA}{study}/study"


def graph_iri(study: str) -> str:
    """The named graph that holds one study's triples."""
    return f"{DATA}{study}/graph"


def curator_iri(name: str = "trustkg") -> str:
    return f"{DATA}curator/{quote_id(name)}"


def identifier_iri(scheme: str, value: str) -> str:
    """One IRI per (scheme, code), shared by every study and register extract that names the
    code: the same ODS code in a study's table and in a register joins without a query.

    >>> identifier_iri("ods", "RBD")
    'https://w3id.org/trustkg/data/identifier/ods/RBD'
    """
    return data_iri("identifier", scheme, value)


def curie(iri: str) -> str:
    """Shorten an IRI with trustkg's prefixes, for messages and tables a person reads."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best):
            best, chosen = ns, prefix
    if best:
        return f"{chosen}:{iri[len(best) :]}"
    return f"<{iri}>"
