"""HermiT through owlready2: the ontology is consistent, the defined classes are inferred on a
small fixture, and the seed graph is consistent with the expected inferences."""

from __future__ import annotations

import shutil

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java"),
]

TEST_IRI = "http://example.org/trustkg-test#"


def _load():
    from owlready2 import World

    from trustkg.core.resources import ontology_owl_file

    world = World()
    tk = world.get_ontology(ontology_owl_file().resolve().as_uri()).load()
    data = world.get_ontology(TEST_IRI)
    data.imported_ontologies.append(tk)
    return world, tk, data


def _reason(world):
    from owlready2 import sync_reasoner_hermit

    sync_reasoner_hermit(world, infer_property_values=False, debug=0)


def test_ontology_alone_is_consistent_with_no_unsatisfiable_class():
    world, _, _ = _load()
    _reason(world)
    assert list(world.inconsistent_classes()) == []


def test_defined_classes_are_inferred_on_a_fixture():
    from owlready2 import AllDifferent

    world, tk, data = _load()
    with data:
        n1, n2 = tk.CareNetwork("n1"), tk.CareNetwork("n2")
        AllDifferent([n1, n2])
        council = tk.Organisation("council")
        council.inSector = tk.SocialCareSector
        council.memberOf = [n1]
        trust = tk.Organisation("trust")
        trust.inSector = tk.HealthSector
        trust.memberOf = [n1]
        spanning = tk.Organisation("spanning")
        spanning.memberOf = [n1, n2]
        p1, p2 = tk.Participant("p1"), tk.Participant("p2")
        p1.worksFor, p2.worksFor = council, trust
        AllDifferent([p1, p2])
        q1, q2 = tk.Quotation("q1"), tk.Quotation("q2")
        q1.saidBy, q2.saidBy = p1, p2
    _reason(world)
    assert q1 in tk.LessDominantSectorQuotation.instances()
    assert q2 not in tk.LessDominantSectorQuotation.instances()
    assert spanning in tk.MultiNetworkOrganisation.instances()
    assert council not in tk.MultiNetworkOrganisation.instances()


def test_two_sectors_for_one_organisation_is_inconsistent():
    from owlready2 import OwlReadyInconsistentOntologyError

    world, tk, data = _load()
    with data:
        org = tk.Organisation("org")
        org.is_a.append(tk.inSector.value(tk.HealthSector))
        org.is_a.append(tk.inSector.value(tk.SocialCareSector))
    with pytest.raises(OwlReadyInconsistentOntologyError):
        _reason(world)


def test_seed_graph_is_consistent_and_inferences_follow_the_data(seed_store):
    from trustkg.check.reason import reason

    result = reason(store=seed_store, timeout=240)
    assert result.consistent
    assert result.unsatisfiable == []
    unmatched = result.inferred["tk:UnmatchedQuotation"]
    # Q02 and Q03 match no Table 1 row (links_quotation_participant.csv: none-nearest)
    assert [u.split(" ")[0] for u in unmatched] == ["li2018/quotation/Q02", "li2018/quotation/Q03"]
    voiced = {v.split(" ")[0] for v in result.inferred["tk:LessDominantSectorQuotation"]}
    # Q09 is the partnership manager of Voluntary action, N1 (voluntary and community sector)
    assert "li2018/quotation/Q09" in voiced
    # Q02 has no speaker, so it cannot be inferred
    assert "li2018/quotation/Q02" not in voiced


def test_reason_command_reports_consistency(seed_store):
    from click.testing import CliRunner

    from trustkg.cli import cli

    out = CliRunner().invoke(cli, ["reason", "--store", str(seed_store), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"consistent": true' in out.output
