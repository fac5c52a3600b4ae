"""Write a read REFI-QDA project as a study folder in trustkg's own source tables.

The import goes through the tables rather than straight into the store so that a researcher can
open what was imported in a spreadsheet, correct it, add mappings, and rebuild: the tables are
the one editable source, the store is always rebuilt from them. Ids are short and in document
order (``K001`` for codes, ``G0001`` for segments...); every row keeps the REFI-QDA GUID and the
file it came from, so each triple can be traced back to the element of the export.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..core import faults
from ..core.atomic import staged_copy
from ..core.errors import TrustkgError
from ..core.iris import RESERVED_IDS, valid_study_id
from ..core.resources import bundled_studies
from .framework import framework_codes, read_framework_studies
from .recognise import RULES, Recogniser, Recognition
from .refiqda import Code, RefiProject
from .tables import load_schema


def _ids(
    prefix: str, guids: list[str], width: int, keep: dict[str, str] | None = None
) -> dict[str, str]:
    """Ids in document order; a GUID imported before keeps its id (``keep``: GUID → id), so a
    re-import does not move the codes that mappings.csv and hand edits point to."""
    keep = keep or {}
    ids = {g: keep[g] for g in guids if g in keep}
    taken = set(ids.values())
    n = 0
    for g in guids:
        if g in ids:
            continue
        while True:
            n += 1
            candidate = f"{prefix}{n:0{width}d}"
            if candidate not in taken:
                break
        ids[g] = candidate
        taken.add(candidate)
    return ids


def project_tables(
    project: RefiProject,
    study: str,
    keep: dict[str, dict[str, str]] | None = None,
    recognised: Mapping[str, Recognition] | None = None,
) -> dict[str, list[dict[str, str]]]:
    """The rows of every table the project fills, keyed by table name (without ``.csv``).

    ``keep`` maps a table name to the GUID → id of an earlier import of the same study;
    ``recognised`` (code GUID → :class:`~.recognise.Recognition`) the codes that came from
    trustkg's codebook, which ``framework_links.csv`` links to their concepts.
    """
    f = project.file
    keep = keep or {}
    users = _ids("U", [g for g, _ in project.users], 2, keep.get("users"))
    codes = _ids("K", [c.guid for c in project.codes], 3, keep.get("codes"))
    sources = _ids("D", [s.guid for s in project.sources], 3, keep.get("sources"))
    segments = _ids("G", [s.guid for s in project.selections], 4, keep.get("segments"))
    variables = _ids("V", [g for g, _, _ in project.variables], 2, keep.get("variables"))
    cases = _ids("CASE", [c.guid for c in project.cases], 2, keep.get("cases"))
    notes = _ids("M", [n.guid for n in project.notes], 2, keep.get("notes"))
    sets = _ids("SET", [s.guid for s in project.sets], 2, keep.get("sets"))
    user_names = dict(project.users)
    anything = {**codes, **sources, **segments, **cases}

    title = _named(project.name, Path(f).stem)
    origin = f" exported by {project.origin}" if project.origin else ""
    refi = project.exchange == "REFI-QDA"
    command = "refi-qda" if refi else project.exchange.lower()
    description = (
        f"Imported from the {project.exchange} {project.kind} {f}{origin} "
        f"by trustkg import {command}."
    )
    if project.description.strip():
        description += f" The project's own description: {project.description.strip()}"
    tables: dict[str, list[dict[str, str]]] = {
        "study": [
            {
                "id": study,
                "kind": "empirical-study",
                "title": title,
                "description": description,
                "analysis_method": f"Coded in a QDA tool{origin} (REFI-QDA exchange format)."
                if refi
                else f"Coded in {project.origin or project.exchange}.",
            }
        ],
        "users": [
            {"id": users[g], "name": _named(name, g), "guid": g, "file": f}
            for g, name in project.users
        ],
        "codes": [
            {
                "id": codes[c.guid],
                "parent": codes.get(c.parent, ""),
                "label": _named(c.name, c.guid),
                "description": c.description,
                "color": c.color if _is_colour(c.color) else "",
                "codable": "true" if c.codable else "false",
                "guid": c.guid,
                "file": f,
            }
            for c in project.codes
        ],
        "sources": [
            {
                "id": sources[s.guid],
                "name": _named(s.name, s.guid),
                "kind": s.kind,
                "path": s.path,
                "text": s.text or "",
                "creator": users.get(s.user, ""),
                "created": s.created,
                "guid": s.guid,
                "file": f,
            }
            for s in project.sources
        ],
        "segments": [],
        "links_segment_code": [],
        "variables": [
            {"id": variables[g], "label": _named(name, g), "type": kind, "guid": g, "file": f}
            for g, name, kind in project.variables
        ],
        "cases": [
            {
                "id": cases[c.guid],
                "label": _named(c.name, c.guid),
                "description": c.description,
                "guid": c.guid,
                "file": f,
            }
            for c in project.cases
        ],
        "case_values": [
            {"case": cases[c.guid], "variable": variables[v], "value": value}
            for c in project.cases
            for v, value, _ in c.values
            if v in variables and value.strip()
        ],
        "case_members": [
            {"case": cases[c.guid], "member": anything[m]}
            for c in project.cases
            for m in dict.fromkeys(c.members)
            if m in anything
        ],
        "notes": [],
        "sets": [
            {
                "id": sets[s.guid],
                "label": _named(s.name, s.guid),
                "description": s.description,
                "guid": s.guid,
                "file": f,
            }
            for s in project.sets
        ],
        "set_members": [
            {"set": sets[s.guid], "member": anything[m]}
            for s in project.sets
            for m in dict.fromkeys(s.members)
            if m in codes or m in sources
        ],
    }
    for sel in project.selections:
        if sel.source not in sources:
            continue
        tables["segments"].append(
            {
                "id": segments[sel.guid],
                "source": sources[sel.source],
                "kind": sel.kind,
                "start": "" if sel.start is None else str(sel.start),
                "end": "" if sel.end is None else str(sel.end),
                "locator": sel.locator,
                "text": sel.text or "",
                "name": sel.name,
                "creator": users.get(sel.user, ""),
                "created": sel.created,
                "guid": sel.guid,
                "file": f,
            }
        )
        seen: set[str] = set()
        for coding in sel.codings:
            code = codes.get(coding.code)
            if code is None or code in seen:
                continue
            seen.add(code)
            who = user_names.get(coding.user, "")
            tables["links_segment_code"].append(
                {
                    "segment": segments[sel.guid],
                    "code": code,
                    "coder": users.get(coding.user, ""),
                    "date": coding.created if _is_date(coding.created) else "",
                    "rationale": f"coded{' by ' + who if who else ''} in {f} "
                    f"({project.exchange} coding {coding.guid}{_odd_date(coding.created)})",
                    "guid": coding.guid,
                    "file": f,
                }
            )
    for n in project.notes:
        targets = [t for t in n.targets if t in anything] or [""]
        for i, target in enumerate(targets):
            # A note about several things becomes one row per thing (M01, M01-2...).
            tables["notes"].append(
                {
                    "id": notes[n.guid] + (f"-{i + 1}" if i else ""),
                    "label": _named(n.name, n.guid),
                    "text": n.text,
                    "about": anything.get(target, ""),
                    "author": users.get(n.user, ""),
                    "created": n.created,
                    "guid": n.guid,
                    "file": f,
                }
            )
    tables["framework_links"] = [
        {
            "subject": codes[r.code],
            "predicate": "exactMatch",
            "object": r.concept.reference,
            "justification": r.justification,
            "comment": r.rationale,
            "mapping_set": f,
            "rule": r.rule,
        }
        for r in (recognised or {}).values()
        if r.code in codes and r.concept.table  # a group of the codebook is no concept
    ]
    return {name: rows for name, rows in tables.items() if rows}


def _named(name: str, fallback: str) -> str:
    """An element's name, or its GUID when the name is empty *or only spaces*: the tables are
    read back stripped, and a required label of spaces would be refused as empty."""
    return name if name.strip() else fallback


def _is_date(value: str) -> bool:
    """Whether links_segment_code.csv takes ``value`` as a date (an ISO 8601 date or date and
    time, which becomes a typed dcterms:created of the coding)."""
    column = next(c for c in load_schema()["links_segment_code"].columns if c.name == "date")
    return column.pattern is not None and bool(column.pattern.fullmatch(value))


def _odd_date(value: str) -> str:
    """A coding date that is not ISO 8601 stays out of the date column, which would refuse it
    and stop the import, but is kept, as written, in the rationale."""
    return f", dated {value!r}, not an ISO 8601 date" if value and not _is_date(value) else ""


def _is_colour(value: str) -> bool:
    return (
        len(value) == 7
        and value.startswith("#")
        and all(ch in "0123456789abcdefABCDEF" for ch in value[1:])
    )


#: the tables an import writes (and, with --force, replaces); mappings.csv, identifiers.csv and
#: registers/ are the researcher's own and are never touched
IMPORTED_TABLES = (
    "study", "users", "codes", "sources", "segments", "links_segment_code", "variables",
    "cases", "case_values", "case_members", "notes", "sets", "set_members", "framework_links",
)  # fmt: skip


def _previous_ids(folder: Path) -> dict[str, dict[str, str]]:
    """GUID → id of each table of an earlier import in ``folder``."""
    keep: dict[str, dict[str, str]] = {}
    for name in IMPORTED_TABLES:
        path = folder / f"{name}.csv"
        if path.is_file():
            with open(path, encoding="utf-8-sig", newline="") as fh:
                keep[name] = {
                    r["guid"]: r["id"] for r in csv.DictReader(fh) if r.get("guid") and r.get("id")
                }
    return keep


def write_study(
    project: RefiProject,
    study: str,
    out: str | Path,
    *,
    force: bool = False,
    recognised: Mapping[str, Recognition] | None = None,
) -> Path:
    """Write the project's tables into folder ``out``; refuse to mix with another study's files.

    With ``force``, a folder holding an earlier import is updated: its imported tables are
    replaced, every element imported before keeps its id (so mappings stay valid), and the
    researcher's own ``mappings.csv``, ``identifiers.csv`` and ``registers/`` are left alone.
    Raises :class:`~trustkg.core.errors.TrustkgError` for an invalid study id or a folder that
    already holds files (unless ``force``).
    """
    if not valid_study_id(study):
        rule = (
            "is reserved: trustkg names its own nodes and graphs with it"
            if study in RESERVED_IDS
            else "must start with a lower-case letter and hold only lower-case letters, "
            "digits, '-' or '_'"
        )
        raise TrustkgError(f"study id {study!r} {rule}")
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise TrustkgError("exists and is not a folder", file=folder)
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise TrustkgError(
            "folder is not empty: choose another --out, or add --force to update an earlier "
            "import there",
            file=folder,
        )
    schema = load_schema()
    tables = project_tables(project, study, _previous_ids(folder), recognised)
    # Written into a copy of the folder that replaces it only when complete: a failed or
    # killed import leaves an earlier import, and the researcher's own files, as they were.
    with staged_copy(folder) as stage:
        for name in IMPORTED_TABLES:
            if name not in tables:
                (stage / f"{name}.csv").unlink(missing_ok=True)  # left from an earlier import
        for name, rows in tables.items():
            columns = schema[name].column_names
            with open(stage / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
                writer.writeheader()
                for row in rows:
                    writer.writerow({c: _one_line_safe(row.get(c, "")) for c in columns})
            faults.point("import:table-written")
    return folder


def _one_line_safe(value: str) -> str:
    """CSV keeps line breaks inside quoted cells; only carriage returns are normalised."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


@dataclass
class Imported:
    """What an import wrote, and what it found: the codes it linked and the emergent ones."""

    project: RefiProject
    folder: Path
    recognised: dict[str, Recognition]

    @property
    def emergent(self) -> list[Code]:
        """The codable codes linked to no framework concept, in the project's order (a code
        that matched only a group of the codebook is linked to nothing: it is new too)."""
        linked = {g for g, r in self.recognised.items() if r.concept.table}
        return [c for c in self.project.codes if c.codable and c.guid not in linked]

    def summary(self) -> str:
        """One line for the researcher: how many codes were linked, by which rule, and which
        codes are new."""
        rules = [r.rule for r in self.recognised.values() if r.concept.table]
        by_rule = ", ".join(f"{rules.count(k)} by {k}" for k in RULES if k in rules)
        new = self.emergent
        names = "; ".join(repr(c.name) for c in new[:5]) + ("; ..." if len(new) > 5 else "")
        return (
            f"linked {len(rules)} codes to the framework ({by_rule or 'none'}); "
            f"{len(new)} new (emergent) codes{': ' + names if new else ''}"
        )


def import_project(
    project: RefiProject,
    study: str,
    out: str | Path,
    *,
    force: bool = False,
    frameworks: list[str] | tuple[str, ...] = (),
) -> Imported:
    """Write ``project`` as study ``study`` in folder ``out``, with the codes that came from
    trustkg's codebook linked to their concepts (``framework_links.csv``).

    The framework is that of the bundled studies plus ``frameworks`` (ids of bundled studies or
    study folders, whose codebook the researcher exported with ``--study``).
    """
    names = [n for n in frameworks if n not in {p.name for p in bundled_studies()}]
    studies = read_framework_studies([]) + (read_framework_studies(names) if names else [])
    recognised = Recogniser(framework_codes(studies)).recognise(project)
    folder = write_study(project, study, out, force=force, recognised=recognised)
    return Imported(project, folder, recognised)
