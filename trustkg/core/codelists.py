"""The ontology's closed code lists (sectors, study types, attribution matches, source and value
types, identifier schemes), read from the ontology file: their one source.

Each list is a ``skos:ConceptScheme`` whose members are the individuals of a class enumerated
with ``owl:oneOf``; each member's ``skos:notation`` is the code the source tables write. The
CSVW table schema names the list a column takes its values from (``tk:codeList``), and a test
checks that the schema's own pattern says the same; the data shapes check membership with
``sh:class``; the loader turns a code into its IRI here; the synthetic generator and the figures
take their order from here. Adding a sector is one edit of the ontology.

>>> notations("SectorScheme")[:2]
('health', 'local-government')
>>> iri("SectorScheme", "social-care")
'https://w3id.org/trustkg/ontology#SocialCareSector'
>>> notations("IdentifierScheme")
('ods', 'ons-gss', 'wikidata')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .iris import OWL, RDF, RDFS, SKOS, TK
from .resources import ontology_file


@dataclass(frozen=True)
class Code:
    """One member of a code list."""

    iri: str
    notation: str
    label: str  # skos:prefLabel, else rdfs:label


@cache
def _graph() -> dict[tuple[str, str], list]:
    """The ontology's triples as (subject, predicate) → objects."""
    import pyoxigraph

    values: dict[tuple[str, str], list] = {}
    for t in pyoxigraph.parse(path=str(ontology_file()), format=pyoxigraph.RdfFormat.TURTLE):
        values.setdefault((_key(t.subject), t.predicate.value), []).append(t.object)
    return values


def _key(term) -> str:
    import pyoxigraph

    return f"_:{term.value}" if isinstance(term, pyoxigraph.BlankNode) else term.value


def _objects(node: str, predicate: str) -> list:
    return _graph().get((node, predicate), [])


def _list(head) -> list[str]:
    """The members of an RDF list, in order."""
    out = []
    node = _key(head)
    while node != RDF + "nil":
        out.append(_objects(node, RDF + "first")[0].value)
        node = _key(_objects(node, RDF + "rest")[0])
    return out


def _enumeration(cls: str) -> list[str]:
    """The members a class is enumerated with (``owl:equivalentClass [ owl:oneOf (...) ]``)."""
    for eq in _objects(cls, OWL + "equivalentClass"):
        one_of = _objects(_key(eq), OWL + "oneOf")
        if one_of:
            return _list(one_of[0])
    return []


@cache
def code_list(name: str) -> tuple[Code, ...]:
    """The members of the code list ``name`` (a ``tk:`` concept scheme, or a class enumerated
    with ``owl:oneOf``), in the order of the enumeration.

    Raises ``KeyError`` when the ontology has no such list.
    """
    node = TK + name
    members = _enumeration(node)
    if not members:  # a concept scheme: its members, in their class's order
        in_scheme = {
            s
            for (s, p), objs in _graph().items()
            if p == SKOS + "inScheme" and any(o.value == node for o in objs)
        }
        classes = {t.value for m in in_scheme for t in _objects(m, RDF + "type")}
        ordered = [m for c in sorted(classes) for m in _enumeration(c)]
        members = [m for m in ordered if m in in_scheme]
        members += sorted(in_scheme - set(members))
    if not members:
        raise KeyError(f"the ontology has no code list tk:{name}")
    out = []
    for m in members:
        notation = _objects(m, SKOS + "notation")
        label = _objects(m, SKOS + "prefLabel") or _objects(m, RDFS + "label")
        out.append(Code(m, notation[0].value if notation else "", label[0].value if label else ""))
    return tuple(out)


def notations(name: str) -> tuple[str, ...]:
    """The codes of the list ``name``, as the source tables write them."""
    return tuple(c.notation for c in code_list(name))


def iri(name: str, notation: str) -> str:
    """The IRI of the member of list ``name`` whose code is ``notation`` (``KeyError`` if none)."""
    for c in code_list(name):
        if c.notation == notation:
            return c.iri
    raise KeyError(f"{notation!r} is not a code of tk:{name}")


def label(name: str, notation: str) -> str:
    """The label of the member of list ``name`` whose code is ``notation``."""
    for c in code_list(name):
        if c.notation == notation:
            return c.label
    raise KeyError(f"{notation!r} is not a code of tk:{name}")
