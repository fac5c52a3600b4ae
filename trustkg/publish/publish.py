"""Publish the built graph to any SPARQL 1.1 server, one named graph per study, atomically.

Each graph of ``graphs.split`` goes up as N-Triples into a staging graph (the target's IRI plus
``.staging-<token>``) through the Graph Store HTTP Protocol, or through SPARQL Update
``INSERT DATA`` where the server has no Graph Store Protocol. Only when every staging graph is
up does SPARQL Update ``MOVE`` them into place, each in one request, which servers run as one
transaction (Oxigraph, Fuseki, GraphDB): readers of a named graph see the old graph or the new
one, never half of either, and a publish that fails before the switch leaves every published
graph as it was. Up to ``SWITCH_TOGETHER_TRIPLES`` all graphs move in a single request, so they
change together; above it one by one, the description last (see the constant for why). Staging
graphs are dropped on the way out when the server still answers, and by the next publish when
it did not.

The HTTP is the standard library's ``urllib``: PUT and POST with a body is all this needs, and
SPARQLWrapper (used for queries) has no Graph Store Protocol. Credentials are read as for
queries (``sparql.credentials``: environment, then ``~/.netrc``), sent as HTTP Basic, and never
appear in a message.
"""

from __future__ import annotations

import base64
import http.client
import itertools
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlparse

from ..core.errors import TrustkgError
from ..sparql.remote import credentials, redact, run_remote
from ..store.graphs import DESCRIPTION, graph_name, normalise_base, split, triples

STAGING_MARK = ".staging-"
#: Up to this many triples, every graph moves into place in one update request (one
#: transaction); above it, one graph per request. Oxigraph's transactions slow down faster than
#: their size grows (MOVE of 4,000 triples 0.2 s, 40,000 3.8 s, 100,000 13 s; a million in one
#: request ran for minutes and 4 GB), while graph by graph a million triples take about a minute.
SWITCH_TOGETHER_TRIPLES = 50_000
#: INSERT DATA requests are kept near this size when there is no Graph Store Protocol.
UPDATE_CHUNK_BYTES = 4_000_000


@dataclass(frozen=True)
class Server:
    """Where a server answers: queries, updates and (optionally) the Graph Store Protocol."""

    endpoint: str
    update: str
    gsp: str | None


def server(
    endpoint: str, *, update: str | None = None, gsp: str | None = None, use_gsp: bool = True
) -> Server:
    """The server's three addresses. Oxigraph's layout is the default: an endpoint ending in
    ``/query`` has ``/update`` and ``/store`` beside it; elsewhere updates go to the endpoint
    itself and the Graph Store Protocol is used only when ``gsp`` names it."""
    for url in (endpoint, update, gsp):
        if url is None:
            continue
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise TrustkgError(f"{redact(url)!r} is not an http:// or https:// address")
        if parsed.username or parsed.password:
            raise TrustkgError(
                f"{redact(url)} carries credentials in the address: put them in "
                "$TRUSTKG_ENDPOINT_USER and $TRUSTKG_ENDPOINT_PASSWORD or in ~/.netrc"
            )
    oxigraph_layout = endpoint.rstrip("/").endswith("/query")
    stem = endpoint.rstrip("/").removesuffix("/query")
    if update is None:
        update = stem + "/update" if oxigraph_layout else endpoint
    if not use_gsp:
        gsp = None
    elif gsp is None and oxigraph_layout:
        gsp = stem + "/store"
    return Server(endpoint, update, gsp)


@dataclass
class PublishSummary:
    endpoint: str
    graphs: list[tuple[str, int]] = field(default_factory=list)  # (graph IRI, triples)
    dropped_staging: int = 0
    seconds: float = 0.0


class _StepError(Exception):
    """One HTTP step failed; the message is one line and holds no credentials. ``answered``
    tells whether the server sent a response (so it surely did not apply the request)."""

    def __init__(self, message: str, answered: bool = False) -> None:
        super().__init__(message)
        self.answered = answered


def _request(url: str, method: str, body, content_type: str, timeout: float, length=None) -> None:
    headers = {"Content-Type": content_type}
    if length is not None:
        headers["Content-Length"] = str(length)
    auth = credentials(url)
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    where = redact(url.split("?", 1)[0])
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            answer.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            why = (
                "refused the credentials (401)"
                if auth
                else "asks for credentials (401): set $TRUSTKG_ENDPOINT_USER and "
                "$TRUSTKG_ENDPOINT_PASSWORD, or add the host to ~/.netrc"
            )
            raise _StepError(f"{where} {why}", answered=True) from None
        said = " ".join(exc.read(300).decode("utf-8", "replace").split())[:200]
        hint = ""
        if exc.code in (404, 405) and method == "PUT":
            hint = (
                " (is this the Graph Store Protocol address? name it with --gsp, or use --no-gsp)"
            )
        elif exc.code in (404, 405):
            hint = " (is this the SPARQL Update address? name it with --update)"
        raise _StepError(
            f"{where} answered {exc.code} {exc.reason}{hint}" + (f": {said}" if said else ""),
            answered=True,
        ) from None
    except TimeoutError:
        raise _StepError(f"{where} did not answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _StepError(f"{where} did not answer within {timeout:g} s") from None
        raise _StepError(f"cannot reach {where}: {exc.reason}") from None
    except (http.client.HTTPException, ConnectionError, OSError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise _StepError(f"lost the connection to {where}: {reason}") from None


def _update(srv: Server, text: str, timeout: float) -> None:
    _request(srv.update, "POST", text.encode("utf-8"), "application/sparql-update", timeout)


def _upload(srv: Server, path: Path, graph: str, timeout: float) -> None:
    """Put an N-Triples file into ``graph``: one PUT, or INSERT DATA in pieces."""
    if srv.gsp:
        url = f"{srv.gsp}{'&' if '?' in srv.gsp else '?'}{urlencode({'graph': graph})}"
        with open(path, "rb") as body:
            _request(
                url,
                "PUT",
                body,
                "application/n-triples",
                timeout,
                length=path.stat().st_size,
            )
        return
    # Blank nodes are local to one request: every line naming one goes in the same piece.
    with_blank: list[str] = []
    piece: list[str] = []
    size = 0
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if "_:" in line:
                with_blank.append(line)
                continue
            piece.append(line)
            size += len(line)
            if size >= UPDATE_CHUNK_BYTES:
                _insert(srv, graph, piece, timeout)
                piece, size = [], 0
    for rest in (piece, with_blank):
        if rest:
            _insert(srv, graph, rest, timeout)


def _insert(srv: Server, graph: str, lines: list[str], timeout: float) -> None:
    _update(srv, f"INSERT DATA {{ GRAPH <{graph}> {{\n{''.join(lines)}}} }}", timeout)


def _leftover_staging(srv: Server, base: str, timeout: float) -> list[str]:
    """Staging graphs an interrupted publish left under ``base``; also checks the server
    answers before anything is uploaded."""
    text = (
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { } "
        f'FILTER(STRSTARTS(STR(?g), "{base}") && CONTAINS(STR(?g), "{STAGING_MARK}")) }}'
    )
    return [row["g"].value for row in run_remote(text, srv.endpoint, timeout=timeout).rows]


def _drop(srv: Server, graphs: list[str], timeout: float) -> None:
    if graphs:
        _update(srv, " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs), timeout)


def _half_switched(
    where: str,
    step: str,
    exc: _StepError,
    switched: int,
    total: int,
    together: bool,
    srv: Server,
    moves: list[tuple[str, str]],
) -> TrustkgError:
    """The error for a switch that may have happened in part: say what is known."""
    if together:
        return TrustkgError(
            f"publishing to {where} failed while {step}: {exc}; the server did not confirm "
            "the switch, so the graphs are either all as before or all new: publish again"
        )
    try:  # what was not moved yet is dropped, so the union default graph does not show it
        _drop(srv, [s for s, _ in moves], 10)
    except _StepError:
        pass
    maybe = "" if exc.answered else " (the one in flight may be either)"
    return TrustkgError(
        f"publishing to {where} failed while {step}: {exc}; {switched} of {total} graphs had "
        f"been replaced, each whole, and the others are as before{maybe}: publish again"
    )


def publish(
    endpoint: str,
    *,
    store: str | Path | None = None,
    base: str | None = None,
    update: str | None = None,
    gsp: str | None = None,
    use_gsp: bool = True,
    timeout: float = 60.0,
    progress: Callable[[str], None] | None = None,
) -> PublishSummary:
    """Publish the built store to the server whose SPARQL endpoint is ``endpoint``.

    Each study goes to ``{base}{study}/graph``, the ontology to ``{base}ontology/graph``, the
    shared nodes to ``{base}shared/graph`` and the DCAT/VoID description, which then names
    ``endpoint``, to ``{base}dataset/graph`` (``base`` defaults to trustkg's data namespace).
    Raises :class:`TrustkgError` in one line when any step fails; the published graphs are
    then unchanged (see the module docstring).
    """
    import pyoxigraph

    from ..store.describe import describe
    from ..store.embedded import open_store

    started = time.monotonic()
    say = progress or (lambda _message: None)
    srv = server(endpoint, update=update, gsp=gsp, use_gsp=use_gsp)
    base = normalise_base(base)
    st = open_store(store)
    parts = split(st)
    where = redact(srv.endpoint)

    leftovers = _leftover_staging(srv, base, timeout)
    if leftovers:
        try:
            _drop(srv, leftovers, timeout)
        except _StepError as exc:
            raise TrustkgError(f"could not remove earlier staging graphs: {exc}") from None
        say(f"removed {len(leftovers)} staging graph(s) an interrupted publish left")

    token = uuid.uuid4().hex[:12]
    try:  # a harmless update first: a wrong address or login must fail before any upload
        _drop(srv, [graph_name(base, DESCRIPTION) + STAGING_MARK + token], timeout)
    except _StepError as exc:
        raise TrustkgError(f"{exc}; nothing was published") from None
    summary = PublishSummary(srv.endpoint, dropped_staging=len(leftovers))
    moves: list[tuple[str, str]] = []  # (staging, target)
    empty: list[str] = []
    issued = datetime.now(UTC).replace(microsecond=0)
    described = describe(st, parts, base=base, endpoint=srv.endpoint, issued=issued)
    contents = itertools.chain(
        ((p.graph(base), ts) for p, ts in triples(st, parts)),
        [(graph_name(base, DESCRIPTION), described)],
    )
    total = len(parts) + 1
    step = "preparing the graphs"
    switched = 0
    ops: list[str] = []
    together = True
    try:
        with tempfile.TemporaryDirectory(prefix="trustkg-publish-") as tmp:
            for i, (target, found) in enumerate(contents, 1):
                if not found:
                    empty.append(target)
                    continue
                step = f"uploading {target} ({i} of {total})"
                path = Path(tmp) / f"{i}.nt"
                pyoxigraph.serialize(found, output=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
                staging = f"{target}{STAGING_MARK}{token}"
                moves.append((staging, target))
                _upload(srv, path, staging, timeout)
                path.unlink()
                summary.graphs.append((target, len(found)))
                say(f"staged {target}: {len(found):,} triples")
        step = "moving the staging graphs into place"
        ops = [f"MOVE <{s}> TO <{t}>" for s, t in moves]
        ops[-1:-1] = [f"DROP SILENT GRAPH <{t}>" for t in empty]  # the description goes last
        together = sum(n for _, n in summary.graphs) <= SWITCH_TOGETHER_TRIPLES
        batches = [ops] if together else [[op] for op in ops]
        for batch in batches:
            _update(srv, " ;\n".join(batch), timeout)
            switched += len(batch)
    except _StepError as exc:
        if step.startswith("moving") and (switched or not exc.answered):
            raise _half_switched(
                where, step, exc, switched, len(ops), together, srv, moves
            ) from None
        try:
            _drop(srv, [s for s, _ in moves], min(timeout, 10))
            tidy = "its staging graphs were removed"
        except _StepError:
            tidy = "the next publish removes the staging graphs it left on the server"
        raise TrustkgError(
            f"publishing to {where} failed while {step}: {exc}; the published graphs are "
            f"unchanged, and {tidy}"
        ) from None
    for target in empty:
        summary.graphs.append((target, 0))
    summary.seconds = time.monotonic() - started
    return summary
