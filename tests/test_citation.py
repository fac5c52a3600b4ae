"""CITATION.cff is valid CFF 1.2.0, matches the licence and version, and cites the two source
papers exactly as the bundled tables transcribe them (nothing added that the seeds do not print).

The schema in tests/fixtures/cff-1.2.0-schema.json is the Citation File Format's own
(https://citation-file-format.github.io/1.2.0/schema.json, CC BY 4.0), as shipped by cffconvert.
"""

from __future__ import annotations

import csv
import json

import pytest

from trustkg.core.resources import bundled_studies

from .conftest import FIXTURES, REPO


@pytest.fixture(scope="module")
def cff() -> dict:
    import yaml

    return yaml.safe_load((REPO / "CITATION.cff").read_text(encoding="utf-8"))


def publication(study: str, pub_id: str) -> dict[str, str]:
    folder = next(p for p in bundled_studies() if p.name == study)
    with open(folder / "publications.csv", encoding="utf-8", newline="") as f:
        return next(r for r in csv.DictReader(f) if r["id"] == pub_id)


def test_citation_file_is_valid_cff_1_2_0(cff):
    import jsonschema

    schema = json.loads((FIXTURES / "cff-1.2.0-schema.json").read_text(encoding="utf-8"))
    assert schema["$id"].endswith("/1.2.0/schema.json")
    jsonschema.validate(cff, schema, format_checker=jsonschema.FormatChecker())
    assert cff["cff-version"] == "1.2.0"


def test_licence_version_and_authors_match_the_project(cff):
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert cff["license"] == project["license"] == "MIT"
    assert cff["version"] == project["version"]
    assert cff["authors"] == [{"name": a["name"]} for a in project["authors"]]
    assert "repository-code" not in cff  # no repository address is known yet: none invented


def test_li2018_is_cited_as_the_paper_prints_it(cff):
    ref = next(r for r in cff["references"] if r.get("doi"))
    pub = publication("li2018", "li2018")
    assert " ".join(ref["title"].split()) == pub["title"]
    assert ref["doi"] == pub["doi"] and ref["url"] == pub["url"]
    assert (ref["journal"], str(ref["volume"]), ref["issue"]) == (
        pub["container"],
        pub["volume"],
        pub["issue"],
    )
    assert f"{ref['start']}-{ref['end']}" == pub["pages"]
    assert ref["year"] == int(pub["year"])
    names = ", ".join(f"{a['family-names']}, {a['given-names']}" for a in ref["authors"])
    assert pub["authors"].replace(" and ", ", ") == names
    assert ref["issn"] in pub["verbatim"] and ref["authors"][0]["orcid"] in pub["verbatim"]


def test_williams2013_is_cited_without_invented_details(cff):
    ref = next(r for r in cff["references"] if r["title"] == "Trust matters for integrated care?")
    pub = publication("williams2013", "williams2013")
    assert pub["title"] == ref["title"] and ref["year"] == int(pub["year"])
    names = ", ".join(f"{a['family-names']}, {a['given-names']}" for a in ref["authors"])
    assert pub["authors"].replace(" and ", ", ") == names
    assert not {"doi", "journal", "volume", "issue", "start", "url"} & set(ref)
    assert pub["verbatim"] in " ".join(ref["notes"].split())


def test_readme_cites_both_papers(cff):
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    citing = readme[readme.index("## Citing") :]
    assert "CITATION.cff" in citing
    assert "doi: <https://doi.org/10.1016/j.healthpol.2018.09.003>" in citing
    assert "*Health Policy*, 122 (12). pp. 1356-1363." in citing
    assert (
        "Williams, K.E., Calnan, M. and Peckham, S. (2013) *Trust matters for integrated care?*"
        in citing
    )
