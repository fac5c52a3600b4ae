"""Reading and writing RDF files: one table of formats by extension, for every command.

pyoxigraph does the parsing and serialising: it is fast, and its syntax errors carry the line
and column that trustkg passes on to the researcher.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..core import iris
from ..core.errors import TrustkgError
from ..core.limits import check_size

#: file extension → pyoxigraph format name
FORMATS = {
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".jsonld": "JSON_LD",
    ".json": "JSON_LD",
    ".owl": "RDF_XML",
    ".rdf": "RDF_XML",
    ".xml": "RDF_XML",
    ".n3": "N3",
}


def format_for(path: Path, name: str | None = None):
    """The pyoxigraph format named by ``name`` (e.g. ``turtle``) or by the file's extension."""
    import pyoxigraph

    fmt_name = name.upper().replace("-", "_") if name else FORMATS.get(path.suffix.lower())
    if fmt_name == "RDF/XML":
        fmt_name = "RDF_XML"
    if fmt_name is None or not hasattr(pyoxigraph.RdfFormat, fmt_name):
        raise TrustkgError(
            f"cannot tell the RDF format from the extension {path.suffix!r}: use one of "
            f"{', '.join(sorted(FORMATS))} (or --input-format when reading)",
            file=path,
        )
    return getattr(pyoxigraph.RdfFormat, fmt_name)


def parse_rdf_file(path: Path, input_format: str | None = None) -> bytes:
    """Parse any RDF file with pyoxigraph and return it as N-Quads.

    pyoxigraph reports the line and column of a syntax error, which this turns into a one-line
    message; the N-Quads are what rdflib then reads fastest.
    """
    import pyoxigraph

    fmt = format_for(path, input_format)
    if not path.is_file():
        raise TrustkgError("file not found", file=path)
    check_size(path, what="the RDF file")
    if fmt == pyoxigraph.RdfFormat.RDF_XML:
        refuse_entity_expansion(path)
    base = path.resolve().as_uri()
    try:
        quads = list(pyoxigraph.parse(path=str(path), format=fmt, base_iri=base))
    except SyntaxError as exc:
        raise _syntax_error(path, exc) from None
    except MemoryError:  # Oxigraph's cap on an expanding entity or literal
        raise TrustkgError(
            "refused: a value in the file expands beyond the parser's 16 MB limit", file=path
        ) from None
    return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS)


_DOCTYPE = re.compile(rb"<!DOCTYPE\b", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY\s+(%\s*)?([^\s>]+)\s*(SYSTEM\b|PUBLIC\b)?([^>]*)>", re.DOTALL)
_ENTITY_REF = re.compile(rb"&[A-Za-z_:][\w.:-]*;")
_EXTERNAL_DTD = re.compile(rb"<!DOCTYPE\s+[^\s\[>]+\s+(SYSTEM|PUBLIC)\b", re.IGNORECASE)


def refuse_entity_expansion(path: Path) -> None:
    """Refuse RDF/XML whose DTD could expand without bound or reach outside the file.

    Ontology editors write simple entities for namespaces (``<!ENTITY owl "http://…#">``), and
    those are read. An entity defined through other entities (the "billion laughs" pattern), a
    parameter entity, or an external entity or DTD is refused before parsing, naming its line.
    """
    with open(path, "rb") as fh:
        head = fh.read(1024 * 1024)  # a DTD comes before the root element
    start = _DOCTYPE.search(head)
    if not start:
        return
    external = _EXTERNAL_DTD.match(head, start.start())
    if external:
        _refuse(path, head, start.start(), "an external DTD")
    for m in _ENTITY.finditer(head, start.end()):
        if m.group(1):
            _refuse(path, head, m.start(), f"a parameter entity ({m.group(2).decode()})")
        if m.group(3):
            _refuse(path, head, m.start(), f"an external entity ({m.group(2).decode()})")
        if _ENTITY_REF.search(m.group(4)):
            name = m.group(2).decode()
            _refuse(path, head, m.start(), f"an entity built from other entities ({name})")


def _refuse(path: Path, head: bytes, at: int, what: str) -> None:
    line = head.count(b"\n", 0, at) + 1
    column = at - (head.rfind(b"\n", 0, at) + 1) + 1
    raise TrustkgError(
        f"refused: the XML declares {what}, which could expand without bound or read other "
        "files; trustkg reads only simple entities such as namespace abbreviations",
        file=path,
        line=line,
        column=column,
    )


def _syntax_error(path: Path, exc: SyntaxError) -> TrustkgError:
    """pyoxigraph says 'Parser error at line 4 between columns 1 and 13: <why>'; keep the why
    and move the place into the file:line:column prefix."""
    text = " ".join(str(exc).split())
    line = column = None
    m = re.search(r"at line (\d+) between columns (\d+)(?: and \d+)?", text) or re.search(
        r"at line (\d+) column (\d+)", text
    )
    if m:
        line, column = int(m.group(1)), int(m.group(2))
        text = text[m.end() :].lstrip(": ") or text
    text = re.sub(r"\s*\([^()]*, line \d+\)$", "", text)  # rdflib-style trailer, if any
    return TrustkgError(f"not valid RDF: {text}", file=path, line=line, column=column)


def export(quads: Sequence, path: Path) -> Path:
    """Write quads in the format the extension names.

    Formats without named graphs get the union of all graphs. The file is written beside its
    target and renamed into place, so an interrupted export never leaves half a file. Turtle
    and TriG hold no escaped prefixed names, which loaders misread (:func:`_export_prefixes`).
    RDF/XML cannot hold every character a literal may (see :func:`_xml_carriage_returns`).
    """
    import pyoxigraph

    fmt = format_for(path)
    data: Iterable = quads
    if not fmt.supports_datasets:
        data = dict.fromkeys(pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads)
    escape_cr = fmt == pyoxigraph.RdfFormat.RDF_XML and _xml_carriage_returns(quads, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        prefixes = _export_prefixes(fmt)
        pyoxigraph.serialize(data, str(tmp), fmt, prefixes=prefixes)
        turtle = fmt in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.TRIG)
        while turtle and prefixes and (escaped := _escaped_prefix(tmp, prefixes)):
            del prefixes[escaped]  # write that namespace's IRIs in full instead
            pyoxigraph.serialize(data, str(tmp), fmt, prefixes=prefixes)
        if escape_cr:
            _escape_carriage_returns(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


#: a backslash before a character only a prefixed name escapes (Turtle's PN_LOCAL_ESC, less the
#: ' that strings escape too): string literals escape only " \ ' and control characters
_NAME_ESCAPE = re.compile(rb"\\[_~.\-!$&()*+,;=/?#@%]")
_TOKEN_START = re.compile(rb"[\s;,(\[{^]")


def _escaped_prefix(path: Path, prefixes: dict[str, str]) -> str | None:
    """The first prefix that the Turtle or TriG file at ``path`` writes with an escaped
    character in a local name (``tkd:li2018\\/participant\\/N3-P08``), or None.

    Such names are valid Turtle, but loaders misread them: Virtuoso 7.2.5's (TTLP, its bulk
    loader, its Graph Store Protocol) keeps the backslash in the IRI. A match inside a string
    literal (a verbatim backslash before a slash) names no prefix and is passed over.
    """
    import mmap

    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size == 0:
            return None
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as text:
            at = 0
            while m := _NAME_ESCAPE.search(text, at):
                head = bytes(text[max(0, m.start() - 4096) : m.start()])
                token = _TOKEN_START.split(head)[-1]
                name = token.split(b":", 1)[0].decode("utf-8", "replace")
                if b":" in token and name in prefixes:
                    return name
                at = m.end()
    return None


#: characters XML 1.0 cannot hold at all, not even as a character reference
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_carriage_returns(quads: Iterable, path: Path) -> bool:
    """Refuse a graph RDF/XML cannot hold; say whether a literal holds a carriage return.

    A control character such as U+0001 in a verbatim text is kept by every other format, but
    XML 1.0 has no way to write it: pyoxigraph writes it as is, and the file is then not XML
    that any other tool reads. Better one line saying so than a broken file.
    """
    import pyoxigraph

    carriage_return = False
    for q in quads:
        o = q.object
        if isinstance(o, pyoxigraph.Literal):
            bad = _NOT_XML.search(o.value)
            if bad:
                raise TrustkgError(
                    f"RDF/XML cannot hold the character U+{ord(bad.group()):04X} found in a "
                    f"literal of {q.subject}: export as .ttl, .nt or .jsonld, which keep it",
                    file=path,
                )
            carriage_return = carriage_return or "\r" in o.value
    return carriage_return


def _escape_carriage_returns(path: Path) -> None:
    """pyoxigraph writes a literal's carriage return as is, and every XML parser reads a raw CR
    as a line feed (XML's end-of-line handling): written as ``&#13;`` it survives. A CR byte is
    never part of a longer UTF-8 sequence, and RDF/XML has no raw CR outside literals."""
    fixed = path.with_name(path.name + ".cr")
    try:
        with open(path, "rb") as src, open(fixed, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk.replace(b"\r", b"&#13;"))
        os.replace(fixed, path)
    finally:
        fixed.unlink(missing_ok=True)


def _export_prefixes(fmt) -> dict[str, str] | None:
    """The prefixes a Turtle, TriG or RDF/XML export starts from.

    Data IRIs are written in full (``<https://w3id.org/trustkg/data/li2018/participant/N3-P08>``):
    their local part holds slashes, which a prefixed name can hold only escaped
    (:func:`_escaped_prefix`). The vocabularies keep their prefixes (``tk:Quotation``), unless
    an IRI under one of them would need an escape too. RDF/XML uses prefixes only for element
    names, where no escape exists, so it keeps them all.
    """
    import pyoxigraph

    if fmt == pyoxigraph.RdfFormat.RDF_XML:
        return dict(iris.PREFIXES)
    if fmt in (pyoxigraph.RdfFormat.TURTLE, pyoxigraph.RdfFormat.TRIG):
        return {p: ns for p, ns in iris.PREFIXES.items() if ns != iris.DATA}
    return None
