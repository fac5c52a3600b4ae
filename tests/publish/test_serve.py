"""`trustkg serve`: the built store as a read-only SPARQL endpoint with a query page.

The command runs for real (a subprocess on a free loopback port); a catalogued question goes
over HTTP, and the question catalogue and query page are driven in headless Chromium, which
leaves screenshots in tests/artefacts/.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import rdflib
from rdflib.compare import isomorphic

from trustkg.core.errors import TrustkgError
from trustkg.sparql.catalogue import catalogue
from trustkg.sparql.params import bind
from trustkg.sparql.run import run_query
from trustkg.store.describe import DESCRIPTION_FILE

from ..browser import chromium_page, screenshot
from ..servers import Background, free_port, port_is_open
from ..sparql.test_queries import rows_of


@pytest.fixture(scope="module")
def served(seed_store):
    """`trustkg serve` on a free port; yields the lines it printed, by label."""
    port = free_port()
    run = Background("serve", "--port", str(port), "--store", str(seed_store))
    run.wait_for("from Python:")
    info = {}
    for line in run.seen:
        label, sep, value = line.strip().partition(": ")
        if sep:
            info[label.strip()] = value.strip()
    info["port"] = str(port)
    yield info
    assert run.stop() == 0
    assert not port_is_open(port), "stopping trustkg serve must stop the server it started"


def test_serve_prints_where_everything_is(served):
    port = served["port"]
    assert served["SPARQL endpoint"] == f"http://127.0.0.1:{port}/query"
    assert served["query page"] == f"http://127.0.0.1:{port}/"
    assert served["question catalogue"].startswith("file://")
    assert Path(urlparse(served["question catalogue"]).path).is_file()


@pytest.mark.parametrize("name", ["cq04", "cq09", "cq13"])
def test_a_catalogued_question_over_http_gives_the_local_rows(served, seed_store, name):
    remote = run_query(name, endpoint=served["SPARQL endpoint"])
    local = run_query(name, store=seed_store)
    assert remote.variables == local.variables
    assert remote.rows, f"{name} has rows on the seed"
    assert sorted(rows_of(remote)[1:]) == sorted(rows_of(local)[1:])


def test_the_endpoint_is_read_only(served):
    req = urllib.request.Request(
        served["SPARQL endpoint"].replace("/query", "/update"),
        data=b"DROP ALL",
        headers={"Content-Type": "application/sparql-update"},
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 403
    assert run_query("cq04", endpoint=served["SPARQL endpoint"]).rows


def test_the_dataset_description_is_served(served, seed_store):
    req = urllib.request.Request(served["dataset description"], headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(req, timeout=10) as answer:
        got = rdflib.Graph().parse(data=answer.read().decode(), format="turtle")
    want = rdflib.Graph().parse(seed_store / DESCRIPTION_FILE, format="turtle")
    assert len(got) > 40 and isomorphic(got, want)


def test_the_catalogue_page_links_every_question_to_the_query_page(served):
    page = Path(urlparse(served["question catalogue"]).path).read_text(encoding="utf-8")
    for q in catalogue():
        assert f'id="{q.short}"' in page, q.short
    for n in range(1, 16):
        assert f">CQ{n}<" in page, f"CQ{n} is not offered"


def test_query_page_runs_a_catalogued_question_in_a_real_browser(served, seed_store):
    expected = run_query("cq04", store=seed_store)
    cq04 = next(q for q in catalogue() if q.short == "cq04")
    with chromium_page() as page:
        page.goto(served["question catalogue"])
        assert page.locator("a.question").count() == len(catalogue())
        screenshot(page, "serve-catalogue.png")
        href = page.get_attribute("#cq04", "href")
        assert href.startswith(served["query page"] + "#query=")
        page.click("#cq04")
        page.wait_for_selector(".yasqe_queryButton", timeout=30_000)
        editor = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
        assert editor.strip() == bind(cq04, {}).strip()
        endpoint = page.input_value(".autocomplete")
        assert endpoint == served["SPARQL endpoint"]
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr .dataTable tbody tr", timeout=30_000)
        time.sleep(0.3)
        results = page.inner_text(".yasr")
        screenshot(page, "serve-cq04.png")
    assert f"{len(expected.rows)} results" in results
    for row in expected.records():
        for value in row.values():
            if value is not None:
                assert str(value) in results


def test_the_description_query_link_runs(served):
    with chromium_page() as page:
        page.goto(served["question catalogue"])
        href = page.get_attribute("#description-query", "href")
        assert "dataset%2Fgraph" in href and unquote(href).count("GRAPH <") == 1
        page.click("#description-query")
        page.wait_for_selector(".yasqe_queryButton", timeout=30_000)
        page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr .dataTable tbody tr", timeout=30_000)
        results = page.inner_text(".yasr")
        screenshot(page, "serve-description.png")
    assert "4 results" in results and "li2018/graph" in results


def _serve_once(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trustkg.cli", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_port_in_use_is_one_line(seed_store, served):
    res = _serve_once("--port", served["port"], "--store", str(seed_store))
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("trustkg: error: cannot serve")
    assert "--port" in res.stderr and "Traceback" not in res.stderr


def test_a_missing_store_is_one_line(tmp_path):
    res = _serve_once("--port", "0", "--store", str(tmp_path / "none"))
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "trustkg build" in res.stderr


def test_the_server_cancels_a_query_past_its_time_limit(seed_store, tmp_path):
    """`serve --timeout`: a heavy query is cancelled by the server, and the server goes on
    answering (without a limit, one such query per core stalls every reader)."""
    port = free_port()
    run = Background("serve", "--port", str(port), "--timeout", "1", "--store", str(seed_store))
    try:
        assert run.wait_for("time limit:").split(":", 1)[1].strip() == "1 s a query"
        endpoint = f"http://127.0.0.1:{port}/query"
        heavy = "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY ?a"
        started = time.monotonic()
        with urllib.request.urlopen(
            endpoint + "?" + urllib.parse.urlencode({"query": heavy}), timeout=60
        ) as answer:
            body = answer.read().decode()
        assert "cancelled" in body
        assert time.monotonic() - started < 30
        # trustkg's own client says so in one line
        path = tmp_path / "heavy.rq"
        path.write_text(heavy, encoding="utf-8")
        with pytest.raises(TrustkgError, match="cut its answer short"):
            run_query(str(path), endpoint=endpoint)
        assert run_query("cq04", endpoint=endpoint).rows  # still serving
    finally:
        assert run.stop() == 0
