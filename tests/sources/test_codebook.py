"""`trustkg export codebook`: the trust framework as a REFI-QDA codebook (checked against the
standard's own XML Schema) and as Taguette's CSV, with GUIDs derived from the concepts' IRIs,
and a codebook that comes back the same after an import into trustkg."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from trustkg.cli import cli
from trustkg.core.resources import bundled_studies
from trustkg.sources.framework import MAX_PATH
from trustkg.sources.tables import read_study

from ..conftest import FIXTURES

XSD = FIXTURES / "refi-qda" / "xsd" / "Codebook.xsd"
NS = {"q": "urn:QDA-XML:codebook:1.0"}
IRI_AT_END = r" \[(https://w3id\.org/trustkg/data/[^\]]+)\]$"


def export(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    res = CliRunner().invoke(cli, ["export", "codebook", "--out", str(out), *args])
    assert res.exit_code == 0, res.output
    return out


@pytest.fixture(scope="module")
def schema():
    import xmlschema

    return xmlschema.XMLSchema(str(XSD))


@pytest.fixture(scope="module")
def qdc(tmp_path_factory) -> Path:
    return export(tmp_path_factory.mktemp("qdc"), "trust-framework.qdc")


def _codes(path: Path) -> list[ET.Element]:
    return ET.parse(path).getroot().findall(".//q:Code", NS)


def test_the_qdc_is_valid_against_the_refi_qda_codebook_schema(qdc, schema):
    schema.validate(str(qdc))  # raises, naming the element, if not
    # the validator does catch what is wrong: Taguette's own export, with its empty <Sets/>
    taguette = b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="0D62985D-B147-5D01-A9B5-CAE5DCD98342" name="interesting" isCodable="true"/></Codes><Sets/></CodeBook>'  # noqa: E501
    assert not schema.is_valid(io.BytesIO(taguette))


def test_the_framework_is_all_there_nested_and_described(qdc):
    li2018 = read_study(next(p for p in bundled_studies() if p.name == "li2018"))
    root = ET.parse(qdc).getroot()
    groups = {g.get("name"): g for g in root.findall("q:Codes/q:Code", NS)}
    assert all(g.get("isCodable") == "false" for g in groups.values())
    count = {name: len(g.findall("q:Code", NS)) for name, g in groups.items()}
    assert count == {
        "li2018 themes": 3,
        "li2018 asymmetry types": 7,
        "li2018 trust factors": 14,
        "li2018 strategies": 7,
        "williams2013 concepts": 31,
    }
    themes = groups["li2018 themes"].findall("q:Code", NS)
    assert sum(len(t.findall("q:Code", NS)) for t in themes) == 14  # subthemes under themes
    t2 = next(t for t in themes if t.get("name").startswith("T2 "))
    assert [s.get("name")[:5] for s in t2.findall("q:Code", NS)] == ["T2-S1", "T2-S2"]
    # descriptions are the paper's own words, then the concept's IRI
    power = next(c for c in groups["li2018 asymmetry types"] if c.get("name") == "asymmetric power")
    stated = next(r["stated_text"] for r in li2018.rows("asymmetry_types") if r["id"] == "AT-power")
    assert power.find("q:Description", NS).text == (
        f"{stated} [https://w3id.org/trustkg/data/li2018/asymmetry/AT-power]"
    )
    assert power.get("color") == "#D62728"
    colours = {g.get("name"): g.get("color") for g in groups.values()}
    assert len(set(colours.values())) == 5  # a colour per kind


def test_guids_are_derived_from_the_iris_and_the_same_at_every_export(qdc, tmp_path):
    import re

    codes = _codes(qdc)
    guids = [c.get("guid") for c in codes]
    assert len(set(guids)) == len(guids) == 81
    for c in codes:
        iri = re.search(IRI_AT_END, c.find("q:Description", NS).text).group(1)
        assert c.get("guid") == str(uuid.uuid5(uuid.NAMESPACE_URL, iri)).upper()
    assert export(tmp_path, "again.qdc").read_bytes() == qdc.read_bytes()


def test_the_csv_is_what_taguette_imports(tmp_path):
    import re

    data = export(tmp_path, "trust-framework.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Taguette's guesser needs
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 76  # the codable codes; groups live on as the start of the paths
    assert all(len(r["path"]) <= MAX_PATH for r in rows)
    assert all("\n" not in r["description"] for r in rows)
    assert all(re.search(IRI_AT_END, r["description"]) for r in rows)
    cut = [r["path"] for r in rows if r["path"].endswith("…")]
    assert cut, "no path needed cutting: the limit is not exercised"
    assert len({r["path"] for r in rows}) == 76


def test_study_and_include_choose_the_framework(tmp_path):
    out = export(tmp_path, "t.qdc", "--study", "li2018", "--include", "themes,asymmetries")
    names = [c.get("name") for c in ET.parse(out).getroot().findall("q:Codes/q:Code", NS)]
    assert names == ["li2018 themes", "li2018 asymmetry types"]
    out = export(tmp_path, "w.csv", "--study", "williams2013", "--format", "csv")
    assert out.read_bytes().decode("utf-8-sig").count("\n") == 32


def test_a_codebook_comes_back_the_same_after_an_import(qdc, tmp_path):
    for fmt in ("qdc", "csv"):
        folder = tmp_path / f"mycodes-{fmt}"
        first = export(tmp_path, f"first.{fmt}")
        res = CliRunner().invoke(
            cli, ["import", "refi-qda", str(qdc), "--study", str(folder), "--id", "mycodes"]
        )
        assert res.exit_code == 0, res.output
        again = export(tmp_path, f"again.{fmt}", "--study", str(folder))
        assert again.read_bytes() == first.read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "x.txt"], "cannot tell the codebook format"),
        (["--out", "x.qdc", "--include", "themes,quotations"], "unknown part"),
        (["--out", "x.qdc", "--study", "nowhere"], "study folder not found"),
    ],
)
def test_mistakes_are_one_line(tmp_path, args, message):
    from ..robustness.test_bad_input import assert_one_line, run

    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    assert_one_line(run("export", "codebook", *args), message)
    assert not list(tmp_path.iterdir())
