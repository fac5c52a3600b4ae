"""One interface over the two places a question can be asked: the embedded store or an endpoint.

Like rdflib's store plugins and oaklib's implementations, each back-end says what it can do and
answers the same calls; the contract tests run every catalogue question on both and compare.

>>> from trustkg.sparql.backends import EmbeddedBackend, EndpointBackend
>>> EndpointBackend("http://127.0.0.1:7878/query").graphs() is None   # unknown: refuse FROM
True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from .local import run_local
from .remote import ENDPOINT_ENV, run_remote
from .results import QueryResult


class Backend(Protocol):
    """Where a SELECT is answered."""

    def select(self, text: str) -> QueryResult:
        """Answer a SELECT query given as text (already bound)."""

    def graphs(self) -> set[str] | None:
        """The named graphs it holds, or None when it cannot tell (a remote endpoint)."""


class EmbeddedBackend:
    """The Oxigraph store on this machine, opened read-only."""

    def __init__(self, store: str | Path | None = None, timeout: float | None = None) -> None:
        from ..store.embedded import open_store

        self.store = open_store(store)
        self.timeout = timeout

    def select(self, text: str) -> QueryResult:
        return run_local(text, self.store, timeout=self.timeout)

    def graphs(self) -> set[str] | None:
        return {g.value for g in self.store.named_graphs() if hasattr(g, "value")}


#: seconds to wait for an endpoint when no time limit is given
ENDPOINT_TIMEOUT = 60.0


class EndpointBackend:
    """A SPARQL 1.1 endpoint, over HTTP."""

    def __init__(self, url: str, timeout: float | None = None) -> None:
        self.url = url
        self.timeout = ENDPOINT_TIMEOUT if timeout is None else timeout

    def select(self, text: str) -> QueryResult:
        return run_remote(text, self.url, timeout=self.timeout)

    def graphs(self) -> set[str] | None:
        return None


def backend_for(
    *,
    store: str | Path | None = None,
    endpoint: str | None = None,
    timeout: float | None = None,
) -> Backend:
    """The endpoint when one is named (or ``$TRUSTKG_ENDPOINT`` is set), else the store.

    ``timeout`` (seconds) limits each query; None means none on the store and
    :data:`ENDPOINT_TIMEOUT` for an endpoint.
    """
    endpoint = endpoint or os.environ.get(ENDPOINT_ENV) or None
    if endpoint:
        return EndpointBackend(endpoint, timeout)
    return EmbeddedBackend(store, timeout)
