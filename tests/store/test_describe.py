"""The split into one named graph per study, and the DCAT/VoID description that build writes.

The counts in the description are checked against counts made here independently, in Python,
from the store's quads; the split is checked to place every triple exactly once.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from trustkg import __version__
from trustkg.core import iris
from trustkg.core.errors import TrustkgError
from trustkg.store import open_store
from trustkg.store.build import build
from trustkg.store.describe import DESCRIPTION_FILE, DESCRIPTION_GRAPH
from trustkg.store.graphs import split, triples

from ..conftest import FIXTURES

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
PAV = rdflib.Namespace("http://purl.org/pav/")
DCTYPES = rdflib.Namespace("http://purl.org/dc/dcmitype/")


def default_quads(store) -> list:
    return list(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))


def independent_counts(store) -> Counter:
    """Triples per graph, counted in Python from the rules the README states."""
    in_study = {
        q.subject: q.object.value[len(iris.DATA) :].removesuffix("/study")
        for q in store.quads_for_pattern(
            None, pyoxigraph.NamedNode(iris.TK + "inStudy"), None, pyoxigraph.DefaultGraph()
        )
    }
    study_nodes = {
        q.subject: q.subject.value[len(iris.DATA) :].removesuffix("/study")
        for q in store.quads_for_pattern(
            None,
            pyoxigraph.NamedNode(iris.RDF + "type"),
            pyoxigraph.NamedNode(iris.TK + "Study"),
            pyoxigraph.DefaultGraph(),
        )
    }
    counts: Counter = Counter()
    for q in default_quads(store):
        s = q.subject
        if s in in_study:
            counts[in_study[s]] += 1
        elif s in study_nodes:
            counts[study_nodes[s]] += 1
        elif isinstance(s, pyoxigraph.NamedNode) and s.value.startswith(iris.DATA):
            counts["shared"] += 1
        else:
            counts["ontology"] += 1
    return counts


@pytest.fixture(scope="module")
def two_study_store(tmp_path_factory) -> Path:
    """The bundled studies and the made-up second study (it reuses the seed's local ids)."""
    store = tmp_path_factory.mktemp("described") / "store"
    build([FIXTURES / "second-study"], store=store)
    return store


def description(store: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(store / DESCRIPTION_FILE, format="turtle")


def subsets(graph: rdflib.Graph) -> dict[str, tuple[str, int]]:
    """study id (or ontology/shared) → (graph name, triples), as the description states them."""
    out = {}
    for subset in graph.subjects(SD.name, None):
        key = str(graph.value(subset, DCT.identifier))
        out[key] = (str(graph.value(subset, SD.name)), int(graph.value(subset, VOID.triples)))
    return out


def test_split_places_every_triple_in_exactly_one_graph(two_study_store):
    store = open_store(two_study_store)
    parts = split(store)
    assert [p.key for p in parts] == ["fixture2", "li2018", "williams2013", "ontology", "shared"]
    seen: set = set()
    for part, found in triples(store, parts):
        found = set(found)
        assert len(found) == part.triples, part.key
        assert not (found & seen), f"{part.key} shares triples with another graph"
        seen |= found
    everything = {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in default_quads(store)}
    assert seen == everything


def test_each_graph_holds_what_the_rules_say(two_study_store):
    store = open_store(two_study_store)
    graphs = dict(triples(store, split(store)))
    by_key = {p.key: set(ts) for p, ts in graphs.items()}
    q03 = pyoxigraph.NamedNode(iris.data_iri("li2018", "quotation", "Q03"))
    fixture_q01 = pyoxigraph.NamedNode(iris.data_iri("fixture2", "quotation", "Q01"))
    study_node = pyoxigraph.NamedNode(iris.study_iri("li2018"))
    assert any(t.subject == q03 for t in by_key["li2018"])
    assert any(t.subject == study_node for t in by_key["li2018"])
    assert not any(t.subject == q03 for t in by_key["fixture2"])
    assert any(t.subject == fixture_q01 for t in by_key["fixture2"])
    onto = pyoxigraph.NamedNode(iris.ONTOLOGY_IRI)
    assert any(t.subject == onto for t in by_key["ontology"])
    curator = pyoxigraph.NamedNode(iris.curator_iri("trustkg"))
    assert {t.subject for t in by_key["shared"]} >= {curator}


def test_build_writes_the_description_beside_and_inside_the_store(seed_store):
    graph = description(seed_store)
    store = open_store(seed_store)
    inside = rdflib.Graph()
    inside.parse(
        data=store.dump(
            format=pyoxigraph.RdfFormat.N_TRIPLES,
            from_graph=pyoxigraph.NamedNode(DESCRIPTION_GRAPH),
        ).decode(),
        format="nt",
    )
    assert len(graph) > 40 and isomorphic(graph, inside)
    # the default graph, which queries' counts and validation see, holds none of it
    dataset = pyoxigraph.NamedNode(iris.DATA + "dataset")
    assert not list(store.quads_for_pattern(dataset, None, None, pyoxigraph.DefaultGraph()))
    assert [g.value for g in store.named_graphs()] == [DESCRIPTION_GRAPH]


def test_counts_per_graph_are_counted_from_the_store(two_study_store):
    store = open_store(two_study_store)
    expected = independent_counts(store)
    stated = subsets(description(two_study_store))
    assert {k: n for k, (_, n) in stated.items()} == dict(expected)
    assert stated["li2018"][0] == iris.graph_iri("li2018")
    assert stated["ontology"][0] == iris.ONTOLOGY_GRAPH
    graph = description(two_study_store)
    total = [int(o) for o in graph.objects(None, VOID.triples)]
    assert max(total) == len(default_quads(store)) == sum(expected.values())


def test_description_follows_the_hcls_levels(seed_store):
    graph = description(seed_store)
    summary = rdflib.URIRef(iris.DATA + "dataset")
    assert (summary, rdflib.RDF.type, DCTYPES.Dataset) in graph
    assert graph.value(summary, DCT.title) and graph.value(summary, DCT.description)
    version = graph.value(summary, PAV.hasCurrentVersion)
    assert str(graph.value(version, PAV.version)) == __version__
    assert graph.value(version, DCT.isVersionOf) == summary
    dist = graph.value(version, rdflib.URIRef("http://www.w3.org/ns/dcat#distribution"))
    assert int(graph.value(dist, VOID.classes)) > 20
    # not published: no endpoint, no issue date
    assert graph.value(dist, VOID.sparqlEndpoint) is None
    assert graph.value(version, DCT.issued) is None


def test_licences_come_from_the_graph(seed_store):
    graph = description(seed_store)
    licence = {
        str(graph.value(s, DCT.identifier)): graph.value(s, DCT.license)
        for s in graph.subjects(SD.name, None)
    }
    # the ontology header's licence; the 2018 study's accepted manuscript; none for the rest
    assert str(licence["ontology"]) == "https://creativecommons.org/licenses/by/4.0/"
    assert str(licence["li2018"]) == "https://creativecommons.org/licenses/by-nc-nd/4.0/"
    assert licence["williams2013"] is None
    rights = str(graph.value(rdflib.URIRef(iris.DATA + "dataset"), DCT.rights))
    assert "williams2013" in rights and "different licences" in rights


def test_a_rebuild_gives_the_same_description(seed_store, tmp_path):
    build(store=tmp_path / "again")
    assert (tmp_path / "again" / DESCRIPTION_FILE).read_bytes() == (
        seed_store / DESCRIPTION_FILE
    ).read_bytes()


def test_the_reasoner_is_not_given_the_description(seed_store):
    from trustkg.check.reason import _hermit_input
    from trustkg.load.ontology import ontology_quads

    data = _hermit_input(ontology_quads(), seed_store, None)
    assert b"http://rdfs.org/ns/void#" not in data
    assert b"https://w3id.org/trustkg/data/li2018/quotation/Q03" in data


@pytest.mark.parametrize("reserved", ["shared", "ontology", "dataset", "inferred"])
def test_study_ids_that_name_trustkg_graphs_are_refused(tmp_path, reserved):
    folder = tmp_path / "study"
    shutil.copytree(FIXTURES / "second-study", folder)
    csv = folder / "study.csv"
    csv.write_text(csv.read_text().replace("\nfixture2,", f"\n{reserved},"))
    with pytest.raises(TrustkgError, match=f"study id '{reserved}' is reserved") as err:
        build([folder], store=tmp_path / "s")
    assert "study.csv:2" in str(err.value)


def _loaded(lines: list[str]) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load("".join(lines), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def _tallied(lines: list[str]):
    """The lines counted by the build's Tally, and loaded into a store."""
    from trustkg.store.graphs import Tally

    tally = Tally()
    tally.add(lines)
    return tally, _loaded(lines)


def test_counting_the_lines_as_they_are_written_agrees_with_the_store():
    """The build sizes the graphs from its own lines (Tally) rather than by scanning the store;
    on the bundled studies and the second study that gives exactly what split() finds."""
    from trustkg.core.resources import bundled_studies
    from trustkg.load.graph import graph_ntriples
    from trustkg.store.build import read_studies
    from trustkg.store.graphs import Tally

    tables = read_studies([*bundled_studies(), FIXTURES / "second-study"])
    lines = list(graph_ntriples(tables))
    tally = Tally()
    tally.add(lines[:1000])
    tally.add(lines[1000:])
    store = _loaded(lines)
    assert sum(line.count("\n") for line in lines) == len(store)  # each line a triple
    counted = tally.parts(store, len(store))
    assert counted is not None and counted == split(store)


def test_counts_that_do_not_add_up_are_not_used():
    study = iris.study_iri("s1")
    node = iris.data_iri("s1", "quotation", "Q1")
    lines = [
        f"<{study}> <{iris.RDF}type> <{iris.TK}Study> .\n",
        f"<{node}> <{iris.TK}inStudy> <{study}> .\n",
        # one triple in two spellings: the store keeps one, the lines differ
        f'<{node}> <{iris.TK}year> "2018"^^<{iris.XSD}integer> .\n',
        f'<{node}> <{iris.TK}year> "02018"^^<{iris.XSD}integer> .\n',
    ]
    # and a line written twice, as the build once wrote the curator for every curated link
    for written in (lines, lines[:3] + lines[1:2]):
        tally, store = _tallied(written)
        assert tally.total == 4 and len(store) == 3
        assert tally.parts(store, len(store)) is None
    assert [(p.key, p.triples) for p in split(store)] == [("s1", 3), ("ontology", 0), ("shared", 0)]


def test_a_subject_in_two_studies_is_left_to_split_to_explain():
    s1, s2 = iris.study_iri("s1"), iris.study_iri("s2")
    node = iris.data_iri("s1", "quotation", "Q1")
    lines = [
        f"<{s1}> <{iris.RDF}type> <{iris.TK}Study> .\n",
        f"<{s2}> <{iris.RDF}type> <{iris.TK}Study> .\n",
        f"<{node}> <{iris.TK}inStudy> <{s1}> .\n",
        f"<{node}> <{iris.TK}inStudy> <{s2}> .\n",
    ]
    tally, store = _tallied(lines)
    assert tally.parts(store, len(store)) is None
    with pytest.raises(TrustkgError, match="tk:inStudy of two studies"):
        split(store)


def test_queries_see_the_graph_and_reach_the_description_only_by_name(seed_store):
    """Local queries run on the default graph: the description is not mixed into answers
    (no dataset among the data), yet a GRAPH pattern finds it."""
    from trustkg.sparql.local import run_local

    store = open_store(seed_store)
    pattern = "?d a <http://www.w3.org/ns/dcat#Dataset>"
    dataset = f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
    named = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DESCRIPTION_GRAPH}> {{ {pattern} }} }}"
    assert run_local(dataset, store).rows[0]["n"].value == "0"
    assert int(run_local(named, store).rows[0]["n"].value) >= 1
