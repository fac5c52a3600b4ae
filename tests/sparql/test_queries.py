"""The question catalogue: every file has its header and parses; every competency question has a
query; answers on the seed data match the expected files and the counts the seed states; binding
is safe and federation is opt-in."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from trustkg.cli import cli
from trustkg.core.errors import TrustkgError
from trustkg.core.iris import DATA
from trustkg.core.resources import bundled_studies, resource_dir
from trustkg.sparql.catalogue import catalogue, missing_header_keys
from trustkg.sparql.render import to_delimited
from trustkg.sparql.run import run_query
from trustkg.sparql.text import check_federation

EXPECTED = Path(__file__).parent / "expected"
LI2018 = next(p for p in bundled_studies() if p.name == "li2018")

#: queries that call another endpoint (SERVICE): tested against real servers in test_federation
FEDERATED = {q.name for q in catalogue() if q.federated}
# file stem -> (query, params); one run per catalogued query, plus runs with parameters
RUNS = {
    q.name: (q.name, {})
    for q in catalogue()
    if q.name != "cq12-stated-or-curated" and q.name not in FEDERATED
}
RUNS["cq12-stated-or-curated.subject-T1-S1"] = ("cq12", {"subject": "T1-S1"})
RUNS["cq12-stated-or-curated.subject-Q02"] = ("cq12", {"subject": "Q02"})
RUNS["cq03-quotations-by-asymmetry.asymmetry-AT-knowledge"] = (
    "cq03",
    {"asymmetry": "AT-knowledge"},
)
RUNS["cq08-findings-by-literature-source.source-macduffie2011"] = (
    "cq08",
    {"source": "macduffie2011"},
)


def table(name: str) -> list[dict[str, str]]:
    with open(LI2018 / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


#: GROUP_CONCAT columns, as the queries' headers declare them (run_query sorts their parts)
LIST_COLUMNS = {name: sep for q in catalogue() for name, sep in q.lists.items()}


def rows_of(result) -> list[list[str]]:
    """The answer as CSV rows, header first."""
    return list(csv.reader(io.StringIO(to_delimited(result, ","))))


def test_catalogue_folder_is_not_empty_and_every_header_is_complete():
    files = sorted(resource_dir("queries").glob("*.rq"))
    assert len(files) >= 15
    for q in catalogue():
        assert missing_header_keys(q) == [], q.name
        assert re.fullmatch(r"(cq\d\d|report|federated)-[a-z0-9-]+", q.name), q.name
        for p in q.params:
            assert f"?{p.name}" in q.text, f"{q.name}: parameter {p.name} is not used"


def test_every_query_parses_with_rdflib():
    from rdflib.plugins.sparql import prepareQuery

    for q in catalogue():
        prepareQuery(q.text)


def test_every_competency_question_has_one_query():
    cqs = sorted(q.cq for q in catalogue() if q.cq.startswith("CQ"))
    assert cqs == sorted(f"CQ{i}" for i in (*range(1, 17), 19))
    for q in catalogue():
        if q.cq.startswith("CQ"):
            assert q.name.startswith(f"cq{int(q.cq[2:]):02d}-")


def test_every_catalogued_query_has_an_expected_answer():
    assert FEDERATED, "no federated query found: test_federation would test nothing"
    for q in catalogue():
        if q.name in FEDERATED:
            continue  # its answer needs a second server: test_federation
        assert any(name.split(".")[0] == q.name for name in RUNS), q.name
    for name in RUNS:
        assert (EXPECTED / f"{name}.csv").is_file(), name


#: queries that read what `trustkg reason --write` inferred: run on a reasoned copy of the seed
AFTER_REASONING = {"cq19-defined-class-members"}


@pytest.mark.parametrize("name", sorted(RUNS))
def test_answers_on_the_seed_match_the_expected_files(name, seed_store, request):
    query, params = RUNS[name]
    if name in AFTER_REASONING:
        seed_store = request.getfixturevalue("reasoned_seed_store")
    got = rows_of(run_query(query, params, store=seed_store))
    with open(EXPECTED / f"{name}.csv", encoding="utf-8", newline="") as f:
        expected = list(csv.reader(f))
    assert got[0] == expected[0]
    assert sorted(got[1:]) == expected[1:]


def test_cq19_reads_inferred_memberships_and_has_none_before_reasoning(seed_store):
    """The seed states no membership of a defined class: every CQ19 row is the reasoner's."""
    assert run_query("cq19", store=seed_store).records() == []


def test_cq19_agrees_with_the_reasoner(reasoned_seed_store):
    from trustkg.check.reason import reason

    result = reason(reasoned_seed_store, check_ontology=False)
    rows = run_query("cq19", store=reasoned_seed_store).records()
    got: dict[str, set[str]] = {}
    for r in rows:
        got.setdefault(f"tk:{r['class']}", set()).add(f"{r['study']}/{r['member']}")
    expected = {}
    for c, members in result.inferred.items():
        for m in members:
            study, _kind, member = m.removeprefix(DATA).split("/")
            expected.setdefault(c, set()).add(f"{study}/{member}")
    assert got == expected


def test_cq1_and_cq2_account_for_all_table2_factors(seed_store):
    supported = {r["factor"] for r in run_query("cq01", store=seed_store).records()}
    unsupported = {r["factor"] for r in run_query("cq02", store=seed_store).records()}
    assert supported & unsupported == set()
    assert supported | unsupported == {r["id"] for r in table("factors")}
    assert len(supported | unsupported) == 14


def test_cq4_counts_participants_as_table1_does(seed_store):
    rows = run_query("cq04", store=seed_store).records()
    totals = {r["network"]: r["participants"] for r in rows if r["sector"] == "all"}
    assert totals == {"N1": 15, "N2": 14, "N3": 12}
    by_table = {}
    for p in table("participants"):
        by_table[p["network"]] = by_table.get(p["network"], 0) + 1
    assert totals == by_table
    cross = sum(r["participants"] for r in rows if "all" not in (r["network"], r["sector"]))
    assert cross == 41


def test_cq9_lists_the_attributions_that_match_no_table1_row(seed_store):
    rows = run_query("cq09", store=seed_store).records()
    unmatched = {
        r["quotation"] for r in table("links_quotation_participant") if r["match"] == "none-nearest"
    }
    assert {r["quotation"] for r in rows} == unmatched == {"Q02", "Q03"}
    assert all(r["nearest"] and r["rationale"] for r in rows)


def test_cq12_tells_stated_from_curated(seed_store):
    rows = run_query("cq12", {"subject": "T1-S1"}, store=seed_store).records()
    kinds = {(r["property"], r["kind"]) for r in rows}
    assert ("subthemeOf", "stated") in kinds and ("relatesToFactor", "curated") in kinds
    stated = [r for r in rows if r["kind"] == "stated"]
    assert all(r["stated_in"] == "li2018" and r["location"] == "Table 3" for r in stated)
    curated = [r for r in rows if r["kind"] == "curated"]
    assert all(r["rationale"] and r["curator"] for r in curated)


#: An ODS code on one seed organisation, as `trustkg link` would attach it (the seed has none)
ODS_CODE_ON_N1_O02 = """PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA {
  <https://w3id.org/trustkg/data/li2018/organisation/N1-O02> adms:identifier <urn:id1> .
  <urn:id1> a adms:Identifier ; skos:notation "RHW" ;
            skos:inScheme tk:OdsScheme . }"""


def test_cq14_finds_attached_identifiers(seed_store):
    """Empty on the seed; once an organisation carries an ODS code, it is listed."""
    import pyoxigraph

    from trustkg.sparql.catalogue import find_query
    from trustkg.sparql.local import run_local
    from trustkg.sparql.params import bind
    from trustkg.store import open_store

    mem = pyoxigraph.Store()
    mem.extend(open_store(seed_store))
    mem.update(ODS_CODE_ON_N1_O02)
    rows = run_local(bind(find_query("cq14"), {}), mem).records()
    assert len(rows) == 1
    assert {k: v for k, v in rows[0].items() if v} == {
        "study": "li2018",
        "organisation": "N1-O02",
        "name": "Local NHS Hospital 1",
        "scheme": "ods",
        "code": "RHW",
    }  # no register extract loaded: no register name, no area


@pytest.mark.parametrize(
    "evil",
    ['li2018" } UNION { ?s ?p ?o } #', "li2018'} ; DROP ALL", "li 2018 {}", 'x"\n}\nSELECT *'],
)
def test_parameters_cannot_change_the_query(evil, seed_store):
    with pytest.warns(UserWarning, match="names nothing in the store"):
        rows = run_query("cq04", {"study": evil}, store=seed_store).records()
    assert rows == []  # no study has that identifier: the value stayed a value


def test_an_iri_parameter_with_a_space_is_refused():
    from trustkg.sparql.params import param_term

    with pytest.raises(TrustkgError, match="not an IRI"):
        param_term("x", "<http://example.org/a b>", None)
    assert param_term("x", "tk:Quotation", "<x>") == "<https://w3id.org/trustkg/ontology#Quotation>"


def test_unknown_parameter_is_refused(seed_store):
    with pytest.raises(TrustkgError, match="unknown parameter"):
        run_query("cq04", {"studdy": "li2018"}, store=seed_store)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * where { service <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/remote.ttl> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <https://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
        # regression: a '#' inside an IRI once hid the rest of its line from the check
        "PREFIX ex: <http://e.org/x#> SELECT * WHERE { SERVICE <http://e.org/q> { ?s ?p ?o } }",
    ],
)
def test_federation_is_refused_unless_allowed(text):
    with pytest.raises(TrustkgError, match="--allow-remote"):
        check_federation(text, set(), allow_remote=False)
    check_federation(text, set(), allow_remote=True)


def test_federation_words_inside_strings_and_local_graphs_are_fine():
    check_federation('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE', set(), False)
    graph = "https://w3id.org/trustkg/data/li2018/graph"
    check_federation(f"SELECT * FROM <{graph}> WHERE {{ ?s ?p ?o }}", {graph}, False)


def test_a_service_query_file_is_refused_on_the_cli(tmp_path, seed_store):
    rq = tmp_path / "remote.rq"
    rq.write_text("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    out = CliRunner().invoke(cli, ["query", "run", str(rq), "--store", str(seed_store)])
    assert out.exit_code != 0
    assert "--allow-remote" in str(out.exception) or "--allow-remote" in out.output


# -- list columns: a defined order whatever the engine ----------------------------------------


def test_every_group_concat_of_the_catalogue_is_a_declared_list_column():
    made = re.compile(r"GROUP_CONCAT\s*\(.*?separator\s*=\s*(\"[^\"]*\")\s*\)\s*AS\s+\?(\w+)", re.S)
    found = 0
    for q in catalogue():
        for separator, column in made.findall(q.text):
            found += 1
            assert q.lists.get(column) == json.loads(separator), (q.name, column)
        assert set(q.lists) <= set(re.findall(r"\?(\w+)", q.text)), q.name
    assert found >= 4


def test_list_parts_come_sorted_whatever_order_the_engine_gives(tmp_path, seed_store):
    """The engine is made to concatenate in descending order; the answer is still sorted."""
    rq = tmp_path / "descending.rq"
    rq.write_text(
        "# title: t\n# question: q\n# cq: test\n# expects: one row\n"
        '# list: ids = ", " : sorted by trustkg\n'
        "PREFIX tk: <https://w3id.org/trustkg/ontology#>\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        'SELECT (GROUP_CONCAT(?id; separator=", ") AS ?ids) WHERE {\n'
        "  { SELECT ?id WHERE { ?t a tk:Theme ; dcterms:identifier ?id } ORDER BY DESC(?id) } }\n",
        "utf-8",
    )
    ids = run_query(str(rq), store=seed_store).records()[0]["ids"]
    assert ids.split(", ") == sorted(ids.split(", ")) and len(ids.split(", ")) >= 3
    plain = rq.read_text("utf-8").replace("# list:", "# not a list:")
    rq.write_text(plain, "utf-8")
    engine = run_query(str(rq), store=seed_store).records()[0]["ids"]
    assert engine.split(", ") == sorted(ids.split(", "), reverse=True)  # what was sorted


def test_a_list_line_without_a_quoted_separator_names_its_line(tmp_path):
    from trustkg.sparql.catalogue import parse_query_file

    rq = tmp_path / "bad.rq"
    rq.write_text("# title: t\n# list: ids = , : no quotes\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(TrustkgError, match="SEPARATOR") as err:
        parse_query_file(rq)
    assert "bad.rq:2" in str(err.value)


# -- federated queries: the SERVICE address is a checked parameter -----------------------------


def test_a_service_address_is_bound_in_place_and_checked(seed_store):
    from trustkg.sparql.catalogue import find_query
    from trustkg.sparql.params import bind

    (name,) = FEDERATED
    query = find_query(name)
    text = bind(query, {"register": "http://127.0.0.1:7878/query"})
    assert "SERVICE <http://127.0.0.1:7878/query> {" in text
    assert not re.search(r"SERVICE\s+\?register\b", text) and "VALUES" not in text
    for evil in ("http://x/> { ?s ?p ?o } } #", "file:///etc/passwd", "not an address"):
        with pytest.raises(TrustkgError, match="parameter register"):
            bind(query, {"register": evil})


def test_a_federated_query_needs_permission_and_an_address(seed_store):
    (name,) = FEDERATED
    with pytest.raises(TrustkgError, match="--allow-remote"):
        run_query(name, {"register": "http://127.0.0.1:1/query"}, store=seed_store)
    with pytest.raises(TrustkgError, match="--param register=URL"):
        run_query(name, store=seed_store, allow_remote=True)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "md", "table"])
def test_query_run_formats(fmt, seed_store):
    out = CliRunner().invoke(
        cli, ["query", "run", "cq09", "--format", fmt, "--store", str(seed_store)]
    )
    assert out.exit_code == 0, out.output
    if fmt == "json":
        doc = json.loads(out.output)
        assert doc["head"]["vars"][0] == "quotation"
        assert [b["quotation"]["value"] for b in doc["results"]["bindings"]] == ["Q02", "Q03"]
        assert doc["results"]["bindings"][0]["quotation"]["type"] == "literal"
    elif fmt in ("csv", "tsv"):
        rows = list(csv.reader(io.StringIO(out.output), delimiter="," if fmt == "csv" else "\t"))
        assert rows[0][:2] == ["quotation", "attribution"] and len(rows) == 3
        assert rows[1][1] == "Professional lead OT, NHS hospital, N3"
    elif fmt == "md":
        assert out.output.startswith("| quotation | attribution |")
        assert "| Q02 |" in out.output
    else:
        assert "Q02" in out.output and "2 row(s)" in out.output


def test_query_list_shows_every_query():
    out = CliRunner().invoke(cli, ["query", "list", "--format", "json"])
    assert out.exit_code == 0
    listed = {q["name"] for q in json.loads(out.output)}
    assert listed == {q.name for q in catalogue()}


def test_python_api_returns_plain_rows(seed_store):
    import trustkg

    rows = trustkg.query("cq04", {"study": "li2018"}, store=str(seed_store))
    assert {"network": "N1", "sector": "all", "participants": 15} in rows
    assert isinstance(rows[0]["participants"], int)


def test_python_api_dataframe(seed_store):
    import trustkg

    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(TrustkgError, match="pandas"):
            trustkg.query("cq04", store=str(seed_store), as_dataframe=True)
        return
    df = trustkg.query("cq04", store=str(seed_store), as_dataframe=True)
    assert list(df.columns) == ["network", "sector", "participants"]
    assert int(df[(df.network == "N1") & (df.sector == "all")].participants.iloc[0]) == 15


def test_unknown_query_name_is_one_line():
    with pytest.raises(TrustkgError, match="trustkg query list"):
        run_query("cq99")
