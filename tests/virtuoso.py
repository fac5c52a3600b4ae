"""A throw-away Virtuoso Open Source (Debian's ``virtuoso-opensource`` 7.2.5) for the tests:
its configuration, database, logs and lock in a folder of the test's own, listening on two
free loopback ports, stopped (or killed) by the fixture that started it."""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .servers import RUNNING, SparqlServer, free_port, reap, wait_for_endpoint

#: the Virtuoso administrator of a throw-away test database (loopback only)
VIRTUOSO_LOGIN = ("dba", "dba")

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
            reap(self.proc, group=True)
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
        reap(self.proc, group=True)

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
