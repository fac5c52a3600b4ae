"""Triples for the tables of a study coded in a QDA tool, its mappings and its identifiers.

Kept apart from :mod:`trustkg.load.study`, which reads the tables transcribed from papers,
because an imported study says different things: its codes form the study's own SKOS concept
scheme, its evidence is coded segments of source documents (with positions and, when the export
carries them, the words), and every coding is a researcher's interpretation, so it is recorded
as a curated link whose curator is the coder who made it. SSSOM mappings, the framework links
an import recognised (codes that came from trustkg's codebook) and external identifiers are
curated links too, so CQ12 can tell who made each one and why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from ..core import iris
from ..core.iris import DCTERMS, PROV, SEMAPV, SKOS, SSSOM, XSD
from .ntriples import TYPE, A, L, N, code, lit, tk
from .registers import HAS_IDENTIFIER, identifier_triples, register_ntriples

if TYPE_CHECKING:
    from ..sources.tables import Row
    from .study import StudyLoader

#: tables read here that hold links or values rather than rows with their own IRI (those are
#: in trustkg.sources.tables.KINDS)
LINK_AND_VALUE_TABLES = (
    "links_segment_code",
    "case_values",
    "case_members",
    "set_members",
    "mappings",
    "framework_links",
    "identifiers",
)


def qda_quads(ld: StudyLoader) -> Iterator[str]:
    """Every triple of the QDA tables, mappings and identifiers of ``ld``'s study."""
    rows = ld.study.rows
    q = ld.q

    def prov(s: str, row: Row) -> list[str]:
        out = []
        if row.get("guid"):
            out.append(q(s, tk("refiGuid"), L(row["guid"])))
        if row.get("file"):
            out.append(q(s, tk("sourceFile"), L(row["file"])))
        if row.get("created"):
            out.append(q(s, N(DCTERMS + "created"), L(row["created"])))
        for col in ("creator", "author"):
            if row.get(col):
                out.append(q(s, N(PROV + "wasAttributedTo"), ld.ref(row, col)))
        return out

    for row in rows("users"):
        s, out = ld.entity("users", row, "Coder", row["name"])
        out.append(q(s, A, tk("Curator")))  # a coder answers for codings
        yield from out + prov(s, row)
    if rows("codes"):
        yield from ld.scheme("codes", f"{ld.sid}: codebook")[1]
    for row in rows("codes"):
        s, out = ld.concept_entity("codes", row, "Code", row["label"], "codes")
        if row.get("parent"):
            out.append(q(s, N(SKOS + "broader"), ld.ref(row, "parent")))
        if row.get("description"):
            out.append(q(s, N(SKOS + "definition"), L(row["description"], language="en")))
        out += ld.opt(s, "colour", row.get("color"))
        out += ld.opt(s, "isCodable", row["codable"], "boolean")
        yield from out + prov(s, row)
    for row in rows("sources"):
        s, out = ld.entity("sources", row, "DocumentSource", row["name"])
        out.append(q(s, TYPE, code("DocumentTypeScheme", row["kind"])))
        out += ld.opt(s, "filePath", row.get("path"))
        out += ld.opt(s, "text", row.get("text"))
        yield from out + prov(s, row)
    for row in rows("segments"):
        s, out = ld.entity("segments", row, "CodedSegment", f"Segment {ld.sid} {row['id']}")
        out.append(q(s, tk("fromSource"), ld.ref(row, "source")))
        out.append(q(s, TYPE, code("SelectionTypeScheme", row["kind"])))
        out += ld.opt(s, "startPosition", row.get("start"), "nonNegativeInteger")
        out += ld.opt(s, "endPosition", row.get("end"), "nonNegativeInteger")
        out += ld.opt(s, "locator", row.get("locator"))
        out += ld.opt(s, "text", row.get("text"))
        out += ld.opt(s, "selectionName", row.get("name"))
        yield from out + prov(s, row)
    for row in rows("links_segment_code"):
        s, o = ld.ref(row, "segment"), ld.ref(row, "code")
        coder = ld.ref(row, "coder") if row.get("coder") else None
        # With no coder recorded, the importing researcher (trustkg's curator) answers for it.
        out = ld.links.curated(s, tk("evidences"), o, row["rationale"], curator_node=coder)
        a = ld.links.assertion_node(s, tk("evidences"), o)
        if row.get("date"):
            dt = "dateTime" if "T" in row["date"] else "date"
            out.append(q(a, N(DCTERMS + "created"), lit(row["date"], dt)))
        yield from out + prov(a, row)
    for row in rows("variables"):
        s, out = ld.entity("variables", row, "CaseVariable", row["label"])
        out.append(q(s, TYPE, code("ValueTypeScheme", row["type"])))
        yield from out + prov(s, row)
    for row in rows("cases"):
        s, out = ld.entity("cases", row, "Case", row["label"])
        if row.get("description"):
            out.append(q(s, N(DCTERMS + "description"), L(row["description"], language="en")))
        yield from out + prov(s, row)
    types = {r["id"]: r["type"] for r in rows("variables")}
    for row in rows("case_values"):
        node = N(iris.data_iri(ld.sid, "case-value", f"{row['case']}-{row['variable']}"))
        yield q(node, A, tk("VariableValue"))
        yield q(node, tk("inStudy"), ld.study_node)
        yield q(node, tk("forCase"), ld.ref(row, "case"))
        yield q(node, tk("ofVariable"), ld.ref(row, "variable"))
        yield q(node, tk("value"), _typed(row["value"], types.get(row["variable"], "")))
    for row in rows("case_members"):
        yield q(ld.ref(row, "case"), tk("caseIncludes"), ld.ref(row, "member"))
    for row in rows("notes"):
        s, out = ld.entity("notes", row, "Memo", row["label"])
        out += ld.opt(s, "text", row.get("text"))
        if row.get("about"):
            out.append(q(s, tk("memoAbout"), ld.ref(row, "about")))
        yield from out + prov(s, row)
    for row in rows("sets"):
        s, out = ld.entity("sets", row, "CodeSet", row["label"])
        if row.get("description"):
            out.append(q(s, N(DCTERMS + "description"), L(row["description"], language="en")))
        yield from out + prov(s, row)
    for row in rows("set_members"):
        yield q(ld.ref(row, "set"), tk("hasMember"), ld.ref(row, "member"))
    # Codes recognised at import as framework concepts (framework_links.csv) are linked exactly
    # as the researcher's own SSSOM mappings are: the same curated link, justification and all.
    # Where the researcher mapped the same code to the same concept, their mapping speaks.
    mapped = {(r["subject"], r["predicate"], r["object"]) for r in rows("mappings")}
    for row in rows("mappings"):
        yield from _mapping(ld, row)
    for row in rows("framework_links"):
        if (row["subject"], row["predicate"], row["object"]) not in mapped:
            yield from _mapping(ld, row)
    for row in rows("identifiers"):
        org = ld.ref(row, "organisation")
        node = N(iris.identifier_iri(row["scheme"], row["value"]))
        yield from ld.curated(org, HAS_IDENTIFIER, node, row["rationale"])
        yield from identifier_triples(node, row["scheme"], row["value"])
    registers = ld.study.path / "registers"
    if registers.is_dir():  # register extracts kept in their published layout
        yield from register_ntriples(registers)


#: an xsd:integer as a QDA tool writes it; str.isdigit() also takes '³' or '①', which int()
#: then refuses with a ValueError, and int() takes Arabic-Indic digits that XSD does not
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _typed(value: str, kind: str) -> str:
    if kind == "Integer" and _INTEGER.fullmatch(value.strip()):
        return L(str(int(value)), datatype=XSD + "integer")
    if kind == "Boolean" and value.strip().lower() in ("true", "false", "1", "0"):
        truth = value.strip().lower() in ("true", "1")
        return L("true" if truth else "false", datatype=XSD + "boolean")
    return L(value)


def _mapping(ld: StudyLoader, row: Row) -> list[str]:
    """An SSSOM mapping: a curated link like any other (so its curator is written once), with
    the mapping's justification (a SEMAPV IRI), confidence and set on its link node, in SSSOM's
    own terms."""
    s, o = ld.ref(row, "subject"), ld.ref(row, "object")
    p = N(SKOS + row["predicate"])
    rationale = row.get("comment") or f"SSSOM mapping, {row['justification']}"
    out = ld.links.curated(s, p, o, rationale, curator=row.get("author") or "")
    a = ld.links.assertion_node(s, p, o)
    justification = row["justification"].removeprefix("semapv:")
    out.append(ld.q(a, N(SSSOM + "mapping_justification"), N(SEMAPV + justification)))
    out += ld.opt(a, N(SSSOM + "confidence"), row.get("confidence"), "double")
    out += ld.opt(a, "mappingSet", row.get("mapping_set"))
    return out
