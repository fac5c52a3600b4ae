"""The same questions over the SPARQL 1.1 Protocol, against a real Oxigraph server on loopback.

The server is the ``oxigraph`` package's own binary, loaded with the seed graph; every catalogued
query must give the same rows remotely as on the embedded store. Failures of the endpoint
(unreachable, 4xx, timeout) must be one line and a non-zero exit.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from trustkg.core.errors import TrustkgError
from trustkg.sparql.run import run_query

from .test_queries import RUNS, rows_of


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(found).is_file():
        pytest.fail("the oxigraph server binary is missing: pip install -e '.[test]'")
    return found


@pytest.fixture(scope="module")
def endpoint(seed_store, tmp_path_factory):
    """A read-only Oxigraph server on 127.0.0.1 holding the seed graph (all graphs queried)."""
    import pyoxigraph

    from trustkg.store import open_store

    tmp = tmp_path_factory.mktemp("server")
    dump = tmp / "seed.nq"
    open_store(seed_store).dump(str(dump), pyoxigraph.RdfFormat.N_QUADS)
    db = tmp / "db"
    binary = oxigraph_binary()
    subprocess.run(
        [binary, "load", "--location", str(db), "--file", str(dump)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = _free_port()
    proc = subprocess.Popen(
        [
            binary,
            "serve-read-only",
            "--location",
            str(db),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).read()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("the oxigraph server did not start")
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.mark.parametrize("name", sorted(RUNS))
def test_remote_rows_equal_local_rows(name, endpoint, seed_store):
    query, params = RUNS[name]
    local = run_query(query, params, store=seed_store)
    remote = run_query(query, params, endpoint=endpoint)
    assert remote.variables == local.variables

    assert sorted(rows_of(remote)[1:]) == sorted(rows_of(local)[1:])


def test_endpoint_from_environment(endpoint, monkeypatch):
    monkeypatch.setenv("TRUSTKG_ENDPOINT", endpoint)
    rows = run_query("cq09").records()
    assert [r["quotation"] for r in rows] == ["Q02", "Q03"]


def test_long_query_goes_through(endpoint, tmp_path):
    rq = tmp_path / "long.rq"
    padding = "\n".join(f"# padding line {i} to make the query long" for i in range(300))
    rq.write_text(
        padding + "\nPREFIX tk: <https://w3id.org/trustkg/ontology#>\n"
        "SELECT (COUNT(?p) AS ?n) WHERE { ?p a tk:Participant }\n"
    )
    assert len(rq.read_text()) > 10_000
    assert run_query(str(rq), endpoint=endpoint).records() == [{"n": 41}]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trustkg.cli", *args], capture_output=True, text=True, timeout=120
    )


def test_unreachable_endpoint_is_one_line():
    port = _free_port()
    res = _cli("query", "run", "cq04", "--endpoint", f"http://127.0.0.1:{port}/query")
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "cannot reach" in res.stderr
    assert "Traceback" not in res.stderr


def test_http_error_is_one_line(endpoint):
    res = _cli("query", "run", "cq04", "--endpoint", endpoint.replace("/query", "/nothing-here"))
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "404" in res.stderr


def test_bad_query_answer_400_is_one_line(endpoint, tmp_path):
    rq = tmp_path / "bad.rq"
    rq.write_text("SELECT ?x WHERE { ?x ?y }")
    res = _cli("query", "run", str(rq), "--endpoint", endpoint)
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "rejected the query" in res.stderr


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
    port = _free_port()
    with pytest.raises(TrustkgError) as err:
        run_query("cq04", endpoint=f"http://bob:hunter2@127.0.0.1:{port}/query")
    assert "hunter2" not in str(err.value)
