"""Every shape is proven to fire, the seed conforms with its known warnings, and the fast engine
reports exactly what plain pySHACL reports.

Each file under ``shapes/data-cases/`` (and ``shapes/ontology-cases/``) is a SPARQL Update that
breaks one rule of a base graph that conforms; its header names the rule, the severity and the
focus node the report must show. The base for data rules is the small made-up study of
``fixtures/second-study`` with the 2013 commentary; for ontology rules, the ontology itself.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rdflib

from trustkg.check import validate as v
from trustkg.core import iris
from trustkg.core.resources import bundled_studies
from trustkg.load.graph import graph_ntriples
from trustkg.store.build import read_studies

from ..conftest import FIXTURES

CASES = Path(__file__).parent / "shapes"
DATA_CASES = sorted((CASES / "data-cases").glob("*.ru"))
ONTOLOGY_CASES = sorted((CASES / "ontology-cases").glob("*.ru"))


def _rule(result: v.ValidationResult) -> str:
    return result.constraint if result.constraint.startswith("tks:") else result.shape


def _header(path: Path) -> dict[str, str]:
    head = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"# (\w[\w-]*): (.*)$", line)
        if m:
            head[m.group(1)] = m.group(2).strip()
    return head


def _oxstore(nquads: bytes):
    """An in-memory store with every triple in the default graph, ready for SPARQL Update."""
    import pyoxigraph

    store = pyoxigraph.Store()
    for q in pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS):
        store.add(pyoxigraph.Quad(q.subject, q.predicate, q.object))
    return store


def _rdflib(store) -> rdflib.Graph:
    import pyoxigraph

    data = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


@pytest.fixture(scope="module")
def data_base() -> bytes:
    commentary = next(p for p in bundled_studies() if p.name == "williams2013")
    return "".join(graph_ntriples(read_studies([FIXTURES / "second-study", commentary]))).encode()


@pytest.fixture(scope="module")
def data_shapes() -> rdflib.Graph:
    return v.shapes_graph()


@pytest.fixture(scope="module")
def ontology_shapes() -> rdflib.Graph:
    return v.shapes_graph([v.ontology_shapes_file()], replace=True)


_CORE: dict[int, rdflib.Graph] = {}


def _without_sparql(shapes: rdflib.Graph) -> rdflib.Graph:
    if id(shapes) not in _CORE:
        g = rdflib.Graph()
        for t in shapes:
            g.add(t)
        g.remove((None, rdflib.URIRef(v.SH + "sparql"), None))
        _CORE[id(shapes)] = g
    return _CORE[id(shapes)]


_BASE: dict[tuple[int, int], set] = {}


def _full_key(r: v.ValidationResult):
    return (r.severity, r.focus, r.shape, r.constraint, r.path, r.value, r.message)


def _key(r: v.ValidationResult):
    return (r.severity, r.focus, _rule(r), r.value, r.message)


def _new_results(base_nq: bytes, update: str, shapes: rdflib.Graph):
    cache_key = (hash(base_nq), id(shapes))
    if cache_key not in _BASE:
        base_graph = _rdflib(_oxstore(base_nq))
        _BASE[cache_key] = {_key(r) for r in v.validate_graph(base_graph, shapes).results}
    before = _BASE[cache_key]
    broken = _oxstore(base_nq)
    broken.update(update)
    report = v.validate_graph(_rdflib(broken), shapes)
    return [r for r in report.results if _key(r) not in before], broken


def test_case_folders_are_not_empty():
    assert len(DATA_CASES) >= 60
    assert len(ONTOLOGY_CASES) >= 10


def _rules_of(path: Path) -> set[str]:
    g = rdflib.Graph().parse(path)
    sh = rdflib.Namespace(v.SH)
    rules = {s for s in g.subjects(sh.path, None) if isinstance(s, rdflib.URIRef)}
    rules |= set(g.subjects(rdflib.RDF.type, sh.SPARQLConstraint))
    rules |= {s for s in g.subjects(sh["or"], None) if (s, rdflib.RDF.type, sh.NodeShape) in g}
    return {"tks:" + str(r).split("#", 1)[1] for r in rules}


@pytest.mark.parametrize(
    ("shapes_file", "cases"),
    [(v.data_shapes_file(), DATA_CASES), (v.ontology_shapes_file(), ONTOLOGY_CASES)],
    ids=["data", "ontology"],
)
def test_every_rule_has_a_case(shapes_file: Path, cases: list[Path]):
    covered = {_header(c)["rule"] for c in cases}
    assert _rules_of(shapes_file) - covered == set()


def _check(case: Path, base: bytes, shapes: rdflib.Graph):
    head = _header(case)
    new, broken = _new_results(base, case.read_text(encoding="utf-8"), shapes)
    # The compiled Core constraints must report exactly what pySHACL does. (SHACL-SPARQL
    # constraints run the same query text in both engines; they are compared on the seed.)
    graph = _rdflib(broken)
    core = _without_sparql(shapes)
    fast = v.validate_graph(graph, core, engine="fast").results
    plain = v.validate_graph(graph, core, engine="pyshacl").results
    assert sorted(map(_full_key, fast)) == sorted(map(_full_key, plain)), case.name
    assert new, f"{case.name}: breaking '{head['breaks']}' reported nothing"
    if "focus-select" in head:
        prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in iris.PREFIXES.items())
        focus = {s["focus"].value for s in broken.query(prefixes + head["focus-select"])}
    else:
        focus = {head["focus"]}
    hits = [r for r in new if _rule(r) == head["rule"]]
    assert hits, f"{case.name}: rule {head['rule']} did not fire; got {[_rule(r) for r in new]}"
    assert {r.severity for r in hits} == {head["severity"]}
    assert focus & {r.focus for r in hits}, f"{case.name}: focus {focus} not among {hits}"
    allowed = {head["rule"], *head.get("also", "").split()}
    others = {_rule(r) for r in new} - allowed
    assert not others, f"{case.name} breaks more than its rule: {others}"


@pytest.mark.parametrize("case", DATA_CASES, ids=[c.stem for c in DATA_CASES])
def test_data_rule_fires(case: Path, data_base: bytes, data_shapes: rdflib.Graph):
    _check(case, data_base, data_shapes)


@pytest.mark.parametrize("case", ONTOLOGY_CASES, ids=[c.stem for c in ONTOLOGY_CASES])
def test_ontology_rule_fires(case: Path, ontology_shapes: rdflib.Graph):
    import pyoxigraph

    from trustkg.load.ontology import ontology_quads

    base = pyoxigraph.serialize(ontology_quads(), format=pyoxigraph.RdfFormat.N_QUADS)
    _check(case, base, ontology_shapes)


def test_base_graphs_conform(data_base: bytes, data_shapes, ontology_shapes):
    report = v.validate_graph(_rdflib(_oxstore(data_base)), data_shapes)
    assert report.conforms, [r.line() for r in report.results if r.severity == "Violation"]
    onto = v.validate_graph(v.ontology_graph(), ontology_shapes)
    assert onto.results == []


# The seed's known warnings: what a researcher should look at, listed so a change shows up here.
SEED_WARNINGS = {
    # Q02 and Q03 match no Table 1 row (links_quotation_participant.csv: none-nearest)
    ("quotation/Q02", "tks:Quotation-matched"),
    ("quotation/Q03", "tks:Quotation-matched"),
    # Table 2 cites Zahheer et al. (1998) and The King's Fund (2012): not in the reference list
    ("factor/F07", "tks:Factor-sourceFound"),
    ("factor/F14", "tks:Factor-sourceFound"),
    # Appendix 2 quotations 1-13: cited, words not in the seed
    *{(f"pointer/A{i:02d}", "tks:Pointer-noWords") for i in range(1, 14)},
}


def test_seed_conforms_with_its_known_warnings(seed_store):
    report = v.validate(store=seed_store)
    assert report.conforms
    assert report.counts()["Violation"] == 0
    warnings = {
        (r.focus.removeprefix("https://w3id.org/trustkg/data/li2018/"), _rule(r))
        for r in report.results
        if r.severity == "Warning"
    }
    assert warnings == SEED_WARNINGS
    infos = [r for r in report.results if r.severity == "Info"]
    assert infos and all(_rule(r) == "tks:Note-recorded" for r in infos)


def test_fast_engine_reports_exactly_what_pyshacl_reports(seed_store, data_shapes):
    graph = v.data_graph(store=seed_store)
    fast = v.validate_graph(graph, data_shapes, engine="fast")
    plain = v.validate_graph(graph, data_shapes, engine="pyshacl")
    assert sorted(map(_key, fast.results)) == sorted(map(_key, plain.results))


def test_shapes_conform_to_shacl_for_shacl(data_shapes, ontology_shapes):
    import pyshacl

    for shapes in (data_shapes, ontology_shapes):
        conforms, _, text = pyshacl.validate(rdflib.Graph(), shacl_graph=shapes, meta_shacl=True)
        assert conforms, text


def test_messages_name_things_in_the_researchers_terms(data_base: bytes, data_shapes):
    case = CASES / "data-cases" / "Quotation-speakerNetwork.ru"
    new, _ = _new_results(data_base, case.read_text(encoding="utf-8"), data_shapes)
    (hit,) = [r for r in new if _rule(r) == "tks:Quotation-speakerNetwork"]
    assert hit.line() == (
        "Violation Quotation fixture2 Q01: speaker is in N1 but the attribution says N9"
    )


def test_validate_command_exit_codes_and_parse_errors(tmp_path, seed_store):
    import subprocess
    import sys

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "trustkg.cli", "validate", *args],
            capture_output=True,
            text=True,
            timeout=300,
        )

    ok = run("--store", str(seed_store))
    assert ok.returncode == 0 and "conforms: 0 violation(s), 17 warning(s)" in ok.stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix tk: <https://w3id.org/trustkg/ontology#> .\n"
        "<http://example.org/q> a tk:Quotation .\n"
    )
    res = run(str(bad))
    assert res.returncode == 1 and "does NOT conform" in res.stdout
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix tk: <https://w3id.org/trustkg/ontology#> .\n"
        "<http://example.org/q> a tk:Quotation\n<http://example.org/r> a tk:Quotation .\n"
    )
    res = run(str(broken))
    assert res.returncode == 2
    assert res.stderr.strip().startswith(f"trustkg: error: {broken}:3:1: not valid RDF")
    assert res.stderr.count("\n") == 1
    js = run(str(bad), "--format", "json")
    doc = json.loads(js.stdout)
    assert doc["conforms"] is False and doc["counts"]["Violation"] >= 1
    ttl = run(str(bad), "--format", "turtle")
    report = rdflib.Graph().parse(data=ttl.stdout, format="turtle")
    sh = rdflib.Namespace(v.SH)
    assert (None, sh.conforms, rdflib.Literal(False)) in report


def test_fast_engine_matches_pyshacl_on_a_synthetic_corpus(tmp_path, data_shapes):
    """The Scale issue's check on another corpus than the seed: same results, both engines."""
    from trustkg.sources.synth import synthesize
    from trustkg.store import open_store
    from trustkg.store.build import build

    build(
        synthesize(2, tmp_path / "corpus", seed=7), include_bundled=False, store=tmp_path / "store"
    )
    graph = v.data_graph(store=tmp_path / "store")
    fast = v.validate_store(open_store(tmp_path / "store"), data_shapes, rdflib_data=lambda: graph)
    plain = v.validate_graph(graph, data_shapes, engine="pyshacl")
    assert fast.results, "the synthetic corpus has its expected warnings"
    assert sorted(map(_full_key, fast.results)) == sorted(map(_full_key, plain.results))


def test_rdflib_api_gives_the_same_graph(seed_store, tmp_path):
    """Researchers who want rdflib get the store as an rdflib Dataset, triple for triple."""
    from rdflib.compare import isomorphic

    from trustkg.store import as_rdflib_graph
    from trustkg.store.build import export_store

    ds = as_rdflib_graph(seed_store)
    union = rdflib.Graph()
    for s, p, o, _ in ds.quads():
        union.add((s, p, o))
    export_store(seed_store, tmp_path / "g.nt")
    assert isomorphic(union, rdflib.Graph().parse(tmp_path / "g.nt", format="nt"))
    from trustkg.store import open_store

    assert len(union) == len(open_store(seed_store))


@pytest.mark.parametrize("verbose", [False, True])
def test_validation_text_shows_a_label_escape_sequence_instead_of_obeying_it(verbose):
    """A label from the data that holds a terminal escape sequence is printed as an escape,
    in the summary and in the --verbose listing, like every other text output."""
    from trustkg.check.validate import ValidationReport, ValidationResult, render_text

    hostile = "Org \x1b[2J\x1b[31mred\x1b[0m"
    result = ValidationResult(
        "Warning", "https://example.org/o", hostile, None, None, f"{hostile} is odd", "tks:S", "c"
    )
    text = render_text(ValidationReport(True, [result]), verbose=verbose)
    assert "\x1b" not in text
    assert "Org \\x1b[2J\\x1b[31mred\\x1b[0m" in text
