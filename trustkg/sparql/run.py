"""Run a catalogued (or any) SPARQL query on the embedded store or a SPARQL 1.1 endpoint.

Both back-ends (:mod:`.local`, :mod:`.remote`) take the same bound text (:mod:`.params`) and
give the same :class:`~.results.QueryResult`. Federation is opt-in: a query with ``SERVICE``, or
with ``FROM``/``FROM NAMED`` naming a graph the store does not hold, is refused unless
``allow_remote`` is set. Then the engine that answers makes the ``SERVICE`` call: the embedded
store (pyoxigraph has an HTTP client) or the endpoint's server.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .backends import backend_for
from .catalogue import find_query
from .params import bind, require_service_endpoints
from .results import QueryResult
from .text import check_federation


def run_query(
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    store: str | Path | None = None,
    endpoint: str | None = None,
    allow_remote: bool = False,
    timeout: float = 60.0,
) -> QueryResult:
    """Run a catalogued query (by name or ``cqNN``) or a ``.rq`` file.

    With ``endpoint`` (or ``$TRUSTKG_ENDPOINT``) the query goes to that SPARQL 1.1 endpoint;
    otherwise to the embedded store's default graph, which holds the whole graph (the dataset
    description is in a named graph of its own). The parts of the query's list columns come
    sorted, whichever back-end answered (see :mod:`.catalogue`).
    """
    query = find_query(name)
    text = bind(query, params or {})
    backend = backend_for(store=store, endpoint=endpoint, timeout=timeout)
    check_federation(text, None if allow_remote else backend.graphs(), allow_remote)
    require_service_endpoints(text)
    return backend.select(text).sort_lists(query.lists)
