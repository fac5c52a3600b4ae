"""Write the framework as a codebook a QDA tool imports: REFI-QDA ``.qdc`` or Taguette's CSV.

The REFI-QDA codebook (``urn:QDA-XML:codebook:1.0``) is what NVivo, ATLAS.ti, MAXQDA and
QualCoder import: nested ``<Code>`` elements with a GUID, a name, ``isCodable``, a colour and a
``<Description>``. Taguette imports only a CSV codebook (a ``path`` and a ``description``
column); what it needs, measured on Taguette 1.5.2 (see docs/qda-tools.md):

- a UTF-8 byte-order mark, or its character-set guesser reads UTF-8 as Windows-1252 ("—"
  becomes "â€”");
- paths of at most 200 characters (longer ones are cut at a word, with an ellipsis);
- one-line descriptions (its confirmation form drops line breaks);
- no group that cannot be coded (Taguette has none): a group's name stays the start of its
  members' paths, and Taguette's highlight view filters by that prefix.

>>> from trustkg.sources.framework import bundled, framework_codes
>>> data = qdc_bytes(framework_codes([bundled("li2018")], include=("asymmetries",)))
>>> b'name="knowledge asymmetry" isCodable="true" color="#D62728"' in data
True
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.etree import ElementTree as ET

from ..core.atomic import write_file
from ..core.errors import TrustkgError
from ..core.version import __version__
from .framework import FrameworkCode, csv_paths, framework_codes, read_framework_studies

NS = "urn:QDA-XML:codebook:1.0"
FORMATS = ("qdc", "csv")


def qdc_bytes(codes: list[FrameworkCode], origin: str = f"trustkg {__version__}") -> bytes:
    """The codebook as REFI-QDA XML (valid against Codebook.xsd 1.0; no empty ``<Sets/>``)."""
    if not codes:
        raise TrustkgError("nothing to export: the chosen studies and parts hold no codes")
    # unqualified names with the namespace declared on the root: ElementTree (3.11) will not
    # write a default namespace beside unqualified attribute names
    root = ET.Element("CodeBook", {"xmlns": NS, "origin": origin})
    codes_el = ET.SubElement(root, "Codes")
    elements: dict[str, ET.Element] = {}
    for c in codes:  # parents come first
        attrs = {"guid": c.guid, "name": c.name, "isCodable": "true" if c.codable else "false"}
        if c.colour:
            attrs["color"] = c.colour
        parent = elements.get(c.parent, codes_el)
        el = ET.SubElement(parent, "Code", attrs)
        if c.description:
            ET.SubElement(el, "Description").text = c.description
        elements[c.iri] = el
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def csv_bytes(codes: list[FrameworkCode]) -> bytes:
    """The codebook as Taguette's CSV: ``path,description``, UTF-8 with a byte-order mark."""
    paths = csv_paths(codes)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["path", "description"])
    rows = [(paths[c.iri], " ".join(c.description.split())) for c in codes if c.codable]
    if not rows:
        raise TrustkgError("nothing to export: the chosen studies and parts hold no codable code")
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")


def export_codebook(
    out: str | Path,
    studies: list[str] | tuple[str, ...] = (),
    include: list[str] | tuple[str, ...] | None = None,
    fmt: str | None = None,
) -> tuple[int, Path]:
    """Write the framework of ``studies`` (bundled ids or study folders; all bundled studies
    when empty) to ``out``, as ``.qdc`` or ``.csv`` (from ``fmt`` or the file's suffix).
    Returns (codes written, path)."""
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise TrustkgError(
            "cannot tell the codebook format: name the file .qdc (REFI-QDA: NVivo, ATLAS.ti, "
            "MAXQDA, QualCoder) or .csv (Taguette, spreadsheets), or give --format",
            file=out,
        )
    codes = framework_codes(read_framework_studies(studies), include)
    data = qdc_bytes(codes) if fmt == "qdc" else csv_bytes(codes)
    write_file(out, data)
    return (len(codes) if fmt == "qdc" else sum(c.codable for c in codes)), out
