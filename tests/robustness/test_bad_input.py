"""Broken and hostile input, through the real command line.

Each case runs ``trustkg`` in a subprocess, as a researcher would, and asserts the exit code,
the one line on stderr (naming file, line and column or field where the input has them), that
no traceback is printed, and that the store the command was pointed at is byte-for-byte as it
was before.
"""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ..conftest import FIXTURES

SECOND = FIXTURES / "second-study"
REFI_FIXTURE = FIXTURES / "refi-qda" / "trust-in-care.qde"
SSSOM_FIXTURE = FIXTURES / "refi-qda" / "carestudy-to-li2018.sssom.tsv"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    import os

    full_env = {**os.environ, **(env or {})}
    full_env.pop("TRUSTKG_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "trustkg.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
    )


def digest(folder: Path) -> str:
    """Every file's relative path and bytes, hashed: equal digests mean nothing changed."""
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def assert_one_line(res: subprocess.CompletedProcess, pattern: str, code: int = 2) -> str:
    assert res.returncode == code, (res.returncode, res.stdout, res.stderr)
    assert "Traceback" not in res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("trustkg: error: "), lines[0]
    assert re.search(pattern, lines[0]), (pattern, lines[0])
    return lines[0]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built store that every failing command must leave untouched."""
    from trustkg.store.build import build

    path = tmp_path_factory.mktemp("robust") / "store"
    build(store=path)
    return path


# -- RDF files ---------------------------------------------------------------------------------

PREFIX = "@prefix ex: <http://example.org/> .\n"
TURTLE_CASES = {
    # name: (content, expected "file:line:column: ... why" pattern)
    "unknown-prefix": (
        PREFIX + "ex:a ex:b ex:c .\nfoo:x ex:b ex:c .\n",
        r"unknown-prefix\.ttl:3:1: not valid RDF: .*prefix foo: has not been declared",
    ),
    "missing-dot": (
        PREFIX + "ex:a ex:b ex:c\nex:d ex:b ex:c .\n",
        r"missing-dot\.ttl:3:1: not valid RDF: .*dot is expected",
    ),
    "curly-quotes": (
        PREFIX + "ex:a ex:b \u201cquoted\u201d .\n",
        r"curly-quotes\.ttl:2:11: not valid RDF: .*\u201c",
    ),
    "space-in-iri": (
        PREFIX + "ex:a ex:b <http://example.org/a b> .\n",
        r"space-in-iri\.ttl:2:11: not valid RDF: .*IRI",
    ),
}


@pytest.mark.parametrize("name", sorted(TURTLE_CASES))
def test_malformed_turtle_names_file_line_and_column(name, tmp_path, store):
    content, pattern = TURTLE_CASES[name]
    (tmp_path / f"{name}.ttl").write_text(content, encoding="utf-8")
    before = digest(store)
    # a relative path, as typed at a prompt (this once crashed making a base IRI from it)
    res = subprocess.run(
        [sys.executable, "-m", "trustkg.cli", "validate", f"{name}.ttl", "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert_one_line(res, pattern)
    assert digest(store) == before


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 2 else "") + ";") * 10}">\n'
        for i in range(2, 10)
    )
    + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns:ex="http://example.org/"><rdf:Description rdf:about="http://example.org/a">'
    "<ex:b>&lol9;</ex:b></rdf:Description></rdf:RDF>\n"
)


def test_rdfxml_entity_bomb_is_refused_in_under_a_second(tmp_path, store):
    from trustkg.core.errors import TrustkgError
    from trustkg.store.rdfio import parse_rdf_file

    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(TrustkgError):
        parse_rdf_file(bomb)
    assert time.perf_counter() - start < 1.0
    res = run("validate", str(bomb), "--store", str(store))
    assert_one_line(res, r"bomb\.rdf:4:2: refused: the XML declares an entity built from")


@pytest.mark.parametrize(
    "decl, what",
    [
        ('<!ENTITY ext SYSTEM "file:///etc/passwd">', "an external entity"),
        ('<!ENTITY % pe "x">', "a parameter entity"),
    ],
)
def test_rdfxml_external_and_parameter_entities_are_refused(tmp_path, decl, what):
    f = tmp_path / "ext.rdf"
    f.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{decl}\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
        encoding="utf-8",
    )
    assert_one_line(run("validate", str(f)), rf"ext\.rdf:3:1: refused: the XML declares {what}")


def test_rdfxml_namespace_entities_of_ontology_editors_are_read(tmp_path):
    """Protégé writes DOCTYPE entities for namespaces; refusing those would refuse real files."""
    f = tmp_path / "protege.rdf"
    f.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n  <!ENTITY ex "http://example.org/" >\n]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/"><rdf:Description rdf:about="&ex;a">'
        "<ex:b>c</ex:b></rdf:Description></rdf:RDF>\n",
        encoding="utf-8",
    )
    from trustkg.store.rdfio import parse_rdf_file

    assert b"<http://example.org/a> <http://example.org/b> " in parse_rdf_file(f)


def test_refi_qda_entity_bomb_is_refused_in_under_a_second(tmp_path):
    bomb = tmp_path / "bomb.qdc"
    bomb.write_text(
        BILLION_LAUGHS.split("<rdf:RDF")[0]
        + '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="x" name="&lol9;" '
        'isCodable="true"/></Codes></CodeBook>\n',
        encoding="utf-8",
    )
    start = time.perf_counter()
    res = run("import", "refi-qda", str(bomb), "--study", str(tmp_path / "bomb"))
    elapsed = time.perf_counter() - start
    assert_one_line(res, r"bomb\.qdc.*refused")
    assert not (tmp_path / "o").exists()
    assert elapsed < 5  # the whole process, start-up included; the refusal itself is instant


# -- source tables -----------------------------------------------------------------------------


def _rewrite(path: Path, change: Callable[[list[list[str]]], list[list[str]]]) -> None:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(change(rows))


def _missing_column(folder: Path) -> None:
    _rewrite(folder / "participants.csv", lambda rows: [r[:-1] for r in rows])


def _extra_column(folder: Path) -> None:
    _rewrite(
        folder / "participants.csv",
        lambda rows: [rows[0] + ["colour"]] + [r + ["red"] for r in rows[1:]],
    )


def _duplicate_id(folder: Path) -> None:
    _rewrite(folder / "participants.csv", lambda rows: rows + [rows[1]])


def _dangling_reference(folder: Path) -> None:
    _rewrite(
        folder / "participants.csv",
        lambda rows: (
            [rows[0]] + [[*r[:3], "N1-O99", *r[4:]] if r[0] == "N1-P02" else r for r in rows[1:]]
        ),
    )


def _latin1(folder: Path) -> None:
    with open(folder / "participants.csv", "ab") as fh:
        fh.write("N1-P03,3,N1,N1-O01,Fixture r\u00f4le C,\n".encode("latin-1"))


def _empty(folder: Path) -> None:
    (folder / "participants.csv").write_bytes(b"")


TABLE_CASES = {
    "missing-column": (
        _missing_column,
        r"participants\.csv:1, column 'involvement': missing column",
    ),
    "extra-column": (_extra_column, r"participants\.csv:1, column 'colour': unknown column"),
    "duplicate-id": (
        _duplicate_id,
        r"participants\.csv:4, column 'id': duplicate identifier 'N1-P01'",
    ),
    "dangling-reference": (
        _dangling_reference,
        r"participants\.csv:3, column 'organisation': 'N1-O99' does not exist in organisations",
    ),
    "latin-1": (_latin1, r"participants\.csv:4:29, column 'role': byte 0xf4 is not UTF-8"),
    "empty-file": (_empty, r"participants\.csv:1: file is empty"),
}


@pytest.mark.parametrize("name", sorted(TABLE_CASES))
def test_bad_tables_name_file_row_and_column_and_leave_the_store(name, tmp_path, store):
    change, pattern = TABLE_CASES[name]
    folder = tmp_path / "study"
    shutil.copytree(SECOND, folder)
    change(folder)
    before = digest(store)
    assert_one_line(run("build", "--study", str(folder), "--store", str(store)), pattern)
    assert digest(store) == before
    assert not list(store.parent.glob(f".{store.name}.new-*")), "staging left behind"


def test_byte_order_mark_is_read_as_if_absent(tmp_path):
    """Excel's "CSV UTF-8" starts every file with a BOM: trustkg reads it, never stores it."""
    plain, marked = tmp_path / "plain", tmp_path / "marked"
    shutil.copytree(SECOND, plain)
    shutil.copytree(SECOND, marked)
    for table in marked.glob("*.csv"):
        table.write_bytes(b"\xef\xbb\xbf" + table.read_bytes())
    outs = []
    for folder in (plain, marked):
        out = tmp_path / f"{folder.name}.nt"
        res = run(
            "build",
            "--study",
            str(folder),
            "--store",
            str(tmp_path / f"st-{folder.name}"),
            "--out",
            str(out),
        )
        assert res.returncode == 0, res.stderr
        outs.append(out.read_text(encoding="utf-8"))
    from rdflib import Graph
    from rdflib.compare import isomorphic

    graphs = [Graph().parse(data=text, format="nt") for text in outs]
    assert isomorphic(graphs[0], graphs[1])
    assert "\ufeff" not in outs[1]


# -- queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:9/remote-graph> WHERE { ?s ?p ?o }",
    ],
)
def test_federated_queries_are_refused_unless_allowed(body, tmp_path, store):
    q = tmp_path / "remote.rq"
    q.write_text(body + "\n", encoding="utf-8")
    refused = assert_one_line(run("query", "run", str(q), "--store", str(store)), "--allow-remote")
    allowed = run("query", "run", str(q), "--store", str(store), "--allow-remote")
    assert "--allow-remote" not in allowed.stderr and allowed.stderr != refused + "\n"
    assert "Traceback" not in allowed.stderr


# -- size cap ----------------------------------------------------------------------------------


def test_inputs_over_the_cap_are_refused_before_parsing(tmp_path, store):
    """Every kind of input, each made unparseable too: the cap must speak before the parser."""
    cap = {"TRUSTKG_MAX_INPUT_BYTES": "1K"}  # above every table of the study, below the junk
    junk = 'this is not valid in any of these formats { < " \n' * 40
    for name in ("data.ttl", "data.rdf", "query.rq", "map.sssom.tsv", "project.qdc"):
        (tmp_path / name).write_text(junk, encoding="utf-8")
    study, big_table = tmp_path / "study", tmp_path / "big-table"
    shutil.copytree(SECOND, study)
    shutil.copytree(SECOND, big_table)
    (big_table / "quotations.csv").write_text(junk, encoding="utf-8")
    cases = [
        (
            ["validate", str(tmp_path / "data.ttl"), "--store", str(store)],
            r"data\.ttl: the RDF file",
        ),
        (
            ["validate", str(tmp_path / "data.rdf"), "--store", str(store)],
            r"data\.rdf: the RDF file",
        ),
        (
            ["query", "run", str(tmp_path / "query.rq"), "--store", str(store)],
            r"query\.rq: the query",
        ),
        (["build", "--study", str(big_table), "--store", str(store)], r"\.csv: the table is"),
        (["link", str(tmp_path / "map.sssom.tsv"), "--study", str(study)], r"the mapping file is"),
        (
            [
                "import",
                "refi-qda",
                str(tmp_path / "project.qdc"),
                "--study",
                str(tmp_path / "out"),
            ],
            r"project\.qdc: the project file is",
        ),
    ]
    before, study_before = digest(store), digest(study)
    for args, pattern in cases:
        line = assert_one_line(run(*args, env=cap), pattern)
        assert "over the 1.0 KB input cap" in line and "TRUSTKG_MAX_INPUT_BYTES" in line
    assert digest(store) == before and digest(study) == study_before


def test_a_bad_cap_setting_is_one_line(tmp_path):
    f = tmp_path / "a.ttl"
    f.write_text(PREFIX, encoding="utf-8")
    res = run("validate", str(f), env={"TRUSTKG_MAX_INPUT_BYTES": "lots"})
    assert_one_line(res, r"TRUSTKG_MAX_INPUT_BYTES='lots' is not a size")
