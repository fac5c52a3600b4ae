"""Graphs built by trustkg 0.1 still read with ontology 0.2.

``fixtures/graph-0.1/second-study.nt.gz`` is the graph trustkg 0.1 built from
``fixtures/second-study`` and the 2013 commentary (without the ontology). Every trustkg term it
uses is still declared, deprecated with its replacement; the reasoner still reads it; validation
and every catalogue query run on it without an error, validation saying what no longer conforms.
Rebuilding from the source tables, which did not change, gives the 0.2 graph.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys

import pyoxigraph
import pytest
import rdflib
from rdflib import OWL, RDF, Literal, URIRef
from rdflib.namespace import DCTERMS

from trustkg.core.iris import TK
from trustkg.core.resources import ontology_file

from ..conftest import FIXTURES

OLD = FIXTURES / "graph-0.1" / "second-study.nt.gz"


@pytest.fixture(scope="module")
def old_text() -> str:
    return gzip.decompress(OLD.read_bytes()).decode("utf-8")


def test_every_term_of_a_0_1_graph_is_declared(old_text):
    onto = rdflib.Graph().parse(ontology_file())
    used = set(re.findall(r"<(https://w3id\.org/trustkg/ontology#\w+)>", old_text))
    assert len(used) > 50
    retired = {u for u in used if (URIRef(u), OWL.deprecated, Literal(True)) in onto}
    assert {TK + "localId", TK + "linkSubject", TK + "sector_health"} <= retired
    for term in used:
        declared = set(onto.objects(URIRef(term), RDF.type))
        assert declared, f"{term} is no longer declared"
        if term in retired:
            assert onto.value(URIRef(term), DCTERMS.isReplacedBy) is not None


def test_validation_of_a_0_1_graph_reports_what_changed(tmp_path, old_text):
    path = tmp_path / "old.nt"
    path.write_text(old_text, encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "trustkg.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 1, res.stderr  # does not conform; not an error (2)
    assert "does NOT conform" in res.stdout
    assert "dcterms:identifier" in res.stdout  # the local ids are now dcterms:identifier


def test_every_catalogue_query_runs_on_a_0_1_graph(old_text):
    from trustkg.load.ontology import ontology_quads
    from trustkg.sparql.catalogue import catalogue
    from trustkg.sparql.local import run_local
    from trustkg.sparql.params import bind

    store = pyoxigraph.Store()
    store.extend(ontology_quads())
    store.load(old_text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    for query in catalogue():
        if not query.federated:  # SERVICE needs a second server (tests/sparql/test_federation)
            run_local(bind(query, {"study": "fixture2"}), store).records()


@pytest.mark.slow
def test_the_reasoner_reads_a_0_1_graph_in_0_2_terms(tmp_path, old_text):
    """The retired sector individuals are the same as their replacements, so an organisation
    classified with a 0.1 sector is still placed in the defined classes."""
    from trustkg.store.build import build

    store = tmp_path / "store"
    build([], include_bundled=False, store=store)
    writer = pyoxigraph.Store(str(store))
    writer.load(old_text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    writer.flush()
    del writer
    from trustkg.check.reason import reason

    result = reason(store=store, timeout=240)  # the rules; HermiT checks the ontology
    assert result.consistent and result.unsatisfiable == []
    # through the ontology's owl:sameAs of each retired sector and its replacement
    assert result.inferred["tk:LessDominantSectorOrganisation"]
