"""Network hygiene: on the embedded store, trustkg never reaches the network unless asked.

Each command runs in a fresh interpreter with an audit hook (PEP 578) installed before trustkg
is imported. The hook records, and refuses, every name lookup or connection that is not to this
machine, so a remote ``owl:imports``, a JSON-LD context on the web or a SERVICE call would both
show up in the record and fail the command.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .test_bad_input import assert_one_line

AUDITED = r"""
import json, socket, sys
LOG = sys.argv[1]
LOCAL = {"127.0.0.1", "::1", "localhost", "0.0.0.0", ""}

def _note(kind, target):
    with open(LOG, "a", encoding="utf-8") as fh:
        fh.write(json.dumps([kind, str(target)]) + "\n")

def hook(event, args):
    if event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr"):
        host = args[0].decode() if isinstance(args[0], bytes) else args[0]
        if host not in LOCAL:
            _note(event, host)
            raise OSError(f"trustkg test: no network ({host})")
    elif event == "socket.connect":
        address = args[1]
        if isinstance(address, tuple) and address[0] not in LOCAL:
            _note(event, address)
            raise OSError(f"trustkg test: no network ({address})")
    elif event == "urllib.Request":
        _note(event, args[0])

sys.addaudithook(hook)
sys.argv = ["trustkg", *sys.argv[2:]]
from trustkg.cli import main
main()
"""


def audited(log: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", AUDITED, str(log), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def attempts(log: Path) -> list:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Input that would reach out if trustkg let it: imports, a remote context, remote IRIs."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "imports.ttl").write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<http://example.org/mine> a owl:Ontology ;\n"
        "    owl:imports <http://example.org/elsewhere.owl> , <https://w3id.org/trustkg/x> .\n",
        encoding="utf-8",
    )
    (folder / "context.jsonld").write_text(
        '{"@context": "https://example.org/context.jsonld", "@id": "http://example.org/a",'
        ' "name": "x"}',
        encoding="utf-8",
    )
    return folder


def test_build_validate_query_reason_report_and_docs_stay_on_this_machine(tmp_path, hostile):
    log = tmp_path / "network.log"
    store = str(tmp_path / "store")
    steps = [
        ["build", "--store", store],
        ["validate", "--store", store],
        ["validate", str(hostile / "imports.ttl"), "--store", store],
        ["query", "run", "cq04", "--store", store],
        ["query", "run", "cq13", "--store", store],
        ["reason", "--store", store],
        ["report", "--store", store, "--out", str(tmp_path / "report")],
        ["docs", "--out", str(tmp_path / "docs")],
    ]
    for args in steps:
        res = audited(log, *args)
        assert res.returncode in (0, 1), (args, res.stderr)  # 1: validation found violations
        assert attempts(log) == [], (args, attempts(log))


def test_a_remote_json_ld_context_is_refused_without_a_fetch(tmp_path, hostile):
    log = tmp_path / "network.log"
    res = audited(log, "validate", str(hostile / "context.jsonld"))
    assert_one_line(res, r"context\.jsonld: not valid RDF: .*remote context")
    assert attempts(log) == []


def test_the_hook_sees_a_real_attempt(tmp_path):
    """The check above would pass vacuously if the hook saw nothing: show it catches one."""
    log = tmp_path / "network.log"
    res = audited(
        log, "query", "run", "cq04", "--endpoint", "http://sparql.invalid/query", "--timeout", "2"
    )
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert any("sparql.invalid" in target for _, target in attempts(log)), attempts(log)
