"""Read a study folder of CSV tables, checked against trustkg's CSVW table schema.

The schema (``data/schema/csv-metadata.json``) is the single description of every table's
columns, datatypes, required cells and references; this module enforces it so that a mistake in a
hand-edited table is reported with its file, line and column before anything is written.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..core.errors import TableError
from ..core.iris import RESERVED_IDS, valid_study_id
from ..core.limits import check_size
from ..core.resources import schema_file

#: table name → the kind segment of its rows' IRIs
KINDS = {
    "publications": "publication",
    "networks": "network",
    "organisations": "organisation",
    "participants": "participant",
    "factors": "factor",
    "sections": "section",
    "themes": "theme",
    "subthemes": "subtheme",
    "asymmetry_types": "asymmetry",
    "strategies": "strategy",
    "quotations": "quotation",
    "pointers": "pointer",
    "concepts": "concept",
    # tables of a study imported from a QDA tool (see trustkg.load.qda)
    "users": "user",
    "codes": "code",
    "sources": "source",
    "segments": "segment",
    "variables": "variable",
    "cases": "case",
    "notes": "note",
    "sets": "set",
}

#: XSD's lexical forms; their digits are ASCII only, so \d is ASCII here (a Python \d also takes
#: Arabic-Indic, Devanagari or fullwidth digits, and a year '٢٠١٨' became an ill-typed
#: xsd:gYear that every FILTER comparing years silently skips). \S stays unicode-aware.
_DATATYPE_PATTERNS = {
    "string": None,
    "nonNegativeInteger": re.compile(r"\d+", re.ASCII),
    "positiveInteger": re.compile(r"0*[1-9]\d*", re.ASCII),
    "gYear": re.compile(r"-?\d{4}", re.ASCII),
    "gYearMonth": re.compile(r"-?\d{4}-(0[1-9]|1[0-2])", re.ASCII),
    "boolean": re.compile(r"true|false"),
    "anyURI": re.compile(r"\S+"),
    "decimal": re.compile(r"-?(\d+(\.\d*)?|\.\d+)", re.ASCII),
}
_DATATYPE_HINTS = {
    "nonNegativeInteger": "a whole number (0 or more)",
    "positiveInteger": "a whole number (1 or more)",
    "gYear": "a year like 2018",
    "gYearMonth": "a month like 2016-03",
    "boolean": "true or false",
    "anyURI": "a web address without spaces",
    "decimal": "a decimal number like 0.85",
}


@dataclass(frozen=True)
class Column:
    name: str
    datatype: str
    required: bool
    pattern: re.Pattern[str] | None
    pattern_text: str | None
    refers_to: tuple[str, ...]
    #: the ontology's code list the values come from (a tk: local name), if any
    code_list: str | None = None


@dataclass(frozen=True)
class TableSchema:
    name: str  # table name without .csv, e.g. "participants"
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass
class Row:
    """One data row, with the physical line it started on for error messages."""

    table: str
    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def get(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass
class StudyTables:
    """All tables of one study folder, read and checked."""

    study_id: str
    path: Path
    tables: dict[str, list[Row]] = field(default_factory=dict)

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])

    def file(self, table: str) -> Path:
        return self.path / f"{table}.csv"

    def ids(self, table: str) -> set[str]:
        return {r.values["id"] for r in self.rows(table) if "id" in r.values}


@cache
def load_schema() -> dict[str, TableSchema]:
    """Parse the CSVW metadata into table schemas, keyed by table name.

    >>> load_schema()["quotations"].column_names[:3]
    ['id', 'text', 'attribution']
    """
    doc = json.loads(schema_file().read_text(encoding="utf-8"))
    schemas: dict[str, TableSchema] = {}
    for table in doc["tables"]:
        name = table["url"].removesuffix(".csv")
        cols = []
        for c in table["tableSchema"]["columns"]:
            dt = c.get("datatype", "string")
            pattern = pattern_text = None
            if isinstance(dt, dict):
                pattern_text = dt.get("format")
                pattern = re.compile(pattern_text) if pattern_text else None
                dt = dt.get("base", "string")
            cols.append(
                Column(
                    name=c["name"],
                    datatype=dt,
                    required=bool(c.get("required", False)),
                    pattern=pattern,
                    pattern_text=pattern_text,
                    refers_to=tuple(c.get("tk:refersTo", ())),
                    code_list=c.get("tk:codeList", {}).get("@id", "").removeprefix("tk:") or None,
                )
            )
        key = table["tableSchema"]["primaryKey"]
        schemas[name] = TableSchema(
            name, tuple(cols), tuple([key] if isinstance(key, str) else key)
        )
    return schemas


def allowed_values(table: str, column: str) -> tuple[str, ...]:
    """The values a column allows, in order: the codes of the ontology's code list the column
    names (``tk:codeList``: sectors, study types...), which is where such a list is written;
    otherwise the values its pattern lists (``a|b|c``).

    >>> allowed_values("organisations", "sector")[:3]
    ('health', 'local-government', 'social-care')
    """
    col = next(c for c in load_schema()[table].columns if c.name == column)
    if col.code_list:
        from ..core.codelists import notations

        return notations(col.code_list)
    if not col.pattern_text or not re.fullmatch(r"[A-Za-z|-]+", col.pattern_text):
        raise ValueError(f"{table}.{column} has no list of allowed values")
    return tuple(col.pattern_text.split("|"))


def code_list_formats(write: bool = False) -> dict[str, tuple[str, str]]:
    """The code-list columns whose CSVW ``format`` differs from the ontology's list, as
    ``{"table.column": (format in the schema, format from the ontology)}``; with ``write``, the
    schema file is rewritten to agree. The ontology is the source: the format is a copy kept so
    that any CSVW validator checks the tables too.
    """
    from ..core.codelists import notations

    doc = json.loads(schema_file().read_text(encoding="utf-8"))
    stale = {}
    for table in doc["tables"]:
        for col in table["tableSchema"]["columns"]:
            name = col.get("tk:codeList", {}).get("@id", "").removeprefix("tk:")
            if not name:
                continue
            want = "|".join(notations(name))
            have = col["datatype"].get("format", "")
            if have != want:
                stale[f"{table['url'].removesuffix('.csv')}.{col['name']}"] = (have, want)
                col["datatype"]["format"] = want
    if stale and write:
        schema_file().write_text(json.dumps(doc, indent=2), encoding="utf-8")
        load_schema.cache_clear()
    return stale


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")  # a spreadsheet's byte-order mark is harmless: drop it
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        column = exc.start - line_start + 1
        raise TableError(
            f"byte 0x{raw[exc.start]:02x} is not UTF-8 (the file looks like Latin-1 or "
            "Windows-1252): save the table as CSV UTF-8",
            file=path,
            line=line,
            column=column,
            field=_field_at(raw, line_start, exc.start) if line > 1 else None,
        ) from None


def _field_at(raw: bytes, line_start: int, offset: int) -> str | None:
    """The header name of the cell holding byte ``offset``, so the researcher finds the cell.

    Counted on the physical line: right for the usual one-line rows, a best guess inside a
    quoted cell that spans lines.
    """
    header = next(csv.reader([raw.split(b"\n", 1)[0].decode("utf-8-sig", "replace")]), [])
    prefix = raw[line_start:offset].decode("utf-8", "replace")
    index = len(next(csv.reader([prefix]), [""])) - 1 if prefix else 0
    return header[index].strip() if 0 <= index < len(header) else None


def read_table(path: Path, schema: TableSchema) -> list[Row]:
    """Read one CSV file and check its header and every cell against ``schema``."""
    check_size(path, what="the table")
    text = _decode(path, path.read_bytes())
    if not text.strip():
        raise TableError("file is empty: expected a header row", file=path, line=1)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise TableError(f"not valid CSV: {exc}", file=path, line=1) from None
    expected = schema.column_names
    missing = [c for c in expected if c not in header]
    separator = _wrong_separator(header)
    if missing and separator:
        raise TableError(
            f"the columns are separated by {separator}, not commas: save the table as "
            "comma-separated CSV (in Excel or LibreOffice: CSV UTF-8, field delimiter ',')",
            file=path,
            line=1,
        )
    if missing:
        raise TableError(
            f"missing column(s) {', '.join(missing)}; the table needs {', '.join(expected)}",
            file=path,
            line=1,
            field=missing[0],
        )
    extra = [h for h in header if h not in expected]
    if extra:
        raise TableError(
            f"unknown column(s) {', '.join(repr(e) for e in extra)}; "
            f"the table allows {', '.join(expected)}",
            file=path,
            line=1,
            field=extra[0],
        )
    dupes = {h for h in header if header.count(h) > 1}
    if dupes:
        raise TableError("column given twice", file=path, line=1, field=sorted(dupes)[0])

    rows: list[Row] = []
    seen: dict[tuple[str, ...], int] = {}
    # a column that may be empty and has no pattern accepts any text: no need to look
    checked = [
        c for c in schema.columns if c.required or c.pattern or _DATATYPE_PATTERNS.get(c.datatype)
    ]
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise TableError(f"not valid CSV: {exc}", file=path, line=reader.line_num) from None
        if not "".join(cells).strip():  # blank line
            line = reader.line_num + 1
            continue
        if len(cells) != len(header):
            raise TableError(
                f"row has {len(cells)} cells but the header has {len(header)}",
                file=path,
                line=line,
            )
        values = dict(zip(header, map(str.strip, cells), strict=True))
        for col in checked:
            _check_cell(path, line, col, values[col.name])
        key = tuple(values[k] for k in schema.key)
        if key in seen:
            raise TableError(
                f"duplicate identifier {'/'.join(key)!r} (first used on line {seen[key]})",
                file=path,
                line=line,
                field=schema.key[0],
            )
        seen[key] = line
        rows.append(Row(schema.name, line, values))
        line = reader.line_num + 1
    return rows


def _wrong_separator(header: list[str]) -> str | None:
    """'semicolons' or 'tabs' when a header read as comma-separated is one cell that another
    separator splits into names (a spreadsheet in a locale whose decimal mark is a comma
    writes semicolons).

    >>> _wrong_separator(["id;label;theme"]), _wrong_separator(["id", "label"])
    ('semicolons', None)
    """
    if len(header) != 1:
        return None
    for char, name in ((";", "semicolons"), ("\t", "tabs")):
        if char in header[0]:
            return name
    return None


def _check_cell(path: Path, line: int, col: Column, value: str) -> None:
    if not value:
        if col.required:
            raise TableError("a value is required", file=path, line=line, field=col.name)
        return
    pattern = _DATATYPE_PATTERNS.get(col.datatype)
    if pattern is not None and not pattern.fullmatch(value):
        raise TableError(
            f"{value!r} is not {_DATATYPE_HINTS[col.datatype]}",
            file=path,
            line=line,
            field=col.name,
        )
    if col.pattern is not None and not col.pattern.fullmatch(value):
        allowed = col.pattern_text or ""
        hint = (
            f"one of {', '.join(allowed.split('|'))}"
            if re.fullmatch(r"[a-z|-]+", allowed)
            else f"in the form {allowed}"
        )
        raise TableError(f"{value!r} is not {hint}", file=path, line=line, field=col.name)


def read_study(path: str | Path) -> StudyTables:
    """Read and check every table of a study folder, references included.

    >>> from trustkg.core.resources import bundled_studies
    >>> li2018 = read_study(bundled_studies()[0])
    >>> li2018.study_id, len(li2018.rows("quotations"))
    ('li2018', 14)
    """
    folder = Path(path)
    if not folder.is_dir():
        raise TableError("study folder not found", file=folder)
    schemas = load_schema()
    study_file = folder / "study.csv"
    if not study_file.is_file():
        raise TableError("a study folder needs a study.csv table", file=folder)
    tables: dict[str, list[Row]] = {}
    for csv_path in sorted(folder.glob("*.csv")):
        name = csv_path.stem
        if name not in schemas:
            raise TableError(
                f"unknown table {csv_path.name!r}; trustkg reads {', '.join(sorted(schemas))}",
                file=csv_path,
            )
        tables[name] = read_table(csv_path, schemas[name])
    study_rows = tables["study"]
    if len(study_rows) != 1:
        raise TableError(
            f"study.csv must have exactly one row, found {len(study_rows)}", file=study_file
        )
    study_id = study_rows[0]["id"]
    if not valid_study_id(study_id):
        rule = (
            "is reserved: trustkg names its own nodes and graphs with it"
            if study_id in RESERVED_IDS
            else "must be lower-case letters, digits, '-' or '_'"
        )
        raise TableError(
            f"study id {study_id!r} {rule}",
            file=study_file,
            line=study_rows[0].line,
            field="id",
        )
    study = StudyTables(study_id, folder, tables)
    check_references(study)
    return study


def split_reference(value: str) -> tuple[str | None, str]:
    """A reference cell names a row of the same study, or ``study/id`` of another one.

    >>> split_reference("williams2013/C04"), split_reference("Q03")
    (('williams2013', 'C04'), (None, 'Q03'))
    """
    if "/" in value:
        other, ident = value.split("/", 1)
        return other, ident
    return None, value


def check_references(study: StudyTables) -> None:
    """Every reference to a row of the same study must name an existing row."""
    schemas = load_schema()
    ids = {table: study.ids(table) for table in study.tables}
    for name, rows in study.tables.items():
        for col in schemas[name].columns:
            if not col.refers_to:
                continue
            for row in rows:
                value = row.get(col.name)
                if not value:
                    continue
                other, ident = split_reference(value)
                if other is not None and other != study.study_id:
                    continue  # another study: checked when the studies are built together
                if not any(ident in ids.get(t, ()) for t in col.refers_to):
                    targets = " or ".join(f"{t}.csv" for t in col.refers_to)
                    raise TableError(
                        f"{value!r} does not exist in {targets}",
                        file=study.file(name),
                        line=row.line,
                        field=col.name,
                    )
