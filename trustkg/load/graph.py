"""The whole graph as N-Triples lines: the ontology, then each study, checked as it goes.

This is where the two loaders meet: each study's tables transcribed from papers
(:mod:`.study`) and, for a study imported from a QDA tool, its codes, segments, mappings and
identifiers (:mod:`.qda`). Nothing here touches a store; :mod:`trustkg.store.build` loads
the lines.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..sources.tables import StudyTables
from .ontology import ontology_ntriples
from .qda import qda_quads
from .study import StudyIndex, StudyLoader


def study_quads(study: StudyTables, index: StudyIndex) -> Iterator[str]:
    """All lines of one study; ``index`` must already hold every study loaded with it."""
    loader = StudyLoader(study, index)
    yield from loader.quads()
    yield from qda_quads(loader)


def graph_ntriples(studies: Sequence[StudyTables], with_ontology: bool = True) -> Iterator[str]:
    """Every triple of the graph as N-Triples lines, resolved and checked as they are made.

    Each item is one line, except the ontology's, which is all its lines: an item is never cut
    across two snapshot files, and the ontology's blank nodes must not be, since a blank node's
    label means the same node only within one file. A triple may come more than once (the
    store keeps one).
    """
    index = StudyIndex()
    for study in studies:
        index.add(study)
    if with_ontology:
        yield ontology_ntriples()  # one item: its blank nodes must stay in one snapshot file
    for study in studies:
        yield from study_quads(study, index)
