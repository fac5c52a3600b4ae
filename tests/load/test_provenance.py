"""One emitter for stated facts and curated links: every loader's links get the same provenance,
and no line is written twice (which would also push the build off its fast triple count)."""

from __future__ import annotations

from collections import Counter

import pytest

from trustkg.core.resources import bundled_studies
from trustkg.load.graph import graph_ntriples
from trustkg.sources import refiqda, refiqda_tables, sssom
from trustkg.store.build import read_studies
from trustkg.store.graphs import Tally, split

from ..conftest import FIXTURES
from ..sources.test_refiqda import care_qdpx

MAPPING = FIXTURES / "refi-qda" / "carestudy-to-li2018.sssom.tsv"


@pytest.fixture(scope="module")
def mapped_study(tmp_path_factory):
    """The trust-in-care project imported and linked by five SSSOM mappings (two authors)."""
    tmp = tmp_path_factory.mktemp("mapped")
    folder = tmp / "carestudy"
    refiqda_tables.write_study(refiqda.read(care_qdpx(tmp)), "carestudy", folder)
    n, _ = sssom.link(MAPPING, folder)
    assert n == 5
    return folder


def _lines(folder) -> list[str]:
    items = list(graph_ntriples(read_studies([*bundled_studies(), folder])))
    # the first item is the whole ontology (one item so its blank nodes stay together)
    return [line for item in items[1:] for line in item.splitlines(keepends=True)]


def test_no_line_is_written_twice_for_a_study_with_mappings(mapped_study):
    twice = {line: n for line, n in Counter(_lines(mapped_study)).items() if n > 1}
    assert not twice, sorted(twice)[:5]


def test_each_mapping_author_is_described_once_as_a_curator(mapped_study):
    typed = [
        line
        for line in _lines(mapped_study)
        if line.startswith("<https://w3id.org/trustkg/data/curator/")
        and "#type>" in line
        and line.rstrip().endswith("#Curator> .")
    ]
    assert typed, "the mappings' authors should be curators"
    assert len(typed) == len(set(typed))


def test_the_build_counts_the_graphs_from_its_own_lines(mapped_study, tmp_path):
    """The fast path (Tally) must agree with the store and be taken: with a repeated line it
    returns None and the build scans the store instead."""
    import pyoxigraph

    items = list(graph_ntriples(read_studies([*bundled_studies(), mapped_study])))
    store = pyoxigraph.Store()
    text = "".join(items)
    store.load(text.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    tally = Tally()
    tally.add(items)
    parts = tally.parts(store, len(store))
    assert parts is not None, "the fast count was not taken: some line was written twice"
    assert {(p.key, p.triples) for p in parts} == {
        (p.key, p.triples) for p in split(store, total=len(store))
    }
    # and the check is not vacuous: one repeated line sends the build to the slow path
    repeated = Tally()
    repeated.add([*items, items[-1]])
    assert repeated.parts(store, len(store)) is None
