"""Federated links: a catalogue query joins the trust graph with a register on another endpoint.

Two real servers on loopback: the trust graph (the linked store: the bundled studies and a
fixture study whose organisations carry an ONS code and two ODS codes) on the embedded store,
on Oxigraph's server or on Virtuoso; and a register on a second Oxigraph server, loaded with
trustkg's own register reader from tests/fixtures/registers (made-up extracts in the published
layouts of the NHS ODS ``etr.csv`` and the ONS sub-ICB to ICB lookup). The query answers only
with --allow-remote; its rows must be those that CQ14 gives when the same extracts are loaded
into the store itself.

Virtuoso is tested as the engine that calls out (with a login on /sparql-auth, and anonymously
after the two grants docs/servers.md gives). It cannot be the register's server for Oxigraph:
Virtuoso 7.2.5 never answers Oxigraph's SERVICE requests (a POST of the bare query).
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from trustkg.core.errors import TrustkgError
from trustkg.load.registers import register_ntriples
from trustkg.sparql.run import run_query
from trustkg.store.build import build

from ..conftest import FIXTURES
from ..servers import Oxigraph
from .test_queries import FEDERATED

REGISTERS = FIXTURES / "registers"
(QUERY,) = FEDERATED


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    """A second server holding only the register extracts, as their own publisher might."""
    server = Oxigraph(tmp_path_factory.mktemp("register") / "db").start()
    try:
        body = "".join(register_ntriples(REGISTERS)).encode("utf-8")
        req = urllib.request.Request(
            server.base + "/store?graph=urn:trustkg:test:registers",
            data=body,
            method="POST",
            headers={"Content-Type": "application/n-triples"},
        )
        urllib.request.urlopen(req, timeout=60).read()
    except BaseException:
        server.stop()
        raise
    yield server
    server.stop()


@pytest.fixture(scope="module")
def matches_in_one_store(linked_study: Path, tmp_path_factory) -> list[dict]:
    """What the federated query must answer: CQ14's matched rows when the register extracts
    are loaded into the store beside the study (its registers/ folder)."""
    study = tmp_path_factory.mktemp("together") / "fixture2"
    shutil.copytree(linked_study, study)
    shutil.copytree(REGISTERS, study / "registers", ignore=shutil.ignore_patterns("*.md"))
    store = study.parent / "store"
    build([study], store=store)
    rows = run_query("cq14", store=store).records()
    return [r for r in rows if r["register_name"] or r["area"]]


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "trustkg.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_the_expected_matches_are_the_fixture_codes_the_register_holds(matches_in_one_store):
    assert [(r["organisation"], r["code"]) for r in matches_in_one_store] == [
        ("N1-O01", "E38000999"),
        ("N1-O02", "ZZ1"),
    ]
    council, hospital = matches_in_one_store
    assert council["within_area"] == "NHS Fixture Integrated Care Board (made-up)"
    assert hospital["register_name"] == "FIXTURE GENERAL HOSPITAL NHS TRUST (MADE-UP)"


def test_the_embedded_store_joins_the_remote_register(register, linked_store, matches_in_one_store):
    args = ["query", "run", QUERY, "--param", f"register={register.endpoint}"]
    args += ["--store", str(linked_store), "--format", "csv"]
    refused = _cli(*args)
    assert refused.returncode == 2 and "--allow-remote" in refused.stderr
    assert refused.stderr.count("\n") == 1
    res = _cli(*args, "--allow-remote")
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    expected = [
        {k: "" if v is None else str(v) for k, v in r.items()} for r in matches_in_one_store
    ]
    assert rows == expected


def test_a_server_joins_the_remote_register(published, register, matches_in_one_store):
    """The trust graph's own server makes the SERVICE call: Oxigraph anonymously, Virtuoso for
    its administrator on /sparql-auth (Digest)."""
    endpoint = published.endpoint
    if published.kind == "virtuoso":
        endpoint = published.base + "/sparql-auth"
    with pytest.MonkeyPatch.context() as env:
        for name, value in published.env.items():
            env.setenv(name, value)
        with pytest.raises(TrustkgError, match="--allow-remote"):
            run_query(QUERY, {"register": register.endpoint}, endpoint=endpoint)
        rows = run_query(
            QUERY, {"register": register.endpoint}, endpoint=endpoint, allow_remote=True
        ).records()
    assert rows == matches_in_one_store


@pytest.mark.parametrize("published", ["virtuoso"], indirect=True)
def test_virtuoso_anonymous_federation_needs_two_grants(published, register, matches_in_one_store):
    """Virtuoso's anonymous /sparql may not call SERVICE until the SPARQL user is granted the
    two objects that run it (the recipe in docs/servers.md)."""
    params = {"register": register.endpoint}
    with pytest.raises(TrustkgError, match="SECURITY"):
        run_query(QUERY, params, endpoint=published.endpoint, allow_remote=True)
    grants = (
        'GRANT SELECT ON DB.DBA.SPARQL_SINV_2 TO "SPARQL";',
        'GRANT EXECUTE ON DB.DBA.SPARQL_SINV_IMP TO "SPARQL";',
    )
    for sql in grants:
        published.isql(sql)
    try:
        rows = run_query(QUERY, params, endpoint=published.endpoint, allow_remote=True)
        assert rows.records() == matches_in_one_store
    finally:
        published.isql('REVOKE SELECT ON DB.DBA.SPARQL_SINV_2 FROM "SPARQL";')
        published.isql('REVOKE EXECUTE ON DB.DBA.SPARQL_SINV_IMP FROM "SPARQL";')
