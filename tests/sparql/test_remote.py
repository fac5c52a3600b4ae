"""The same questions over the SPARQL 1.1 Protocol, against a real Oxigraph server and a real
Virtuoso on loopback.

Both hold the linked store (the bundled studies and a fixture study with organisation codes),
put there by ``trustkg publish`` (tests/conftest.py: ``published``). Every catalogued query
must give exactly the same rows on each as on the embedded store: the same terms (kind, value,
datatype, language) and, in list columns, the same order of parts. Failures of the endpoint
(unreachable, 4xx, timeout, a login refused, an answer cut short) must be one line and a
non-zero exit.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest

from trustkg.core.errors import TrustkgError
from trustkg.core.iris import XSD
from trustkg.sparql.results import QueryResult
from trustkg.sparql.run import run_query

from ..servers import free_port
from .test_queries import LIST_COLUMNS, RUNS


def terms(result: QueryResult) -> Counter:
    """The rows as whole terms, in any order (ORDER BY leaves ties to the engine)."""
    return Counter(
        tuple(
            None if v not in row else (row[v].type, row[v].value, row[v].datatype, row[v].lang)
            for v in result.variables
        )
        for row in result.rows
    )


@pytest.mark.parametrize("name", sorted(RUNS))
def test_every_catalogue_query_gives_the_same_terms_as_the_store(name, published, linked_store):
    query, params = RUNS[name]
    local = run_query(query, params, store=linked_store)
    remote = run_query(query, params, endpoint=published.endpoint)
    assert remote.variables == local.variables
    assert terms(remote) == terms(local)


def test_the_comparison_covers_list_columns_and_answers(published, linked_store):
    """Not an empty comparison: the list columns hold several parts, and the fixture study's
    organisation codes are answered (CQ14)."""
    lists = [
        r
        for name in ("cq01", "cq06", "cq07")
        for r in run_query(name, endpoint=published.endpoint).records()
        if any(sep in str(r.get(col) or "") for col, sep in LIST_COLUMNS.items())
    ]
    assert len(lists) >= 10
    codes = {r["code"] for r in run_query("cq14", endpoint=published.endpoint).records()}
    assert codes == {"E38000999", "ZZ1", "ZZ9"}


def test_endpoint_from_environment(published, monkeypatch):
    monkeypatch.setenv("TRUSTKG_ENDPOINT", published.endpoint)
    rows = run_query("cq09").records()
    assert [r["quotation"] for r in rows] == ["Q02", "Q03"]


def test_long_query_goes_through(published, linked_store, tmp_path):
    """A long query goes as a form-encoded POST, which Virtuoso answers (it never answers a
    POST of the bare query)."""
    rq = tmp_path / "long.rq"
    padding = "\n".join(f"# padding line {i} to make the query long" for i in range(300))
    rq.write_text(
        padding + "\nPREFIX tk: <https://w3id.org/trustkg/ontology#>\n"
        "SELECT (COUNT(?p) AS ?n) WHERE { ?p a tk:Participant }\n"
    )
    assert len(rq.read_text()) > 10_000
    here = run_query(str(rq), store=linked_store).records()
    assert here[0]["n"] > 41
    assert run_query(str(rq), endpoint=published.endpoint).records() == here


def test_booleans_read_as_the_store_writes_them(scratch):
    """Virtuoso writes xsd:boolean values as 1 and 0 in JSON results; they come back as the
    canonical true and false that Oxigraph (and the embedded store) give."""
    graph = "urn:trustkg:test:booleans"
    scratch.update(
        f"INSERT DATA {{ GRAPH <{graph}> {{ <urn:a> <urn:coded> true . "
        f'<urn:b> <urn:coded> "0"^^<{XSD}boolean> }} }}'
    )
    from trustkg.sparql.remote import run_remote

    rows = run_remote(
        f"SELECT ?s ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} ORDER BY ?s", scratch.endpoint
    ).rows
    assert [(r["o"].value, r["o"].datatype) for r in rows] == [
        ("true", XSD + "boolean"),
        ("false", XSD + "boolean"),
    ]


def test_an_answer_cut_short_is_an_error(published, linked_store):
    """Virtuoso as Debian configures it returns at most 10,000 rows, with HTTP 200 and only an
    X-SPARQL-MaxRows header to say so: trustkg refuses the short answer. Oxigraph cuts
    nothing."""
    from trustkg.sparql.remote import run_remote

    text = "SELECT ?s ?p ?o ?copy WHERE { ?s ?p ?o VALUES ?copy { 1 2 } }"
    if published.kind == "virtuoso":
        with pytest.raises(TrustkgError, match="cut the answer at 10,000 rows") as err:
            run_remote(text, published.endpoint)
        assert "ResultSetMaxRows" in str(err.value) and "\n" not in str(err.value)
    else:
        assert len(run_remote(text, published.endpoint).rows) > 10_000


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "trustkg.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_unreachable_endpoint_is_one_line():
    port = free_port()
    res = _cli("query", "run", "cq04", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "cannot reach" in res.stderr
    assert "Traceback" not in res.stderr


def test_http_error_is_one_line(published):
    res = _cli("query", "run", "cq04", "--endpoint", published.base + "/nothing-here")
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "404" in res.stderr


def test_bad_query_answer_400_is_one_line(published, tmp_path):
    rq = tmp_path / "bad.rq"
    rq.write_text("SELECT ?x WHERE { ?x ?y }")
    res = _cli("query", "run", str(rq), "--endpoint", published.endpoint)
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "rejected the query" in res.stderr


@pytest.mark.parametrize("published", ["virtuoso"], indirect=True)
def test_a_login_by_digest_on_virtuoso(published, linked_store):
    """Virtuoso's /sparql-auth wants Digest: the right login is answered, a wrong one and none
    are one line each, and the password is never shown."""
    auth = published.base + "/sparql-auth"
    ok = _cli("query", "run", "cq09", "--endpoint", auth, "--format", "csv", env=published.env)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines()[1].startswith("Q02,")
    wrong = {**published.env, "TRUSTKG_ENDPOINT_PASSWORD": "wr0ng-pa55"}
    res = _cli("query", "run", "cq09", "--endpoint", auth, env=wrong)
    assert res.returncode == 2 and res.stderr.count("\n") == 1
    assert "refused the credentials (401)" in res.stderr
    assert "wr0ng-pa55" not in res.stdout + res.stderr
    res = _cli("query", "run", "cq09", "--endpoint", auth)
    assert res.returncode == 2 and "asks for credentials (401)" in res.stderr


def test_timeout_is_one_line():
    """A loopback peer that accepts the connection and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    port = server.getsockname()[1]
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        start = time.monotonic()
        with pytest.raises(TrustkgError, match="did not answer within 1 s"):
            run_query("cq04", endpoint=f"http://127.0.0.1:{port}/query", timeout=1)
        assert time.monotonic() - start < 15
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


def test_credentials_come_from_environment_or_netrc_and_are_never_shown(monkeypatch, tmp_path):
    from trustkg.sparql.remote import credentials, redact

    monkeypatch.setenv("TRUSTKG_ENDPOINT_USER", "alice")
    monkeypatch.setenv("TRUSTKG_ENDPOINT_PASSWORD", "s3cret")
    assert credentials("http://127.0.0.1:1/query") == ("alice", "s3cret")
    monkeypatch.delenv("TRUSTKG_ENDPOINT_USER")
    monkeypatch.delenv("TRUSTKG_ENDPOINT_PASSWORD")
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login bob password hunter2\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert credentials("http://127.0.0.1:1/query") == ("bob", "hunter2")
    assert redact("http://bob:hunter2@127.0.0.1:1/query") == "http://127.0.0.1:1/query"
    port = free_port()
    with pytest.raises(TrustkgError) as err:
        run_query("cq04", endpoint=f"http://bob:hunter2@127.0.0.1:{port}/query")
    assert "hunter2" not in str(err.value)
