"""Read and write SSSOM mapping tables (https://mapping-commons.github.io/sssom/).

A mapping set is a TSV file whose leading ``#`` lines hold YAML metadata (above all the
``curie_map`` that expands the CURIEs of the table), then one row per mapping with
``subject_id``, ``predicate_id``, ``object_id`` and ``mapping_justification`` (plus optional
``confidence``, ``author_id``, ``comment``...). trustkg reads that format itself instead of using
the ``sssom`` library: that library pulls in about 80 packages (pandas, linkml, SQLAlchemy,
Sphinx...) for what is here a header of prefixes and a TSV; the reader below is strict where
the format is (required columns, known predicates, confidence in [0, 1]) and tells each mistake
in one line with its file and line.

Mappings persist as a study's ``mappings.csv`` table (``trustkg link`` writes it), so every
rebuild loads them again and a build stays deterministic and atomic.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..core import iris
from ..core.errors import TableError, TrustkgError
from ..core.iris import SEMAPV
from ..core.limits import check_size
from .tables import allowed_values

if TYPE_CHECKING:
    from .tables import StudyTables

#: prefixes every mapping set may use without declaring them
BUILTIN_PREFIXES = {
    "skos": iris.SKOS,
    "semapv": SEMAPV,
    "tk": iris.TK,
    "tkd": iris.DATA,
    "owl": iris.OWL,
    "rdfs": iris.RDFS,
}
#: the SKOS mapping relations a mapping may use: the mappings table's list
PREDICATES = allowed_values("mappings", "predicate")
REQUIRED = ("subject_id", "predicate_id", "object_id", "mapping_justification")
#: the kinds of trustkg resource a code may be mapped to (IRI kind segment → table)
TARGET_KINDS = {
    "asymmetry": "asymmetry_types",
    "factor": "factors",
    "theme": "themes",
    "subtheme": "subthemes",
    "code": "codes",
}


@dataclass
class MappingSet:
    path: Path
    metadata: dict[str, str] = field(default_factory=dict)
    curie_map: dict[str, str] = field(default_factory=dict)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, row)

    def expand(self, value: str, line: int, column: str) -> str:
        """A CURIE or IRI of the table as a full IRI."""
        value = value.strip()
        if value.startswith("<") and value.endswith(">"):
            return value[1:-1]
        if "://" in value:
            return value
        prefix, sep, local = value.partition(":")
        ns = self.curie_map.get(prefix, BUILTIN_PREFIXES.get(prefix)) if sep else None
        if ns is None:
            raise TableError(
                f"{value!r} uses prefix {prefix!r}, which the curie_map does not declare",
                file=self.path,
                line=line,
                field=column,
            )
        return ns + local


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _metadata(lines: list[str], path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The subset of YAML SSSOM headers use: ``key: value`` and the ``curie_map`` block."""
    meta: dict[str, str] = {}
    curie_map: dict[str, str] = {}
    block = None
    texts = [raw[1:].rstrip().expandtabs(2) for raw in lines]
    # Some writers put a space after '#', some do not: indentation counts from the shallowest.
    base = min(
        (len(t) - len(t.lstrip()) for t in texts if t.strip() and not t.lstrip().startswith("#")),
        default=0,
    )
    for number, text in enumerate(texts, start=1):
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        indented = len(text) - len(text.lstrip()) > base
        key, sep, value = text.strip().partition(":")
        if not indented:
            if not sep:
                raise TableError(
                    "metadata line is not 'key: value'", file=path, line=number, field="#"
                )
            block = key.strip() if not value.strip() else None
            if value.strip():
                meta[key.strip()] = _unquote(value)
        elif block == "curie_map":
            if not sep:
                raise TableError("curie_map entry is not 'prefix: IRI'", file=path, line=number)
            curie_map[key.strip()] = _unquote(value)
        elif block is not None and text.strip().startswith("- "):
            previous = meta.get(block, "")
            item = _unquote(text.strip()[2:])
            meta[block] = f"{previous}|{item}" if previous else item
    return meta, curie_map


def read(path: str | Path) -> MappingSet:
    """Read an SSSOM TSV file, checking its header and required columns."""
    path = Path(path)
    if not path.is_file():
        raise TrustkgError("mapping file not found", file=path)
    check_size(path, what="the mapping file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise TableError("not UTF-8 text: save the mapping set as UTF-8", file=path) from None
    lines = text.splitlines()
    head = [ln for ln in lines if ln.startswith("#")]
    n_head = 0
    while n_head < len(lines) and lines[n_head].startswith("#"):
        n_head += 1
    meta, curie_map = _metadata(head[:n_head], path)
    body = "\n".join(lines[n_head:])
    reader = csv.DictReader(io.StringIO(body), delimiter="\t")
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing and len(header) == 1 and ("," in header[0] or ";" in header[0]):
        sep = "commas" if "," in header[0] else "semicolons"
        raise TableError(
            f"the columns are separated by {sep}: an SSSOM table is tab-separated (TSV)",
            file=path,
            line=n_head + 1,
        )
    if missing:
        raise TableError(
            f"missing SSSOM column(s) {', '.join(missing)}", file=path, line=n_head + 1
        )
    ms = MappingSet(path, meta, curie_map)
    for i, row in enumerate(reader):
        line = n_head + 2 + i
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(values.values()):
            continue
        for col in REQUIRED:
            if not values.get(col):
                raise TableError("a value is required", file=path, line=line, field=col)
        ms.rows.append((line, values))
    return ms


def _target(iri: str, ms: MappingSet, line: int, column: str) -> tuple[str, str, str]:
    """(study, kind, id) of a trustkg data IRI, or a one-line error."""
    if not iri.startswith(iris.DATA) or iri[len(iris.DATA) :].count("/") != 2:
        raise TableError(
            f"{iri} is not a trustkg resource IRI ({iris.DATA}STUDY/KIND/ID)",
            file=ms.path,
            line=line,
            field=column,
        )
    from urllib.parse import unquote

    study, kind, ident = iri[len(iris.DATA) :].split("/")
    return study, kind, unquote(ident)


#: answers whether a trustkg resource exists: (study, kind, id, IRI) → None if it does, else
#: why not (one clause, e.g. "study li2018 has no asymmetry type 'AT-powr'")
Resolver = Callable[[str, str, str, str], str | None]


def mapping_rows(
    ms: MappingSet, study: str, resolve: Resolver | None = None
) -> list[dict[str, str]]:
    """The rows of ``mappings.csv`` for the mappings of ``ms`` whose subject is a code of
    ``study``; anything else is an error, so nothing is dropped silently. With ``resolve``,
    every subject and object must name something that exists."""
    out = []
    for line, row in ms.rows:
        subject = ms.expand(row["subject_id"], line, "subject_id")
        s_study, s_kind, s_id = _target(subject, ms, line, "subject_id")
        if s_study != study or s_kind != "code":
            raise TableError(
                f"subject {row['subject_id']} is not a code of study {study!r}",
                file=ms.path,
                line=line,
                field="subject_id",
            )
        why = resolve(s_study, s_kind, s_id, subject) if resolve else None
        if why:
            raise TableError(
                f"subject {row['subject_id']} names nothing: {why}",
                file=ms.path,
                line=line,
                field="subject_id",
            )
        predicate = ms.expand(row["predicate_id"], line, "predicate_id")
        if not predicate.startswith(iris.SKOS) or predicate[len(iris.SKOS) :] not in PREDICATES:
            raise TableError(
                f"predicate {row['predicate_id']} is not one of skos:{', skos:'.join(PREDICATES)}",
                file=ms.path,
                line=line,
                field="predicate_id",
            )
        target = ms.expand(row["object_id"], line, "object_id")
        o_study, o_kind, o_id = _target(target, ms, line, "object_id")
        if o_kind not in TARGET_KINDS:
            raise TableError(
                f"object {row['object_id']} is a {o_kind}; a code maps to an asymmetry type, "
                "factor, theme, subtheme or code",
                file=ms.path,
                line=line,
                field="object_id",
            )
        why = resolve(o_study, o_kind, o_id, target) if resolve else None
        if why:
            raise TableError(
                f"object {row['object_id']} names nothing: {why}",
                file=ms.path,
                line=line,
                field="object_id",
            )
        justification = ms.expand(row["mapping_justification"], line, "mapping_justification")
        if not justification.startswith(SEMAPV):
            raise TableError(
                f"{row['mapping_justification']} is not a semapv: justification",
                file=ms.path,
                line=line,
                field="mapping_justification",
            )
        confidence = row.get("confidence", "")
        if confidence:
            try:
                ok = 0.0 <= float(confidence) <= 1.0
            except ValueError:
                ok = False
            if not ok:
                raise TableError(
                    f"confidence {confidence!r} is not a number from 0 to 1",
                    file=ms.path,
                    line=line,
                    field="confidence",
                )
        out.append(
            {
                "subject": s_id,
                "predicate": predicate[len(iris.SKOS) :],
                "object": o_id if o_study == study else f"{o_study}/{o_id}",
                "justification": "semapv:" + justification[len(SEMAPV) :],
                "confidence": confidence,
                "author": row.get("author_label") or row.get("author_id", ""),
                "comment": row.get("comment", ""),
                "mapping_set": ms.metadata.get("mapping_set_id") or ms.path.name,
            }
        )
    return out


def link(
    mapping_file: str | Path,
    study_folder: str | Path,
    exists: Callable[[str], bool] | None = None,
) -> tuple[int, Path]:
    """Add the mappings of an SSSOM file to a study folder's ``mappings.csv``.

    Every subject must be a code of the study, and every object a row of the study, of a
    bundled study, or (``exists``, a test of an IRI) of the built store: one that names
    nothing refuses the whole file, naming its line and column, before anything is written.
    A mapping already there (same subject, predicate and object) is replaced, so linking the
    same file twice changes nothing. Returns (mappings, table path).
    """
    from ..core import faults
    from ..core.atomic import staged_copy
    from .tables import load_schema, read_study

    folder = Path(study_folder)
    study = read_study(folder)
    rows = mapping_rows(read(mapping_file), study.study_id, _resolver(study, exists))
    table = folder / "mappings.csv"
    key = ("subject", "predicate", "object")
    merged = {tuple(r.values[k] for k in key): dict(r.values) for r in study.rows("mappings")}
    for row in rows:
        merged[tuple(row[k] for k in key)] = row
    columns = load_schema()["mappings"].column_names
    # The new table goes into a copy of the folder, which is read back whole and only then
    # swapped in: nothing half-written survives a failure.
    with staged_copy(folder) as stage:
        with open(stage / table.name, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows({c: r.get(c, "") for c in columns} for r in merged.values())
        faults.point("link:written")
        read_study(stage)
    return len(rows), table


_KIND_NAMES = {
    "asymmetry": "asymmetry type",
    "factor": "factor",
    "theme": "theme",
    "subtheme": "subtheme",
    "code": "code",
}


def _resolver(study: StudyTables, exists: Callable[[str], bool] | None) -> Resolver:
    """Where a mapping's ends are looked up: the study's own tables, the bundled studies'
    tables, then the built store."""
    import difflib

    from ..core.resources import bundled_studies
    from .tables import read_study

    others: dict[str, StudyTables] = {}

    def tables_of(sid: str) -> StudyTables | None:
        if sid == study.study_id:
            return study
        if not others:
            for path in bundled_studies():
                bundled = read_study(path)
                others[bundled.study_id] = bundled
        return others.get(sid)

    def resolve(sid: str, kind: str, ident: str, iri: str) -> str | None:
        tables = tables_of(sid)
        if tables is not None:
            ids = tables.ids(TARGET_KINDS.get(kind, ""))
            if ident in ids:
                return None
        if exists is not None and exists(iri):
            return None
        if tables is None:
            return f"no study {sid!r} is bundled, in the store, or this study"
        what = _KIND_NAMES.get(kind, kind)
        close = difflib.get_close_matches(ident, sorted(ids), n=2)
        hint = f" (did you mean {' or '.join(close)}?)" if close else ""
        return f"study {sid} has no {what} {ident!r}{hint}"

    return resolve


#: curated link tables exported as mappings: table → (subject column, object column,
#: subject table, object table)
_EXPORTED = {
    "links_subtheme_factor": ("subtheme", "factor", "subthemes", "factors"),
    "links_theme_asymmetry": ("theme", "asymmetry_type", "themes", "asymmetry_types"),
}
_KIND = {
    "subthemes": "subtheme",
    "factors": "factor",
    "themes": "theme",
    "asymmetry_types": "asymmetry",
    "codes": "code",
}


def export(studies: Sequence[StudyTables], out: TextIO) -> int:
    """Write the curated alignments of ``studies`` (subtheme → factor, theme → asymmetry type,
    and every study's own SSSOM mappings) to the text stream ``out`` as an SSSOM TSV.

    The alignments are written with ``skos:relatedMatch``: a subtheme relates to a factor and a
    theme expresses an asymmetry, neither is an equivalence. Returns the number of mappings.
    """
    from ..core.version import __version__
    from .tables import split_reference

    labels: dict[tuple[str, str, str], str] = {}
    for st in studies:
        for table, kind in _KIND.items():
            for r in st.rows(table):
                labels[(st.study_id, kind, r["id"])] = r.get("label") or r["id"]

    def ref(study: str, table: str, value: str) -> tuple[str, str]:
        other, ident = split_reference(value)
        target = other or study
        kind = _KIND.get(table, table)
        curie = "tkd:" + iris.data_iri(target, kind, ident)[len(iris.DATA) :]
        return curie, labels.get((target, kind, ident), "")

    rows = []
    for st in studies:
        for table, (s_col, o_col, s_table, o_table) in _EXPORTED.items():
            for r in st.rows(table):
                s, s_label = ref(st.study_id, s_table, r[s_col])
                o, o_label = ref(st.study_id, o_table, r[o_col])
                rows.append(
                    [
                        s,
                        s_label,
                        "skos:relatedMatch",
                        o,
                        o_label,
                        "semapv:ManualMappingCuration",
                        r.get("curator") or "trustkg curators",
                        "",
                        r["rationale"],
                    ]
                )
        for r in st.rows("mappings"):
            s, s_label = ref(st.study_id, "codes", r["subject"])
            other, ident = split_reference(r["object"])
            target = other or st.study_id
            o_kind = next(
                (
                    k
                    for k, t in TARGET_KINDS.items()
                    if any(x["id"] == ident for x in _rows(studies, target, t))
                ),
                "code",
            )
            o = "tkd:" + iris.data_iri(target, o_kind, ident)[len(iris.DATA) :]
            rows.append(
                [
                    s,
                    s_label,
                    f"skos:{r['predicate']}",
                    o,
                    labels.get((target, o_kind, ident), ""),
                    r["justification"],
                    r.get("author") or "",
                    r.get("confidence") or "",
                    r.get("comment") or "",
                ]
            )
    header = [
        "# curie_map:",
        f"#   skos: {iris.SKOS}",
        f"#   semapv: {SEMAPV}",
        f"#   tkd: {iris.DATA}",
        f"#   tk: {iris.TK}",
        "# mapping_set_id: https://w3id.org/trustkg/mappings/trustkg-curated.sssom.tsv",
        "# mapping_set_description: trustkg's curated alignments between codes, themes, "
        "subthemes, trust factors and asymmetry types",
        f"# mapping_set_version: {__version__}",
        "# license: https://creativecommons.org/licenses/by/4.0/",
        "# mapping_provider: https://w3id.org/trustkg",
    ]
    out.write("\n".join(header) + "\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(
        [
            "subject_id",
            "subject_label",
            "predicate_id",
            "object_id",
            "object_label",
            "mapping_justification",
            "author_label",
            "confidence",
            "comment",
        ]
    )
    writer.writerows(rows)
    return len(rows)


def _rows(studies: Sequence[StudyTables], study: str, table: str) -> list:
    for st in studies:
        if st.study_id == study:
            return st.rows(table)
    return []
