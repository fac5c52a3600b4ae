"""Where a SPARQL server takes queries, updates and graphs, and what it can promise.

Servers differ in two ways that matter to ``trustkg publish``. Their addresses: Oxigraph has
``/query``, ``/update`` and ``/store`` side by side; Virtuoso has ``/sparql`` for anonymous
queries and updates, and ``/sparql-auth`` and ``/sparql-graph-crud-auth`` for a login (Digest).
And their guarantees: Oxigraph, Fuseki and GraphDB run one update request as one transaction,
so several ``MOVE`` operations in one request switch the graphs together; Virtuoso 7 does not
(the operations before a failing one stay applied, and readers see a ``MOVE`` half done), and
its SPARQL compiler gives up on an ``INSERT DATA`` of about 1,400 triples. A :class:`Profile`
records these per kind of server; the kind is read from the ``Server`` header of the server's
first answer, or given with ``--server``.

>>> layout("http://127.0.0.1:7878/query", "oxigraph")
('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store')
>>> layout("http://127.0.0.1:8890/sparql", "virtuoso", login=True)[1:]
('http://127.0.0.1:8890/sparql-auth', 'http://127.0.0.1:8890/sparql-graph-crud-auth')
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from ..core.errors import TrustkgError
from ..sparql.http import Client, HttpError, check_address, redact

KINDS = ("auto", "oxigraph", "virtuoso", "other")


@dataclass(frozen=True)
class Profile:
    """What ``publish`` may rely on from one kind of server."""

    kind: str
    #: several operations in one update request are one transaction
    transactional_requests: bool
    #: most triples one INSERT DATA may carry (None: only the byte size counts)
    insert_triples: int | None
    #: the query that lists named graphs (``GRAPH ?g { }`` is cheapest, but Virtuoso answers
    #: it with no rows)
    graphs_pattern: str


PROFILES = {
    "oxigraph": Profile("oxigraph", True, None, "GRAPH ?g { }"),
    "other": Profile("other", True, None, "GRAPH ?g { }"),
    # measured on Virtuoso 7.2.5: 1,422 triples pass, 1,437 fail (SP031), 5,000 exhaust memory
    "virtuoso": Profile("virtuoso", False, 1_000, "GRAPH ?g { ?s ?p ?o }"),
}


@dataclass(frozen=True)
class Server:
    """Where a server answers: queries, updates and (optionally) the Graph Store Protocol."""

    endpoint: str
    update: str
    gsp: str | None
    profile: Profile = PROFILES["other"]


def layout(endpoint: str, kind: str, login: bool = False) -> tuple[str, str, str | None]:
    """(queries, updates, Graph Store Protocol) at their usual places for this kind of server.

    Oxigraph (or any endpoint ending in ``/query``): ``/update`` and ``/store`` beside it.
    Virtuoso (an endpoint ending in ``/sparql`` or ``/sparql-auth``): with a login, its Digest
    addresses ``/sparql-auth`` and ``/sparql-graph-crud-auth``; without, the anonymous ones,
    where updates need ``GRANT SPARQL_UPDATE TO "SPARQL"``. Elsewhere updates go to the
    endpoint itself and there is no Graph Store Protocol unless ``--gsp`` names it.
    """
    stem = endpoint.rstrip("/")
    if kind == "virtuoso" and stem.endswith(("/sparql", "/sparql-auth")):
        root = stem.removesuffix("-auth").removesuffix("/sparql")
        suffix = "-auth" if login else ""
        return endpoint, f"{root}/sparql{suffix}", f"{root}/sparql-graph-crud{suffix}"
    if stem.endswith("/query"):
        root = stem.removesuffix("/query")
        return endpoint, root + "/update", root + "/store"
    return endpoint, endpoint, None


def detect(endpoint: str, client: Client, timeout: float) -> str:
    """The kind of server, from the ``Server`` header of its answer to ``ASK {}``; this is
    also the first request, so an unreachable server fails here, before anything changes."""
    url = endpoint + ("&" if "?" in endpoint else "?") + urlencode({"query": "ASK {}"})
    headers = {"Accept": "application/sparql-results+json"}
    try:
        answer = client.send(url, "GET", None, headers, timeout)
    except HttpError as exc:
        if exc.answered and exc.status not in (401, 403):
            # some servers take queries by POST only; the header still names the server
            product = exc.headers.get("Server", "")
            return _kind_of(product, endpoint)
        raise TrustkgError(f"{exc}; nothing was published") from None
    return _kind_of(answer.headers.get("Server", ""), endpoint)


def _kind_of(product: str, endpoint: str) -> str:
    """The kind named by a ``Server`` header, else guessed from the address.

    >>> _kind_of("Virtuoso/07.20.3229 (Linux) x86_64-pc-linux-gnu", "http://h/sparql")
    'virtuoso'
    """
    name = product.split("/", 1)[0].strip().lower()
    if name in PROFILES:
        return name
    return "oxigraph" if endpoint.rstrip("/").endswith("/query") else "other"


def server(
    endpoint: str,
    *,
    update: str | None = None,
    gsp: str | None = None,
    use_gsp: bool = True,
    kind: str = "auto",
    timeout: float = 60.0,
    client: Client | None = None,
) -> Server:
    """The server's addresses and profile. ``kind="auto"`` asks the server (one ``ASK``);
    ``--update`` and ``--gsp`` override the usual addresses."""
    for url in (endpoint, update, gsp):
        if url is not None:
            check_address(url)
    if kind not in KINDS:
        raise TrustkgError(f"unknown kind of server {kind!r}: one of {', '.join(KINDS)}")
    client = client or Client(endpoint)
    if kind == "auto":
        kind = detect(endpoint, client, timeout)
    _, usual_update, usual_gsp = layout(endpoint, kind, login=client.auth is not None)
    return Server(
        endpoint,
        update or usual_update,
        (gsp or usual_gsp) if use_gsp else None,
        PROFILES[kind],
    )


def describe_server(srv: Server) -> str:
    """One line for the progress output: which addresses and why."""
    gsp = redact(srv.gsp) if srv.gsp else "none (SPARQL Update only)"
    return f"server: {srv.profile.kind}; updates to {redact(srv.update)}, graphs to {gsp}"
