"""The ontology file: metadata, one label and one definition per term, no undeclared trustkg
IRI, the RDF/XML copy equal to the Turtle, and every term the data model names declared."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS

from trustkg.core.iris import TK
from trustkg.core.resources import ontology_file, ontology_owl_file

from ..conftest import REPO

VANN = rdflib.Namespace("http://purl.org/vocab/vann/")
DECLARATIONS = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
}


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ontology_file(), format="turtle")


def tk_terms(g: rdflib.Graph) -> set[URIRef]:
    return {
        s for s, t in g.subject_objects(RDF.type) if str(s).startswith(TK) and t in DECLARATIONS
    }


def test_header_metadata(onto):
    (o,) = onto.subjects(RDF.type, OWL.Ontology)
    assert str(o) == "https://w3id.org/trustkg/ontology"
    for prop in (
        OWL.versionIRI,
        OWL.versionInfo,
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.creator,
        DCTERMS.license,
        DCTERMS.created,
        DCTERMS.modified,
        VANN.preferredNamespacePrefix,
    ):
        assert onto.value(o, prop) is not None, f"ontology header lacks {prop}"
    assert str(onto.value(o, VANN.preferredNamespacePrefix)) == "tk"
    # rdflib.namespace.XSD, not a module-level XSD: pytest probes every module-level name for
    # attributes XSD does not define, and rdflib warns on each
    assert onto.value(o, DCTERMS.created).datatype == rdflib.namespace.XSD.date


def test_every_term_has_one_english_label_and_one_definition(onto):
    terms = tk_terms(onto)
    assert len(terms) > 80
    problems = []
    for t in sorted(terms):
        labels = list(onto.objects(t, RDFS.label))
        defs = list(onto.objects(t, SKOS.definition))
        if len(labels) != 1 or labels[0].language != "en":
            problems.append(f"{t}: labels {labels}")
        elif str(labels[0]) != str(labels[0]).strip() or "  " in str(labels[0]):
            problems.append(f"{t}: label whitespace {labels[0]!r}")
        if len(defs) != 1 or defs[0].language != "en" or len(str(defs[0])) < 20:
            problems.append(f"{t}: definitions {defs}")
    assert not problems, problems


def test_no_two_terms_share_a_label(onto):
    labels = Counter(str(onto.value(t, RDFS.label)).lower() for t in tk_terms(onto))
    assert [label for label, n in labels.items() if n > 1] == []


def test_every_trustkg_iri_used_is_declared(onto):
    used = {
        term
        for triple in onto
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(TK)
    }
    assert used - tk_terms(onto) == set()


def test_a_typo_in_an_iri_would_be_caught(onto):
    """The check above is not vacuous: a misspelt term is undeclared."""
    g = rdflib.Graph() + onto
    g.add((URIRef(TK + "Quotaton"), RDFS.subClassOf, URIRef(TK + "Evidence")))
    used = {t for tr in g for t in tr if isinstance(t, URIRef) and str(t).startswith(TK)}
    assert URIRef(TK + "Quotaton") in used - tk_terms(g)


def test_rdfxml_copy_is_the_same_graph(onto):
    owl = rdflib.Graph().parse(ontology_owl_file(), format="xml")
    assert isomorphic(onto, owl)


def test_terms_named_in_the_data_model_are_declared(onto):
    text = (REPO / "docs" / "data-model.md").read_text(encoding="utf-8")
    section = text.split("## Ontology terms the loader uses", 1)[1].split("Reused terms", 1)[0]
    named = set(re.findall(r"`tk:(\w+)`", section))
    assert len(named) > 80
    declared = {str(t)[len(TK) :] for t in tk_terms(onto)}
    assert named - declared == set()


def test_alignments_reuse_standard_vocabularies_without_redefining_them(onto):
    ns = (
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/2004/02/skos/core#",
        "http://xmlns.com/foaf/0.1/",
        "http://purl.org/ontology/bibo/",
    )
    targets = {str(o) for _, p, o in onto if p in (RDFS.subClassOf, RDFS.subPropertyOf)}
    for prefix in ns:
        assert any(t.startswith(prefix) for t in targets), f"no alignment to {prefix}"
    for s in set(onto.subjects()):
        if (
            isinstance(s, URIRef)
            and not str(s).startswith(TK)
            and str(s) != str(next(onto.subjects(RDF.type, OWL.Ontology)))
        ):
            assert onto.value(s, RDFS.label) is None, f"redefines the label of {s}"
            assert onto.value(s, SKOS.definition) is None, f"redefines {s}"


def test_sectors_form_a_skos_scheme(onto):
    scheme = URIRef(TK + "SectorScheme")
    sectors = set(onto.subjects(SKOS.inScheme, scheme))
    notations = {str(onto.value(s, SKOS.notation)) for s in sectors}
    assert notations == {
        "health",
        "local-government",
        "social-care",
        "voluntary-community",
        "independent-provider",
    }
    assert (scheme, RDF.type, SKOS.ConceptScheme) in onto
    assert Literal("0.1.0") in set(onto.objects(None, OWL.versionInfo))
