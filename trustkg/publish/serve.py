"""Serve the built store as a SPARQL 1.1 endpoint with a query page, on loopback by default.

trustkg does not write an HTTP server: it runs the ``oxigraph`` package's own server
(``oxigraph serve-read-only``), the same Oxigraph as the embedded store, so it opens the store
folder as it is, answers the SPARQL 1.1 Protocol and the Graph Store Protocol (read-only), and
serves the YASGUI query page offline at ``/``. The question catalogue page
(:mod:`trustkg.pages.catalogue`, the page ``trustkg docs`` writes), written when the server
starts, opens each catalogued question in it ready to run. Loopback is the default because the
server has no authentication: anyone who can reach the port can read the whole graph.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from ..core.errors import StoreError, TrustkgError
from ..pages.catalogue import ServerLinks, catalogue_html
from ..sparql.catalogue import catalogue as all_queries
from ..store.embedded import resolve_store_path

DEFAULT_PORT = 7878
DEFAULT_BIND = "127.0.0.1"
CATALOGUE_FILE = "catalogue.html"
#: seconds a query may run on the server before Oxigraph cancels it
DEFAULT_TIMEOUT = 60


def oxigraph_binary() -> str:
    """The ``oxigraph`` server installed with trustkg (beside this Python first, so it is the
    release that matches pyoxigraph's store format), else one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise TrustkgError(
        "the oxigraph server is not installed: pip install 'oxigraph>=0.5,<0.6' "
        "(it is a dependency of trustkg)"
    )


@dataclass
class Served:
    """A running server: where it answers, and the page of catalogue links."""

    store: Path
    page: str  # the query page, http://HOST:PORT/
    endpoint: str  # the SPARQL endpoint, http://HOST:PORT/query
    catalogue: Path  # the HTML page of question links
    description: str | None  # the description graph through the Graph Store Protocol
    process: subprocess.Popen


def _host_for_links(bind: str) -> str:
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(bind, bind)
    return f"[{host}]" if ":" in host else host


def _free_port(bind: str) -> int:
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    with socket.socket(family) as s:
        s.bind((bind, 0))
        return s.getsockname()[1]


def _check_port(bind: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    with socket.socket(family) as s:
        try:
            s.bind((bind, port))
        except OSError as exc:
            raise TrustkgError(
                f"cannot serve on {bind} port {port}: {exc.strerror or exc}; "
                "choose another with --port (0 picks a free one)"
            ) from None


def _has_description(folder: Path) -> bool:
    import pyoxigraph

    from ..store.describe import DESCRIPTION_GRAPH

    try:
        store = pyoxigraph.Store.read_only(str(folder))
    except OSError as exc:
        raise StoreError(f"cannot open the store: {exc}", file=folder) from None
    return pyoxigraph.NamedNode(DESCRIPTION_GRAPH) in set(store.named_graphs())


def description_query() -> str:
    from ..store.describe import DESCRIPTION_GRAPH, PREFIXES

    return (
        "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if p in ("dct", "sd", "void"))
        + "# The named graphs of this store, from its DCAT/VoID description\n"
        + "SELECT ?graph ?triples ?title ?licence WHERE {\n"
        + f"  GRAPH <{DESCRIPTION_GRAPH}> {{\n"
        + "    ?subset sd:name ?graph ; void:triples ?triples ; dct:title ?title .\n"
        + "    OPTIONAL { ?subset dct:license ?licence }\n  }\n} ORDER BY ?graph\n"
    )


def _wait_until_ready(proc: subprocess.Popen, endpoint: str, errors: deque, limit: float) -> None:
    probe = endpoint + "?" + urlencode({"query": "ASK {}"})
    deadline = time.monotonic() + limit
    while True:
        if proc.poll() is not None:
            time.sleep(0.1)  # let the reader thread collect the last words
            why = errors[-1] if errors else f"exit code {proc.returncode}"
            raise TrustkgError(f"the SPARQL server stopped at once: {why}")
        try:
            with urllib.request.urlopen(probe, timeout=2) as answer:
                answer.read()
            return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise TrustkgError(f"the SPARQL server did not answer within {limit:g} s") from None
            time.sleep(0.1)


def _relay(stream, errors: deque, ready: threading.Event) -> None:
    """Keep the server's complaints: the last ones explain a failed start; once it runs, they
    go to stderr as they come (a query that fails, a request refused)."""
    for line in stream:
        line = line.rstrip()
        if not line:
            continue
        errors.append(line)
        if ready.is_set():
            print(f"oxigraph: {line}", file=sys.stderr, flush=True)


@contextmanager
def running(
    store: str | Path | None = None,
    *,
    port: int = DEFAULT_PORT,
    bind: str = DEFAULT_BIND,
    timeout: int | None = DEFAULT_TIMEOUT,
    startup: float = 30.0,
) -> Iterator[Served]:
    """Run the read-only server over a built store until the ``with`` block ends.

    ``port=0`` picks a free port. ``timeout`` (whole seconds; None for no limit) is the
    server's time limit for each query: without one, a heavy query per core stalls every other
    reader. Oxigraph checks it between steps of the evaluation, so some queries (a sort of a
    huge join) can run past it. Raises :class:`TrustkgError` (one line) for a missing store, a
    port in use, or a server that does not start.
    """
    folder = resolve_store_path(store)
    if not (folder / "CURRENT").is_file():
        raise StoreError(
            "no trustkg store here: run 'trustkg build' first (or pass --store)", file=folder
        )
    described = _has_description(folder)
    binary = oxigraph_binary()
    if port == 0:
        port = _free_port(bind)
    _check_port(bind, port)
    listen = f"[{bind}]:{port}" if ":" in bind else f"{bind}:{port}"
    host = _host_for_links(bind)
    page = f"http://{host}:{port}/"
    endpoint = page + "query"
    command = [binary, "serve-read-only", "--location", str(folder), "--bind", listen]
    if timeout:
        command += ["--timeout-s", str(int(timeout))]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    errors: deque = deque(maxlen=20)
    ready = threading.Event()
    reader = threading.Thread(target=_relay, args=(proc.stderr, errors, ready), daemon=True)
    reader.start()
    tmp = Path(tempfile.mkdtemp(prefix="trustkg-serve-"))
    try:
        _wait_until_ready(proc, endpoint, errors, startup)
        ready.set()
        from ..store.describe import DESCRIPTION_GRAPH

        description = (
            f"{page}store?{urlencode({'graph': DESCRIPTION_GRAPH})}" if described else None
        )
        catalogue = tmp / CATALOGUE_FILE
        links = ServerLinks(page, endpoint, description, description_query())
        catalogue.write_text(catalogue_html(all_queries(), links), encoding="utf-8")
        yield Served(folder, page, endpoint, catalogue, description, proc)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(tmp, ignore_errors=True)
