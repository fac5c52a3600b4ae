"""REFI-QDA import: real exports read with the counts read off each file by hand, the quirks of
real exports tolerated, anything else refused in one line, untrusted XML parsed safely."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from trustkg.cli import cli, main
from trustkg.core.errors import TrustkgError
from trustkg.sources import refiqda
from trustkg.sources.refiqda_tables import write_study
from trustkg.sources.tables import read_study

from ..conftest import FIXTURES, REPO

SAMPLES = REPO.parent / "shared" / "samples" / "refi-qda"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"the REFI-QDA samples folder {SAMPLES} is not on this machine"
)
CARE = FIXTURES / "refi-qda" / "trust-in-care.qde"
CARE_SOURCES = FIXTURES / "refi-qda" / "sources"


def care_qdpx(tmp_path: Path, inner: str = "Trial.qde") -> Path:
    """The synthetic trust-in-care project as a .qdpx whose .qde is not named project.qde."""
    path = tmp_path / "care.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(CARE, inner)
        for txt in sorted(CARE_SOURCES.glob("*.txt")):
            zf.write(txt, f"sources/{txt.name}")
    return path


# -- the real files, counted by hand ---------------------------------------------------------


@needs_samples
def test_qualcoder_codebook():
    # 38 <Code> elements; 6 categories with isCodable="false", each holding its codes one level
    # down (depth 2); 3 + 6 codes at the top; BOM and CRLF line ends (see SOURCES.md).
    path = SAMPLES / "qualcoder-3.8.2-codebook.qdc"
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf" and b"\r\n" in path.read_bytes()
    p = refiqda.read(path)
    assert (p.kind, p.origin) == ("codebook", "QualCoder")
    assert len(p.codes) == 38
    assert p.depth() == 2
    assert sum(not c.codable for c in p.codes) == 6
    assert sum(not c.parent for c in p.codes) == 9
    assert (len(p.sources), len(p.selections), len(p.users), len(p.sets)) == (0, 0, 0, 0)
    fidelity = next(c for c in p.codes if c.name == "Curriculum fidelity")
    assert fidelity.color == "#A3BEA5"
    assert fidelity.description == (
        "Teacher follows the published sequence.\nSecond line, after a hard break."
    )
    assert any(c.name == 'Ünïcøde & <angle> "quoted" — 教师' for c in p.codes)
    assert p.codes[0].guid == "8162617f-e691-400b-aa13-c586dfaf7b89"


@needs_samples
def test_taguette_codebook_with_empty_sets():
    # 3 flat codes, upper-case GUIDs, an empty <Sets/> that the XSD does not allow.
    p = refiqda.read(SAMPLES / "taguette-1.4.1-codebook.qdc")
    assert p.origin == "Taguette 1.4.1"
    assert [c.name for c in p.codes] == ["interesting", "Scarcity", "public opinion"]
    assert p.depth() == 1 and p.sets == []
    assert p.codes[0].guid == "0d62985d-b147-5d01-a9b5-cae5dcd98342"  # kept lower case


@needs_samples
def test_project_covering_every_element():
    # Counted in project.qde: 1 user; 4 codes nested 3 deep (Topics > Health > Diet), Topics
    # not codable; 2 variables; 1 case with 2 values and 3 refs; 5 sources (text, picture,
    # PDF, audio, video); 7 selections (2 text, picture, PDF, transcript, audio, video), each
    # with one coding; 1 note; 1 set with a code and a source.
    p = refiqda.read(SAMPLES / "project.qde")
    assert (p.kind, p.name) == ("project", "Sample Study")
    assert len(p.users) == 1 and p.users[0][1] == "Researcher A"
    assert len(p.codes) == 4 and p.depth() == 3
    assert [c.name for c in p.codes if not c.codable] == ["Topics"]
    assert len(p.variables) == 2
    assert len(p.cases) == 1
    assert p.cases[0].values == [
        ("30000000-0000-0000-0000-000000000001", "34", "Integer"),
        ("30000000-0000-0000-0000-000000000002", "true", "Boolean"),
    ]
    assert len(p.cases[0].members) == 3
    assert [s.kind for s in p.sources] == ["text", "picture", "pdf", "audio", "video"]
    assert [s.kind for s in p.selections] == [
        "text",
        "text",
        "picture",
        "pdf",
        "transcript",
        "audio",
        "video",
    ]
    assert sum(len(s.codings) for s in p.selections) == 7
    text = p.selections[:2]
    assert [(s.start, s.end) for s in text] == [(0, 15), (9, 23)]
    # A bare .qde does not carry the transcript: no words for the spans, never invented ...
    assert [s.text for s in text] == [None, None]
    # ... but the PDF selection's own representation does give its words.
    assert p.selections[3].text == "diet and health"
    assert len(p.notes) == 1 and p.notes[0].text.startswith("Remember to follow up")
    assert len(p.sets) == 1 and len(p.sets[0].members) == 2


@needs_samples
def test_project_written_as_tables_keeps_guid_and_file(tmp_path):
    folder = write_study(refiqda.read(SAMPLES / "project.qde"), "sample", tmp_path / "sample")
    study = read_study(folder)  # the written tables pass trustkg's own table checks
    counts = {name: len(rows) for name, rows in study.tables.items()}
    assert counts == {
        "study": 1,
        "users": 1,
        "codes": 4,
        "sources": 5,
        "segments": 7,
        "links_segment_code": 7,
        "variables": 2,
        "cases": 1,
        "case_values": 2,
        "case_members": 3,
        "notes": 1,
        "sets": 1,
        "set_members": 2,
    }
    diet = next(r for r in study.rows("codes") if r["label"] == "Diet")
    health = next(r for r in study.rows("codes") if r["label"] == "Health")
    assert diet["parent"] == health["id"] and diet["color"] == "#dc0000"
    for table in ("codes", "sources", "segments", "links_segment_code", "notes", "sets"):
        for row in study.rows(table):
            assert row["guid"] and row["file"] == "project.qde", (table, row.values)
    first = study.rows("segments")[0]
    assert (first["start"], first["end"], first["text"], first["name"]) == (
        "0",
        "15",
        "",
        "Diet and health",
    )


# -- quirks of real exports ------------------------------------------------------------------


def test_inner_qde_of_any_name_and_span_text_from_the_archive(tmp_path):
    p = refiqda.read(care_qdpx(tmp_path))
    assert len(p.selections) == 8
    assert p.selections[0].text == "We never know what the council can actually deliver."
    assert p.selections[6].text == "There is no money for training."


@needs_samples
def test_sample_project_in_a_qdpx_gets_its_span_texts(tmp_path):
    path = tmp_path / "sample.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(SAMPLES / "project.qde", "Sample Study.qde")
        zf.writestr(
            "sources/11111111-1111-1111-1111-111111111111.txt",
            "Diet and health are closely linked.",
        )
    p = refiqda.read(path)
    assert [s.text for s in p.selections[:2]] == ["Diet and health", "health are clo"]


def test_braces_and_upper_case_guids_are_normalised(tmp_path):
    p = refiqda.read(care_qdpx(tmp_path))
    assert p.selections[0].guid == "a1b2c3d4-0000-4000-8000-000000000201"  # was {A1B2...}
    assert p.users[1][0] == "a1b2c3d4-0000-4000-8000-000000000002"
    assert p.selections[3].user == p.users[1][0]  # the reference resolves after normalising


def test_byte_order_mark_crlf_and_empty_sets(tmp_path):
    xml = (
        '<?xml version="1.0" encoding="utf-8"?>\r\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">'
        '\r\n<Codes><Code guid="{AAAAAAAA-0000-0000-0000-000000000001}" name="A" '
        'isCodable="true"/></Codes>\r\n<Sets/>\r\n</CodeBook>\r\n'
    )
    path = tmp_path / "bom.qdc"
    path.write_bytes(b"\xef\xbb\xbf" + xml.encode())
    p = refiqda.read(path)
    assert [(c.guid, c.name) for c in p.codes] == [("aaaaaaaa-0000-0000-0000-000000000001", "A")]


# -- refusals --------------------------------------------------------------------------------


def _one_line_error(args: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


def test_non_refi_xml_is_refused(tmp_path, capsys):
    path = tmp_path / "other.qde"
    path.write_text('<?xml version="1.0"?><Project xmlns="urn:example:other"/>', "utf-8")
    err = _one_line_error(["import", "refi-qda", str(path), "--study", str(tmp_path / "x")], capsys)
    assert "other.qde" in err and "not a REFI-QDA file" in err


def test_broken_zip_is_refused(tmp_path, capsys):
    path = tmp_path / "broken.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", "<Project/>" * 100)
    path.write_bytes(path.read_bytes()[:60])  # cut short
    err = _one_line_error(["import", "refi-qda", str(path), "--study", str(tmp_path / "x")], capsys)
    assert "broken.qdpx" in err and "zip" in err


def test_zip_without_a_project_is_refused(tmp_path):
    path = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("sources/a.txt", "text")
    with pytest.raises(refiqda.RefiError, match="no .qde"):
        refiqda.read(path)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="00000000-0000-0000-0000-000000000001" name="&lol9;" isCodable="true"/>
</Codes></CodeBook>
"""


def test_billion_laughs_is_refused_quickly(tmp_path, capsys):
    path = tmp_path / "lol.qdc"
    path.write_text(BILLION_LAUGHS, "utf-8")
    start = time.perf_counter()
    err = _one_line_error(["import", "refi-qda", str(path), "--study", str(tmp_path / "x")], capsys)
    assert time.perf_counter() - start < 1.0
    assert "lol.qdc" in err and "DTD" in err
    assert not (tmp_path / "x").exists()


def test_external_entity_is_refused(tmp_path):
    path = tmp_path / "xxe.qdc"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="a" name="&x;"/>'
        "</Codes></CodeBook>",
        "utf-8",
    )
    with pytest.raises(refiqda.RefiError, match="DTD"):
        refiqda.read(path)


def test_import_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", "utf-8")
    out = CliRunner().invoke(
        cli, ["import", "refi-qda", str(CARE), "--study", str(tmp_path / "taken")]
    )
    assert out.exit_code != 0 and "not empty" in str(out.exception or out.output)


def test_reimport_keeps_ids_and_the_researchers_own_tables(tmp_path):
    from trustkg.sources.sssom import link

    folder = tmp_path / "carestudy"
    write_study(refiqda.read(CARE), "carestudy", folder)
    link(FIXTURES / "refi-qda" / "carestudy-to-li2018.sssom.tsv", folder)
    mappings = (folder / "mappings.csv").read_text("utf-8")
    # The researcher adds a code at the top of the codebook and exports again.
    changed = tmp_path / "trust-in-care.qde"
    changed.write_text(
        CARE.read_text("utf-8").replace(
            "<Codes>",
            '<Codes><Code guid="a1b2c3d4-0000-4000-8000-000000000399" name="New code" '
            'isCodable="true"/>',
            1,
        ),
        "utf-8",
    )
    write_study(refiqda.read(changed), "carestudy", folder, force=True)
    study = read_study(folder)
    ids = {r["label"]: r["id"] for r in study.rows("codes")}
    assert ids["Not knowing what partners can do"] == "K002"  # as before: mappings still hold
    assert ids["New code"] == "K008"
    assert (folder / "mappings.csv").read_text("utf-8") == mappings


def test_a_guid_used_twice_is_refused(tmp_path):
    path = tmp_path / "dup.qdc"
    path.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="{AAAAAAAA-0000-0000-0000-000000000001}" name="A" isCodable="true"/>'
        '<Code guid="aaaaaaaa-0000-0000-0000-000000000001" name="B" isCodable="true"/>'
        "</Codes></CodeBook>",
        "utf-8",
    )
    with pytest.raises(refiqda.RefiError, match="used by two elements"):
        refiqda.read(path)


# -- found by the property tests in tests/robustness/test_properties.py ----------------------


def _project(tmp_path: Path, inner: str) -> Path:
    path = tmp_path / "found.qde"
    path.write_text(f'<Project xmlns="urn:QDA-XML:project:1.0">{inner}</Project>', "utf-8")
    return path


def _text_source(selection_attributes: str) -> str:
    return (
        '<Sources><TextSource guid="00000005-0000-4000-8000-000000000000" name="">'
        "<PlainTextContent>words</PlainTextContent>"
        f'<PlainTextSelection guid="00000006-0000-4000-8000-000000000000" {selection_attributes}/>'
        "</TextSource></Sources>"
    )


@pytest.mark.parametrize("position", ['""', '"abc"', '"-1502"', '"1e3"'])
def test_a_position_that_is_not_a_whole_number_is_refused_in_the_refi_file(tmp_path, position):
    # endPosition="" stopped the import with a bare ValueError from int(); a negative position
    # was written to segments.csv, which the import's own table check then refused.
    path = _project(tmp_path, _text_source(f'startPosition="0" endPosition={position}'))
    with pytest.raises(refiqda.RefiError, match="endPosition .* is not a character position") as e:
        refiqda.read(path)
    assert "found.qde" in str(e.value) and "00000006" in str(e.value)


def test_positions_with_spaces_or_a_plus_sign_are_read(tmp_path):
    path = _project(tmp_path, _text_source('startPosition=" 1 " endPosition="+3"'))
    assert [(s.start, s.end, s.text) for s in refiqda.read(path).selections] == [(1, 3, "or")]


def test_names_of_only_spaces_fall_back_to_the_guid_as_empty_names_do(tmp_path):
    # A code named " " was written with label " ", which reads back stripped as empty: the
    # import then failed on its own codes.csv ('a value is required').
    path = _project(
        tmp_path,
        '<Users><User guid="00000001-0000-4000-8000-000000000000" name="  "/></Users>'
        '<CodeBook><Codes><Code guid="00000002-0000-4000-8000-000000000000" name=" " '
        'isCodable="true"/></Codes></CodeBook>'
        '<Variables><Variable guid="00000003-0000-4000-8000-000000000000" name="&#9;" '
        'typeOfVariable="Text"/></Variables>'
        '<Cases><Case guid="00000004-0000-4000-8000-000000000000" name="&#10;"/></Cases>',
    )
    study = read_study(write_study(refiqda.read(path), "spaces", tmp_path / "spaces"))
    assert study.rows("codes")[0]["label"] == "00000002-0000-4000-8000-000000000000"
    assert study.rows("users")[0]["name"] == "00000001-0000-4000-8000-000000000000"
    assert study.rows("variables")[0]["label"] == "00000003-0000-4000-8000-000000000000"
    assert study.rows("cases")[0]["label"] == "00000004-0000-4000-8000-000000000000"


def test_variable_types_are_read_as_refi_qda_spells_them_or_refused(tmp_path):
    # typeOfVariable="" (or anything outside REFI-QDA's list) went into variables.csv, which the
    # import's own table check then refused.
    def variable(kind: str) -> Path:
        return _project(
            tmp_path,
            f'<Variables><Variable guid="00000003-0000-4000-8000-000000000000" name="Age" '
            f'typeOfVariable="{kind}"/></Variables>',
        )

    assert refiqda.read(variable("")).variables[0][2] == "Text"
    assert refiqda.read(variable("integer")).variables[0][2] == "Integer"
    with pytest.raises(refiqda.RefiError, match="typeOfVariable 'Colour'"):
        refiqda.read(variable("Colour"))


def test_a_case_giving_one_variable_two_values_is_refused(tmp_path):
    # Both values were written to case_values.csv, whose key is (case, variable): the import's
    # own table check then refused it as a duplicate identifier.
    value = (
        '<VariableValue><VariableRef targetGUID="00000003-0000-4000-8000-000000000000"/>'
        "<TextValue>{}</TextValue></VariableValue>"
    )
    path = _project(
        tmp_path,
        '<Variables><Variable guid="00000003-0000-4000-8000-000000000000" name="Age"/>'
        '</Variables><Cases><Case guid="00000004-0000-4000-8000-000000000000" name="P1">'
        f"{value.format('34')}{value.format('35')}</Case></Cases>",
    )
    with pytest.raises(refiqda.RefiError, match="gives variable 00000003.* two values"):
        refiqda.read(path)


@pytest.mark.parametrize(
    ("written", "date", "note"),
    [
        ("&quot;", "", """, dated '"', not an ISO 8601 date"""),
        ("2024-01-15T10:05:00Z", "2024-01-15T10:05:00Z", ""),
    ],
)
def test_a_coding_date_that_is_not_iso_8601_is_kept_in_the_rationale(tmp_path, written, date, note):
    # A Coding with creationDateTime='"' went into links_segment_code.csv's date column, whose
    # format refused it: the import stopped on a table it had written itself.
    path = _project(
        tmp_path,
        '<CodeBook><Codes><Code guid="00000002-0000-4000-8000-000000000000" name="A"/></Codes>'
        "</CodeBook>"
        + _text_source('startPosition="0" endPosition="5"').replace(
            "/></TextSource>",
            f'><Coding guid="00000007-0000-4000-8000-000000000000" creationDateTime="{written}">'
            '<CodeRef targetGUID="00000002-0000-4000-8000-000000000000"/></Coding>'
            "</PlainTextSelection></TextSource>",
        ),
    )
    study = read_study(write_study(refiqda.read(path), "dates", tmp_path / "dates"))
    (link,) = study.rows("links_segment_code")
    assert link["date"] == date
    assert link["rationale"].endswith(
        f"(REFI-QDA coding 00000007-0000-4000-8000-000000000000{note})"
    )


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ('<Variable name="" typeOfVariable="Integer"/>', "a variable has no guid attribute"),
        (
            '<Variable guid="00000002-0000-4000-8000-000000000000" name="A"/>'
            '<Variable guid="00000002-0000-4000-8000-000000000000" name="B"/>',
            "GUID 00000002-0000-4000-8000-000000000000 is used by two elements",
        ),
    ],
)
def test_variables_need_a_guid_of_their_own(tmp_path, variables, message):
    # Variables were left out of the GUID check: a repeated GUID gave two rows the id V01, and
    # a missing one an empty label, both refused by the import's own variables.csv check.
    path = _project(tmp_path, f"<Variables>{variables}</Variables>")
    with pytest.raises(refiqda.RefiError, match=message):
        refiqda.read(path)


@pytest.mark.parametrize(("value", "literal"), [("³", '"³"'), ("٣", '"٣"'), (" -7 ", '"-7"^^')])
def test_an_integer_variable_value_is_typed_only_when_it_is_an_xsd_integer(
    tmp_path, value, literal
):
    # '³'.isdigit() is true and int('³') a ValueError: the build stopped with a traceback.
    from trustkg.load.graph import graph_ntriples

    path = _project(
        tmp_path,
        '<Variables><Variable guid="00000003-0000-4000-8000-000000000000" name="Age" '
        'typeOfVariable="Integer"/></Variables>'
        '<Cases><Case guid="00000004-0000-4000-8000-000000000000" name="P1"><VariableValue>'
        '<VariableRef targetGUID="00000003-0000-4000-8000-000000000000"/>'
        f"<IntegerValue>{value}</IntegerValue></VariableValue></Case></Cases>",
    )
    study = read_study(write_study(refiqda.read(path), "ints", tmp_path / "ints"))
    (line,) = [t for t in graph_ntriples([study], with_ontology=False) if "ontology#value>" in t]
    assert f"ontology#value> {literal}" in line


def test_a_study_id_with_a_trailing_newline_is_refused(tmp_path):
    # The study id check used re.match with '$', which also matches before a final newline:
    # write_study(..., 'a\n') went ahead, and the study was read back as 'a'.
    with pytest.raises(TrustkgError, match="study id 'a\\\\n' must start"):
        write_study(refiqda.read(CARE), "a\n", tmp_path / "a")
    assert not (tmp_path / "a").exists()


def test_a_code_tree_deeper_than_python_recurses_is_read(tmp_path):
    # Found by tests/robustness: codes nested 1000 deep stopped the import with a
    # RecursionError (in reading the tree, and again in depth()).
    depth = 1500
    opening = "".join(
        f'<Code guid="{i:08x}-0000-4000-8000-000000000000" name="c{i}">' for i in range(depth)
    )
    path = tmp_path / "deep.qdc"
    path.write_text(
        f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{opening}{"</Code>" * depth}'
        '<Code guid="ffffffff-0000-4000-8000-000000000000" name="last"/></Codes></CodeBook>',
        "utf-8",
    )
    p = refiqda.read(path)
    assert [c.name for c in p.codes] == [f"c{i}" for i in range(depth)] + ["last"]
    assert [c.parent for c in p.codes[:2]] == ["", p.codes[0].guid] and p.codes[-1].parent == ""
    assert p.depth() == depth
    study = read_study(write_study(p, "deep", tmp_path / "deep"))
    assert len(study.rows("codes")) == depth + 1
