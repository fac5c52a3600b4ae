"""Codes that came from trustkg's codebook are linked to the framework at import, by GUID, IRI
in the description, path or name, with no SSSOM file; every other code is emergent (CQ16).

Each rule is exercised the way a QDA tool would bring the codebook back: with its GUIDs (NVivo,
ATLAS.ti, MAXQDA, QualCoder), without them but with the descriptions, with neither, or with the
tree flattened. Taguette's own round trip is in test_taguette.py.
"""

from __future__ import annotations

import csv
import shutil
import uuid
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from trustkg.cli import cli
from trustkg.sources import sssom
from trustkg.sources.framework import FrameworkCode, concept_guid
from trustkg.sources.recognise import Recogniser
from trustkg.sources.refiqda import Code, RefiProject, read
from trustkg.sources.refiqda_tables import import_project
from trustkg.sparql.run import run_query
from trustkg.store.build import build

from ..conftest import FIXTURES
from .test_refiqda import CARE

NS = "urn:QDA-XML:codebook:1.0"
Q = {"q": NS}
DATA = "https://w3id.org/trustkg/data/"


@pytest.fixture(scope="module")
def codebook(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("codebook") / "trust-framework.qdc"
    res = CliRunner().invoke(cli, ["export", "codebook", "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out


def _as_a_tool_returns_it(
    codebook: Path, tmp_path: Path, *, guids=True, descriptions=True, flat=False
) -> Path:
    """The codebook as a tool exports it again: new GUIDs, no descriptions, or a flat list."""
    ET.register_namespace("", NS)
    tree = ET.parse(codebook)
    codes_el = tree.getroot().find("q:Codes", Q)
    for code in codes_el.iter(f"{{{NS}}}Code"):
        if not guids:
            code.set("guid", str(uuid.uuid4()).upper())
        if not descriptions:
            for d in code.findall("q:Description", Q):
                code.remove(d)
    if flat:
        every = list(codes_el.iter(f"{{{NS}}}Code"))
        for code in every:
            for child in code.findall("q:Code", Q):
                code.remove(child)
        codes_el[:] = every
    out = tmp_path / "returned.qdc"
    tree.write(out, encoding="utf-8", xml_declaration=True)
    return out


def _rules(folder: Path) -> dict[str, int]:
    with open(folder / "framework_links.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, int] = {}
    for r in rows:
        out[r["rule"]] = out.get(r["rule"], 0) + 1
    return out


@pytest.mark.parametrize(
    ("how", "rule"),
    [
        ({}, "guid"),
        ({"guids": False}, "iri"),
        ({"guids": False, "descriptions": False}, "path"),
        ({"guids": False, "descriptions": False, "flat": True}, "name"),
    ],
)
def test_each_rule_recognises_the_whole_framework(codebook, tmp_path, how, rule):
    returned = _as_a_tool_returns_it(codebook, tmp_path, **how)
    done = import_project(read(returned), "back", tmp_path / "back")
    assert _rules(done.folder) == {rule: 76}  # every concept; the 5 groups are no concepts
    assert len(done.recognised) == 81 and done.emergent == []
    assert (
        done.summary() == f"linked 76 codes to the framework (76 by {rule}); 0 new (emergent) codes"
    )


def test_a_name_two_framework_entries_share_is_not_recognised():
    def entry(ident: str, name: str, parent: str = "") -> FrameworkCode:
        iri = f"{DATA}x/theme/{ident}"
        parent_iri = f"{DATA}x/theme/{parent}" if parent else ""
        return FrameworkCode(
            iri, "x", "themes", ident, name, "", "", True, parent_iri, concept_guid(iri)
        )

    one = [entry("A", "Group A"), entry("T1", "Trust", "A")]
    two = [*one, entry("B", "Group B"), entry("T2", "Trust", "B")]
    project = RefiProject("p.qdc", "codebook", codes=[Code("g1", "trust")])
    assert Recogniser(two).recognise(project) == {}
    assert Recogniser(one).recognise(project)["g1"].rule == "name"


def test_a_qde_coded_with_the_codebook_is_linked_and_compared_at_once(tmp_path):
    """The synthetic trust-in-care project as if coded with trustkg's codebook in a tool that
    kept one code's GUID (AT-power's) and another's name ("knowledge asymmetry")."""
    power = concept_guid(f"{DATA}li2018/asymmetry/AT-power")
    text = CARE.read_text("utf-8")
    text = text.replace("a1b2c3d4-0000-4000-8000-000000000303", power)
    text = text.replace('name="Not knowing what partners can do"', 'name="knowledge asymmetry"')
    qde = tmp_path / "coded.qde"
    qde.write_text(text, "utf-8")
    folder, store = tmp_path / "carestudy", tmp_path / "store"
    res = CliRunner().invoke(
        cli,
        [
            "import",
            "refi-qda",
            str(qde),
            "--study",
            str(folder),
            "--id",
            "carestudy",
            "--build",
            "--store",
            str(store),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "linked 2 codes to the framework (1 by guid, 1 by name); 4 new" in res.output
    rows = run_query("cq13", store=store).records()
    care = {
        r["asymmetry"]: (r["quotations"], r["pointers"]) for r in rows if r["study"] == "carestudy"
    }
    # "Who decides" codes segments 2, 5 and 6, "Not knowing..." 1 and 5 (a bare .qde: no words)
    assert care == {"AT-power": (0, 3), "AT-knowledge": (0, 2)}
    emergent = run_query("cq16", {"study": "carestudy"}, store=store).records()
    assert {r["label"] for r in emergent} == {
        "Money worries",
        "No money for training",
        "Stretched staff",
        "Partnership in general",
    }
    # each link is a curated link with its rationale (CQ12), loaded as an SSSOM mapping is
    assert _exact_matches(store, "carestudy") == [
        (
            "K002",
            "AT-knowledge",
            "Code 'knowledge asymmetry' came from trustkg's codebook: its "
            "name 'knowledge asymmetry' is the name trustkg's codebook gives li2018/AT-knowledge, "
            "and no other framework entry has it (recognised at import).",
        ),
        (
            "K003",
            "AT-power",
            f"Code 'Who decides' came from trustkg's codebook: GUID {power} is "
            f"uuid5(NAMESPACE_URL, {DATA}li2018/asymmetry/AT-power), the GUID trustkg export "
            "codebook gives li2018/AT-power (recognised at import).",
        ),
    ]
    links = list(csv.DictReader(open(folder / "framework_links.csv", encoding="utf-8")))
    assert [(r["subject"], r["justification"]) for r in links] == [
        ("K002", "semapv:LexicalMatching"),
        ("K003", "semapv:BackgroundKnowledgeBasedMatching"),
    ]


def _exact_matches(store: Path, study: str) -> list[tuple[str, str, str]]:
    rows = run_query("cq12", {"study": study}, store=store).records()
    return [
        (r["subject"], r["object"], r["rationale"]) for r in rows if r["property"] == "exactMatch"
    ]


def test_cq16_lists_the_emergent_codes_of_a_mapped_study(tmp_path):
    """Counted by hand in trust-in-care.qde and its SSSOM file: of the six codable codes, five
    are mapped (exact, close, broad, related and narrow matches all count as a fit); "No money
    for training" is not, but it sits under "Money worries", which broadMatches AT-financial,
    and codes segment 7."""
    folder, store = tmp_path / "carestudy", tmp_path / "store"
    res = CliRunner().invoke(
        cli, ["import", "refi-qda", str(CARE), "--study", str(folder), "--id", "carestudy"]
    )
    assert res.exit_code == 0, res.output
    assert "0 codes to the framework (none); 6 new (emergent) codes" in res.output
    sssom.link(FIXTURES / "refi-qda" / "carestudy-to-li2018.sssom.tsv", folder)
    build([folder], store=store)
    rows = [{k: v for k, v in r.items() if v} for r in run_query("cq16", store=store).records()]
    assert rows == [
        {
            "study": "carestudy",
            "code": "K005",
            "label": "No money for training",
            "segments": 1,
            "under": "li2018/AT-financial",
        },
    ]


def test_a_reimport_keeps_the_researchers_mappings_and_links_once(codebook, tmp_path):
    """mappings.csv is the researcher's: an import never writes it, and where it maps a code to
    the concept the import recognised, one curated link is made, with the researcher's words."""
    folder = tmp_path / "mycodes"
    import_project(read(codebook), "mycodes", folder)
    k = next(
        r
        for r in csv.DictReader(open(folder / "codes.csv", encoding="utf-8"))
        if r["label"] == "asymmetric power"
    )["id"]
    mapping = (
        "subject,predicate,object,justification,confidence,author,comment,mapping_set\n"
        f"{k},exactMatch,li2018/AT-power,semapv:ManualMappingCuration,,A. Researcher,"
        "Checked by hand,\n"
    )
    (folder / "mappings.csv").write_text(mapping, "utf-8")
    again = import_project(read(codebook), "mycodes", folder, force=True)
    assert (folder / "mappings.csv").read_text("utf-8") == mapping
    assert len(again.recognised) == 81
    store = tmp_path / "store"
    build([folder], store=store)
    links = _exact_matches(store, "mycodes")
    assert len(links) == 76
    assert [r for r in links if r[0] == k] == [(k, "AT-power", "Checked by hand")]


def test_framework_from_another_study_folder_is_recognised_when_named(tmp_path):
    """A codebook exported from another study's folder (--study DIR) is recognised when the
    import names that study with --framework; without it, its codes are emergent."""
    second = tmp_path / "fixture2"
    shutil.copytree(FIXTURES / "second-study", second)
    out = tmp_path / "second.qdc"
    res = CliRunner().invoke(cli, ["export", "codebook", "--study", str(second), "--out", str(out)])
    assert res.exit_code == 0, res.output
    project = read(out)
    without = import_project(project, "a", tmp_path / "a")
    assert without.recognised == {}
    named = import_project(project, "b", tmp_path / "b", frameworks=[str(second)])
    assert len(named.recognised) == len(project.codes) and named.emergent == []
