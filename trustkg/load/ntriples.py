r"""N-Triples lines, and the one emitter of stated facts and curated links.

Every loader writes N-Triples text, which Oxigraph's bulk loader parses in Rust: making a Python
object per term (rdflib's, or even pyoxigraph's) would cost most of a big build's time.

Every link a paper states gets a ``tk:StatedFact`` node saying where the paper states it, and
every link this project (or a coder, or a mapping's author) interprets gets a
``tk:CuratedLink`` node with its rationale and curator, so a researcher can always ask whether a
link is the paper's or someone's interpretation (CQ12). Both are reified statements in RDF's own
terms (``rdf:subject``, ``rdf:predicate``, ``rdf:object``) with PROV-O provenance: a stated fact
``prov:wasDerivedFrom`` the paper, a curated link ``prov:wasAttributedTo`` its curator.
:class:`Provenance` writes both, for every loader: the tables of papers, imported QDA projects,
SSSOM mappings and identifiers.

>>> N("https://w3id.org/trustkg/data/li2018/study")
'<https://w3id.org/trustkg/data/li2018/study>'
>>> print(L('He said "no"', language="en"))
"He said \"no\""@en
>>> lit("7", "positiveInteger")
'"7"^^<http://www.w3.org/2001/XMLSchema#integer>'
"""

from __future__ import annotations

import hashlib
from functools import cache

from ..core import codelists, iris
from ..core.iris import DCTERMS, PROV, RDF, RDFS, SKOS, TK, XSD


def N(iri: str) -> str:  # noqa: N802 - reads like the RDF term it makes
    """An IRI term; trustkg mints IRIs from percent-quoted ids, so none needs escaping."""
    return f"<{iri}>"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def L(value: str, datatype: str | None = None, language: str | None = None) -> str:  # noqa: N802
    """A literal term, escaped as N-Triples requires (quote, backslash, line breaks).

    Most texts hold none of the four characters, and looking for them is much cheaper than
    translating a whole quotation (a second of a build at a million triples).
    """
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:
        value = value.translate(_ESCAPES)
    text = '"' + value + '"'
    if language:
        return f"{text}@{language}"
    if datatype and datatype != XSD + "string":
        return f"{text}^^<{datatype}>"
    return text


A = N(RDF + "type")
LABEL = N(RDFS + "label")
PREF = N(SKOS + "prefLabel")
IN_SCHEME = N(SKOS + "inScheme")
DERIVED = N(PROV + "wasDerivedFrom")
ATTRIBUTED = N(PROV + "wasAttributedTo")
TITLE = N(DCTERMS + "title")
DESCRIPTION = N(DCTERMS + "description")
IDENTIFIER = N(DCTERMS + "identifier")
TYPE = N(DCTERMS + "type")
NOTATION = N(SKOS + "notation")
SUBJECT = N(RDF + "subject")
PREDICATE = N(RDF + "predicate")
OBJECT = N(RDF + "object")


@cache
def tk(local: str) -> str:
    """An ontology term as N-Triples; cached, as a build asks for the same few a million times."""
    return N(TK + local)


@cache
def code(scheme: str, notation: str) -> str:
    """A member of one of the ontology's code lists, from the code a table writes.

    >>> code("SectorScheme", "health")
    '<https://w3id.org/trustkg/ontology#HealthSector>'
    """
    return N(codelists.iri(scheme, notation))


def lit(value: str, datatype: str | None = None) -> str:
    """A literal; integer subtypes are written as xsd:integer because Oxigraph stores them so
    (the shapes check the range), and a rebuilt or exported graph must equal the stored one."""
    if datatype in ("positiveInteger", "nonNegativeInteger"):
        return L(str(int(value)), datatype=XSD + "integer")
    if datatype is None:
        return L(value)
    return L(value, datatype=XSD + datatype)


def triple(s: str, p: str, o: str) -> str:
    """One N-Triples line. Everything goes to the store's default graph; the study a triple
    belongs to is told by its subject's ``tk:inStudy``."""
    return f"{s} {p} {o} .\n"


class Provenance:
    """Write stated facts and curated links of one study, each with its provenance node.

    ``described`` is shared by every study of a build: the nodes outside any study (curators)
    whose own triples were already written, so each is written once, not once per link.
    """

    def __init__(self, study: str, publication: str | None, described: set[str]) -> None:
        self.study = study
        self.study_node = N(iris.study_iri(study))
        self.publication = publication
        self.described = described
        self.curator = N(iris.curator_iri())

    def assertion_node(self, s: str, p: str, o: str) -> str:
        """The node that speaks about the link ``s p o``: the same link, the same node."""
        digest = hashlib.sha1(f"{s[1:-1]} {p[1:-1]} {o[1:-1]}".encode()).hexdigest()[:16]
        return N(iris.data_iri(self.study, "assertion", digest))

    def stated(self, s: str, p: str, o: str, location: str, source: str | None = None) -> list[str]:
        """A link the paper states, with the paper and the place that state it."""
        a = self.assertion_node(s, p, o)
        out = [
            triple(s, p, o),
            triple(a, A, tk("StatedFact")),
            triple(a, SUBJECT, s),
            triple(a, PREDICATE, p),
            triple(a, OBJECT, o),
            triple(a, tk("location"), L(location)),
            triple(a, tk("inStudy"), self.study_node),
        ]
        src = source or self.publication
        if src is not None:
            out.append(triple(a, DERIVED, src))
        return out

    def curated(
        self,
        s: str,
        p: str,
        o: str,
        rationale: str,
        *,
        curator: str = "",
        curator_node: str | None = None,
        match: str = "",
        assert_link: bool = True,
    ) -> list[str]:
        """A link someone interprets, with its rationale and curator: a curator's name (the
        project's curators when empty), or ``curator_node``, a coder of an imported study, who
        describes itself."""
        a = self.assertion_node(s, p, o)
        who = curator_node or (N(iris.curator_iri(curator)) if curator else self.curator)
        out = [
            triple(a, A, tk("CuratedLink")),
            triple(a, SUBJECT, s),
            triple(a, PREDICATE, p),
            triple(a, OBJECT, o),
            triple(a, tk("rationale"), L(rationale)),
            triple(a, ATTRIBUTED, who),
            triple(a, tk("inStudy"), self.study_node),
        ]
        if curator_node is None and who not in self.described:
            self.described.add(who)
            out.append(triple(who, A, tk("Curator")))
            out.append(triple(who, LABEL, L(curator or "trustkg curators", language="en")))
        if assert_link:
            out.insert(0, triple(s, p, o))
        if match:
            out.append(triple(a, tk("hasAttributionMatch"), code("AttributionMatchScheme", match)))
        return out
