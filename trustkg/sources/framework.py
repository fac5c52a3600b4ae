"""The trust framework as a codebook: one list of codes, shared by export and recognition.

"Best fit" framework synthesis codes new interviews against an existing framework: here the
Table 2 trust factors, the themes and subthemes, the asymmetry types, the trust-building
strategies and the 2013 commentary's concepts. :func:`framework_codes` turns the source tables
of the studies that hold them into codebook entries; ``trustkg export codebook`` writes those
entries for a QDA tool, and the imports recognise a code that came back from the tool by the
very same entries (GUID, IRI, path or name), so the two directions can never disagree.

The framework is read from the study tables, not from the built store: the tables are what the
store is built from, the IRIs are minted by the same :func:`~trustkg.core.iris.data_iri` the
loader uses, and an import (which sits below the store in the data flow) can recognise codes
without a store having been built. Every description is the source's own words (a theme as
printed, the paper's words naming an asymmetry type, a strategy as printed, a concept's key
phrase) followed by the concept's IRI in brackets; the group names above them are trustkg's.

>>> codes = framework_codes([bundled("li2018")], include=("asymmetries",))
>>> codes[1].name, codes[1].guid
('knowledge asymmetry', '1ACC213B-E86B-540C-8A26-D628C3C7DC7E')
>>> codes[1].description.endswith("[https://w3id.org/trustkg/data/li2018/asymmetry/AT-knowledge]")
True
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..core import iris
from ..core.errors import TrustkgError
from ..core.resources import bundled_studies
from .tables import KINDS, StudyTables, read_study

#: what ``--include`` may name → (tables, the scheme the loader files them in, the group's
#: short name, what the group holds, colour)
PARTS: dict[str, tuple[tuple[str, ...], str, str, str, str]] = {
    "themes": (("themes", "subthemes"), "coding", "themes", "themes and subthemes", "#1F77B4"),
    "asymmetries": (
        ("asymmetry_types",),
        "asymmetries",
        "asymmetry types",
        "asymmetry types",
        "#D62728",
    ),
    "factors": (("factors",), "factors", "trust factors", "trust factors", "#2CA02C"),
    "strategies": (
        ("strategies",),
        "strategies",
        "strategies",
        "trust-building strategies",
        "#9467BD",
    ),
    "concepts": (("concepts",), "concepts", "concepts", "theoretical concepts", "#FF7F0E"),
    "codes": (("codes",), "codes", "codes", "codebook", ""),
}
#: subthemes are drawn lighter than the themes they sit under
SUBTHEME_COLOUR = "#AEC7E8"
#: Taguette refuses a tag path longer than this (taguette.validate.tag_path, 1.5.2)
MAX_PATH = 200


def concept_guid(iri: str) -> str:
    """The GUID a concept gets in every codebook: ``uuid5(NAMESPACE_URL, IRI)``, upper case.

    The standard namespace for URL names (RFC 9562), so anyone can recompute it from the IRI
    alone; a re-export gives the same GUIDs, and only a changed IRI changes one.

    >>> concept_guid("https://w3id.org/trustkg/data/li2018/theme/T1")
    'CDE2078D-910C-561A-807A-F7FB5A6607E2'
    """
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri)).upper()


@dataclass(frozen=True)
class FrameworkCode:
    """One entry of a codebook: a framework concept, a group of them, or an imported code."""

    iri: str
    study: str
    table: str  # the table of the concept's row; "" for a group
    ident: str  # the row's id; the scheme name for a group
    name: str
    description: str
    colour: str
    codable: bool
    parent: str  # the parent entry's IRI, "" at the top
    guid: str

    @property
    def reference(self) -> str:
        """The cell a study table uses to point at the concept (``li2018/AT-power``)."""
        return f"{self.study}/{self.ident}"


def bundled(study: str) -> StudyTables:
    """A bundled study's tables, by id."""
    for folder in bundled_studies():
        if folder.name == study:
            return read_study(folder)
    raise TrustkgError(f"no bundled study {study!r}")


def read_framework_studies(names: list[str] | tuple[str, ...]) -> list[StudyTables]:
    """The studies named by id (a bundled study) or by folder; all bundled ones when empty."""
    if not names:
        return [read_study(folder) for folder in bundled_studies()]
    ids = {folder.name: folder for folder in bundled_studies()}
    return [read_study(ids[n]) if n in ids else read_study(Path(n)) for n in names]


def framework_codes(
    studies: list[StudyTables], include: tuple[str, ...] | list[str] | None = None
) -> list[FrameworkCode]:
    """The codebook entries of ``studies``, each parent before its children, in table order.

    ``include`` names the parts (keys of :data:`PARTS`); all of them by default. A study
    imported from a QDA tool gives its own codes as they are (GUID, name, description, colour,
    nesting), so exporting an imported codebook gives it back unchanged.
    """
    parts = list(PARTS) if not include else list(include)
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        raise TrustkgError(
            f"--include: unknown part(s) {', '.join(unknown)}; choose from {', '.join(PARTS)}"
        )
    out: list[FrameworkCode] = []
    for st in studies:
        for part in parts:
            if part == "codes":
                out += _imported_codes(st)
            elif st.rows(PARTS[part][0][0]):
                out += _part(st, part)
    return out


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _part(st: StudyTables, part: str) -> list[FrameworkCode]:
    tables, scheme, short, what, colour = PARTS[part]
    sid = st.study_id
    title = st.rows("study")[0]["title"]
    group_iri = iris.data_iri(sid, "scheme", scheme)
    group = FrameworkCode(
        iri=group_iri,
        study=sid,
        table="",
        ident=scheme,
        name=f"{sid} {short}",
        description=f"The {what} of {sid}, {title} (a group written by trustkg) [{group_iri}]",
        colour=colour,
        codable=False,
        parent="",
        guid=concept_guid(group_iri),
    )
    out = [group]
    for row in st.rows(tables[0]):
        entry = _concept(st, tables[0], row.values, group_iri, colour)
        out.append(entry)
        if tables[0] == "themes":
            for sub in st.rows("subthemes"):
                if sub["theme"] == row["id"]:
                    out.append(_concept(st, "subthemes", sub.values, entry.iri, SUBTHEME_COLOUR))
    return out


def _concept(
    st: StudyTables, table: str, row: dict[str, str], parent: str, colour: str
) -> FrameworkCode:
    iri = iris.data_iri(st.study_id, KINDS[table], row["id"])
    if table == "asymmetry_types":
        name, words = row["label"], row["stated_text"]
    elif table == "factors":
        name, words = f"{row['id']} {row['label']}", f"{row['label']} ({row['source_citation']})"
    elif table == "strategies":
        name, words = f"{row['id']} {row['label']}", row["text"]
    elif table == "concepts":
        name = f"{row['id']} {row['label']}"
        cited = row.get("attributed_to", "")
        words = f"{row['key_phrase']} ({cited})" if cited else row["key_phrase"]
    else:  # themes and subthemes: the label as printed is all the paper gives
        name, words = f"{row['id']} {row['label']}", row["label"]
    return FrameworkCode(
        iri=iri,
        study=st.study_id,
        table=table,
        ident=row["id"],
        name=_one_line(name),
        description=f"{_one_line(words)} [{iri}]",
        colour=colour,
        codable=True,
        parent=parent,
        guid=concept_guid(iri),
    )


def _imported_codes(st: StudyTables) -> list[FrameworkCode]:
    """A study's own codes, parents first (the table may list a child before its parent)."""
    rows = {r["id"]: r for r in st.rows("codes")}

    def node(ident: str) -> str:
        return iris.data_iri(st.study_id, "code", ident)

    entries = {
        ident: FrameworkCode(
            iri=node(ident),
            study=st.study_id,
            table="codes",
            ident=ident,
            name=r["label"],
            description=r.get("description"),
            colour=r.get("color"),
            codable=r["codable"] == "true",
            parent=node(r["parent"]) if r.get("parent") else "",
            guid=(r.get("guid") or concept_guid(node(ident))).upper(),
        )
        for ident, r in rows.items()
    }
    children: dict[str, list[str]] = {}
    for ident, r in rows.items():
        children.setdefault(r.get("parent") or "", []).append(ident)
    out: list[FrameworkCode] = []
    stack = list(reversed(children.get("", [])))
    while stack:  # no recursion: an imported tree may be deeper than Python recurses
        ident = stack.pop()
        out.append(entries[ident])
        stack.extend(reversed(children.get(ident, [])))
    if len(out) != len(rows):
        lost = sorted(set(rows) - {e.ident for e in out})
        raise TrustkgError(
            f"codes {', '.join(lost)} are nested under one another in a circle",
            file=st.file("codes"),
        )
    return out


def normalise(text: str) -> str:
    """Text as recognition compares it: NFC, whitespace collapsed, case folded.

    >>> normalise("  Knowledge   ASYMMETRY ")
    'knowledge asymmetry'
    """
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def paths(codes: list[FrameworkCode]) -> dict[str, str]:
    """Each entry's full path: its ancestors' names and its own, joined with ``/``.

    Never split again: names hold ``/`` themselves (F05 "Organizational/individual ...").
    """
    by_iri = {c.iri: c for c in codes}
    out: dict[str, str] = {}
    for c in codes:  # parents come first
        above = out.get(c.parent) if c.parent in by_iri else None
        out[c.iri] = f"{above}/{c.name}" if above else c.name
    return out


def cut_path(path: str, limit: int = MAX_PATH) -> str:
    """A path short enough for Taguette, cut at a word and marked with an ellipsis.

    >>> cut_path("li2018 themes/T1 Asymmetry in capability perception", 30)
    'li2018 themes/T1 Asymmetry in…'
    """
    if len(path) <= limit:
        return path
    head = path[: limit - 1]
    if path[limit - 1] != " " and " " in head:  # the cut falls inside a word: drop the word
        head = head.rsplit(" ", 1)[0]
    return head.rstrip() + "…"


def csv_paths(codes: list[FrameworkCode]) -> dict[str, str]:
    """The paths the CSV codebook gives the codable entries (Taguette has no groups that cannot
    be coded: a group's name stays as the start of its members' paths)."""
    return {iri: cut_path(p) for iri, p in paths(codes).items()}
