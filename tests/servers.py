"""Real servers on 127.0.0.1 for the serve, publish and query tests: free ports, a writable
Oxigraph server and (in :mod:`tests.virtuoso`) a Virtuoso Open Source, each on a folder of the
test's own, that can be killed and started again on the same folder; and a CLI run in the
background whose output lines can be waited for.

Both servers answer the same few calls (:class:`SparqlServer`), so a test parametrised over
them reads the same on either. Every process started here is recorded, and the session's
teardown (``tests/conftest.py``) checks that none is left running.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

#: every server process these helpers started and have not yet seen stop
RUNNING: set[subprocess.Popen] = set()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def oxigraph_binary() -> str:
    from trustkg.publish.serve import oxigraph_binary as find

    return find()


def wait_for_endpoint(url: str, proc: subprocess.Popen, limit: float = 30) -> bool:
    """True once ``url`` answers ``ASK {}``; False if the process ends or ``limit`` passes."""
    deadline = time.monotonic() + limit
    probe = url + "?" + urlencode({"query": "ASK {}"})
    while True:
        try:
            urllib.request.urlopen(probe, timeout=2).read()
            return True
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                return False
            time.sleep(0.1)


def reap(proc: subprocess.Popen, group: bool = False) -> None:
    """SIGKILL (the process group, for servers started in a session of their own) and wait."""
    if proc.poll() is None:
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    proc.wait(timeout=30)
    RUNNING.discard(proc)


def stop_everything_left() -> list[str]:
    """Kill every server still running; the commands of those that were (for the report)."""
    left = [" ".join(map(str, p.args)) for p in RUNNING if p.poll() is None]
    for proc in list(RUNNING):
        try:
            reap(proc, group=True)
        except (ProcessLookupError, PermissionError):
            reap(proc)
    return left


class SparqlServer:
    """What the tests need of a server, whichever it is."""

    kind = ""
    proc: subprocess.Popen | None = None
    port = 0  # the HTTP port

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        """The query endpoint trustkg is given."""
        raise NotImplementedError

    @property
    def env(self) -> dict[str, str]:
        """The environment a trustkg command needs to update this server."""
        return {}

    @property
    def gsp_path(self) -> bytes:
        """The start of a Graph Store Protocol upload's request line."""
        raise NotImplementedError

    def _opener(self) -> urllib.request.OpenerDirector:
        return urllib.request.build_opener()

    def select(self, text: str) -> list[dict[str, str]]:
        """Run a SELECT (anonymously, on the query endpoint) and return plain string rows."""
        data = urlencode({"query": text}).encode()
        req = urllib.request.Request(
            self.endpoint, data=data, headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(req, timeout=60) as answer:
            doc = json.load(answer)
        return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]

    def graph_sizes(self, under: str = "https://") -> dict[str, int]:
        """Triples per named graph, for the graphs whose names start with ``under`` (which
        leaves out Virtuoso's own system graphs)."""
        rows = self.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER(STRSTARTS(STR(?g), "{under}")) }} GROUP BY ?g'
        )
        return {r["g"]: int(r["n"]) for r in rows}

    def graph_text(self, name: str) -> str:
        """The named graph as N-Triples, through the Graph Store Protocol."""
        raise NotImplementedError

    @property
    def update_address(self) -> str:
        raise NotImplementedError

    def update(self, text: str) -> None:
        """Run a SPARQL Update (as the administrator, on Virtuoso)."""
        req = urllib.request.Request(
            self.update_address,
            data=text.encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/sparql-update"},
        )
        with self._opener().open(req, timeout=120) as answer:
            answer.read()

    def kill(self) -> None:
        """Stop at once, as a crash or a pulled plug would (SIGKILL)."""
        if self.proc is not None:
            reap(self.proc, group=True)

    def start(self) -> SparqlServer:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class Oxigraph(SparqlServer):
    """A writable ``oxigraph serve`` on a folder, with its union as default graph, as a team's
    shared server would be set up for trustkg's queries."""

    kind = "oxigraph"
    gsp_path = b"POST /store"

    def __init__(self, location: Path) -> None:
        self.location = location
        self.proc = None
        self.port = 0

    @property
    def query(self) -> str:
        return self.base + "/query"

    @property
    def endpoint(self) -> str:
        return self.query

    @property
    def update_address(self) -> str:
        return self.base + "/update"

    def start(self) -> Oxigraph:
        self.port = free_port()
        self.proc = subprocess.Popen(
            [
                oxigraph_binary(),
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--union-default-graph",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        RUNNING.add(self.proc)
        if not wait_for_endpoint(self.query, self.proc):
            reap(self.proc, group=True)
            pytest.fail(f"the server at {self.query} did not start")
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if self.proc is not None:
            reap(self.proc, group=True)

    def graph_text(self, name: str) -> str:
        url = f"{self.base}/store?{urlencode({'graph': name})}"
        req = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
        with urllib.request.urlopen(req, timeout=60) as answer:
            return answer.read().decode("utf-8")

    def load(self, body: bytes, content_type: str, graph: str | None) -> None:
        """Load a file through the Graph Store Protocol: into ``graph``, or (a dataset
        format, ``graph`` None) into the graphs it names."""
        url = f"{self.base}/store" + (f"?{urlencode({'graph': graph})}" if graph else "")
        req = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": content_type}
        )
        urllib.request.urlopen(req, timeout=120).read()


class Background:
    """A trustkg command running in the background, its stdout read line by line."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "trustkg.cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, start: str, limit: float = 60) -> str:
        """The first output line that starts with ``start`` (after stripping spaces)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            self.seen.append(line)
            if line.strip().startswith(start):
                return line
        err = self.proc.stderr.read() if self.proc.poll() is not None else ""
        pytest.fail(f"no line starting {start!r}; saw {self.seen!r}; stderr {err!r}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
        return self.proc.wait(timeout=20)
