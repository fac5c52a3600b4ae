"""Read a REFI-QDA codebook (``.qdc``), project (``.qdpx`` zip) or bare project (``.qde``).

REFI-QDA is the exchange standard of NVivo, ATLAS.ti, MAXQDA, QualCoder and Taguette. This
module only reads: it turns the XML into plain dataclasses that :mod:`trustkg.refiqda_tables`
writes as a study's source tables. The files come from other people's machines, so the XML is
parsed with defusedxml (a DOCTYPE, and with it every entity, is refused before anything is
expanded) and the zip members are size-checked before they are read. Real exports deviate from
the schema in known ways (a byte-order mark, CRLF, an empty ``<Sets/>``, GUIDs in braces or upper
case, an inner ``.qde`` not called ``project.qde``): those are tolerated; anything that is not
REFI-QDA at all is refused with one line naming the file.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from ..core.errors import TrustkgError
from ..core.limits import check_size

_NAMESPACES = ("urn:QDA-XML:project:", "urn:QDA-XML:codebook:")


class RefiError(TrustkgError):
    """A file that is not a readable REFI-QDA codebook or project."""


@dataclass
class Coding:
    guid: str
    code: str  # code GUID
    user: str = ""  # user GUID
    created: str = ""


@dataclass
class Selection:
    guid: str
    source: str  # source GUID
    kind: str  # text, pdf, picture, audio, video, transcript
    name: str = ""
    start: int | None = None
    end: int | None = None
    text: str | None = None  # None: the words are not available in the file read
    locator: str = ""  # page/coordinates or times, for selections that are not character spans
    user: str = ""
    created: str = ""
    codings: list[Coding] = field(default_factory=list)


@dataclass
class Source:
    guid: str
    name: str
    kind: str
    path: str = ""
    text: str | None = None
    user: str = ""
    created: str = ""


@dataclass
class Code:
    guid: str
    name: str
    parent: str = ""  # parent code GUID
    codable: bool = True
    color: str = ""
    description: str = ""


@dataclass
class Case:
    guid: str
    name: str
    description: str = ""
    values: list[tuple[str, str, str]] = field(default_factory=list)  # (variable, value, type)
    members: list[str] = field(default_factory=list)  # GUIDs of codes, sources, selections


@dataclass
class Note:
    guid: str
    name: str
    text: str = ""
    user: str = ""
    created: str = ""
    targets: list[str] = field(default_factory=list)  # GUIDs the note is about ("" = project)


@dataclass
class CodeSet:
    guid: str
    name: str
    description: str = ""
    members: list[str] = field(default_factory=list)


@dataclass
class RefiProject:
    """Everything trustkg keeps from one REFI-QDA file, in document order."""

    file: str
    kind: str  # codebook or project
    name: str = ""
    origin: str = ""
    exchange: str = "REFI-QDA"  # the format read: REFI-QDA, or Taguette's own project file
    description: str = ""  # the project's own description, when the format has one
    users: list[tuple[str, str]] = field(default_factory=list)  # (guid, name)
    codes: list[Code] = field(default_factory=list)
    variables: list[tuple[str, str, str]] = field(default_factory=list)  # (guid, name, type)
    cases: list[Case] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    selections: list[Selection] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    sets: list[CodeSet] = field(default_factory=list)

    def depth(self) -> int:
        """How deep the code tree nests (1 = flat); counted without recursion, since a file may
        nest codes deeper than Python recurses."""
        parent = {c.guid: c.parent for c in self.codes}
        levels: dict[str, int] = {}
        for code in self.codes:
            chain, g = [], code.guid
            while g and g not in levels and g not in chain:  # up to a code already counted
                chain.append(g)
                g = parent.get(g, "")
            above = levels.get(g, 0)
            for n, g in enumerate(reversed(chain), start=1):
                levels[g] = above + n
        return max(levels.values(), default=0)


def guid(value: str | None) -> str:
    """A GUID as trustkg keeps it: without braces, lower case (exports differ in both)."""
    return (value or "").strip().strip("{}").lower()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el: Element, name: str) -> list[Element]:
    return [c for c in el if _local(c.tag) == name]


def _child(el: Element, name: str) -> Element | None:
    found = _children(el, name)
    return found[0] if found else None


def _text(el: Element, name: str) -> str:
    child = _child(el, name)
    return (child.text or "").strip() if child is not None else ""


def parse_xml(data: bytes, file: str) -> Element:
    """Parse untrusted XML: DTDs (so entity bombs and external entities) are refused."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise RefiError(
            "refused: the XML declares a DTD or entities, which REFI-QDA never needs "
            "(a guard against entity-expansion and external-entity attacks)",
            file=file,
        ) from None
    except ParseError as exc:
        raise RefiError(f"not well-formed XML: {exc}", file=file) from None


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, file: str) -> bytes:
    check_size(f"{file}!{info.filename}", info.file_size, what="unpacked, it")
    return zf.read(info)


def read(path: str | Path) -> RefiProject:
    """Read a ``.qdc``, ``.qdpx`` or ``.qde`` file.

    Raises :class:`RefiError` (one line, naming the file) for a broken zip, a zip without a
    ``.qde``, XML that is not REFI-QDA, or XML with a DTD.
    """
    path = Path(path)
    if not path.is_file():
        raise RefiError("file not found", file=path)
    if zipfile.is_zipfile(path) or path.suffix.lower() == ".qdpx":
        return _read_qdpx(path)
    check_size(path, what="the project file")
    return parse(path.read_bytes(), path.name)


def _read_qdpx(path: Path) -> RefiProject:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            qdes = [i for i in infos if i.filename.lower().endswith(".qde")]
            if not qdes:
                raise RefiError("the .qdpx archive holds no .qde project file", file=path)
            # The standard says project.qde; ATLAS.ti and others use another name.
            qde = next((i for i in qdes if Path(i.filename).name == "project.qde"), qdes[0])
            project = parse(_read_member(zf, qde, str(path)), path.name)
            texts = {
                Path(i.filename).name.lower(): i
                for i in infos
                if Path(i.filename).parent.name.lower() == "sources"
            }
            for source in project.sources:
                if source.text is None and source.path.lower().startswith("internal://"):
                    info = texts.get(source.path[len("internal://") :].lower())
                    if info is not None and source.kind in ("text", "transcript"):
                        raw = _read_member(zf, info, str(path))
                        source.text = raw.decode("utf-8-sig", errors="replace")
    except zipfile.BadZipFile as exc:
        raise RefiError(f"not a readable .qdpx (zip) archive: {exc}", file=path) from None
    _fill_texts(project)
    return project


def parse(data: bytes, file: str) -> RefiProject:
    """Parse the XML of a codebook or project already in memory."""
    root = parse_xml(data, file)
    ns = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    name = _local(root.tag)
    if name not in ("Project", "CodeBook") or not ns.startswith(_NAMESPACES):
        raise RefiError(
            f"not a REFI-QDA file: the root element is {name!r} in namespace {ns or 'none'!r}, "
            "expected Project or CodeBook in urn:QDA-XML:project/codebook",
            file=file,
        )
    project = RefiProject(
        file=file,
        kind="project" if name == "Project" else "codebook",
        name=root.get("name", ""),
        origin=root.get("origin", ""),
    )
    codes_parent = root if name == "CodeBook" else _child(root, "CodeBook")
    if codes_parent is not None:
        for codes in _children(codes_parent, "Codes"):
            _codes(codes, "", project)
        _sets(codes_parent, project)
    if name == "Project":
        _project(root, project)
    _check_guids(project)
    _fill_texts(project)
    return project


def _check_guids(project: RefiProject) -> None:
    """Every element trustkg keeps is found again by its GUID: each must have its own."""
    seen: set[str] = set()
    groups = (
        ("user", [g for g, _ in project.users]),
        ("code", [c.guid for c in project.codes]),
        ("variable", [g for g, _, _ in project.variables]),
        ("source", [s.guid for s in project.sources]),
        ("selection", [s.guid for s in project.selections]),
        ("case", [c.guid for c in project.cases]),
        ("note", [n.guid for n in project.notes]),
        ("set", [s.guid for s in project.sets]),
    )
    for kind, guids in groups:
        for g in guids:
            if not g:
                raise RefiError(f"a {kind} has no guid attribute", file=project.file)
            if g in seen:
                raise RefiError(f"GUID {g} is used by two elements ({kind})", file=project.file)
            seen.add(g)


def _codes(el: Element, parent: str, project: RefiProject) -> None:
    """The codes under ``el``, in document order (each before the codes inside it).

    A loop with its own stack rather than recursion: a hostile (or strange) file may nest codes
    deeper than Python recurses, which stopped the import with a RecursionError.
    """
    stack = [(c, parent) for c in reversed(_children(el, "Code"))]
    while stack:
        c, above = stack.pop()
        code = Code(
            guid=guid(c.get("guid")),
            name=c.get("name", ""),
            parent=above,
            codable=c.get("isCodable", "true").strip().lower() != "false",
            color=c.get("color", ""),
            description=_text(c, "Description"),
        )
        project.codes.append(code)
        stack.extend((child, code.guid) for child in reversed(_children(c, "Code")))


def _sets(el: Element, project: RefiProject) -> None:
    for sets in _children(el, "Sets"):  # Taguette writes an empty <Sets/>: nothing to read
        for s in _children(sets, "Set"):
            members = [
                guid(m.get("targetGUID"))
                for m in s
                if _local(m.tag) in ("MemberCode", "MemberSource")
            ]
            project.sets.append(
                CodeSet(guid(s.get("guid")), s.get("name", ""), _text(s, "Description"), members)
            )


def _project(root: Element, project: RefiProject) -> None:
    for users in _children(root, "Users"):
        project.users += [
            (guid(u.get("guid")), u.get("name", "")) for u in _children(users, "User")
        ]
    for variables in _children(root, "Variables"):
        project.variables += [
            (guid(v.get("guid")), v.get("name", ""), _variable_type(v, project.file))
            for v in _children(variables, "Variable")
        ]
    for cases in _children(root, "Cases"):
        for c in _children(cases, "Case"):
            case = Case(guid(c.get("guid")), c.get("name", ""), _text(c, "Description"))
            for vv in _children(c, "VariableValue"):
                ref = _child(vv, "VariableRef")
                value = next((x for x in vv if _local(x.tag).endswith("Value")), None)
                if ref is not None and value is not None:
                    kind = _local(value.tag).removesuffix("Value")
                    variable = guid(ref.get("targetGUID"))
                    if any(variable == v for v, _, _ in case.values):
                        raise RefiError(
                            f"case {case.guid} gives variable {variable or '(no guid)'} two "
                            "values: keep one in the QDA tool and export again",
                            file=project.file,
                        )
                    case.values.append((variable, value.text or "", kind))
            case.members = [
                guid(r.get("targetGUID"))
                for r in c
                if _local(r.tag) in ("CodeRef", "SourceRef", "SelectionRef")
            ]
            project.cases.append(case)
    for sources in _children(root, "Sources"):
        for s in sources:
            _source(s, project)
    for notes in _children(root, "Notes"):
        for n in _children(notes, "Note"):
            project.notes.append(
                Note(
                    guid(n.get("guid")),
                    n.get("name", ""),
                    _text(n, "PlainTextContent"),
                    guid(n.get("creatingUser")),
                    n.get("creationDateTime", ""),
                )
            )
    about = {n.guid: n for n in project.notes}
    for links in _children(root, "Links"):  # a memo linked to what it is about
        for link in _children(links, "Link"):
            origin, target = guid(link.get("originGUID")), guid(link.get("targetGUID"))
            if origin in about:
                about[origin].targets.append(target)
    for ref in _children(root, "NoteRef"):  # a project-level memo
        note = about.get(guid(ref.get("targetGUID")))
        if note is not None and "" not in note.targets:
            note.targets.append("")
    _sets(root, project)


def _variable_type(el: Element, file: str) -> str:
    """The variable's type as REFI-QDA spells it (the ontology's tk:ValueTypeScheme, which
    variables.csv allows); missing or empty reads as Text, and a tool that writes ``integer``
    is understood."""
    from ..core.codelists import notations

    raw = el.get("typeOfVariable", "").strip()
    if not raw:
        return "Text"
    for known in notations("ValueTypeScheme"):
        if raw.lower() == known.lower():
            return known
    raise RefiError(
        f"variable {guid(el.get('guid')) or '(no guid)'} has typeOfVariable {raw!r}; REFI-QDA "
        f"allows {', '.join(notations('ValueTypeScheme'))}",
        file=file,
    )


_SOURCE_KINDS = {
    "TextSource": "text",
    "PDFSource": "pdf",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}


def _source(el: Element, project: RefiProject) -> None:
    kind = _SOURCE_KINDS.get(_local(el.tag))
    if kind is None:
        return
    source = Source(
        guid=guid(el.get("guid")),
        name=el.get("name", ""),
        kind=kind,
        path=el.get("plainTextPath") or el.get("path", ""),
        user=guid(el.get("creatingUser")),
        created=el.get("creationDateTime", ""),
    )
    inline = _child(el, "PlainTextContent")
    if inline is not None:
        source.text = inline.text or ""
    project.sources.append(source)
    for sel in el:
        tag = _local(sel.tag)
        if tag == "PlainTextSelection":
            s = _selection(sel, source.guid, "text")
            s.start = _position(sel, "startPosition", s.guid, project.file)
            s.end = _position(sel, "endPosition", s.guid, project.file)
        elif tag == "PDFSelection":
            s = _selection(sel, source.guid, "pdf")
            s.locator = (
                f"page {sel.get('page', '')}, ({sel.get('firstX')},{sel.get('firstY')})-"
                f"({sel.get('secondX')},{sel.get('secondY')})"
            )
            rep = _child(sel, "Representation")
            if rep is not None and _child(rep, "PlainTextContent") is not None:
                s.text = _text(rep, "PlainTextContent")  # the words, as the file gives them
        elif tag == "PictureSelection":
            s = _selection(sel, source.guid, "picture")
            s.locator = (
                f"({sel.get('firstX')},{sel.get('firstY')})-({sel.get('secondX')},"
                f"{sel.get('secondY')})"
            )
        elif tag in ("AudioSelection", "VideoSelection"):
            s = _selection(sel, source.guid, kind)
            s.locator = f"{sel.get('begin')}-{sel.get('end')} ms"
        elif tag == "Transcript":
            for t in _children(sel, "TranscriptSelection"):
                ts = _selection(t, source.guid, "transcript")
                ts.locator = f"transcript {guid(sel.get('guid'))}"
                project.selections.append(ts)
            continue
        else:
            continue
        project.selections.append(s)


def _position(el: Element, name: str, selection: str, file: str) -> int:
    """A character position: a whole number, 0 or more (missing reads as 0, as before).

    Anything else would either stop the import with a bare ValueError or be written into
    segments.csv, which trustkg's own table check then refuses, naming a file the researcher
    never wrote; the place to say so is the REFI-QDA file.
    """
    raw = el.get(name, "0")
    if not re.fullmatch(r"\+?[0-9]+", raw.strip()):
        raise RefiError(
            f"selection {selection or '(no guid)'}: {name} {raw!r} is not a character position "
            "(a whole number, 0 or more)",
            file=file,
        )
    return int(raw.strip())


def _selection(el: Element, source: str, kind: str) -> Selection:
    sel = Selection(
        guid=guid(el.get("guid")),
        source=source,
        kind=kind,
        name=el.get("name", ""),
        user=guid(el.get("creatingUser")),
        created=el.get("creationDateTime", ""),
    )
    for c in _children(el, "Coding"):
        ref = _child(c, "CodeRef")
        if ref is not None:
            sel.codings.append(
                Coding(
                    guid(c.get("guid")),
                    guid(ref.get("targetGUID")),
                    guid(c.get("creatingUser")),
                    c.get("creationDateTime", ""),
                )
            )
    return sel


def _fill_texts(project: RefiProject) -> None:
    """A character span gets its words from its source's plain text, when the file has it."""
    texts = {s.guid: s.text for s in project.sources}
    for sel in project.selections:
        text = texts.get(sel.source)
        if sel.kind == "text" and sel.text is None and text is not None and sel.end is not None:
            sel.text = text[sel.start : sel.end]
