"""The store answers as the plain path does: every catalogued query gives the same rows on
rdflib's SPARQL engine over an rdflib copy of the same graph as on the Oxigraph store.

The queries are written around Oxigraph's planner (subqueries, nested OPTIONALs, inner EXISTS),
and the benchmark compares only row counts, where rdflib finishes at all. This compares whole
answers on a small graph: the bundled studies with three synthetic ones beside them, so the
queries that compare or select studies see more than one, and a study imported from a QDA tool
and mapped with SSSOM, so the questions about coded studies (CQ13, CQ16) see one. Both engines
run the same text, so this shows the store changes no answer; that the text still asks its
question is shown by the expected answers on the seed (test_queries).

What is not compared: row order (ORDER BY leaves ties to the engine), blank node labels, and
the order and language tag of the GROUP_CONCAT columns named in LIST_COLUMNS.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph
import pytest
import rdflib
from rdflib.plugins.sparql.sparql import NotBoundError

from trustkg.check.reason import reason
from trustkg.sources import refiqda, sssom
from trustkg.sources.refiqda_tables import import_project
from trustkg.sources.synth import synthesize
from trustkg.sparql.catalogue import catalogue
from trustkg.sparql.local import run_local
from trustkg.sparql.params import bind
from trustkg.sparql.results import Term
from trustkg.store import as_rdflib_graph, open_store
from trustkg.store.build import build

from ..conftest import FIXTURES
from ..sources.test_refiqda import care_qdpx
from .test_queries import LIST_COLUMNS, ODS_CODE_ON_N1_O02

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Cell = tuple[str, str, str | None, str | None]


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory):
    """The same graph twice: the Oxigraph store, and the rdflib Dataset a user would get."""
    root = tmp_path_factory.mktemp("plainpath")
    studies = synthesize(3, root / "synth", seed=5)
    care = root / "carestudy"
    import_project(refiqda.read(care_qdpx(root)), "carestudy", care)
    sssom.link(FIXTURES / "refi-qda" / "carestudy-to-li2018.sssom.tsv", care)
    store = root / "store"
    build([*studies, care], store=store)
    # an ODS code on one organisation, as `trustkg link` would attach it, so CQ14 has a row
    writer = pyoxigraph.Store(str(store))
    writer.update(ODS_CODE_ON_N1_O02)
    writer.flush()
    del writer
    # the reasoner's memberships kept in the store, so CQ19 has rows
    reason(store, write=True, check_ontology=False)
    return open_store(store), as_rdflib_graph(store)


def _cell(column: str, kind: str, value: str, datatype: str | None, lang: str | None) -> Cell:
    if kind == "bnode":
        value = ""  # labels are the engine's own
    if column in LIST_COLUMNS:
        sep = LIST_COLUMNS[column]
        value = sep.join(sorted(value.split(sep)))
        # the engines disagree on the tag of a GROUP_CONCAT of tagged literals: Oxigraph keeps
        # the language they share, rdflib gives a plain string; the words are what is compared
        datatype, lang = XSD_STRING, None
    if kind == "literal" and datatype is None:
        datatype = RDF_LANGSTRING if lang else XSD_STRING
    return (kind, value, datatype, lang)


def _store_rows(text: str, store) -> Counter:
    result = run_local(text, store)
    rows = Counter()
    for row in result.rows:
        cells = []
        for var in result.variables:
            t: Term | None = row.get(var)
            cells.append(None if t is None else _cell(var, t.type, t.value, t.datatype, t.lang))
        rows[tuple(cells)] += 1
    return rows


def _rdflib_rows(text: str, graph: rdflib.Dataset) -> Counter:
    result = graph.query(text)
    variables = [str(v) for v in result.vars]
    rows = Counter()
    for row in result:
        cells = []
        for var, term in zip(variables, row, strict=True):
            if term is None:
                cells.append(None)
            elif isinstance(term, rdflib.Literal):
                dt = str(term.datatype) if term.datatype is not None else None
                cells.append(_cell(var, "literal", str(term), dt, term.language))
            elif isinstance(term, rdflib.BNode):
                cells.append(_cell(var, "bnode", str(term), None, None))
            else:
                cells.append(_cell(var, "uri", str(term), None, None))
        rows[tuple(cells)] += 1
    return rows


def _runs(query) -> list[dict[str, str]]:
    """The catalogue's defaults (the seed study), and a synthetic study where one is asked for."""
    runs: list[dict[str, str]] = [{}]
    if any(p.name == "study" for p in query.params):
        runs.append({"study": "synth0001"})
    return runs


#: Runs rdflib cannot answer, with why: its engine raises where SPARQL leaves a cell unbound.
#: (RDFLib/rdflib#882: an aggregate over a variable an OPTIONAL left unbound raises
#: NotBoundError. cq07's GROUP_CONCAT of concept labels, which a strategy may lack, was one until
#: it became GROUP_CONCAT(STR(...)), whose error for an unbound label rdflib skips.)
RDFLIB_CANNOT: set[tuple[str, str]] = set()


@pytest.mark.parametrize("query", [q for q in catalogue() if not q.federated], ids=lambda q: q.name)
def test_store_and_rdflib_give_the_same_rows(query, both) -> None:
    store, graph = both
    answered = 0
    for params in _runs(query):
        text = bind(query, params)
        ours = _store_rows(text, store)
        answered += sum(ours.values())
        run = ",".join(f"{k}={v}" for k, v in params.items())
        if (query.name, run) in RDFLIB_CANNOT:
            # still true, or rdflib was fixed and this run can be compared again
            with pytest.raises(NotBoundError):
                _rdflib_rows(text, graph)
            continue
        assert ours == _rdflib_rows(text, graph), f"{query.name} {params}"
    # an empty answer on both sides would prove nothing; one empty run (on this graph: cq03,
    # cq08, cq10 for the synthetic study, cq11 for the seed) is allowed when the other answers
    assert answered, f"{query.name}: no rows in any run on this graph"


def test_the_comparison_sees_a_changed_answer(both) -> None:
    """The rows compared are whole answers: a query that counts one thing less differs."""
    store, graph = both
    text = bind(next(q for q in catalogue() if q.name.startswith("cq13")), {})
    fewer = text.replace("COUNT(DISTINCT ?quotation)", "(COUNT(DISTINCT ?quotation) - 1)")
    assert fewer != text
    assert _store_rows(fewer, store) != _rdflib_rows(text, graph)


def test_fixture_has_several_studies(both) -> None:
    store, _ = both
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/trustkg/ontology#Study> }"
    assert int(next(iter(store.query(text)))[0].value) >= 4
