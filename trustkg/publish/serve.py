"""Serve the built store as a SPARQL 1.1 endpoint with a query page, on loopback by default.

trustkg does not write an HTTP server: it runs the ``oxigraph`` package's own server
(``oxigraph serve-read-only``), the same Oxigraph as the embedded store, so it opens the store
folder as it is, answers the SPARQL 1.1 Protocol and the Graph Store Protocol (read-only), and
serves the YASGUI query page offline at ``/``. YASGUI fills its editor from the page address
(``#query=…&endpoint=…``), so a page of links, written when the server starts, opens each
catalogued question ready to run. Loopback is the default because the server has no
authentication: anyone who can reach the port can read the whole graph.
"""

from __future__ import annotations

import html
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
from urllib.parse import quote, urlencode

from ..core.errors import StoreError, TrustkgError
from ..store.embedded import resolve_store_path

DEFAULT_PORT = 7878
DEFAULT_BIND = "127.0.0.1"
CATALOGUE_FILE = "catalogue.html"


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


def query_link(page: str, endpoint: str, text: str) -> str:
    """A link that opens the query page with ``text`` in the editor, aimed at ``endpoint``."""
    return f"{page}#query={quote(text, safe='')}&endpoint={quote(endpoint, safe='')}"


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


def catalogue_html(page: str, endpoint: str, description: str | None) -> str:
    """The page of links: every catalogued question, opened in the query page ready to run."""
    from ..sparql.catalogue import catalogue
    from ..sparql.params import bind

    esc = html.escape
    rows = []
    for q in catalogue():
        params = ", ".join(f"{p.name} = {p.default}" for p in q.params if p.default) or "none"
        text = bind(q, {})
        rows.append(
            "<tr>"
            f"<td class=cq>{esc(q.cq or q.short)}</td>"
            f'<td><a class="question" id="{esc(q.short)}" '
            f'href="{esc(query_link(page, endpoint, text))}">{esc(q.title)}</a>'
            f"<div class=why>{esc(q.question)}</div>"
            f"<details><summary>SPARQL (parameters: {esc(params)})</summary>"
            f"<pre>{esc(text)}</pre></details></td>"
            f"<td><code>trustkg query run {esc(q.short)} --endpoint {esc(endpoint)}</code></td>"
            "</tr>"
        )
    if description:
        described = (
            f'<p>The dataset description (DCAT/VoID): <a id="description" '
            f'href="{esc(description)}">download it</a>, or <a id="description-query" '
            f'href="{esc(query_link(page, endpoint, description_query()))}">its named graphs '
            "and triple counts in the query page</a>.</p>"
        )
    else:
        described = "<p>This store has no dataset description: rebuild it with trustkg build.</p>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>trustkg questions on {esc(endpoint)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; max-width: 70em; }}
table {{ border-collapse: collapse; }} td {{ border-top: 1px solid #ccc; padding: .5em;
vertical-align: top; }} .cq {{ white-space: nowrap; font-weight: bold; }}
.why {{ color: #444; margin: .3em 0; }} pre {{ background: #f4f4f4; padding: .5em;
overflow-x: auto; }} code {{ font-size: .85em; }}
</style></head><body>
<h1>trustkg question catalogue</h1>
<p>SPARQL endpoint: <code>{esc(endpoint)}</code> (read-only) &middot;
<a href="{esc(page)}">empty query page</a></p>
<p>Each question opens in the query page with its SPARQL filled in: press &#9654; to run it.
Parameters are bound to their defaults in a <code>VALUES</code> block; change them in the
editor. From Python or Jupyter:
<code>trustkg.query("cq04", endpoint="{esc(endpoint)}")</code>.</p>
{described}
<table>{"".join(rows)}</table>
</body></html>
"""


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
    startup: float = 30.0,
) -> Iterator[Served]:
    """Run the read-only server over a built store until the ``with`` block ends.

    ``port=0`` picks a free port. Raises :class:`TrustkgError` (one line) for a missing store,
    a port in use, or a server that does not start.
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
    proc = subprocess.Popen(
        [binary, "serve-read-only", "--location", str(folder), "--bind", listen],
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
        catalogue.write_text(catalogue_html(page, endpoint, description), encoding="utf-8")
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
