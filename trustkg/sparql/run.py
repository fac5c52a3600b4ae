"""Run a catalogued (or any) SPARQL query on the embedded store or a SPARQL 1.1 endpoint.

Both back-ends (:mod:`.local`, :mod:`.remote`) take the same bound text (:mod:`.params`) and
give the same :class:`~.results.QueryResult`. Federation is opt-in: a query with ``SERVICE``, or
with ``FROM``/``FROM NAMED`` naming a graph the store does not hold, is refused unless
``allow_remote`` is set. Then the engine that answers makes the ``SERVICE`` call: the embedded
store (pyoxigraph has an HTTP client) or the endpoint's server. A parameter value that names
nothing in the graph is told to ``warn`` (:mod:`.values`); the query still runs.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

from .backends import EmbeddedBackend, backend_for
from .catalogue import find_query
from .local import check_syntax
from .params import bind, require_service_endpoints
from .results import QueryResult
from .text import check_federation
from .values import unknown_values


def _warn(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=3)


def run_query(
    name: str,
    params: Mapping[str, str] | None = None,
    *,
    store: str | Path | None = None,
    endpoint: str | None = None,
    allow_remote: bool = False,
    timeout: float | None = None,
    warn: Callable[[str], object] | None = _warn,
) -> QueryResult:
    """Run a catalogued query (by name or ``cqNN``) or a ``.rq`` file.

    With ``endpoint`` (or ``$TRUSTKG_ENDPOINT``) the query goes to that SPARQL 1.1 endpoint;
    otherwise to the embedded store's default graph, which holds the whole graph (the dataset
    description is in a named graph of its own). The parts of the query's list columns come
    sorted, whichever back-end answered (see :mod:`.catalogue`). ``timeout`` is in seconds: none
    for the store unless given (Ctrl-C stops a query there), 60 for an endpoint. ``warn`` is
    told of each parameter value that names nothing in the graph (default: a ``UserWarning``;
    None skips the look-up).
    """
    query = find_query(name)
    params = dict(params or {})
    text = bind(query, params)
    backend = backend_for(store=store, endpoint=endpoint, timeout=timeout)
    if isinstance(backend, EmbeddedBackend):
        check_syntax(query.text, file=query.path)  # where in the file, before binding
    check_federation(text, None if allow_remote else backend.graphs(), allow_remote)
    require_service_endpoints(text)
    result = backend.select(text).sort_lists(query.lists)
    if params and warn is not None:
        for message in unknown_values(query, params, backend.select):
            warn(message)
    return result
