"""Real servers on 127.0.0.1 for the serve, publish and query tests: free ports, a writable
Oxigraph server and a Virtuoso Open Source (Debian's ``virtuoso-opensource``), each on a folder
of the test's own, that can be killed and started again on the same folder; and a CLI run in
the background whose output lines can be waited for.

Both servers answer the same few calls (:class:`SparqlServer`), so a test parametrised over
them reads the same on either. Every process started here is recorded, and the session's
teardown (``tests/conftest.py``) checks that none is left running.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
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
#: the Virtuoso administrator of a throw-away test database (loopback only)
VIRTUOSO_LOGIN = ("dba", "dba")


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


def _reap(proc: subprocess.Popen, group: bool = False) -> None:
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
            _reap(proc, group=True)
        except (ProcessLookupError, PermissionError):
            _reap(proc)
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
            _reap(self.proc, group=True)

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
            _reap(self.proc, group=True)
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
            _reap(self.proc, group=True)

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


VIRTUOSO_INI = """\
; written by trustkg's tests: a throw-away Virtuoso on loopback, every file in this folder
[Database]
DatabaseFile       = {dir}/virtuoso.db
ErrorLogFile       = {dir}/virtuoso.log
LockFile           = {dir}/virtuoso.lck
TransactionFile    = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {dir}/virtuoso-temp.db
TransactionFile    = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
DisableUnixSocket        = 1
MaxClientConnections     = 10
CheckpointInterval       = 60
O_DIRECT                 = 0
CaseMode                 = 2
MaxStaticCursorRows      = 5000
AllowOSCalls             = 0
SchedulerInterval        = 10
; the folders TTLP(file_to_string_output(...)) and the bulk loader (ld_dir) may read
DirsAllowed              = ., {dir}, {load_dir}
ThreadCleanupInterval    = 0
ThreadThreshold          = 10
ResourcesCleanupInterval = 0
MaxQueryMem              = 500M
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 10
; 8 KB pages: about 160 MB of page cache
NumberOfBuffers          = 20000
MaxDirtyBuffers          = 15000

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {dir}/vsp
MaxClientConnections        = 10
DavRoot                     = DAV
EnabledDavVSP               = 0
HTTPProxyEnabled            = 0
ServerThreads               = 10
MaxKeepAlives               = 10
KeepAliveTimeout            = 10
HTTPThreadSize              = 280000
Charset                     = UTF-8
EnabledGzipContent          = 0

[SPARQL]
; 10000 as in Debian's configuration: longer answers are cut short (and say so only in an
; X-SPARQL-MaxRows header), which trustkg must notice
ResultSetMaxRows           = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 300
"""


def virtuoso_binaries() -> tuple[str, str]:
    found = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not all(found):
        pytest.fail(
            "virtuoso-t or isql-vt is missing: apt-get install virtuoso-opensource (.ci/run does)"
        )
    return found  # type: ignore[return-value]


class Virtuoso(SparqlServer):
    """A ``virtuoso-t`` on a folder of its own: its configuration, database, logs and lock
    are all written there; it listens on two free loopback ports (HTTP and SQL) and keeps
    them across a restart, so its addresses stay valid after a crash. Queries go to the
    anonymous ``/sparql``; updates need the ``dba`` login, by Digest, on the ``-auth``
    addresses, as Virtuoso is set up out of the box."""

    kind = "virtuoso"
    gsp_path = b"POST /sparql-graph-crud-auth"

    def __init__(self, folder: Path, load_dir: Path | None = None, max_rows: int = 10_000):
        self.folder = Path(folder)
        self.load_dir = load_dir or self.folder
        self.max_rows = max_rows
        self.proc = None
        self.port = self.sql_port = 0

    @property
    def endpoint(self) -> str:
        return self.base + "/sparql"

    @property
    def update_address(self) -> str:
        return self.base + "/sparql-auth"

    @property
    def env(self) -> dict[str, str]:
        user, password = VIRTUOSO_LOGIN
        return {"TRUSTKG_ENDPOINT_USER": user, "TRUSTKG_ENDPOINT_PASSWORD": password}

    def _opener(self) -> urllib.request.OpenerDirector:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, self.base + "/", *VIRTUOSO_LOGIN)
        return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords))

    def start(self) -> Virtuoso:
        """Start and wait until /sparql answers (1.5 to 5 s). A first start takes two free
        ports, and two others if one was taken in between (the server then exits at once)."""
        virtuoso, _ = virtuoso_binaries()
        restart = bool(self.port)
        for _ in range(1 if restart else 3):
            if not restart:
                self.port, self.sql_port = free_port(), free_port()
            (self.folder / "vsp").mkdir(parents=True, exist_ok=True)
            ini = self.folder / "virtuoso.ini"
            ini.write_text(
                VIRTUOSO_INI.format(
                    dir=self.folder,
                    sql_port=self.sql_port,
                    http_port=self.port,
                    load_dir=self.load_dir,
                    max_rows=self.max_rows,
                )
            )
            with open(self.folder / "stdout.log", "ab") as log:
                self.proc = subprocess.Popen(
                    [virtuoso, "+configfile", str(ini), "+foreground"],
                    cwd=self.folder,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    start_new_session=True,  # so a kill reaches the whole group
                )
            RUNNING.add(self.proc)
            if wait_for_endpoint(self.endpoint, self.proc, limit=60):
                return self
            _reap(self.proc, group=True)
        log = (self.folder / "virtuoso.log").read_text(errors="replace")[-1500:]
        pytest.fail(f"Virtuoso did not start in {self.folder}:\n{log}")

    def isql(self, sql: str, timeout: float = 120) -> str:
        """Run SQL as the administrator (``isql-vt``); fail on an error."""
        _, isql = virtuoso_binaries()
        out = subprocess.run(
            [isql, f"127.0.0.1:{self.sql_port}", *VIRTUOSO_LOGIN, f"EXEC={sql}"],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        text = out.stdout + out.stderr
        if out.returncode != 0 or "*** Error" in text:
            raise AssertionError(f"isql failed ({out.returncode}): {text.strip()[-1500:]}")
        return text

    def stop(self) -> None:
        """``shutdown`` (a checkpoint and a clean exit), then SIGKILL if it does not end: a
        Virtuoso that hangs ignores SIGTERM."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            _, isql = virtuoso_binaries()
            try:
                subprocess.run(
                    [isql, f"127.0.0.1:{self.sql_port}", *VIRTUOSO_LOGIN, "EXEC=shutdown;"],
                    capture_output=True,
                    timeout=30,
                    stdin=subprocess.DEVNULL,
                )
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        _reap(self.proc, group=True)

    def graph_text(self, name: str) -> str:
        url = f"{self.base}/sparql-graph-crud-auth?{urlencode({'graph': name})}"
        req = urllib.request.Request(url, headers={"Accept": "text/plain"})
        with self._opener().open(req, timeout=60) as answer:
            return answer.read().decode("utf-8")

    def load(self, body: bytes, content_type: str, graph: str | None) -> None:
        """Load a file as Virtuoso's bulk loader does (``ld_dir``, ``rdf_loader_run``): into
        ``graph``, or, for a dataset format, into the graphs it names (its default graph into
        ``urn:trustkg:test:default``)."""
        ext = {
            "text/turtle": "ttl",
            "application/n-triples": "nt",
            "application/trig": "trig",
            "application/n-quads": "nq",
            "application/rdf+xml": "rdf",
            "text/n3": "n3",
        }[content_type]
        name = f"load-{time.monotonic_ns()}.{ext}"
        (self.load_dir / name).write_bytes(body)
        self.isql(
            f"ld_dir('{self.load_dir}', '{name}', '{graph or 'urn:trustkg:test:default'}');"
            " rdf_loader_run();"
        )
        where = self.load_dir / name
        errors = self.isql(f"SELECT ll_error FROM DB.DBA.LOAD_LIST WHERE ll_file = '{where}';")
        assert "NULL" in errors, errors


def start_server(kind: str, folder: Path) -> SparqlServer:
    """A fresh server of ``kind`` ("oxigraph" or "virtuoso") on ``folder``."""
    server = Oxigraph(folder) if kind == "oxigraph" else Virtuoso(folder)
    return server.start()


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
