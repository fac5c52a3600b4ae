"""The table reader: the seed tables hold what the papers state, and bad tables are refused
with file, line and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from trustkg.core.errors import TableError
from trustkg.core.resources import bundled_studies
from trustkg.sources.tables import load_schema, read_study


def _study(study_id: str):
    folder = next(p for p in bundled_studies() if p.name == study_id)
    return read_study(folder)


def test_schema_lists_every_table_the_loader_knows():
    from trustkg.load.qda import LINK_AND_VALUE_TABLES
    from trustkg.load.study import LINK_TABLES
    from trustkg.sources.tables import KINDS

    schema = load_schema()
    known = set(KINDS) | set(LINK_TABLES) | set(LINK_AND_VALUE_TABLES)
    assert known | {"study", "places"} == set(schema)


def test_seed_counts_stated_by_the_paper():
    study = _study("li2018")
    assert len(study.rows("participants")) == 41
    per_network = {}
    for row in study.rows("participants"):
        per_network[row["network"]] = per_network.get(row["network"], 0) + 1
    assert per_network == {"N1": 15, "N2": 14, "N3": 12}
    assert len(study.rows("networks")) == 3
    assert len(study.rows("factors")) == 14
    assert len(study.rows("themes")) == 3
    assert len(study.rows("subthemes")) == 14
    assert len(study.rows("strategies")) == 7
    assert len(study.rows("quotations")) == 14
    assert len(study.rows("pointers")) == 13
    assert sorted(int(r["appendix_number"]) for r in study.rows("pointers")) == list(range(1, 14))
    assert [int(r["table_row"]) for r in study.rows("participants")] == list(range(1, 42))


def test_commentary_concepts_name_who_they_come_from():
    study = _study("williams2013")
    concepts = study.rows("concepts")
    assert len(concepts) >= 10
    attributed = " ".join(r["attributed_to"] for r in concepts)
    for author in ("Luhmann", "Giddens", "Misztal", "Powell", "Meyerson", "Johnson", "Calnan"):
        assert author in attributed


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A writable copy of the seed study to break one thing at a time."""
    src = next(p for p in bundled_studies() if p.name == "li2018")
    dst = tmp_path / "li2018"
    shutil.copytree(src, dst)
    return dst


def _rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_missing_column_names_file_and_column(broken: Path):
    _rewrite(broken / "participants.csv", ",involvement\n", "\n")
    with pytest.raises(TableError) as err:
        read_study(broken)
    assert err.value.field == "involvement"
    assert err.value.file.endswith("participants.csv") and err.value.line == 1


def test_dangling_reference_names_row_and_column(broken: Path):
    _rewrite(broken / "subthemes.csv", "T1-S2,T1,", "T1-S2,T9,")
    with pytest.raises(TableError) as err:
        read_study(broken)
    assert err.value.field == "theme" and err.value.line == 3
    assert "'T9' does not exist in themes.csv" in str(err.value)


def test_duplicate_identifier_is_refused(broken: Path):
    _rewrite(broken / "factors.csv", "F02,", "F01,")
    with pytest.raises(TableError, match="duplicate identifier 'F01'"):
        read_study(broken)


def test_value_outside_the_sector_list_is_refused(broken: Path):
    _rewrite(broken / "organisations.csv", ",health,", ",NHS,")
    with pytest.raises(TableError) as err:
        read_study(broken)
    assert err.value.field == "sector" and "one of health, local-government" in str(err.value)


def test_latin1_bytes_are_located(broken: Path):
    path = broken / "themes.csv"
    path.write_bytes(path.read_bytes().replace(b"recognition", b"recogni\xe9tion", 1))
    with pytest.raises(TableError) as err:
        read_study(broken)
    assert err.value.line == 2 and "not UTF-8" in str(err.value)


def test_empty_file_is_refused(broken: Path):
    (broken / "strategies.csv").write_text("", encoding="utf-8")
    with pytest.raises(TableError, match="empty"):
        read_study(broken)


def test_error_message_is_one_line(broken: Path):
    _rewrite(broken / "quotations.csv", ",N3,findings-capability", ",N3,\nfindings-capability")
    with pytest.raises(TableError) as err:
        read_study(broken)
    assert "\n" not in str(err.value)


def test_unknown_identifier_in_a_link_table_names_file_row_and_column(broken: Path):
    path = broken / "links_subtheme_factor.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = "T9-S9" + lines[3][lines[3].index(",") :]
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(TableError) as err:
        read_study(broken)
    assert err.value.file.endswith("links_subtheme_factor.csv")
    assert (err.value.line, err.value.field) == (4, "subtheme")
    assert "'T9-S9' does not exist in subthemes.csv" in str(err.value)


@pytest.mark.parametrize(("name", "shown"), [("0\x850", "0\\x850"), ("i\nd", "i\\nd")])
def test_a_column_name_with_a_line_break_is_named_on_one_line(broken: Path, name, shown):
    # Found by tests/robustness (a header cell '0\x850', U+0085 being NEXT LINE): the message
    # was one line, but the unknown column it names was printed as given, breaking the line.
    _rewrite(broken / "quotations.csv", "section\n", f'section,"{name}"\n')
    with pytest.raises(TableError) as err:
        read_study(broken)
    text = str(err.value)
    assert len(text.splitlines()) == 1 and f"column '{shown}'" in text, text


@pytest.mark.parametrize(
    ("table", "old", "new", "column"),
    [
        ("publications.csv", '",2018,Understanding', '",٢٠١٨,Understanding', "year"),
        ("networks.csv", "N1,Network 1,120000", "N1,Network 1,１２００००", "population_min"),
    ],
)
def test_digits_of_other_scripts_are_not_xsd_numbers(broken: Path, table, old, new, column):
    # Found by tests/robustness: a Python \d takes Arabic-Indic or fullwidth digits, so the year
    # '٢٠١٨' was accepted and written as an ill-typed xsd:gYear literal.
    _rewrite(broken / table, old, new)
    with pytest.raises(TableError) as err:
        read_study(broken)
    assert err.value.field == column and "is not a" in str(err.value)
