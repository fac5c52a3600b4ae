"""Fixtures of the publish tests."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from trustkg.core.resources import bundled_studies
from trustkg.store.build import build

from ..conftest import FIXTURES

#: the new text of quotation Q03 in version 2 of the graph
V2_Q03 = "Reworded for version 2 of the graph."


@pytest.fixture(scope="session")
def changed_store(tmp_path_factory) -> Path:
    """Version 2: quotation Q03 of the 2018 study reworded, and a second study added."""
    tmp = tmp_path_factory.mktemp("v2")
    li2018 = tmp / "li2018"
    shutil.copytree(next(p for p in bundled_studies() if p.name == "li2018"), li2018)
    table = li2018 / "quotations.csv"
    with open(table, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0])
    for row in rows:
        if row["id"] == "Q03":
            row["text"] = V2_Q03
    with open(table, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    williams = next(p for p in bundled_studies() if p.name == "williams2013")
    store = tmp / "store"
    build([li2018, williams, FIXTURES / "second-study"], include_bundled=False, store=store)
    return store
