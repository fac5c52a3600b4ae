"""Read a Taguette project file (what Taguette's "Export project" downloads: SQLite 3).

Taguette (https://www.taguette.org) exports no REFI-QDA project, only its own database holding
one project. This module reads that file into the same :class:`~.refiqda.RefiProject` the
REFI-QDA reader gives, so the study tables, recognition and loading are shared:

- tags become codes; a tag's path is its only structure, so a tag whose path starts with another
  tag's path and ``/`` is nested under that tag (Taguette's own highlight view groups tags by
  that prefix) and named by the rest of its path;
- documents become text sources, their HTML turned into plain text
  (:mod:`.taguette_html`); a document's description becomes a note about it;
- highlights become segments, Taguette's UTF-8 byte offsets turned into code point positions
  (the byte offsets are kept as the segment's locator), and each highlight's tags its codings,
  dated by Taguette's command log. Every highlight's words must be Taguette's own snippet of the
  document at those offsets, or the file is refused: a highlight's text is always found verbatim
  in its document.

Taguette's ids change at every export, so GUIDs are derived from what does not change: a tag's
path (the GUID Taguette's own ``.qdc`` export gives it), a document's creation time and file
name, a highlight's document and offsets. The export attributes everything to one user, so no
coder is recorded: the researcher who imports answers for the codings.

The file is opened read-only with SQLite's defences for untrusted databases; anything but a
project file of the supported schema is refused in one line.
"""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from pathlib import Path

from ..core.errors import TrustkgError
from ..core.limits import check_size
from .refiqda import Code, Coding, Note, RefiProject, Selection, Source
from .taguette_html import DocumentText, html_text

SQLITE_MAGIC = b"SQLite format 3\x00"
#: PRAGMA application_id Taguette sets on its databases ("Tgtt"), since 2018
APPLICATION_ID = 0x54677474
#: the alembic head of Taguette 1.4.0 to 1.5.2, the schema this reader knows
SUPPORTED = "db5e31a0233d"
SUPPORTED_RELEASES = "1.4.0-1.5.2"
#: older alembic heads → the Taguette releases whose files carry them
OLDER = {
    "09c662cd9483": "1.2.0-1.3.0",
    "e4cf92942271": "1.2 (development)",
    "491de2dc7cd7": "1.2 (development)",
    "d86c45d7aa8a": "1.1",
    "43d6c240309d": "1.0",
    "bc8e0e0677e9": "0.11",
    "ecb4065de575": "0.11 (development)",
    "807c0cc0ecf6": "0.10",
    "b23f3b7a638e": "0.9.1-0.9.2",
    "91ade71ccf4d": "0.7-0.9",
    "bce44849c2f2": "0.6",
    "447d636f72c5": "0.5",
    "80b1cc9d4c22": "0.5 (development)",
    "679f625e6e6a": "0.4.1-0.5a0",
    "dd37d9027a24": "0.4",
    "e4e090a5b511": "0.3",
    "6489b5f9cfb5": "1.4 (development)",
    "382db36f20f4": "1.4 (development)",
}
TABLES = frozenset(
    "alembic_version projects documents tags highlights highlight_tags commands users "
    "project_members".split()
)
#: Taguette's namespace for the GUIDs of its .qdc export: uuid5(TAGUETTE_NS, tag path)
TAGUETTE_NS = uuid.UUID("51B2B2B7-27EB-4ECB-9D56-E75B0A0496C2")
#: trustkg's namespace for the GUIDs of Taguette's documents, highlights and codings
TRUSTKG_NS = uuid.uuid5(uuid.NAMESPACE_URL, "https://w3id.org/trustkg/taguette")


class TaguetteError(TrustkgError):
    """A file that is not a readable Taguette project file of the supported schema."""


def tag_guid(path: str) -> str:
    """The GUID Taguette's own codebook export gives a tag (lower case, as trustkg keeps it).

    >>> tag_guid("interesting")
    '0d62985d-b147-5d01-a9b5-cae5dcd98342'
    """
    return str(uuid.uuid5(TAGUETTE_NS, path))


def _guid(name: str) -> str:
    return str(uuid.uuid5(TRUSTKG_NS, name))


def _iso(value: str | None) -> str:
    """Taguette's dates (naive UTC, ``YYYY-MM-DD HH:MM:SS.ffffff``) in ISO 8601 with ``Z``."""
    if not value:
        return ""
    text = str(value).strip().replace(" ", "T", 1)
    return text + "Z" if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?", text) else text


def open_project_file(path: str | Path) -> sqlite3.Connection:
    """Open a Taguette project file read-only, or refuse it in one line."""
    path = Path(path)
    if not path.is_file():
        raise TaguetteError("file not found", file=path)
    check_size(path, what="the project file")
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        raise TaguetteError(f"cannot read: {exc.strerror or exc}", file=path) from None
    if not head.startswith(SQLITE_MAGIC):
        raise TaguetteError(
            "not a Taguette project file: not an SQLite database (in Taguette, open the "
            "project and use 'Export project')",
            file=path,
        )
    app_id = int.from_bytes(head[68:72], "big")  # read from the header, before SQLite runs
    try:
        db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise TaguetteError(f"cannot open the SQLite database: {exc}", file=path) from None
    try:
        # the defences Taguette itself uses on a project file it imports
        db.execute("PRAGMA trusted_schema=OFF")
        db.execute("PRAGMA cell_size_check=ON")
        db.execute("PRAGMA mmap_size=0")
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        db.close()
        raise TaguetteError(
            f"not a Taguette project file: a damaged SQLite database ({exc})", file=path
        ) from None
    missing = sorted(TABLES - tables)
    if app_id != APPLICATION_ID or missing:
        db.close()
        raise TaguetteError(
            "not a Taguette project file: an SQLite database without Taguette's application id "
            f"or tables (missing: {', '.join(missing) or 'none'})",
            file=path,
        )
    versions = [r[0] for r in db.execute("SELECT version_num FROM alembic_version")]
    if versions != [SUPPORTED]:
        db.close()
        version = versions[0] if len(versions) == 1 else ", ".join(versions) or "none"
        if version in OLDER:
            raise TaguetteError(
                f"Taguette database schema {version} (Taguette {OLDER[version]}) is older than "
                f"the supported {SUPPORTED} (Taguette {SUPPORTED_RELEASES}): import the file "
                "into Taguette 1.5 ('Import a project file' on its home page), then use "
                "'Export project' again",
                file=path,
            )
        raise TaguetteError(
            f"unknown Taguette database schema {version} (trustkg reads {SUPPORTED}, Taguette "
            f"{SUPPORTED_RELEASES}); a newer Taguette may have written it",
            file=path,
        )
    return db


def read(path: str | Path, project_id: int | None = None) -> RefiProject:
    """Read one project of a Taguette project file (``project_id``: which one, when the file
    holds several, as Taguette's own database does)."""
    path = Path(path)
    db = open_project_file(path)
    try:
        return _read(db, path, project_id)
    except sqlite3.DatabaseError as exc:
        raise TaguetteError(f"cannot read the Taguette project file: {exc}", file=path) from None
    finally:
        db.close()


def _read(db: sqlite3.Connection, path: Path, project_id: int | None) -> RefiProject:
    f = path.name
    projects = db.execute("SELECT id, name, description FROM projects ORDER BY id").fetchall()
    if not projects:
        raise TaguetteError("the Taguette file holds no project", file=path)
    if project_id is None and len(projects) > 1:
        listed = ", ".join(f"{p[0]} {p[1]!r}" for p in projects)
        raise TaguetteError(
            f"holds {len(projects)} projects ({listed}): choose one with --project ID", file=path
        )
    row = (
        projects[0]
        if project_id is None
        else next((p for p in projects if p[0] == project_id), None)
    )
    if row is None:
        raise TaguetteError(f"holds no project {project_id}", file=path)
    pid = row[0]
    project = RefiProject(
        file=f,
        kind="project file",
        name=row[1] or "",
        origin=f"Taguette {SUPPORTED_RELEASES} (schema {SUPPORTED})",
        exchange="Taguette",
        description=row[2] or "",
    )
    tag_rows = db.execute(
        "SELECT id, path, description FROM tags WHERE project_id = ?", (pid,)
    ).fetchall()
    tags = _tags(project, tag_rows)
    documents = _documents(db, project, pid)
    _highlights(db, project, pid, documents, tags)
    return project


def _tags(project: RefiProject, rows: list[tuple]) -> dict[int, str]:
    """Codes from tags, nested by path prefix; returns Taguette tag id → code GUID."""
    by_path = {p: (tid, d or "") for tid, p, d in rows}
    guids: dict[int, str] = {}
    for tag_path in sorted(by_path):  # a prefix sorts before the paths it starts
        tid, description = by_path[tag_path]
        parent = max(
            (p for p in by_path if p != tag_path and tag_path.startswith(p + "/")),
            key=len,
            default="",
        )
        name = tag_path[len(parent) + 1 :] if parent else tag_path
        project.codes.append(
            Code(
                tag_guid(tag_path),
                name,
                parent=tag_guid(parent) if parent else "",
                description=description,
            )
        )
        guids[tid] = tag_guid(tag_path)
    return guids


def _documents(
    db: sqlite3.Connection, project: RefiProject, pid: int
) -> dict[int, tuple[Source, DocumentText]]:
    out: dict[int, tuple[Source, DocumentText]] = {}
    seen: set[str] = set()
    for did, name, description, filename, created, contents in db.execute(
        "SELECT id, name, description, filename, created, contents FROM documents "
        "WHERE project_id = ? ORDER BY id",
        (pid,),
    ):
        key, n = f"document:{created}|{filename}", 1
        while _guid(key if n == 1 else f"{key}#{n}") in seen:
            n += 1
        guid = _guid(key if n == 1 else f"{key}#{n}")
        seen.add(guid)
        text = DocumentText(contents or "")
        source = Source(
            guid, name or "", "text", path=filename or "", text=text.text, created=_iso(created)
        )
        project.sources.append(source)
        if (description or "").strip():
            project.notes.append(
                Note(
                    _guid(f"{guid}:description"),
                    f"Description of document {name}",
                    description,
                    targets=[guid],
                )
            )
        out[did] = (source, text)
    return out


def _coding_dates(db: sqlite3.Connection, pid: int) -> dict[int, tuple[str, str]]:
    """Highlight id → (first, last) date of its ``highlight_add`` commands."""
    dates: dict[int, tuple[str, str]] = {}
    for date, payload in db.execute(
        "SELECT date, payload FROM commands WHERE project_id = ? ORDER BY id", (pid,)
    ):
        try:
            cmd = json.loads(payload or "{}")
        except ValueError:
            continue
        if isinstance(cmd, dict) and cmd.get("type") == "highlight_add":
            hid = cmd.get("highlight_id")
            if isinstance(hid, int):
                first = dates.get(hid, (str(date), str(date)))[0]
                dates[hid] = (first, str(date))
    return dates


def _highlights(
    db: sqlite3.Connection,
    project: RefiProject,
    pid: int,
    documents: dict[int, tuple[Source, DocumentText]],
    tags: dict[int, str],
) -> None:
    dates = _coding_dates(db, pid)
    tagged: dict[int, list[int]] = {}
    for hid, tid in db.execute(
        "SELECT ht.highlight_id, ht.tag_id FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id "
        "WHERE t.project_id = ? ORDER BY ht.highlight_id, ht.tag_id",
        (pid,),
    ):
        tagged.setdefault(hid, []).append(tid)
    seen: set[str] = set()
    for hid, did, start, end, snippet in db.execute(
        "SELECT h.id, h.document_id, h.start_offset, h.end_offset, h.snippet FROM highlights h "
        "JOIN documents d ON d.id = h.document_id WHERE d.project_id = ? "
        "ORDER BY h.document_id, h.start_offset, h.end_offset, h.id",
        (pid,),
    ):
        source, text = documents[did]
        where = f"highlight {hid} (document {source.name!r}, bytes {start}-{end})"
        try:
            words = text.raw_slice(start, end)
            first, last = text.span(start, end)
        except (TypeError, ValueError) as exc:
            raise TaguetteError(f"{where}: {exc}", file=project.file) from None
        if words != html_text(snippet or "") or text.text[first:last].replace("\n", "") != (
            words.replace("\n", "")
        ):
            raise TaguetteError(
                f"{where}: Taguette's snippet of the highlight is not the document's text at "
                "those offsets; the file is inconsistent",
                file=project.file,
            )
        key, n = f"{source.guid}:{start}:{end}", 1
        while _guid(key if n == 1 else f"{key}#{n}") in seen:
            n += 1
        guid = _guid(key if n == 1 else f"{key}#{n}")
        seen.add(guid)
        created, coded = dates.get(hid, ("", ""))
        selection = Selection(
            guid,
            source.guid,
            "text",
            start=first,
            end=last,
            text=text.text[first:last],
            locator=f"Taguette bytes {start}-{end}",
            created=_iso(created),
        )
        for tid in tagged.get(hid, []):
            code = tags[tid]
            selection.codings.append(Coding(_guid(f"{guid}:{code}"), code, "", _iso(coded)))
        project.selections.append(selection)
