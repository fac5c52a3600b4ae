"""`trustkg publish`: the built graph on a real SPARQL server, one named graph per study.

Every test runs against a real, writable Oxigraph server and a real Virtuoso Open Source on
127.0.0.1, each in its ordinary set-up: Oxigraph with its union as default graph and no login;
Virtuoso as Debian installs it, where only a login may update, by Digest, on its ``-auth``
addresses. The servers are shared (tests/conftest.py: ``scratch``), so each test publishes
under a graph base of its own. Servers killed half-way, and other failures: test_failures.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from trustkg.core import iris
from trustkg.core.errors import TrustkgError
from trustkg.store import open_store
from trustkg.store.describe import DESCRIPTION_FILE
from trustkg.store.graphs import split, triples

from ..conftest import publish_to
from ..servers import SparqlServer
from .conftest import V2_Q03

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


def test_a_bad_graph_base_is_refused(seed_store):
    with pytest.raises(TrustkgError, match="not an absolute IRI"):
        from trustkg.publish.publish import publish

        publish("http://127.0.0.1:1/query", store=seed_store, base="not an iri")
