"""The HTTP steps of a publish: SPARQL Update requests, uploads in pieces, staging clean-up.

Uploads go in pieces whatever the server: through the Graph Store Protocol as ``POST`` of at
most :data:`GSP_PIECE_TRIPLES` lines to the (new, empty) staging graph, or as SPARQL Update of
at most :data:`UPDATE_PIECE_BYTES` (and, on Virtuoso, at most 1,000 triples). One large ``PUT``
hung Virtuoso 7.2.5 (a 500,000-triple upload after two smaller ones, five times in five); posts
of 50,000 never did, and they cost Oxigraph nothing. Lines that name a blank node go together
in one piece, because a blank node label means the same node only within one request; that
piece goes as ``INSERT { … } WHERE { }``, since Virtuoso refuses blank nodes in ``INSERT DATA``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

from ..sparql.http import Client, HttpError
from ..sparql.remote import run_remote
from .servers import Server

STAGING_MARK = ".staging-"
#: lines of N-Triples in one Graph Store Protocol POST (about 5 MB)
GSP_PIECE_TRIPLES = 50_000
#: INSERT DATA requests are kept near this size when there is no Graph Store Protocol
UPDATE_PIECE_BYTES = 4_000_000


class StepError(Exception):
    """One HTTP step failed; the message is one line and holds no credentials. ``answered``
    tells whether the server sent a response (so it surely did not apply the request)."""

    def __init__(self, message: str, answered: bool = False) -> None:
        super().__init__(message)
        self.answered = answered


def _may_not_update(said: str) -> bool:
    """Virtuoso's answers to a user without the right to update: 500 ``SR186:SECURITY: No
    permission to execute procedure …`` (SPARQL) or 403 ``SQ110:SECURITY`` (Graph Store)."""
    return "SECURITY" in said or "No permission" in said


class Transfer:
    """The requests of one publish to one server, through one client (one login)."""

    def __init__(self, srv: Server, client: Client, timeout: float) -> None:
        self.srv = srv
        self.client = client
        self.timeout = timeout

    def _send(self, url: str, body: bytes, content_type: str, role: str, timeout=None) -> None:
        try:
            self.client.send(
                url, "POST", body, {"Content-Type": content_type}, timeout or self.timeout
            )
        except HttpError as exc:
            raise StepError(_explain(exc, role), answered=exc.answered) from None

    def update(self, text: str, timeout: float | None = None) -> None:
        """One SPARQL Update request."""
        self._send(
            self.srv.update, text.encode("utf-8"), "application/sparql-update", "update", timeout
        )

    def drop(self, graphs: list[str], timeout: float | None = None) -> None:
        if graphs:
            self.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs), timeout)

    def leftover_staging(self, base: str) -> list[str]:
        """Staging graphs an interrupted publish left under ``base``."""
        text = (
            f"SELECT DISTINCT ?g WHERE {{ {self.srv.profile.graphs_pattern} "
            f'FILTER(STRSTARTS(STR(?g), "{base}") && CONTAINS(STR(?g), "{STAGING_MARK}")) }}'
        )
        rows = run_remote(text, self.srv.endpoint, timeout=self.timeout).rows
        return [row["g"].value for row in rows]

    def upload(self, path: Path, graph: str) -> int:
        """Put an N-Triples file into the new graph ``graph``, in pieces; the number of
        requests it took."""
        sent = 0
        if self.srv.gsp:
            url = f"{self.srv.gsp}{'&' if '?' in self.srv.gsp else '?'}"
            url += urlencode({"graph": graph})
            for piece, _ in _pieces(path, GSP_PIECE_TRIPLES, None):
                self._send(url, "".join(piece).encode("utf-8"), "application/n-triples", "gsp")
                sent += 1
            return sent
        most = self.srv.profile.insert_triples
        for piece, blank in _pieces(path, most, UPDATE_PIECE_BYTES):
            body = "".join(piece)
            if not blank:
                self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}")
            elif most is not None and len(piece) > most:
                raise StepError(
                    f"{len(piece):,} triples with blank nodes must go in one request, more than "
                    f"{self.srv.profile.kind} takes in one SPARQL Update: publish through its "
                    "Graph Store Protocol (without --no-gsp)"
                )
            else:
                self.update(f"INSERT {{ GRAPH <{graph}> {{\n{body}}} }} WHERE {{ }}")
            sent += 1
        return sent


def _pieces(path: Path, most_lines: int | None, most_bytes: int | None) -> Iterator[tuple]:
    """(lines, holds blank nodes) of an N-Triples file: pieces of at most ``most_lines`` lines
    and about ``most_bytes``, then every line naming a blank node in one last piece."""
    with_blank: list[str] = []
    piece: list[str] = []
    size = 0
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("_:") or " _:" in line:
                with_blank.append(line)
                continue
            piece.append(line)
            size += len(line)
            if (most_lines and len(piece) >= most_lines) or (most_bytes and size >= most_bytes):
                yield piece, False
                piece, size = [], 0
    if piece:
        yield piece, False
    if with_blank:
        yield with_blank, True


def _explain(exc: HttpError, role: str) -> str:
    """The failure in one line, with a hint where the cause is a common one."""
    if exc.status in (404, 405):
        exc.hint = (
            "is this the Graph Store Protocol address? name it with --gsp, or use --no-gsp"
            if role == "gsp"
            else "is this the SPARQL Update address? name it with --update"
        )
    elif exc.status in (403, 500) and _may_not_update(exc.said):
        return (
            f"{exc.where} does not let this login update ({exc.status}): publish with "
            "credentials (on Virtuoso they go to its -auth addresses, by Digest), or grant the "
            'user the right (Virtuoso: GRANT SPARQL_UPDATE TO "SPARQL")'
        )
    return str(exc)
