"""Read register extracts in their published layouts: NHS ODS and ONS area lookups.

Integrated-care data is keyed on these codes, so a study whose organisations carry them (its
``identifiers.csv``) can be joined with registers and area data. The extracts are read as
their publishers lay them out, so a researcher drops the downloaded file into the study's
``registers/`` folder unchanged:

- NHS ODS extracts (e.g. ``epraccur.csv`` for GP practices, ``etr.csv`` for NHS trusts) have
  no header; column 1 is the organisation code, column 2 its name.
- ONS lookups (e.g. sub-ICB location to ICB, 2022) have a header of ``XXnnCD, XXnnNM`` pairs
  (``LOC22CD,LOC22NM,ICB22CD,ICB22NM,...``): each pair is one level of area, and each area lies
  within the area of the next pair on the same row.

This module only reads them; :mod:`trustkg.load.registers` turns them into triples.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import TableError
from ..core.limits import check_size

ODS_CODE = re.compile(r"[A-Z0-9]{3,6}")
GSS_CODE = re.compile(r"[EWSNK]\d{8}")
_PAIR = re.compile(r"([A-Z]+\d{2})CD")


@dataclass(frozen=True)
class OdsEntry:
    code: str
    name: str


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    area_type: str  # the column prefix, e.g. LOC22
    within: str = ""  # code of the larger area on the same row


def _text(path: Path) -> str:
    check_size(path, what="the register")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return path.read_text(encoding="cp1252")  # older register extracts are Windows-1252


def read_ods(path: str | Path) -> list[OdsEntry]:
    """A header-less NHS ODS extract: code in column 1, name in column 2."""
    path = Path(path)
    out = []
    for line, cells in enumerate(csv.reader(io.StringIO(_text(path))), start=1):
        if not cells or not any(c.strip() for c in cells):
            continue
        if len(cells) < 2:
            raise TableError("an ODS row needs a code and a name", file=path, line=line)
        code, name = cells[0].strip(), cells[1].strip()
        if not ODS_CODE.fullmatch(code):
            raise TableError(
                f"{code!r} is not an ODS code (3-6 capitals or digits); an ODS extract has no "
                "header row",
                file=path,
                line=line,
                column=1,
            )
        out.append(OdsEntry(code, name))
    return out


def read_ons_lookup(path: str | Path) -> list[Area]:
    """An ONS lookup with ``XXnnCD,XXnnNM`` column pairs; each area once, first row wins."""
    path = Path(path)
    reader = csv.reader(io.StringIO(_text(path)))
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    levels = []
    for i, col in enumerate(header):
        m = _PAIR.fullmatch(col)
        if m and f"{m.group(1)}NM" in header:
            levels.append((m.group(1), i, header.index(f"{m.group(1)}NM")))
    if not levels:
        raise TableError(
            "not an ONS lookup: the header has no code/name column pair like LOC22CD,LOC22NM",
            file=path,
            line=1,
        )
    areas: dict[str, Area] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        codes = []
        for prefix, ci, ni in levels:
            code = cells[ci].strip() if ci < len(cells) else ""
            if not GSS_CODE.fullmatch(code):
                raise TableError(
                    f"{code!r} is not a GSS code (a letter and 8 digits)",
                    file=path,
                    line=line,
                    field=header[ci],
                )
            codes.append((code, cells[ni].strip() if ni < len(cells) else "", prefix))
        for k, (code, name, prefix) in enumerate(codes):
            within = codes[k + 1][0] if k + 1 < len(codes) else ""
            areas.setdefault(code, Area(code, name, prefix, within))
    return list(areas.values())


def is_ons_lookup(path: Path) -> bool:
    """ONS lookups have a header of code/name pairs; ODS extracts have none."""
    first = _text(path).split("\n", 1)[0]
    return bool(_PAIR.search(first)) and not ODS_CODE.fullmatch(first.split(",")[0].strip())
