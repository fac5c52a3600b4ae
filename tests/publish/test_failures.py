"""`trustkg publish` when things go wrong: a server killed half-way through a publish (while
uploading, and between two moves), a server that cannot be reached, credentials in the address
or refused by the server.

The server is killed by a relay that passes requests through to it and kills it when a chosen
request arrives; after a restart on the same folder the old graphs must be there, whole, and
publishing again must finish the job. Each test runs on a real Oxigraph server and a real
Virtuoso of its own.
"""

from __future__ import annotations

import socket
import threading

import pytest

from trustkg.core import iris
from trustkg.core.errors import TrustkgError

from ..conftest import SERVER_KINDS, start_server
from ..servers import SparqlServer, free_port
from .conftest import V2_Q03
from .test_publish import (
    DESCRIPTION,
    one_error_line,
    publish_cli,
    quotation_text,
    staging_graphs,
    stated_counts,
)

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
