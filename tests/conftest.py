"""Shared fixtures: a store built once per test session from the bundled studies."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO.parent / "shared" / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled studies built into a store in a temporary folder."""
    from trustkg.store.build import build

    store = tmp_path_factory.mktemp("store") / "store"
    build(store=store)
    return store


@pytest.fixture(scope="session")
def reasoned_seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled studies built, then reasoned over with ``reason --write`` (rule engine):
    the inferred memberships of the defined classes are in the store."""
    from trustkg.check.reason import reason
    from trustkg.store.build import build

    store = tmp_path_factory.mktemp("reasoned") / "store"
    build(store=store)
    reason(store, write=True, check_ontology=False)
    return store


@pytest.fixture(scope="session")
def seed_oxstore(seed_store: Path):
    from trustkg.store import open_store

    return open_store(seed_store)


def select(store, query: str) -> list[dict[str, str]]:
    """Run a SELECT over the union of graphs and return plain string rows.

    ``{LI}`` in the query stands for the seed study's data namespace (data IRIs have slashes in
    their local part, which SPARQL prefixed names do not allow).
    """
    from trustkg.core.iris import PREFIXES

    query = query.replace("{LI}", "https://w3id.org/trustkg/data/li2018/")
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    result = store.query(head + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: (sol[n].value if sol[n] is not None else None) for n in names} for sol in result]


# -- SPARQL servers ---------------------------------------------------------------------------
# The publish, query and federation tests run against a real Oxigraph server and a real
# Virtuoso, each started on free loopback ports from a folder of the session's own. Starting a
# Virtuoso takes 2-5 s, so the servers are shared: `scratch` takes any test's graphs (each test
# uses graph names of its own), `published` holds the linked store exactly once.

SERVER_KINDS = ["oxigraph", "virtuoso"]

#: Identifiers for the fixture study's two organisations, as a researcher's identifiers.csv
#: would attach them. Format examples only: the codes are those of the made-up register
#: extracts in tests/fixtures/registers (ZZ1, E38000999) and one no register holds (ZZ9).
FIXTURE_IDENTIFIERS = (
    "organisation,scheme,value,rationale\n"
    "N1-O01,ons-gss,E38000999,Test fixture: the made-up area the fixture council serves.\n"
    "N1-O02,ods,ZZ1,Test fixture: row ZZ1 of the made-up etr.csv names this hospital.\n"
    "N1-O02,ods,ZZ9,Test fixture: a made-up code that no register extract holds.\n"
)


@pytest.fixture(scope="session", autouse=True)
def _no_server_left_running():
    """After the session, no server the tests started may still run."""
    yield
    from .servers import stop_everything_left

    left = stop_everything_left()
    assert not left, f"servers were left running (now killed): {left}"


@pytest.fixture(scope="session")
def linked_study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture study with identifiers on its organisations (no register extracts)."""
    import shutil

    study = tmp_path_factory.mktemp("linked") / "fixture2"
    shutil.copytree(FIXTURES / "second-study", study)
    (study / "identifiers.csv").write_text(FIXTURE_IDENTIFIERS, "utf-8")
    return study


@pytest.fixture(scope="session")
def linked_store(linked_study: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled studies and the fixture study with identifiers: two studies to compare,
    and organisation codes to join with registers (CQ13, CQ14 answer)."""
    from trustkg.store.build import build

    store = tmp_path_factory.mktemp("linked-store") / "store"
    build([linked_study], store=store)
    return store


def start_server(kind: str, folder: Path):
    """A fresh server of ``kind`` ("oxigraph" or "virtuoso") on ``folder``, started."""
    from .servers import Oxigraph
    from .virtuoso import Virtuoso

    server = Oxigraph(folder) if kind == "oxigraph" else Virtuoso(folder)
    return server.start()


def publish_to(server, store: Path, **options):
    """trustkg's own publish of ``store`` to a test server, with its login if it needs one."""
    from trustkg.publish.publish import publish

    with pytest.MonkeyPatch.context() as env:
        for name, value in server.env.items():
            env.setenv(name, value)
        return publish(server.endpoint, store=store, **options)


@pytest.fixture(scope="session", params=SERVER_KINDS)
def scratch(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A writable server of each kind, shared: each test writes graphs of its own."""
    server = start_server(request.param, tmp_path_factory.mktemp(f"scratch-{request.param}"))
    yield server
    server.stop()


@pytest.fixture(scope="session", params=SERVER_KINDS)
def published(request: pytest.FixtureRequest, tmp_path_factory, linked_store: Path):
    """A server of each kind holding the linked store, put there by `trustkg publish`; only
    read by the tests."""
    server = start_server(request.param, tmp_path_factory.mktemp(f"published-{request.param}"))
    try:
        publish_to(server, linked_store)
    except BaseException:
        server.stop()
        raise
    yield server
    server.stop()


#: Values written to break renderers: rich markup and emoji codes, HTML, Markdown and table
#: separators, mathtext, tabs and line breaks, a right-to-left mark, combining characters, a
#: terminal escape sequence. The hostile study puts each into quotations, labels and names.
HOSTILE = (
    "[bold]x[/]",
    "[/] closes nothing",
    "<script>alert('x')</script>",
    "a | b || c",
    "tab\there",
    "line one\nline two",
    "\u05e9\u05dc\u05d5\u05dd\u200f right-to-left mark",
    "cafe\u0301 n\u0303 combining",
    ":thumbs_up: not an emoji",
    "$x^2$ costs $5 and $10",
    "*stars* _under_ `code` ~strike~ \\back",
    "&amp; &lt;b&gt; entities",
    "\x1b[31mescape\x1b[0m sequence",
)


def write_hostile_study(folder: Path) -> Path:
    """The second-study fixture with every :data:`HOSTILE` value in its quotations' texts and
    attributions, and hostile theme, subtheme, organisation, role and network labels."""
    import csv
    import shutil

    shutil.copytree(FIXTURES / "second-study", folder)

    def rewrite(name: str, change) -> None:
        path = folder / f"{name}.csv"
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        header = list(rows[0])
        rows = change(rows)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    def quotations(rows):
        first = rows[0]
        return [
            {**first, "id": f"Q{i:02d}", "text": f"{value} (quotation {i})"}
            for i, value in enumerate(HOSTILE, start=1)
        ]

    def links(rows):
        return [{**rows[0], "evidence": f"Q{i:02d}"} for i in range(1, len(HOSTILE) + 1)] + [
            r for r in rows if not r["evidence"].startswith("Q")
        ]

    def matches(rows):
        return [{**rows[0], "quotation": f"Q{i:02d}"} for i in range(1, len(HOSTILE) + 1)]

    rewrite("quotations", quotations)
    rewrite("links_evidence_subtheme", links)
    rewrite("links_quotation_participant", matches)
    rewrite("themes", lambda rows: [{**rows[0], "label": "[bold]theme[/] <b>|</b> $x$"}])
    rewrite("subthemes", lambda rows: [{**rows[0], "label": "sub\ttheme\n[/] :fire:"}])
    rewrite(
        "organisations",
        lambda rows: [{**r, "name": f"{r['name']} <i>&amp;</i> [red]Co[/red]"} for r in rows],
    )
    rewrite("networks", lambda rows: [{**r, "label": "Net [1] \u200f$n$"} for r in rows])
    return folder


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled studies and the hostile study (id ``fixture2``) built into one store."""
    from trustkg.store.build import build

    tmp = tmp_path_factory.mktemp("hostile")
    study = write_hostile_study(tmp / "hostile")
    store = tmp / "store"
    build([study], store=store)
    return store
