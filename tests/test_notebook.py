"""The example notebook runs, top to bottom, in a real kernel, against a real SPARQL endpoint
(an Oxigraph server on loopback holding the seed graph), and gives the answers the seed data
holds."""

from __future__ import annotations

import json

import pytest

from .conftest import REPO, publish_to
from .servers import Oxigraph

NOTEBOOK = REPO / "examples" / "researcher-session.ipynb"


@pytest.fixture(scope="module")
def endpoint(seed_store, tmp_path_factory):
    """An Oxigraph server on 127.0.0.1 with the seed graph, put there by trustkg publish."""
    server = Oxigraph(tmp_path_factory.mktemp("notebook-server") / "db").start()
    try:
        publish_to(server, seed_store)
        yield server.endpoint
    finally:
        server.stop()


# Appended to a copy of the notebook: prints what the session computed, for the test to read.
PROBE = """
import json as _json
print("PROBE " + _json.dumps({
    "cq1": cq1[["factor", "quotations", "pointers"]].to_dict("records"),
    "cq2": sorted(cq2["factor"]),
    "remote": None if remote is None else remote[["factor", "quotations", "pointers"]]
        .sort_values("factor").to_dict("records"),
    "endpoint": endpoint,
}))
"""


def test_notebook_is_stored_without_outputs():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 4
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert sum(c.cell_type == "markdown" for c in nb.cells) >= len(code)


@pytest.fixture(scope="module")
def executed(endpoint, tmp_path_factory):
    """The notebook as executed by nbclient, with the endpoint's address in the environment."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    mp = pytest.MonkeyPatch()
    mp.setenv("TRUSTKG_EXAMPLE_ENDPOINT", endpoint)
    mp.delenv("TRUSTKG_ENDPOINT", raising=False)  # local questions must stay local
    mp.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    workdir = tmp_path_factory.mktemp("notebook")
    mp.setenv("TMPDIR", str(workdir))  # the session's temporary store goes there too
    try:
        NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
        ).execute()
    finally:
        mp.undo()
    return nb


def _probe(nb) -> dict:
    for output in nb.cells[-1].outputs:
        for line in output.get("text", "").splitlines():
            if line.startswith("PROBE "):
                return json.loads(line[len("PROBE ") :])
    raise AssertionError(f"the probe printed nothing: {nb.cells[-1].outputs}")


def _table(name: str) -> list[dict[str, str]]:
    import csv

    path = REPO / "tests" / "sparql" / "expected" / f"{name}.csv"
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_notebook_runs_without_errors(executed):
    errors = [o for c in executed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []


def test_cq1_dataframe_has_the_supported_factors(executed):
    got = _probe(executed)
    expected = [
        {"factor": r["factor"], "quotations": int(r["quotations"]), "pointers": int(r["pointers"])}
        for r in _table("cq01-supported-factors")
    ]
    assert got["cq1"] == expected and len(expected) == 11
    assert got["cq2"] == ["F06", "F08", "F12"]


def test_the_plot_is_drawn(executed):
    plot_cell = next(
        c for c in executed.cells if c.cell_type == "code" and "plt.show()" in c.source
    )
    images = [o for o in plot_cell.outputs if "image/png" in o.get("data", {})]
    assert len(images) == 1
    assert len(images[0]["data"]["image/png"]) > 5_000  # base64 of a real chart, not a blank


def test_the_endpoint_gives_the_same_rows(executed, endpoint):
    got = _probe(executed)
    assert got["endpoint"] == endpoint
    assert got["remote"] == got["cq1"]
    remote_cell = next(
        c for c in executed.cells if c.cell_type == "code" and "endpoint=" in c.source
    )
    text = "".join(o.get("text", "") for o in remote_cell.outputs)
    assert f"11 factors from {endpoint}; same counts as the local store: True" in text
