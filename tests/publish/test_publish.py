"""`trustkg publish`: the built graph on a real SPARQL server, one named graph per study.

Every test publishes to a real, writable Oxigraph server on 127.0.0.1 (started on a free port,
its union as default graph, as a team would run it for trustkg's queries). The server is also
killed half-way through a publish, by a relay that passes requests through to it and kills it
when the second upload arrives; after a restart on the same folder the old graphs must be there,
whole.
"""

from __future__ import annotations

import csv
import shutil
import socket
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from trustkg.core import iris
from trustkg.core.errors import TrustkgError
from trustkg.core.resources import bundled_studies
from trustkg.sparql.run import run_query
from trustkg.store import open_store
from trustkg.store.build import build
from trustkg.store.describe import DESCRIPTION_FILE
from trustkg.store.graphs import split, triples

from ..conftest import FIXTURES
from ..servers import Oxigraph, free_port
from ..sparql.test_queries import rows_of

DESCRIPTION = iris.DATA + "dataset/graph"


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "trustkg.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def publish_cli(store: Path, endpoint: str, *extra: str, env=None) -> subprocess.CompletedProcess:
    return _cli("publish", "--endpoint", endpoint, "--store", str(store), *extra, env=env)


def one_error_line(res: subprocess.CompletedProcess) -> str:
    assert res.returncode == 2, res
    assert "Traceback" not in res.stderr
    lines = res.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("trustkg: error: "), res.stderr
    return lines[0]


def stated_counts(store: Path, base: str = iris.DATA) -> dict[str, int]:
    """Graph name → triples, as the store's own description states them (default base)."""
    graph = rdflib.Graph().parse(store / DESCRIPTION_FILE, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    out = {}
    for subset in graph.subjects(sd.name, None):
        name = str(graph.value(subset, sd.name)).replace(iris.DATA, base, 1)
        out[name] = int(graph.value(subset, void.triples))
    return out


def fetch_graph(server: Oxigraph, name: str) -> rdflib.Graph:
    url = f"{server.base}/store?{urlencode({'graph': name})}"
    req = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(req, timeout=30) as answer:
        return rdflib.Graph().parse(data=answer.read().decode(), format="nt")


def local_graphs(store: Path) -> dict[str, rdflib.Graph]:
    st = open_store(store)
    out = {}
    for part, found in triples(st, split(st)):
        data = pyoxigraph.serialize(found, format=pyoxigraph.RdfFormat.N_TRIPLES).decode()
        out[part.graph()] = rdflib.Graph().parse(data=data, format="nt")
    return out


def quotation_text(server: Oxigraph, quotation: str) -> list[str]:
    q = iris.data_iri("li2018", "quotation", quotation)
    rows = server.select(f"SELECT ?t WHERE {{ <{q}> <{iris.TK}text> ?t }}")
    return [r["t"] for r in rows]


def staging_graphs(server: Oxigraph) -> list[str]:
    return [g for g in server.graph_sizes() if ".staging-" in g]


@pytest.fixture()
def oxigraph(tmp_path):
    server = Oxigraph(tmp_path / "server-db").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def changed_store(tmp_path_factory) -> Path:
    """Version 2: quotation Q03 of the 2018 study reworded, and a second study added."""
    tmp = tmp_path_factory.mktemp("v2")
    li2018 = tmp / "li2018"
    shutil.copytree(next(p for p in bundled_studies() if p.name == "li2018"), li2018)
    table = li2018 / "quotations.csv"
    with open(table, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0])
    for row in rows:
        if row["id"] == "Q03":
            row["text"] = "Reworded for version 2 of the graph."
    with open(table, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    williams = next(p for p in bundled_studies() if p.name == "williams2013")
    store = tmp / "store"
    build([li2018, williams, FIXTURES / "second-study"], include_bundled=False, store=store)
    return store


def test_publish_puts_each_study_in_its_own_graph_and_queries_answer(oxigraph, seed_store):
    res = publish_cli(seed_store, oxigraph.query)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    sizes = oxigraph.graph_sizes()
    expected = stated_counts(seed_store)
    assert {g: n for g, n in sizes.items() if g != DESCRIPTION} == expected
    assert set(sizes) == set(expected) | {DESCRIPTION}
    assert "published 5 graphs" in res.stdout
    # each graph on the server is exactly the local split
    for name, graph in local_graphs(seed_store).items():
        assert isomorphic(fetch_graph(oxigraph, name), graph), name
    # the catalogue answers on the server as on the embedded store
    for name in ("cq04", "cq09", "cq13"):
        remote = run_query(name, endpoint=oxigraph.query)
        local = run_query(name, store=seed_store)
        assert sorted(rows_of(remote)[1:]) == sorted(rows_of(local)[1:]), name


def test_the_published_description_names_the_endpoint(oxigraph, seed_store):
    assert publish_cli(seed_store, oxigraph.query).returncode == 0
    rows = oxigraph.select(
        f"""SELECT ?endpoint ?issued WHERE {{ GRAPH <{DESCRIPTION}> {{
            ?dist <http://rdfs.org/ns/void#sparqlEndpoint> ?endpoint .
            ?version <http://www.w3.org/ns/dcat#distribution> ?dist ;
                     <http://purl.org/dc/terms/issued> ?issued }} }}"""
    )
    assert [r["endpoint"] for r in rows] == [oxigraph.query]
    assert rows[0]["issued"].startswith("20")


def test_republishing_after_a_change_replaces_the_graphs(oxigraph, seed_store, changed_store):
    assert publish_cli(seed_store, oxigraph.query).returncode == 0
    before = quotation_text(oxigraph, "Q03")
    assert len(before) == 1 and "version 2" not in before[0]
    res = publish_cli(changed_store, oxigraph.query)
    assert res.returncode == 0, res.stderr
    assert quotation_text(oxigraph, "Q03") == ["Reworded for version 2 of the graph."]
    sizes = oxigraph.graph_sizes()
    assert {g: n for g, n in sizes.items() if g != DESCRIPTION} == stated_counts(changed_store)
    assert iris.graph_iri("fixture2") in sizes
    assert staging_graphs(oxigraph) == []


def test_publish_through_sparql_update_only(oxigraph, seed_store, monkeypatch):
    """Servers without the Graph Store Protocol: INSERT DATA in pieces, blank nodes intact."""
    import trustkg.publish.publish as pub

    monkeypatch.setattr(pub, "UPDATE_CHUNK_BYTES", 20_000)  # many pieces even on the seed
    summary = pub.publish(oxigraph.query, store=seed_store, use_gsp=False)
    assert len(summary.graphs) == 5
    for name, graph in local_graphs(seed_store).items():
        assert isomorphic(fetch_graph(oxigraph, name), graph), name
    assert any(
        isinstance(s, rdflib.BNode) for s in fetch_graph(oxigraph, iris.ONTOLOGY_GRAPH).subjects()
    )


def test_graph_names_follow_the_base(oxigraph, seed_store):
    res = publish_cli(seed_store, oxigraph.query, "--graph", "https://example.org/kg")
    assert res.returncode == 0, res.stderr
    sizes = oxigraph.graph_sizes()
    base = "https://example.org/kg/"
    assert {g: n for g, n in sizes.items() if g != base + "dataset/graph"} == stated_counts(
        seed_store, base
    )
    names = oxigraph.select(
        f"SELECT ?g WHERE {{ GRAPH <{base}dataset/graph> {{ ?s "
        "<http://www.w3.org/ns/sparql-service-description#name> ?g } }"
    )
    assert {r["g"] for r in names} == set(stated_counts(seed_store, base))


class KillingRelay:
    """A loopback relay in front of a real server: it passes each connection through, and when
    the ``kill_at``-th request whose first line starts with ``request`` arrives (by default an
    upload, ``PUT``), it kills the server and stops listening."""

    def __init__(self, server: Oxigraph, kill_at: int, request: bytes = b"PUT ") -> None:
        self.server = server
        self.kill_at = kill_at
        self.request = request
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.seen = 0
        self.killed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            head = _recv_until(conn, b"\r\n", 1)  # byte by byte: the rest is forwarded
            if head.startswith(self.request):
                self.seen += 1
                if self.seen == self.kill_at:
                    self.server.kill()
                    self.killed.set()
                    conn.close()
                    self.listener.close()
                    return
            upstream = socket.create_connection(("127.0.0.1", self.server.port))
            upstream.sendall(head)
            threading.Thread(target=_pipe, args=(conn, upstream), daemon=True).start()
            threading.Thread(target=_pipe, args=(upstream, conn), daemon=True).start()


def _recv_until(conn: socket.socket, marker: bytes, size: int) -> bytes:
    """What ``conn`` sends until ``marker`` has arrived (or the peer closes), ``size`` bytes
    at a time."""
    data = b""
    while marker not in data:
        chunk = conn.recv(size)
        if not chunk:
            break
        data += chunk
    return data


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while chunk := src.recv(65536):
            dst.sendall(chunk)
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def test_a_server_stopped_half_way_keeps_the_old_graphs(tmp_path, seed_store, changed_store):
    server = Oxigraph(tmp_path / "server-db").start()
    try:
        assert publish_cli(seed_store, server.query).returncode == 0
        v1_sizes = server.graph_sizes()
        v1_q03 = quotation_text(server, "Q03")

        relay = KillingRelay(server, kill_at=2)
        res = publish_cli(changed_store, f"http://127.0.0.1:{relay.port}/query")
        assert relay.killed.is_set(), "the server was not stopped half-way"
        line = one_error_line(res)
        assert "failed while uploading" in line and "published graphs are unchanged" in line
        assert "staged https://w3id.org/trustkg/data/fixture2/graph" in res.stdout

        server.start()  # the same folder, as after a crash and a restart
        survivors = server.graph_sizes()
        assert {g: n for g, n in survivors.items() if ".staging-" not in g} == v1_sizes
        assert quotation_text(server, "Q03") == v1_q03
        assert iris.graph_iri("fixture2") not in survivors
        assert len(staging_graphs(server)) == 1  # the upload that got through, never moved

        # publishing again tidies up and gives version 2
        res = publish_cli(changed_store, server.query)
        assert res.returncode == 0, res.stderr
        assert "removed 1 staging graph(s)" in res.stdout
        assert staging_graphs(server) == []
        assert quotation_text(server, "Q03") == ["Reworded for version 2 of the graph."]
    finally:
        server.stop()


def test_an_unreachable_server_is_one_line(seed_store):
    line = one_error_line(publish_cli(seed_store, f"http://127.0.0.1:{free_port()}/query"))
    assert "cannot reach" in line


def test_a_missing_store_is_one_line(tmp_path):
    line = one_error_line(publish_cli(tmp_path / "none", "http://127.0.0.1:1/query"))
    assert "trustkg build" in line


def test_a_wrong_graph_store_address_is_one_line_and_changes_nothing(oxigraph, seed_store):
    assert publish_cli(seed_store, oxigraph.query).returncode == 0
    before = oxigraph.graph_sizes()
    res = publish_cli(seed_store, oxigraph.query, "--gsp", oxigraph.base + "/no-such-store")
    line = one_error_line(res)
    assert "404" in line and "--gsp" in line and "unchanged" in line
    assert oxigraph.graph_sizes() == before


def test_credentials_in_the_address_are_refused_and_not_repeated(seed_store):
    res = publish_cli(seed_store, "http://bob:hunter2@127.0.0.1:1/query")
    line = one_error_line(res)
    assert "hunter2" not in res.stderr + res.stdout
    assert "TRUSTKG_ENDPOINT_USER" in line


def test_credentials_are_sent_and_never_printed(seed_store):
    """A loopback peer that records what trustkg sends: an empty answer to the query for
    leftover staging graphs, then 401 to the first upload."""
    import base64
    import json

    seen: list[bytes] = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]

    def answer() -> None:
        empty = json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": []}}).encode()
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            conn.settimeout(10)
            request = _recv_until(conn, b"\r\n\r\n", 65536)
            head, _, body = request.partition(b"\r\n\r\n")
            length = next(
                (
                    int(h.split(b":")[1])
                    for h in head.split(b"\r\n")
                    if h.lower().startswith(b"content-length:")
                ),
                0,
            )
            while len(body) < length:  # read the whole upload before answering it
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            seen.append(request)
            if request.startswith(b"PUT"):
                reply = b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n"
            else:
                reply = (
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                    + f"Content-Length: {len(empty)}\r\n".encode()
                )
            conn.sendall(reply + b"Connection: close\r\n\r\n" + (b"" if b"401" in reply else empty))
            conn.close()

    threading.Thread(target=answer, daemon=True).start()
    try:
        env = {"TRUSTKG_ENDPOINT_USER": "alice", "TRUSTKG_ENDPOINT_PASSWORD": "s3cret-pw"}
        res = publish_cli(seed_store, f"http://127.0.0.1:{port}/query", env=env)
    finally:
        listener.close()
    line = one_error_line(res)
    assert "refused the credentials (401)" in line
    assert "s3cret-pw" not in res.stdout + res.stderr
    token = base64.b64encode(b"alice:s3cret-pw")
    put = next(r for r in seen if r.startswith(b"PUT"))
    assert b"Authorization: Basic " + token in put


def test_a_bad_graph_base_is_refused(seed_store):
    with pytest.raises(TrustkgError, match="not an absolute IRI"):
        from trustkg.publish.publish import publish

        publish("http://127.0.0.1:1/query", store=seed_store, base="not an iri")


def test_a_wrong_update_address_fails_before_any_upload(oxigraph, seed_store):
    assert publish_cli(seed_store, oxigraph.query).returncode == 0
    before = oxigraph.graph_sizes()
    res = publish_cli(seed_store, oxigraph.query, "--update", oxigraph.base + "/no-update")
    line = one_error_line(res)
    assert "--update" in line and "nothing was published" in line
    assert res.stdout == ""
    assert oxigraph.graph_sizes() == before


def test_graph_by_graph_switch_replaces_each_graph_whole(tmp_path, seed_store, changed_store):
    """Above SWITCH_TOGETHER_TRIPLES each graph moves in its own request; a server killed
    between two moves leaves every graph whole, old or new, and says how many were replaced."""
    import trustkg.publish.publish as pub

    server = Oxigraph(tmp_path / "server-db").start()
    saved = pub.SWITCH_TOGETHER_TRIPLES
    try:
        pub.SWITCH_TOGETHER_TRIPLES = 0
        pub.publish(server.query, store=seed_store)
        v1 = server.graph_sizes()
        assert {g: n for g, n in v1.items() if g != DESCRIPTION} == stated_counts(seed_store)
        # updates: the harmless probe, then MOVE fixture2, then MOVE li2018 (killed)
        relay = KillingRelay(server, kill_at=3, request=b"POST /update")
        with pytest.raises(TrustkgError) as err:
            pub.publish(f"http://127.0.0.1:{relay.port}/query", store=changed_store)
        assert relay.killed.is_set()
        message = str(err.value)
        assert "1 of 6 graphs had been replaced" in message and "\n" not in message
        server.start()
        now = server.graph_sizes()
        v2 = stated_counts(changed_store)
        assert now[iris.graph_iri("fixture2")] == v2[iris.graph_iri("fixture2")]
        for graph, n in now.items():
            if ".staging-" not in graph and graph != iris.graph_iri("fixture2"):
                assert n == v1[graph], graph
        assert quotation_text(server, "Q03") != ["Reworded for version 2 of the graph."]
        pub.publish(server.query, store=changed_store)
        assert quotation_text(server, "Q03") == ["Reworded for version 2 of the graph."]
        assert staging_graphs(server) == []
    finally:
        pub.SWITCH_TOGETHER_TRIPLES = saved
        server.stop()
