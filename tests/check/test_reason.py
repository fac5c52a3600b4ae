"""`trustkg reason`: HermiT on the ontology and on a small fixture; the command's options; the
inferred memberships written into the store, seen by queries, replaced and dropped, under the
store's lock. (tests/check/test_engines.py compares the two engines' answers.)"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from trustkg.check.reason import java_runtime, reason
from trustkg.cli import cli
from trustkg.core import iris
from trustkg.core.errors import StoreError, TrustkgError

needs_java = pytest.mark.skipif(java_runtime() is None, reason="HermiT needs a Java runtime")
TEST_IRI = "http://example.org/trustkg-test#"
LDSQ = iris.TK + "LessDominantSectorQuotation"


def _load():
    from owlready2 import World

    from trustkg.core.resources import ontology_owl_file

    world = World()
    tk = world.get_ontology(ontology_owl_file().resolve().as_uri()).load()
    data = world.get_ontology(TEST_IRI)
    data.imported_ontologies.append(tk)
    return world, tk, data


def _reason(world):
    import owlready2

    owlready2.JAVA_EXE = java_runtime()
    owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)


@needs_java
@pytest.mark.slow
def test_ontology_alone_is_consistent_with_no_unsatisfiable_class():
    world, _, _ = _load()
    _reason(world)
    assert list(world.inconsistent_classes()) == []


@needs_java
@pytest.mark.slow
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


@needs_java
@pytest.mark.slow
def test_two_sectors_for_one_organisation_is_inconsistent():
    from owlready2 import OwlReadyInconsistentOntologyError

    world, tk, data = _load()
    with data:
        org = tk.Organisation("org")
        org.is_a.append(tk.inSector.value(tk.HealthSector))
        org.is_a.append(tk.inSector.value(tk.SocialCareSector))
    with pytest.raises(OwlReadyInconsistentOntologyError):
        _reason(world)


@needs_java
@pytest.mark.slow
def test_the_command_reports_the_rules_and_hermits_ontology_check(seed_store):
    out = CliRunner().invoke(cli, ["reason", "--store", str(seed_store), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert '"engine": "rules"' in out.output and '"consistent": true' in out.output
    assert '"checked": true' in out.output and '"unsatisfiable": []' in out.output


@needs_java
@pytest.mark.slow
def test_hermit_on_one_study_classifies_that_study(seed_store):
    whole = reason(seed_store, check_ontology=False)
    part = reason(seed_store, engine="hermit", study="li2018")
    assert part.consistent and part.study == "li2018"
    assert part.inferred == whole.inferred  # williams2013 has no member of a defined class


def test_an_unknown_study_names_the_studies(seed_store):
    if java_runtime() is None:
        pytest.skip("HermiT needs a Java runtime")
    with pytest.raises(TrustkgError, match=r"no study 'nosuch'.*li2018, williams2013"):
        reason(seed_store, engine="hermit", study="nosuch")


@pytest.mark.parametrize(
    "args",
    [["--study", "li2018"], ["--engine", "hermit", "--write"], ["--engine", "owl-rl"]],
)
def test_options_that_do_not_go_together_are_one_line(args, seed_store):
    import subprocess
    import sys

    res = subprocess.run(
        [sys.executable, "-m", "trustkg", "reason", "--store", str(seed_store), *args],
        capture_output=True,
        text=True,
    )
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("trustkg: error:"), res.stderr


def _count(store, query: str) -> int:
    from trustkg.store import open_store

    return int(next(iter(open_store(store).query(query)))[0].value)


def test_write_puts_memberships_where_queries_see_them_and_a_rerun_replaces_them(tmp_path):
    from trustkg.sparql.run import run_query
    from trustkg.store.build import build

    store = tmp_path / "store"
    build(store=store)
    before = _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    first = reason(store, write=True, check_ontology=False)
    assert first.written == 36  # 13 + 9 + 2 + 12 memberships on the seed, none stated
    in_graph = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iris.INFERRED_GRAPH}> {{ ?s ?p ?o }} }}"
    assert _count(store, in_graph) == 36
    assert _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before + 36
    # a query on the default graph asks for the defined class directly
    assert _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?q a <{LDSQ}> }}") == 9
    assert len(run_query("cq19", store=store).records()) == 36
    # the next run starts from the stated graph and replaces the memberships, never adds
    again = reason(store, write=True, check_ontology=False)
    assert again.written == 36 and again.inferred == first.inferred
    assert _count(store, in_graph) == 36
    # dropping leaves the graph as built
    out = CliRunner().invoke(cli, ["reason", "--store", str(store), "--drop"])
    assert out.exit_code == 0 and "removed 36" in out.output
    assert _count(store, in_graph) == 0
    assert _count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == before


def test_reasoning_leaves_the_store_and_its_folder_as_they_were(tmp_path):
    from trustkg.store.build import build

    store = tmp_path / "store"
    build(store=store)
    files = sorted(p.name for p in store.iterdir())
    beside = sorted(p.name for p in tmp_path.iterdir())
    result = reason(store, check_ontology=False)
    assert result.consistent and result.written is None
    assert sorted(p.name for p in store.iterdir()) == files
    assert sorted(p.name for p in tmp_path.iterdir()) == beside  # the scratch copy is gone


def test_write_respects_the_store_lock(tmp_path):
    from trustkg.store.build import build
    from trustkg.store.embedded import build_lock

    store = tmp_path / "store"
    build(store=store)
    with build_lock(store), pytest.raises(StoreError, match="another trustkg build"):
        reason(store, write=True, check_ontology=False)
    assert _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?q a <{LDSQ}> }}") == 0


def test_no_store_is_one_clear_error(tmp_path, monkeypatch):
    import trustkg.check.reason as module

    monkeypatch.setattr(module, "java_runtime", lambda: None)
    with pytest.raises(StoreError, match="run 'trustkg build' first"):
        reason(tmp_path / "none")
