"""No command pretends: a value that names nothing is said to, a query that does not parse is
located in its file, a table with the wrong separator is named as such."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from ..conftest import FIXTURES


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trustkg.cli", *args], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("query", "param", "names"),
    [
        ("cq04", "study=li2019", "study can be li2018, williams2013"),
        ("cq03", "asymmetry=AT-powr", "(did you mean AT-power?)"),
        ("cq08", "source=bachman2001", "(did you mean bachmann2001 or "),
    ],
)
def test_a_value_that_names_nothing_still_runs_and_says_which_exist(
    seed_store, query, param, names
):
    res = run(
        "query", "run", query, "--param", param, "--store", str(seed_store), "--format", "csv"
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.count("\n") == 1  # the header: no rows
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith(f"trustkg: warning: {param} names nothing in the store")
    assert names in lines[0]


def test_a_value_that_exists_is_not_warned_about(seed_store):
    res = run(
        "query",
        "run",
        "cq03",
        "--param",
        "asymmetry=AT-power",
        "--param",
        "study=li2018",
        "--store",
        str(seed_store),
        "--format",
        "csv",
    )
    assert res.returncode == 0 and res.stderr == ""
    assert res.stdout.count("\n") == 11


def test_the_library_warns_too(seed_store):
    from trustkg import query

    with pytest.warns(UserWarning, match="study=li2019 names nothing"):
        assert query("cq04", {"study": "li2019"}, store=str(seed_store)) == []


def test_a_query_that_does_not_parse_names_its_file_line_and_column(seed_store, tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text(
        "PREFIX tk: <https://w3id.org/trustkg/ontology#>\n"
        "SELECT ?x WHERE {\n"
        "  ?x tk:inStudy ?id ;\n"
        "     tk:nosuch ?y ?z .\n"
        "}\n",
        encoding="utf-8",
    )
    res = run("query", "run", str(path), "--store", str(seed_store))
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1, res.stderr
    assert res.stderr.startswith(f"trustkg: error: {path}:4:")
    assert "does not parse" in res.stderr


def test_a_query_with_an_undeclared_prefix_says_so(seed_store, tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("SELECT ?x WHERE {\n  ?x foo:bar ?y }\n", encoding="utf-8")
    res = run("query", "run", str(path), "--store", str(seed_store))
    assert res.returncode == 2
    assert f"{path}:2:" in res.stderr and "PREFIX" in res.stderr


@pytest.mark.parametrize(("separator", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_table_with_another_separator_gets_a_hint(tmp_path, separator, name):
    study = tmp_path / "study"
    shutil.copytree(FIXTURES / "second-study", study)
    themes = study / "themes.csv"
    themes.write_text(themes.read_text(encoding="utf-8").replace(",", separator), encoding="utf-8")
    res = run("build", "--study", str(study), "--store", str(tmp_path / "store"))
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1
    assert f"{themes}:1: the columns are separated by {name}, not commas" in res.stderr
    assert not (tmp_path / "store").exists()


def test_an_sssom_table_with_commas_gets_a_hint(tmp_path):
    from trustkg.core.errors import TableError
    from trustkg.sources import sssom

    path = tmp_path / "m.sssom.tsv"
    path.write_text(
        "# curie_map:\n#   x: https://example.org/\n"
        "subject_id,predicate_id,object_id,mapping_justification\n",
        encoding="utf-8",
    )
    with pytest.raises(TableError, match="separated by commas: an SSSOM table is tab-separated"):
        sssom.read(path)
