"""Each code list has one source, the ontology: the CSVW table schema, the data shapes, the
loader, the REFI-QDA reader, the synthetic generator and the figures read it (or, for the
schema's own pattern, are checked against it), so a list changed in one place shows up here."""

from __future__ import annotations

import re

import pytest
import rdflib

from trustkg.core import codelists
from trustkg.core.codelists import notations
from trustkg.core.iris import SH, TK
from trustkg.sources import tables

LISTS = {
    ("study", "kind"): "StudyTypeScheme",
    ("organisations", "sector"): "SectorScheme",
    ("links_quotation_participant", "match"): "AttributionMatchScheme",
    ("sources", "kind"): "DocumentTypeScheme",
    ("segments", "kind"): "SelectionTypeScheme",
    ("variables", "type"): "ValueTypeScheme",
    ("identifiers", "scheme"): "IdentifierScheme",
}


def test_every_code_list_column_names_its_list_and_its_pattern_agrees():
    schema = tables.load_schema()
    bound = {(t, c.name): c.code_list for t, s in schema.items() for c in s.columns if c.code_list}
    assert bound == LISTS
    assert tables.code_list_formats() == {}
    for (table, column), name in LISTS.items():
        assert tables.allowed_values(table, column) == notations(name)


def test_a_list_changed_in_the_ontology_is_caught_in_the_schema(monkeypatch):
    """Not vacuous: were the ontology to gain a sector, the schema's pattern would be stale."""
    real = codelists.notations
    monkeypatch.setattr(
        codelists,
        "notations",
        lambda name: real(name) + (("housing",) if name == "SectorScheme" else ()),
    )
    stale = tables.code_list_formats()
    assert list(stale) == ["organisations.sector"]
    assert stale["organisations.sector"][1].endswith("|independent-provider|housing")


def test_the_shapes_repeat_no_list_and_check_membership_by_class():
    from trustkg.check.validate import data_shapes_file

    shapes = rdflib.Graph().parse(data_shapes_file())
    members = {c.iri for name in set(LISTS.values()) for c in codelists.code_list(name)}
    codes = {n for name in set(LISTS.values()) for n in notations(name)}
    sh_in = rdflib.URIRef(SH + "in")
    for _, items in shapes.subject_objects(sh_in):
        for item in rdflib.collection.Collection(shapes, items):
            assert str(item) not in members | codes, f"a shape lists {item}"
    classes = {str(o) for o in shapes.objects(None, rdflib.URIRef(SH + "class"))}
    for cls in ("Sector", "StudyType", "AttributionMatch", "IdentifierScheme"):
        assert TK + cls in classes


def test_the_loader_writes_each_code_as_its_member():
    from trustkg.load.ntriples import code

    for name in set(LISTS.values()):
        for member in codelists.code_list(name):
            assert code(name, member.notation) == f"<{member.iri}>"
    with pytest.raises(KeyError):
        code("SectorScheme", "housing")


def test_the_synthetic_generator_and_the_figures_cover_every_sector():
    from trustkg.pages.figures import common
    from trustkg.sources import synth, synth_parts

    sectors = set(notations("SectorScheme"))
    assert set(synth.SECTORS) == sectors
    words = synth_parts
    assert set(words.ORGS) == set(words.SECTOR_WHY) == set(words.SECTOR_WEIGHTS) == sectors
    assert common.SECTORS == notations("SectorScheme")
    assert sectors <= set(common.SECTOR_COLOURS) and sectors <= set(common.SECTOR_NAMES)


def test_the_refi_qda_reader_writes_only_codes_of_the_lists():
    from trustkg.sources import refiqda

    assert set(refiqda._SOURCE_KINDS.values()) == set(notations("DocumentTypeScheme"))
    text = (refiqda.__file__ and open(refiqda.__file__, encoding="utf-8").read()) or ""
    written = set(re.findall(r'_selection\([^)]*"(\w+)"\)', text))
    assert written and written <= set(notations("SelectionTypeScheme"))
