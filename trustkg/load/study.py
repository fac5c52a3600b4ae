"""Turn a study's checked tables into triples of the trustkg ontology, as N-Triples lines.

This module reads the tables transcribed from papers (and written by researchers in the same
layout); the tables of a study imported from a QDA tool are read by :mod:`trustkg.load.qda`.
Both write their stated facts and curated links through one :class:`~.ntriples.Provenance`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..core import iris
from ..core.errors import TableError
from ..core.iris import BIBO, CITO, DCTERMS, FABIO, ORG, PRISM, RDFS, SKOS
from ..sources.tables import KINDS, Row, StudyTables, load_schema, split_reference
from .ntriples import (
    DERIVED,
    DESCRIPTION,
    IDENTIFIER,
    IN_SCHEME,
    LABEL,
    PREF,
    TITLE,
    TYPE,
    A,
    L,
    N,
    Provenance,
    code,
    lit,
    tk,
    triple,
)

#: publications.csv columns → the BIBO, DCTerms, PRISM, FaBiO and SKOS properties they fill
PUBLICATION_FIELDS = (
    ("container", N(PRISM + "publicationName"), None),
    ("volume", N(BIBO + "volume"), None),
    ("issue", N(BIBO + "issue"), None),
    ("pages", N(BIBO + "pages"), None),
    ("doi", N(BIBO + "doi"), None),
    ("note", N(SKOS + "editorialNote"), None),
    ("url", N(FABIO + "hasURL"), "anyURI"),
    ("verbatim", N(DCTERMS + "bibliographicCitation"), None),
)
CITES = N(CITO + "cites")
PART_OF = N(DCTERMS + "isPartOf")
SOURCE = N(DCTERMS + "source")
MEMBER_OF = N(ORG + "memberOf")

#: curated link tables: file → (subject column, object column, predicate local name)
LINK_TABLES = {
    "links_subtheme_factor": ("subtheme", "factor", "relatesToFactor"),
    "links_theme_asymmetry": ("theme", "asymmetry_type", "expressesAsymmetry"),
    "links_strategy_target": ("strategy", "target", "addresses"),
    "links_evidence_subtheme": ("evidence", "subtheme", "evidences"),
    "links_concept": ("subject", "concept", "relatesToConcept"),
    "links_quotation_participant": ("quotation", "participant", "saidBy"),
}

#: where, by default, a paper states each table's content (overridable by places.csv)
DEFAULT_PLACES = {
    "publications": "References",
    "organisations": "participants table",
    "participants": "participants table",
    "factors": "factors table",
    "themes": "themes table",
    "subthemes": "themes table",
    "strategies": "strategies table",
}


@dataclass
class StudyIndex:
    """Which table each id of each loaded study lives in, to resolve references between studies."""

    tables: dict[str, StudyTables] = field(default_factory=dict)
    _where: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    #: Nodes outside any study (curators) whose own triples were already emitted: the build
    #: writes them once, not once per curated link (5% of a synthetic corpus's lines were the
    #: same two curator lines, each parsed, hashed and dropped again by the loader).
    described: set[str] = field(default_factory=set)

    def add(self, study: StudyTables) -> None:
        self.tables[study.study_id] = study
        for name, rows in study.tables.items():
            if name in KINDS:
                for row in rows:
                    self._where.setdefault((study.study_id, row["id"]), []).append(name)

    def resolve(self, study: str, value: str, candidates: tuple[str, ...]) -> tuple[str, str, str]:
        """Return (study, table, id) for a reference cell, or raise KeyError."""
        other, ident = split_reference(value)
        target_study = other or study
        for table in self._where.get((target_study, ident), ()):
            if table in candidates:
                return target_study, table, ident
        raise KeyError(value)


class StudyLoader:
    """Emit the quads of one study into its named graph."""

    def __init__(self, study: StudyTables, index: StudyIndex) -> None:
        self.study = study
        self.sid = study.study_id
        self.index = index
        self.study_node = N(iris.study_iri(self.sid))
        study_row = study.rows("study")[0]
        pub = study_row.get("publication")
        self.publication = self.node("publications", pub) if pub else None
        self.links = Provenance(self.sid, self.publication, index.described)
        self.places = dict(DEFAULT_PLACES)
        self.places.update({r["table"]: r["location"] for r in study.rows("places")})
        self._schema = load_schema()
        self._refers_to: dict[tuple[str, str], tuple[str, ...]] = {}
        self._org_names = {r["id"]: r["name"] for r in study.rows("organisations")}
        self._section_titles = {r["id"]: r["title"] for r in study.rows("sections")}

    # -- helpers -------------------------------------------------------------------------------
    def node(self, table: str, ident: str) -> str:
        return N(iris.data_iri(self.sid, KINDS[table], ident))

    def ref(self, row: Row, column: str) -> str:
        """Resolve a reference cell (possibly ``study/id``) to the IRI of the row it names."""
        value = row[column]
        candidates = self._refers_to.get((row.table, column))
        if candidates is None:
            candidates = next(
                c.refers_to for c in self._schema[row.table].columns if c.name == column
            )
            self._refers_to[row.table, column] = candidates
        try:
            study, table, ident = self.index.resolve(self.sid, value, candidates)
        except KeyError:
            targets = " or ".join(f"{t}.csv" for t in candidates)
            other, _ = split_reference(value)
            why = (
                f"study {other!r} is not loaded, or has no such row in {targets}"
                if other and other != self.sid
                else f"does not exist in {targets}"
            )
            raise TableError(
                f"{value!r} {why}", file=self.study.file(row.table), line=row.line, field=column
            ) from None
        return N(iris.data_iri(study, KINDS[table], ident))

    def q(self, s: str, p: str, o: str) -> str:
        """One N-Triples line (see :func:`~.ntriples.triple`)."""
        return triple(s, p, o)

    def entity(self, table: str, row: Row, cls: str, label: str) -> tuple[str, list[str]]:
        """The quads every row entity gets: type, label, study, local id and provenance."""
        s = self.node(table, row["id"])
        out = [
            triple(s, A, tk(cls)),
            triple(s, LABEL, L(label, language="en")),
            triple(s, tk("inStudy"), self.study_node),
            triple(s, IDENTIFIER, L(row["id"])),
        ]
        if self.publication is not None and table != "publications":
            out.append(triple(s, DERIVED, self.publication))
        return s, out

    def opt(self, s: str, prop: str, value: str, datatype: str | None = None) -> list[str]:
        """``s prop value`` when the cell has a value (``prop``: see :func:`_term`)."""
        return [triple(s, _term(prop), lit(value, datatype))] if value else []

    def stated(
        self, s: str, prop: str, o: str, location: str, source: str | None = None
    ) -> list[str]:
        """A link the paper states, with where it states it."""
        return self.links.stated(s, _term(prop), o, location, source)

    def curated(
        self, s: str, prop: str, o: str, rationale: str, curator: str = "", match: str = ""
    ) -> list[str]:
        """A link this project interprets, with its rationale."""
        return self.links.curated(s, _term(prop), o, rationale, curator=curator, match=match)

    def place(self, table: str) -> str:
        return self.places.get(table, table)

    def scheme(self, name: str, label: str) -> tuple[str, list[str]]:
        s = N(iris.data_iri(self.sid, "scheme", name))
        return s, [
            self.q(s, A, tk("CodingScheme")),
            self.q(s, LABEL, L(label, language="en")),
            self.q(s, tk("inStudy"), self.study_node),
        ]

    # -- tables --------------------------------------------------------------------------------
    def quads(self) -> Iterator[str]:
        yield from self._study()
        for table, method in (
            ("publications", self._publication),
            ("sections", self._section),
            ("networks", self._network),
            ("organisations", self._organisation),
            ("participants", self._participant),
            ("factors", self._factor),
            ("themes", self._theme),
            ("subthemes", self._subtheme),
            ("asymmetry_types", self._asymmetry),
            ("strategies", self._strategy),
            ("quotations", self._quotation),
            ("pointers", self._pointer),
            ("concepts", self._concept),
        ):
            for row in self.study.rows(table):
                yield from method(row)
        yield from self._roles()
        yield from self._schemes()
        for table, (subj, obj, prop) in LINK_TABLES.items():
            for row in self.study.rows(table):
                yield from self._link(row, subj, obj, prop)

    def _study(self) -> list[str]:
        row = self.study.rows("study")[0]
        s = self.study_node
        out = [
            self.q(s, A, tk("Study")),
            self.q(s, LABEL, L(row["title"], language="en")),
            self.q(s, TITLE, L(row["title"], language="en")),
            self.q(s, IDENTIFIER, L(self.sid)),
            self.q(s, TYPE, code("StudyTypeScheme", row["kind"])),
        ]
        if row.get("description"):
            out.append(self.q(s, DESCRIPTION, L(row["description"], language="en")))
        if self.publication is not None:
            out.append(self.q(s, tk("hasPublication"), self.publication))
        out += self.opt(s, "collectionStart", row.get("data_collection_start"), "gYearMonth")
        out += self.opt(s, "collectionEnd", row.get("data_collection_end"), "gYearMonth")
        out += self.opt(s, "setting", row.get("setting"))
        out += self.opt(s, "analysisMethod", row.get("analysis_method"))
        return out

    def _publication(self, row: Row) -> list[str]:
        authors, year = row.get("authors"), row.get("year")
        label = f"{authors} ({year})" if authors and year else row["verbatim"][:120]
        s, out = self.entity("publications", row, "LiteratureSource", label)
        out += self.opt(s, "authorsText", authors)
        out += self.opt(s, N(DCTERMS + "issued"), year, "gYear")
        if row.get("title"):
            out.append(self.q(s, TITLE, L(row["title"])))
        for col, prop, datatype in PUBLICATION_FIELDS:
            out += self.opt(s, prop, row.get(col), datatype)
        if row["cited_by_study"] == "true" and self.publication is not None:
            out += self.stated(self.publication, CITES, s, self.place("publications"))
        return out

    def _section(self, row: Row) -> list[str]:
        s, out = self.entity("sections", row, "Section", row["title"])
        # part of its larger section, or else of the paper: BIBO's dcterms:isPartOf chain
        if row.get("parent"):
            out.append(self.q(s, PART_OF, self.ref(row, "parent")))
        elif self.publication is not None:
            out.append(self.q(s, PART_OF, self.publication))
        return out

    def _network(self, row: Row) -> list[str]:
        s, out = self.entity("networks", row, "CareNetwork", row["label"])
        out += self.opt(s, "populationMin", row.get("population_min"), "nonNegativeInteger")
        out += self.opt(s, "populationMax", row.get("population_max"), "nonNegativeInteger")
        out += self.opt(s, "collectionStart", row.get("collection_start"), "gYearMonth")
        out += self.opt(s, "collectionEnd", row.get("collection_end"), "gYearMonth")
        out += self.opt(s, "location", row["stated_in"])
        return out

    def _organisation(self, row: Row) -> list[str]:
        s, out = self.entity("organisations", row, "Organisation", row["name"])
        out += self.stated(s, MEMBER_OF, self.ref(row, "network"), self.place(row.table))
        out += self.curated(
            s, "inSector", code("SectorScheme", row["sector"]), row["sector_rationale"]
        )
        return out

    def _role_node(self, text: str) -> str:
        slug = "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())
        return N(iris.data_iri(self.sid, "role", slug or "unnamed"))

    def _participant(self, row: Row) -> list[str]:
        org = self.ref(row, "organisation")
        label = f"{row['id']}: {row['role']}, {self._org_names[row['organisation']]}"
        s, out = self.entity("participants", row, "Participant", label)
        out += self.opt(s, "tableRow", row["table_row"], "positiveInteger")
        out += self.opt(s, "involvement", row.get("involvement"))
        where = f"{self.place(row.table)}, row {row['table_row']}"
        out += self.stated(s, "inNetwork", self.ref(row, "network"), where)
        out += self.stated(s, "worksFor", org, where)
        out += self.stated(s, "hasRole", self._role_node(row["role"]), where)
        return out

    def _roles(self) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        for row in self.study.rows("participants"):
            role = self._role_node(row["role"])
            if role in seen:
                continue
            seen.add(role)
            out += [
                self.q(role, A, tk("Role")),
                self.q(role, LABEL, L(row["role"], language="en")),
                self.q(role, tk("inStudy"), self.study_node),
            ]
        return out

    def concept_entity(self, table: str, row: Row, cls: str, label: str, scheme: str):
        s, out = self.entity(table, row, cls, label)
        out.append(self.q(s, PREF, L(label, language="en")))
        out.append(self.q(s, IN_SCHEME, N(iris.data_iri(self.sid, "scheme", scheme))))
        return s, out

    def _schemes(self) -> list[str]:
        out: list[str] = []
        for table, name, label in (
            ("themes", "coding", "coding frame (themes and subthemes)"),
            ("factors", "factors", "trust factors from the literature"),
            ("asymmetry_types", "asymmetries", "asymmetry types"),
            ("concepts", "concepts", "theoretical concepts"),
        ):
            if self.study.rows(table):
                out += self.scheme(name, f"{self.sid}: {label}")[1]
        return out

    def _factor(self, row: Row) -> list[str]:
        s, out = self.concept_entity("factors", row, "TrustFactor", row["label"], "factors")
        out += self.opt(s, "sourceCitation", row["source_citation"])
        out += self.opt(s, "sourceNote", row.get("source_note"))
        out += self.opt(s, "location", self.place(row.table))
        if row.get("source"):
            out += self.stated(s, SOURCE, self.ref(row, "source"), self.place(row.table))
        return out

    def _theme(self, row: Row) -> list[str]:
        s, out = self.concept_entity("themes", row, "Theme", row["label"], "coding")
        out += self.opt(s, "location", self.place(row.table))
        if row.get("findings_section"):
            out.append(self.q(s, N(RDFS + "seeAlso"), self.ref(row, "findings_section")))
        return out

    def _subtheme(self, row: Row) -> list[str]:
        s, out = self.concept_entity("subthemes", row, "Subtheme", row["label"], "coding")
        out += self.stated(s, "subthemeOf", self.ref(row, "theme"), self.place(row.table))
        return out

    def _asymmetry(self, row: Row) -> list[str]:
        s, out = self.concept_entity(
            "asymmetry_types", row, "AsymmetryType", row["label"], "asymmetries"
        )
        out += self.opt(s, "text", row["stated_text"])
        self.ref(row, "stated_in")  # must name a section, even though only its title is kept
        out += self.opt(s, "location", self._section_title(row, "stated_in"))
        return out

    def _strategy(self, row: Row) -> list[str]:
        s, out = self.entity("strategies", row, "TrustBuildingStrategy", row["label"])
        out += self.opt(s, "text", row["text"])
        out += self.opt(s, "location", self.place(row.table))
        return out

    def _section_title(self, row: Row, column: str) -> str:
        return self._section_titles.get(row[column], row[column])

    def _quotation(self, row: Row) -> list[str]:
        s, out = self.entity("quotations", row, "Quotation", f"Quotation {self.sid} {row['id']}")
        out += self.opt(s, "text", row["text"])
        out += self.opt(s, "attributionText", row["attribution"])
        where = self._section_title(row, "section")
        out += self.stated(s, "inSection", self.ref(row, "section"), where)
        if row.get("attributed_network"):
            out += self.stated(s, "attributedNetwork", self.ref(row, "attributed_network"), where)
        return out

    def _pointer(self, row: Row) -> list[str]:
        label = f"Appendix quotation {row['appendix_number']} ({self.sid} {row['id']})"
        s, out = self.entity("pointers", row, "QuotationPointer", label)
        out += self.opt(s, "appendixNumber", row["appendix_number"], "positiveInteger")
        out += self.opt(s, "claim", row["claim"])
        where = self._section_title(row, "section")
        out += self.stated(s, "inSection", self.ref(row, "section"), where)
        return out

    def _concept(self, row: Row) -> list[str]:
        s, out = self.concept_entity(
            "concepts", row, "TheoreticalConcept", row["label"], "concepts"
        )
        out += self.opt(s, "attributedToText", row["attributed_to"])
        out += self.opt(s, "keyPhrase", row["key_phrase"])
        if self.publication is not None:
            out += self.stated(s, "discussedIn", self.publication, row["stated_in"])
        return out

    def _link(self, row: Row, subj: str, obj: str, prop: str) -> list[str]:
        s, o = self.ref(row, subj), self.ref(row, obj)
        match = row.get("match")
        if prop == "saidBy" and match == "none-nearest":
            # No Table 1 row fits the attribution: record the nearest candidate, never a match.
            return self.curated(
                s, "nearestCandidate", o, row["rationale"], row.get("curator"), match
            )
        return self.curated(s, prop, o, row["rationale"], row.get("curator"), match)


def _term(prop: str) -> str:
    """A property given as an N-Triples term (``<...>``), or as the local name of a tk: one."""
    return prop if prop.startswith("<") else tk(prop)
