"""The ontology file: metadata, one label and one definition per term, no undeclared IRI, the
RDF/XML copy equal to the Turtle, every term the data model names declared; OWL 2 DL; reuse of
standard terms with their sources; study-neutral definitions; one naming scheme; retired terms
kept, and never written."""

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
    assert Literal("0.2.0") in set(onto.objects(None, OWL.versionInfo))


def live_terms(g: rdflib.Graph) -> set[URIRef]:
    return {t for t in tk_terms(g) if (t, OWL.deprecated, Literal(True)) not in g}


def retired_terms(g: rdflib.Graph) -> set[URIRef]:
    return tk_terms(g) - live_terms(g)


@pytest.mark.parametrize("path", [ontology_file, ontology_owl_file], ids=["turtle", "rdfxml"])
def test_the_ontology_is_in_the_owl_2_dl_profile(path):
    """py-horned-owl's OWL 2 DL check (undeclared entities, illegal punning, reserved vocabulary,
    non-simple properties in cardinality restrictions...), on both files Protégé may open."""
    from pyhornedowl import open_ontology_from_file
    from pyhornedowl.profile import check_profile

    report = check_profile(open_ontology_from_file(str(path())), "DL")
    assert report.conformant, [getattr(v, "message", repr(v)) for v in report.violations]


def test_the_profile_check_is_not_vacuous(tmp_path):
    """The same check refuses an undeclared property and a property punned as two kinds."""
    from pyhornedowl import open_ontology_from_file
    from pyhornedowl.profile import check_profile

    bad = tmp_path / "bad.ttl"
    bad.write_text(
        ontology_file().read_text(encoding="utf-8")
        + "\ntk:saidBy a owl:DatatypeProperty .\ntk:Quotation rdfs:subClassOf"
        " [ a owl:Restriction ; owl:onProperty tk:undeclared ; owl:someValuesFrom tk:Role ] .\n",
        encoding="utf-8",
    )
    report = check_profile(open_ontology_from_file(str(bad)), "DL")
    kinds = {type(v).__name__ for v in report.violations}
    assert not report.conformant
    assert {"UseOfIllegalPunning", "UseOfUndeclaredObjectProperty"} <= kinds


def test_every_reused_term_is_declared_with_its_source(onto):
    """Protégé warns of nothing undeclared: every IRI used as a class or property is declared
    with its kind, and every external one names the vocabulary that defines it."""
    ontology = next(onto.subjects(RDF.type, OWL.Ontology))
    positions = {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.onProperty,
        OWL.onClass,
        OWL.someValuesFrom,
        OWL.equivalentClass,
        OWL.inverseOf,
    }
    used = {o for _, p, o in onto if p in positions and isinstance(o, URIRef)}
    used |= {p for _, p, _ in onto if p != RDF.type}
    builtin = (
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/2002/07/owl#",
        "http://www.w3.org/2001/XMLSchema#",
    )
    external = {t for t in used if not str(t).startswith((TK, *builtin))}
    assert len(external) > 40
    for term in sorted(external):
        kinds = set(onto.objects(term, RDF.type)) & DECLARATIONS
        assert kinds, f"{term} is used but not declared"
        assert onto.value(term, RDFS.isDefinedBy) is not None, f"{term} names no source"
    assert ontology not in external


def test_definitions_hold_for_any_study(onto):
    """What belongs to one paper is a skos:example or skos:scopeNote, not the definition."""
    particular = re.compile(
        r"\b(19|20)[0-9]{2}\b(?![ -]?codes)|Table [0-9]|Appendix|\bseed\b|Li et al"
    )
    found = {
        str(t): str(d)
        for t in tk_terms(onto)
        for d in onto.objects(t, SKOS.definition)
        if particular.search(str(d))
    }
    assert found == {}
    assert any(True for _ in onto.subject_objects(SKOS.example))


def test_one_naming_scheme(onto):
    """UpperCamelCase classes and individuals, lowerCamelCase properties, no '_' or '-'."""
    for t in live_terms(onto):
        local = str(t)[len(TK) :]
        kinds = set(onto.objects(t, RDF.type))
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", local), local
        if kinds & {OWL.Class, OWL.NamedIndividual}:
            assert local[0].isupper(), local
        else:
            assert local[0].islower(), local
    header = ontology_file().read_text(encoding="utf-8").split("@prefix", 1)[0]
    assert "# Naming." in header


def test_terms_aligned_to_a_standard_say_what_they_add(onto):
    """A tk: term kept beside a standard term (rdfs:subClassOf/subPropertyOf it) says in its
    editorial note what it means that the standard term does not."""
    missing = []
    for t in live_terms(onto):
        supers = list(onto.objects(t, RDFS.subClassOf)) + list(onto.objects(t, RDFS.subPropertyOf))
        if any(isinstance(x, URIRef) and not str(x).startswith(TK) for x in supers):
            if onto.value(t, SKOS.editorialNote) is None:
                missing.append(str(t))
    assert missing == []


def test_retired_terms_are_deprecated_with_their_replacement(onto):
    retired = retired_terms(onto)
    assert len(retired) >= 45
    for t in retired:
        replacement = onto.value(t, DCTERMS.isReplacedBy)
        assert replacement is not None, t
        assert str(onto.value(t, RDFS.label)).startswith("obsolete "), t
        if str(replacement).startswith(TK):
            assert replacement in live_terms(onto), (t, replacement)
    # the 0.1 sector and scheme individuals are the same individuals as their replacements
    old = URIRef(TK + "sector_social_care")
    assert (old, OWL.sameAs, URIRef(TK + "SocialCareSector")) in onto


def test_the_loader_writes_no_retired_term(onto):
    from trustkg.core.resources import bundled_studies
    from trustkg.load.graph import graph_ntriples
    from trustkg.store.build import read_studies

    from ..conftest import FIXTURES

    text = "".join(
        graph_ntriples(
            read_studies([*bundled_studies(), FIXTURES / "second-study"]), with_ontology=False
        )
    )
    used = set(re.findall(r"<(https://w3id\.org/trustkg/ontology#[A-Za-z_]+)>", text))
    assert used and used <= {str(t) for t in live_terms(onto)}, used - {
        str(t) for t in live_terms(onto)
    }


def test_code_lists_are_skos_schemes_of_enumerated_classes(onto):
    from trustkg.core import codelists

    schemes = set(onto.subjects(RDF.type, SKOS.ConceptScheme)) & live_terms(onto)
    assert len(schemes) >= 6
    for scheme in schemes:
        members = codelists.code_list(str(scheme)[len(TK) :])
        assert members and all(m.notation for m in members)
        assert len({m.notation for m in members}) == len(members)
        for m in members:
            assert (URIRef(m.iri), SKOS.inScheme, scheme) in onto
