"""Real servers on 127.0.0.1 for the serve and publish tests: free ports, a writable Oxigraph
server that can be stopped and started again on the same folder, and a CLI run in the
background whose output lines can be waited for."""

from __future__ import annotations

import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest


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


def wait_for_endpoint(url: str, proc: subprocess.Popen, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    probe = url + "?" + urlencode({"query": "ASK {}"})
    while True:
        try:
            urllib.request.urlopen(probe, timeout=2).read()
            return
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail(f"the server at {url} did not start")
            time.sleep(0.1)


class Oxigraph:
    """A writable ``oxigraph serve`` on a folder, with its union as default graph, as a team's
    shared server would be set up for trustkg's queries."""

    def __init__(self, location: Path) -> None:
        self.location = location
        self.proc: subprocess.Popen | None = None
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query(self) -> str:
        return self.base + "/query"

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
        )
        wait_for_endpoint(self.query, self.proc)
        return self

    def kill(self) -> None:
        """Stop at once, as a crash or a pulled plug would (SIGKILL)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def select(self, text: str) -> list[dict[str, str]]:
        """Run a SELECT and return plain string rows."""
        import json

        data = urlencode({"query": text}).encode()
        req = urllib.request.Request(
            self.query, data=data, headers={"Accept": "application/sparql-results+json"}
        )
        with urllib.request.urlopen(req, timeout=30) as answer:
            doc = json.load(answer)
        return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]

    def graph_sizes(self) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {r["g"]: int(r["n"]) for r in rows}


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
