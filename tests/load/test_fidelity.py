"""Verbatim means verbatim: every transcribed text occurs in its seed document.

Only whitespace and quote characters are normalised, plus the corrections recorded in
``trustkg/data/studies/corrections.csv`` (undone before searching), so an unrecorded edit of a
quotation, factor, subtheme or strategy fails here.
"""

from __future__ import annotations

import csv
import re

import pytest

from trustkg.core.resources import data_dir

from ..conftest import SEEDS

SEED_FILES = {"li2018": "000_f2b5619aeb933ed7.txt", "williams2013": "004_2b6c91fe617b9eff.txt"}

# (table, column) pairs whose every value must occur in the seed
VERBATIM = {
    "li2018": [
        ("quotations", "text"),
        ("quotations", "attribution"),
        ("factors", "label"),
        ("factors", "source_citation"),
        ("themes", "label"),
        ("subthemes", "label"),
        ("strategies", "text"),
        ("pointers", "claim"),
        ("asymmetry_types", "stated_text"),
        ("participants", "role"),
        ("participants", "involvement"),
        ("organisations", "name"),
        ("sections", "title"),
    ],
    "williams2013": [("concepts", "key_phrase")],  # attributed_to joins several citations
}

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "`": "'"})


def normalise(text: str) -> str:
    """Collapse whitespace, unify quote characters and drop markdown emphasis markers."""
    text = text.translate(_QUOTES).replace("*", "")
    return " ".join(text.split())


def corrections() -> list[dict[str, str]]:
    with open(data_dir() / "studies" / "corrections.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def seed_text(study: str) -> str:
    path = SEEDS / SEED_FILES[study]
    if not path.is_file():
        pytest.skip(f"seed documents not found at {SEEDS}: fidelity cannot be checked here")
    return normalise(path.read_text(encoding="utf-8"))


def table(study: str, name: str) -> list[dict[str, str]]:
    with open(data_dir() / "studies" / study / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def undo_corrections(study: str, name: str, row_id: str, column: str, value: str) -> str:
    for c in corrections():
        if (c["study"], c["file"], c["row_id"], c["column"]) == (
            study,
            f"{name}.csv",
            row_id,
            column,
        ):
            value = value.replace(c["after"], c["before"].replace("\\n", "\n"))
    return value


CASES = [(s, t, c) for s, pairs in VERBATIM.items() for t, c in pairs]


@pytest.mark.parametrize(("study", "name", "column"), CASES)
def test_values_occur_in_the_seed(study: str, name: str, column: str):
    seed = seed_text(study)
    rows = table(study, name)
    assert rows, f"{study}/{name}.csv is empty"
    missing = []
    for row in rows:
        value = row[column]
        if not value:
            continue
        original = undo_corrections(study, name, row.get("id", ""), column, value)
        if normalise(original) not in seed:
            missing.append(f"{row.get('id')}: {value[:80]}")
    assert not missing, f"not verbatim in the seed ({study}/{name}.{column}): {missing}"


def test_reference_entries_are_verbatim():
    seed = seed_text("li2018")
    for row in table("li2018", "publications"):
        if row["cited_by_study"] == "true":
            assert normalise(row["verbatim"]) in seed, row["id"]


def test_every_recorded_correction_is_applied_in_its_table():
    """A correction logged but not in the table would be a false record."""
    for c in corrections():
        if c["file"] == "participants.csv" and c["column"] == "network":
            continue  # the seed's label 'Network1' becomes the id N1; checked below
        rows = {r.get("id"): r for r in table(c["study"], c["file"].removesuffix(".csv"))}
        assert c["after"] in rows[c["row_id"]][c["column"]], c


def test_network_label_correction_is_visible():
    rows = {r["id"]: r for r in table("li2018", "participants")}
    assert rows["N1-P12"]["network"] == "N1"


def test_corrections_are_listed_in_the_data_readme():
    readme = (data_dir() / "studies" / "README.md").read_text(encoding="utf-8")
    for c in corrections():
        assert f"| {c['row_id']} | {c['column']} |" in readme, c


def test_no_quotation_is_written_for_appendix_pointers():
    header = table("li2018", "pointers")[0].keys()
    assert "text" not in header


def test_unmatched_table2_sources_are_recorded_not_fixed():
    factors = {r["id"]: r for r in table("li2018", "factors")}
    missing = [f for f in factors.values() if not f["source"]]
    assert missing, "Table 2 cites works missing from the reference list"
    assert all(f["source_note"] for f in missing)
    assert factors["F07"]["source_citation"] == "Zahheer et al. (1998)"
    dupes = [r for r in table("li2018", "publications") if r["id"].endswith("-dup")]
    assert dupes and all(re.search("duplicate", d["note"], re.I) for d in dupes)
