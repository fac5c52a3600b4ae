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
