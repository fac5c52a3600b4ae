"""`trustkg publish`: the built graph on a real SPARQL server, one named graph per study.

Every test runs against a real, writable Oxigraph server and a real Virtuoso Open Source on
127.0.0.1, each in its ordinary set-up: Oxigraph with its union as default graph and no login;
Virtuoso as Debian installs it, where only a login may update, by Digest, on its ``-auth``
addresses. The servers are shared (tests/conftest.py: ``scratch``), so each test publishes
under a graph base of its own. A server is also killed half-way through a publish, by a relay
that passes requests through to it and kills it when a chosen request arrives; after a restart
on the same folder the old graphs must be there, whole.
"""

from __future__ import annotations

import csv
import re
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from trustkg.core import iris
from trustkg.core.errors import TrustkgError
from trustkg.core.resources import bundled_studies
from trustkg.store import open_store
from trustkg.store.build import build
from trustkg.store.describe import DESCRIPTION_FILE
from trustkg.store.graphs import split, triples

from ..conftest import FIXTURES, SERVER_KINDS, publish_to
from ..servers import SparqlServer, free_port, start_server

DESCRIPTION = iris.DATA + "dataset/graph"
V2_Q03 = "Reworded for version 2 of the graph."


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
    """Graph name → triples, as the store's own description states them."""
    graph = rdflib.Graph().parse(store / DESCRIPTION_FILE, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    out = {}
    for subset in graph.subjects(sd.name, None):
        name = str(graph.value(subset, sd.name)).replace(iris.DATA, base, 1)
        out[name] = int(graph.value(subset, void.triples))
    return out


def fetch_graph(server: SparqlServer, name: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=server.graph_text(name), format="nt")


def local_graphs(store: Path, base: str = iris.DATA) -> dict[str, rdflib.Graph]:
    st = open_store(store)
    out = {}
    for part, found in triples(st, split(st)):
        data = pyoxigraph.serialize(found, format=pyoxigraph.RdfFormat.N_TRIPLES).decode()
        out[part.graph(base)] = rdflib.Graph().parse(data=data, format="nt")
    return out


def quotation_text(server: SparqlServer, quotation: str, base: str = iris.DATA) -> list[str]:
    """The text of a quotation in the study graph under ``base`` (the shared servers hold the
    same quotation under other bases too)."""
    q = iris.data_iri("li2018", "quotation", quotation)
    rows = server.select(
        f"SELECT ?t WHERE {{ GRAPH <{base}li2018/graph> {{ <{q}> <{iris.TK}text> ?t }} }}"
    )
    return [r["t"] for r in rows]


def staging_graphs(server: SparqlServer, base: str = iris.DATA) -> list[str]:
    return [g for g in server.graph_sizes(base) if ".staging-" in g]


@pytest.fixture()
def base(request: pytest.FixtureRequest) -> str:
    """A graph base of this test's own, so tests can share a server."""
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")
    return f"https://example.org/tests/{name}/"


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
            row["text"] = V2_Q03
    with open(table, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    williams = next(p for p in bundled_studies() if p.name == "williams2013")
    store = tmp / "store"
    build([li2018, williams, FIXTURES / "second-study"], include_bundled=False, store=store)
    return store


def test_publish_puts_each_study_in_its_own_graph(scratch, seed_store):
    """The default graph names, on each server: each graph is exactly the local split, and
    the description names the endpoint."""
    res = publish_cli(seed_store, scratch.endpoint, env=scratch.env)
    assert res.returncode == 0, res.stderr
    assert res.stderr == ""
    assert f"server: {scratch.kind}" in res.stdout
    assert "published 5 graphs" in res.stdout
    sizes = scratch.graph_sizes(iris.DATA)
    expected = stated_counts(seed_store)
    assert {g: n for g, n in sizes.items() if g != DESCRIPTION} == expected
    assert set(sizes) == set(expected) | {DESCRIPTION}
    for name, graph in local_graphs(seed_store).items():
        assert isomorphic(fetch_graph(scratch, name), graph), name
    rows = scratch.select(
        f"""SELECT ?endpoint ?issued WHERE {{ GRAPH <{DESCRIPTION}> {{
            ?dist <http://rdfs.org/ns/void#sparqlEndpoint> ?endpoint .
            ?version <http://www.w3.org/ns/dcat#distribution> ?dist ;
                     <http://purl.org/dc/terms/issued> ?issued }} }}"""
    )
    assert [r["endpoint"] for r in rows] == [scratch.endpoint]
    assert rows[0]["issued"].startswith("20")


def test_graph_names_follow_the_base(scratch, seed_store, base):
    res = publish_cli(seed_store, scratch.endpoint, "--graph", base, env=scratch.env)
    assert res.returncode == 0, res.stderr
    sizes = scratch.graph_sizes(base)
    assert {g: n for g, n in sizes.items() if g != base + "dataset/graph"} == stated_counts(
        seed_store, base
    )
    names = scratch.select(
        f"SELECT ?g WHERE {{ GRAPH <{base}dataset/graph> {{ ?s "
        "<http://www.w3.org/ns/sparql-service-description#name> ?g } }"
    )
    assert {r["g"] for r in names} == set(stated_counts(seed_store, base))


def test_republishing_after_a_change_replaces_the_graphs(scratch, seed_store, changed_store, base):
    assert (
        publish_cli(seed_store, scratch.endpoint, "--graph", base, env=scratch.env).returncode == 0
    )
    before = quotation_text(scratch, "Q03", base)
    assert len(before) == 1 and "version 2" not in before[0]
    res = publish_cli(changed_store, scratch.endpoint, "--graph", base, env=scratch.env)
    assert res.returncode == 0, res.stderr
    assert quotation_text(scratch, "Q03", base) == [V2_Q03]
    sizes = scratch.graph_sizes(base)
    described = base + "dataset/graph"
    assert {g: n for g, n in sizes.items() if g != described} == stated_counts(changed_store, base)
    assert base + "fixture2/graph" in sizes
    assert staging_graphs(scratch, base) == []


def test_publish_through_sparql_update_only(scratch, seed_store, base, monkeypatch):
    """Servers without the Graph Store Protocol: SPARQL Update in pieces, blank nodes intact.

    On Virtuoso the 2018 study's 5,195 triples go in pieces of 1,000 (its SPARQL compiler fails
    on one INSERT DATA of them: SP030 memory exhausted) and the ontology's blank nodes through
    INSERT ... WHERE {} (it refuses them in INSERT DATA). On Oxigraph the pieces are made small
    by size, so that blank nodes would break if they were split across requests.
    """
    from trustkg.publish import transfer

    if scratch.kind == "oxigraph":
        monkeypatch.setattr(transfer, "UPDATE_PIECE_BYTES", 20_000)
    summary = publish_to(scratch, seed_store, base=base, use_gsp=False)
    assert len(summary.graphs) == 5 and summary.server == scratch.kind
    for name, graph in local_graphs(seed_store, base).items():
        assert isomorphic(fetch_graph(scratch, name), graph), name
    ontology = fetch_graph(scratch, base + "ontology/graph")
    assert any(isinstance(s, rdflib.BNode) for s in ontology.subjects())


def test_a_wrong_graph_store_address_is_one_line_and_changes_nothing(scratch, seed_store, base):
    assert (
        publish_cli(seed_store, scratch.endpoint, "--graph", base, env=scratch.env).returncode == 0
    )
    before = scratch.graph_sizes(base)
    res = publish_cli(
        seed_store,
        scratch.endpoint,
        "--graph",
        base,
        "--gsp",
        scratch.base + "/no-such-store",
        env=scratch.env,
    )
    line = one_error_line(res)
    assert "404" in line and "--gsp" in line and "unchanged" in line
    assert "<" not in line  # Virtuoso's HTML error page, reduced to its words
    assert scratch.graph_sizes(base) == before


def test_a_wrong_update_address_fails_before_any_upload(scratch, seed_store, base):
    assert (
        publish_cli(seed_store, scratch.endpoint, "--graph", base, env=scratch.env).returncode == 0
    )
    before = scratch.graph_sizes(base)
    res = publish_cli(
        seed_store,
        scratch.endpoint,
        "--graph",
        base,
        "--update",
        scratch.base + "/no-update",
        env=scratch.env,
    )
    line = one_error_line(res)
    assert "--update" in line and "nothing was published" in line
    assert res.stdout == ""
    assert scratch.graph_sizes(base) == before


# -- Virtuoso's logins --------------------------------------------------------------------------


only_virtuoso = pytest.mark.parametrize("scratch", ["virtuoso"], indirect=True)


@only_virtuoso
def test_virtuoso_without_a_login_says_how_to_get_one(scratch, seed_store, base):
    virtuoso = scratch
    """Virtuoso's anonymous /sparql may not update (it answers 500 SR186:SECURITY)."""
    res = publish_cli(seed_store, virtuoso.endpoint, "--graph", base)
    line = one_error_line(res)
    assert "does not let this login update" in line and "nothing was published" in line
    assert "-auth" in line and "GRANT SPARQL_UPDATE" in line
    assert virtuoso.graph_sizes(base) == {}


@only_virtuoso
def test_virtuoso_refuses_a_wrong_password_and_it_is_not_shown(scratch, seed_store, base):
    virtuoso = scratch
    env = {**virtuoso.env, "TRUSTKG_ENDPOINT_PASSWORD": "not-the-pa55word"}
    res = publish_cli(seed_store, virtuoso.endpoint, "--graph", base, env=env)
    line = one_error_line(res)
    assert "sparql-auth refused the credentials (401)" in line
    assert "not-the-pa55word" not in res.stdout + res.stderr
    assert virtuoso.graph_sizes(base) == {}


@only_virtuoso
def test_virtuoso_after_a_grant_takes_anonymous_updates(scratch, seed_store, base):
    virtuoso = scratch
    """The other documented set-up: GRANT SPARQL_UPDATE TO "SPARQL" (then /sparql and
    /sparql-graph-crud take updates without a login)."""
    virtuoso.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
    try:
        res = publish_cli(seed_store, virtuoso.endpoint, "--graph", base)
        assert res.returncode == 0, res.stderr
        assert (
            f"updates to {virtuoso.base}/sparql, graphs to {virtuoso.base}/sparql-graph-crud\n"
            in res.stdout
        )
        assert {
            g: n for g, n in virtuoso.graph_sizes(base).items() if not g.endswith("dataset/graph")
        } == stated_counts(seed_store, base)
    finally:
        virtuoso.isql('REVOKE SPARQL_UPDATE FROM "SPARQL";')


@only_virtuoso
def test_virtuoso_a_login_of_its_own_once_granted_the_right(scratch, seed_store, base):
    """The set-up docs/servers.md recommends: a user for trustkg, granted SPARQL_UPDATE."""
    virtuoso = scratch
    env = {"TRUSTKG_ENDPOINT_USER": "trustkg", "TRUSTKG_ENDPOINT_PASSWORD": "tk-pa55word"}
    virtuoso.isql("DB.DBA.USER_CREATE ('trustkg', 'tk-pa55word');")
    try:
        line = one_error_line(publish_cli(seed_store, virtuoso.endpoint, "--graph", base, env=env))
        assert "does not let this login update" in line
        virtuoso.isql('GRANT SPARQL_UPDATE TO "trustkg";')
        res = publish_cli(seed_store, virtuoso.endpoint, "--graph", base, env=env)
        assert res.returncode == 0, res.stderr
        assert "tk-pa55word" not in res.stdout + res.stderr
        assert {
            g: n for g, n in virtuoso.graph_sizes(base).items() if not g.endswith("dataset/graph")
        } == stated_counts(seed_store, base)
    finally:
        virtuoso.isql("DB.DBA.USER_DROP ('trustkg', 1);")


# -- a server killed half-way ----------------------------------------------------------------


class KillingRelay:
    """A loopback relay in front of a real server: it passes each connection through, and when
    the ``kill_at``-th request whose request line starts with ``request`` arrives (counting
    only those that carry credentials, with ``signed``), it kills the server and stops
    listening."""

    def __init__(
        self, server: SparqlServer, kill_at: int, request: bytes, signed: bool = False
    ) -> None:
        self.server = server
        self.kill_at = kill_at
        self.request = request
        self.signed = signed
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.seen = 0
        self.killed = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def endpoint(self) -> str:
        return self.server.endpoint.replace(f":{self.server.port}/", f":{self.port}/")

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            head = _recv_until(conn, b"\r\n\r\n", 1)  # byte by byte: the body is forwarded
            counted = head.startswith(self.request) and (
                not self.signed or b"\r\nauthorization:" in head.lower()
            )
            if counted:
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


@pytest.fixture(params=SERVER_KINDS)
def own_server(request, tmp_path):
    """A server of each kind for this test alone: it is killed and started again."""
    server = start_server(request.param, tmp_path / "server-db")
    yield server
    server.stop()


def test_a_server_stopped_half_way_keeps_the_old_graphs(own_server, seed_store, changed_store):
    server = own_server
    assert publish_cli(seed_store, server.endpoint, env=server.env).returncode == 0
    v1_sizes = server.graph_sizes()
    v1_q03 = quotation_text(server, "Q03")

    # the second upload: Virtuoso's carry Digest credentials from the first request on
    relay = KillingRelay(server, 2, server.gsp_path, signed=server.kind == "virtuoso")
    res = publish_cli(changed_store, relay.endpoint, env=server.env)
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
    res = publish_cli(changed_store, server.endpoint, env=server.env)
    assert res.returncode == 0, res.stderr
    assert "removed 1 staging graph(s)" in res.stdout
    assert staging_graphs(server) == []
    assert quotation_text(server, "Q03") == [V2_Q03]


def test_graph_by_graph_switch_replaces_the_graphs_before_the_failure(
    own_server, seed_store, changed_store, monkeypatch
):
    """Graph by graph (Oxigraph above SWITCH_TOGETHER_TRIPLES; Virtuoso always), a server
    killed between two moves leaves the graphs moved so far new and every other one as it
    was, and the message says how many were replaced and what the one in flight may be."""
    import trustkg.publish.publish as pub

    server = own_server
    monkeypatch.setattr(pub, "SWITCH_TOGETHER_TRIPLES", 0)
    for name, value in server.env.items():
        monkeypatch.setenv(name, value)
    pub.publish(server.endpoint, store=seed_store)
    v1 = server.graph_sizes()
    assert {g: n for g, n in v1.items() if g != DESCRIPTION} == stated_counts(seed_store)
    # updates: the harmless probe, then MOVE fixture2, then MOVE li2018 (killed on arrival)
    update = b"POST " + server.update_address.removeprefix(server.base).encode()
    relay = KillingRelay(server, 3, update, signed=server.kind == "virtuoso")
    with pytest.raises(TrustkgError) as err:
        pub.publish(relay.endpoint, store=changed_store)
    assert relay.killed.is_set()
    message = str(err.value)
    assert "1 of 6 graphs had been replaced" in message and "\n" not in message
    if server.kind == "virtuoso":
        assert "may be half moved (Virtuoso's MOVE is not atomic)" in message
    else:
        assert "each whole" in message
    server.start()
    now = server.graph_sizes()
    v2 = stated_counts(changed_store)
    assert now[iris.graph_iri("fixture2")] == v2[iris.graph_iri("fixture2")]
    for graph, n in now.items():
        if ".staging-" not in graph and graph != iris.graph_iri("fixture2"):
            assert n == v1[graph], graph
    assert quotation_text(server, "Q03") != [V2_Q03]
    pub.publish(server.endpoint, store=changed_store)
    assert quotation_text(server, "Q03") == [V2_Q03]
    assert staging_graphs(server) == []


# -- failures that need no server -------------------------------------------------------------


def test_an_unreachable_server_is_one_line(seed_store):
    line = one_error_line(publish_cli(seed_store, f"http://127.0.0.1:{free_port()}/query"))
    assert "cannot reach" in line


def test_a_missing_store_is_one_line(tmp_path):
    line = one_error_line(publish_cli(tmp_path / "none", "http://127.0.0.1:1/query"))
    assert "trustkg build" in line


def test_credentials_in_the_address_are_refused_and_not_repeated(seed_store):
    res = publish_cli(seed_store, "http://bob:hunter2@127.0.0.1:1/query")
    line = one_error_line(res)
    assert "hunter2" not in res.stderr + res.stdout
    assert "TRUSTKG_ENDPOINT_USER" in line


def test_credentials_are_sent_when_asked_and_never_printed(seed_store):
    """A loopback peer that records what trustkg sends: answers to the queries and updates,
    then to each upload a 401 that asks for HTTP Basic credentials. trustkg must answer the
    challenge with them, and say the server refused them when it asks again."""
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
            if request.startswith(b"POST /store"):
                reply = (
                    b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n"
                    b'WWW-Authenticate: Basic realm="test"\r\n'
                )
                payload = b""
            else:
                reply = (
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                    + f"Content-Length: {len(empty)}\r\n".encode()
                )
                payload = empty
            conn.sendall(reply + b"Connection: close\r\n\r\n" + payload)
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
    uploads = [r for r in seen if r.startswith(b"POST /store")]
    assert b"Authorization" not in uploads[0]  # not offered before the server asked
    assert b"Authorization: Basic " + token in uploads[1]


def test_a_bad_graph_base_is_refused(seed_store):
    with pytest.raises(TrustkgError, match="not an absolute IRI"):
        from trustkg.publish.publish import publish

        publish("http://127.0.0.1:1/query", store=seed_store, base="not an iri")
