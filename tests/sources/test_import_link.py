"""A second study from a QDA tool beside the seed: import a REFI-QDA project, map its codes to
li2018's asymmetry types with SSSOM, build, and compare the evidence with CQ13; the SSSOM reader
and writer; organisations joined with register extracts through CQ14."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from trustkg.cli import cli
from trustkg.core.errors import TableError
from trustkg.core.resources import bundled_studies
from trustkg.sources import sssom
from trustkg.sparql.run import run_query
from trustkg.store.build import build, read_studies

from ..conftest import FIXTURES, select
from .test_refiqda import CARE, care_qdpx

MAPPING = FIXTURES / "refi-qda" / "carestudy-to-li2018.sssom.tsv"
REGISTERS = FIXTURES / "registers"


def _cq13(store: Path, study: str) -> dict[str, tuple[int, int]]:
    rows = run_query("cq13", {}, store=store).records()
    return {
        r["asymmetry"]: (int(r["quotations"]), int(r["pointers"]))
        for r in rows
        if r["study"] == study
    }


@pytest.fixture(scope="module")
def care_store(tmp_path_factory) -> tuple[Path, Path]:
    """The synthetic trust-in-care .qdpx imported, mapped and built with the bundled studies,
    through the commands a researcher runs."""
    tmp = tmp_path_factory.mktemp("care")
    folder, store = tmp / "carestudy", tmp / "store"
    runner = CliRunner()
    out = runner.invoke(
        cli,
        ["import", "refi-qda", str(care_qdpx(tmp)), "--study", str(folder)],
    )
    assert out.exit_code == 0, out.output
    out = runner.invoke(
        cli, ["link", str(MAPPING), "--study", str(folder), "--build", "--store", str(store)]
    )
    assert out.exit_code == 0, out.output
    return folder, store


def test_cq13_compares_the_two_studies_per_asymmetry_type(care_store):
    _, store = care_store
    # Counted by hand in trust-in-care.qde and the SSSOM file: "Not knowing what partners can
    # do" (exactMatch knowledge) codes segments 1 and 5; "Who decides" (closeMatch power)
    # codes 2, 5 and 6; "Money worries" (broadMatch financial) codes 3, and its child "No money
    # for training" codes 7. "Stretched staff" (relatedMatch capacity) and "Partnership in
    # general" (narrowMatch culture) do not make their segments evidence of those types.
    assert _cq13(store, "carestudy") == {
        "AT-knowledge": (2, 0),
        "AT-power": (3, 0),
        "AT-financial": (2, 0),
    }
    # The seed study's rows are those of the seed alone.
    assert _cq13(store, "li2018")["AT-power"] == (10, 8)
    assert len(_cq13(store, "li2018")) == 7


def test_the_imported_study_keeps_codes_coders_and_positions(care_store):
    _, store = care_store
    from trustkg.store import open_store

    rows = select(open_store(store), _SEGMENTS)
    first = rows[0]
    assert (first["id"], first["start"], first["end"], first["coder"]) == (
        "G0001",
        "0",
        "52",
        "Coder A (synthetic)",
    )
    assert first["text"] == "We never know what the council can actually deliver."
    assert first["code"] == "Not knowing what partners can do"
    assert first["scheme"] == "carestudy: codebook"
    assert len(rows) == 9  # 8 segments, segment 5 coded twice


_SEGMENTS = """
PREFIX tk: <https://w3id.org/trustkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?id ?start ?end ?text ?code ?scheme ?coder WHERE {
  ?s a tk:CodedSegment ; dcterms:identifier ?id ; tk:startPosition ?start ; tk:endPosition ?end ;
     tk:text ?text ; tk:evidences ?c .
  ?c skos:prefLabel ?code ; skos:inScheme/rdfs:label ?scheme .
  ?link rdf:subject ?s ; rdf:object ?c ; prov:wasAttributedTo/rdfs:label ?coder .
} ORDER BY ?id ?code"""


def test_a_bare_qde_counts_its_segments_as_evidence_without_words(tmp_path):
    folder = tmp_path / "carestudy"
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["import", "refi-qda", str(CARE), "--study", str(folder)]).exit_code == 0
    )
    seg = next(csv.DictReader((folder / "segments.csv").read_text("utf-8").splitlines()))
    assert seg["text"] == "" and seg["name"] == "We never know what t"  # never invented
    sssom.link(MAPPING, folder)
    store = tmp_path / "store"
    build([folder], store=store)
    assert _cq13(store, "carestudy") == {
        "AT-knowledge": (0, 2),
        "AT-power": (0, 3),
        "AT-financial": (0, 2),
    }


def test_linking_twice_changes_nothing(care_store, tmp_path):
    folder, _ = care_store
    copy = tmp_path / "carestudy"
    shutil.copytree(folder, copy)
    before = (copy / "mappings.csv").read_text("utf-8")
    n, _ = sssom.link(MAPPING, copy)
    assert n == 5 and (copy / "mappings.csv").read_text("utf-8") == before


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            ("care:K002", "care:X999"),
            "subject care:X999 names nothing: study carestudy has no code",
        ),
        (
            ("li2018at:AT-power", "li2018at:AT-powr"),
            r"object li2018at:AT-powr names nothing: study li2018 has no asymmetry type 'AT-powr' "
            r"\(did you mean AT-power\?\)",
        ),
        (("li2018at:AT-power", "tkd:li2019/asymmetry/AT-power"), "no study 'li2019'"),
        (("skos:exactMatch", "owl:sameAs"), "is not one of skos:"),
        (("0.9", "1.5"), "not a number from 0 to 1"),
        (("care:K002", "nope:K002"), "prefix 'nope'"),
        (("li2018at:AT-knowledge", "tkd:li2018/participant/N1-P01"), "is a participant"),
        (("semapv:ManualMappingCuration", "manual"), "prefix 'manual'"),
    ],
)
def test_a_bad_mapping_is_one_line_and_leaves_the_study_as_it_was(
    care_store, tmp_path, bad, message
):
    folder, _ = care_store
    copy = tmp_path / "carestudy"
    shutil.copytree(folder, copy)
    before = (copy / "mappings.csv").read_bytes()
    text = MAPPING.read_text("utf-8").replace(bad[0], bad[1], 1)
    broken = tmp_path / "broken.sssom.tsv"
    broken.write_text(text, "utf-8")
    with pytest.raises(TableError, match=message) as exc:
        sssom.link(broken, copy)
    assert "\n" not in str(exc.value)
    assert (copy / "mappings.csv").read_bytes() == before


def test_link_refuses_a_mapping_to_nothing_before_writing(care_store, tmp_path):
    """The issue's case: `li2018/AT-powr` was linked ("linked 1 mappings", exit 0), written to
    mappings.csv, and every later build of the study failed."""
    import subprocess
    import sys

    folder, _ = care_store
    copy = tmp_path / "carestudy"
    shutil.copytree(folder, copy)
    before = (copy / "mappings.csv").read_bytes()
    broken = tmp_path / "typo.sssom.tsv"
    broken.write_text(MAPPING.read_text("utf-8").replace("AT-power", "AT-powr"), "utf-8")
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "trustkg.cli",
            "link",
            str(broken),
            "--study",
            str(copy),
            "--store",
            str(tmp_path / "store"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1, res.stderr
    assert f"{broken}:14, column 'object_id':" in res.stderr  # the file, its line, the column
    assert (copy / "mappings.csv").read_bytes() == before
    assert not (tmp_path / "store").exists()
    build([copy], store=tmp_path / "store")  # the study still builds


def test_link_accepts_an_object_only_the_store_holds(care_store, tmp_path):
    """A mapping may point at a study that is neither this one nor bundled when the store
    holds it (here the second-study fixture): `link` looks there last."""
    folder, _ = care_store
    copy = tmp_path / "carestudy"
    shutil.copytree(folder, copy)
    mapping = tmp_path / "to-fixture.sssom.tsv"
    mapping.write_text(
        MAPPING.read_text("utf-8").replace(
            "li2018at:AT-knowledge", "tkd:fixture2/asymmetry/AT-fixture"
        ),
        "utf-8",
    )
    runner = CliRunner()
    without = runner.invoke(
        cli, ["link", str(mapping), "--study", str(copy), "--store", str(tmp_path / "none")]
    )
    assert without.exit_code != 0 and "no study 'fixture2'" in str(without.exception)
    store = tmp_path / "store"
    build([FIXTURES / "second-study"], store=store)
    res = runner.invoke(cli, ["link", str(mapping), "--study", str(copy), "--store", str(store)])
    assert res.exit_code == 0, res.output
    assert "fixture2/AT-fixture" in (copy / "mappings.csv").read_text("utf-8")


def test_export_mappings_is_valid_sssom_that_reads_back(tmp_path):
    out = tmp_path / "trustkg.sssom.tsv"
    result = CliRunner().invoke(cli, ["export-mappings", "--out", str(out)])
    assert result.exit_code == 0, result.output
    ms = sssom.read(out)
    assert ms.curie_map["semapv"] == sssom.SEMAPV and "tkd" in ms.curie_map
    assert ms.metadata["license"].startswith("https://creativecommons.org/")
    studies = read_studies(bundled_studies())
    li = next(s for s in studies if s.study_id == "li2018")
    expected = len(li.rows("links_subtheme_factor")) + len(li.rows("links_theme_asymmetry"))
    assert len(ms.rows) == expected
    for line, row in ms.rows:
        assert row["mapping_justification"] == "semapv:ManualMappingCuration"
        assert row["comment"], line  # the curator's rationale travels with the mapping
        assert ms.expand(row["subject_id"], line, "subject_id").startswith(
            "https://w3id.org/trustkg/data/li2018/"
        )


def test_export_includes_a_study_s_own_mappings(care_store):
    folder, _ = care_store
    out = CliRunner().invoke(cli, ["export-mappings", "--study", str(folder)])
    lines = [ln for ln in out.output.splitlines() if ln.startswith("tkd:carestudy/")]
    assert len(lines) == 5
    assert lines[0].split("\t")[:4] == [
        "tkd:carestudy/code/K002",
        "Not knowing what partners can do",
        "skos:exactMatch",
        "tkd:li2018/asymmetry/AT-knowledge",
    ]


# -- external identifiers and registers -------------------------------------------------------


def test_cq14_lists_identifiers_joined_with_registers(tmp_path):
    study = tmp_path / "fixture2"
    shutil.copytree(FIXTURES / "second-study", study)
    (study / "registers").mkdir()
    for extract in REGISTERS.glob("*.csv"):
        shutil.copy(extract, study / "registers" / extract.name)
    # Format examples only: these codes name no real organisation or area.
    (study / "identifiers.csv").write_text(
        "organisation,scheme,value,rationale\n"
        "N1-O01,ons-gss,E38000999,Test fixture: the area the fixture council serves.\n"
        "N1-O01,wikidata,Q4115189,Test fixture: a made-up attachment of a Wikidata item.\n"
        "N1-O02,ods,ZZ1,Test fixture: row ZZ1 of the made-up etr.csv names this hospital.\n",
        "utf-8",
    )
    store = tmp_path / "store"
    build([study], store=store)
    rows = [
        {k: v for k, v in r.items() if v}
        for r in run_query("cq14", {}, store=store).records()
        if r["study"] == "fixture2"
    ]
    assert rows == [
        {
            "study": "fixture2",
            "organisation": "N1-O01",
            "name": "Fixture council",
            "scheme": "ons-gss",
            "code": "E38000999",
            "area": "NHS Fixture Sub-ICB Location B (made-up)",
            "within_area": "NHS Fixture Integrated Care Board (made-up)",
        },
        {
            "study": "fixture2",
            "organisation": "N1-O01",
            "name": "Fixture council",
            "scheme": "wikidata",
            "code": "Q4115189",
        },
        {
            "study": "fixture2",
            "organisation": "N1-O02",
            "name": "Fixture hospital",
            "scheme": "ods",
            "code": "ZZ1",
            "register_name": "FIXTURE GENERAL HOSPITAL NHS TRUST (MADE-UP)",
        },
    ]


def test_a_malformed_register_row_is_one_line(tmp_path):
    bad = tmp_path / "epraccur.csv"
    bad.write_text("Organisation Code,Name\nZZ1,FIXTURE\n", "utf-8")
    from trustkg.sources.registers import read_ods

    with pytest.raises(TableError, match="no header row") as exc:
        read_ods(bad)
    assert "epraccur.csv:1" in str(exc.value)


def test_identifier_scheme_is_checked_by_the_table_schema(tmp_path):
    study = tmp_path / "fixture2"
    shutil.copytree(FIXTURES / "second-study", study)
    (study / "identifiers.csv").write_text(
        "organisation,scheme,value,rationale\nN1-O02,nhs,ZZ1,x\n", "utf-8"
    )
    with pytest.raises(TableError, match="one of ods, ons-gss, wikidata"):
        read_studies([study])


def test_sssom_header_without_space_after_hash(tmp_path):
    path = tmp_path / "m.sssom.tsv"
    path.write_text(
        "#curie_map:\n#  care: https://w3id.org/trustkg/data/carestudy/code/\n"
        "#mapping_set_id: urn:test\n"
        "subject_id\tpredicate_id\tobject_id\tmapping_justification\n"
        "care:K002\tskos:exactMatch\ttkd:li2018/asymmetry/AT-power\t"
        "semapv:ManualMappingCuration\n",
        "utf-8",
    )
    ms = sssom.read(path)
    assert ms.curie_map == {"care": "https://w3id.org/trustkg/data/carestudy/code/"}
    rows = sssom.mapping_rows(ms, "carestudy")
    assert rows[0]["object"] == "li2018/AT-power" and rows[0]["mapping_set"] == "urn:test"


def test_the_imported_and_mapped_study_conforms_to_the_shapes(care_store):
    from trustkg.check.validate import validate

    _, store = care_store
    report = validate((), store=store)
    assert report.conforms
    assert not [r for r in report.results if "carestudy" in r.focus], [
        r.line() for r in report.results if "carestudy" in r.focus
    ]


def test_import_with_build_puts_the_study_beside_the_seed(tmp_path):
    store = tmp_path / "store"
    out = CliRunner().invoke(
        cli,
        ["import", "refi-qda", str(CARE), "--study", str(tmp_path / "carestudy"), "--id",
         "carestudy", "--build", "--store", str(store)],
    )  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "7 codes, 2 sources, 8 coded segments, 2 users, 2 cases, 1 notes, 1 sets" in out.output
    from trustkg.store import open_store

    rows = select(
        open_store(store),
        "SELECT ?study (COUNT(?c) AS ?n) WHERE { ?c a tk:Code ; "
        "tk:inStudy/dcterms:identifier ?study } GROUP BY ?study",
    )
    assert rows == [{"study": "carestudy", "n": "7"}]
    # Not mapped yet: CQ13 has only the seed study's rows.
    assert _cq13(store, "carestudy") == {} and len(_cq13(store, "li2018")) == 7


def test_cq12_tells_who_coded_and_who_mapped(care_store):
    _, store = care_store
    coded = run_query("cq12", {"study": "carestudy", "subject": "G0005"}, store=store).records()
    assert [(r["property"], r["object"], r["kind"], r["curator"]) for r in coded] == [
        ("evidences", "K002", "curated", "Coder B (synthetic)"),
        ("evidences", "K003", "curated", "Coder B (synthetic)"),
    ]
    mapped = run_query("cq12", {"study": "carestudy", "subject": "K002"}, store=store).records()
    assert [(r["property"], r["object"], r["curator"]) for r in mapped] == [
        ("exactMatch", "AT-knowledge", "Test curator (synthetic)")
    ]
    assert mapped[0]["rationale"].startswith("Not knowing what a partner can deliver")
