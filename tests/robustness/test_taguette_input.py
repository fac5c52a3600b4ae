"""Files that are not a Taguette project of the supported schema, refused in one line.

Through the real command line, as in test_bad_input: exit code 2, one line naming the file, no
traceback, and no study folder written. A project file of the supported schema that was changed
afterwards is refused in tests/sources/test_taguette.py, which makes one with a real Taguette.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from ..conftest import FIXTURES
from .test_bad_input import assert_one_line, run

TAGUETTE_13 = FIXTURES / "taguette" / "taguette-1.3.0-project.sqlite3"


def _text(folder: Path) -> Path:
    path = folder / "project.sqlite3"
    path.write_text("id,path\n1,not a database\n", encoding="utf-8")
    return path


def _empty_sqlite(folder: Path) -> Path:
    path = folder / "empty.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA user_version = 1")  # SQLite writes a file with a header, no table
    return path


def _other_sqlite(folder: Path) -> Path:
    path = folder / "other.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE projects (id INTEGER PRIMARY KEY, name TEXT)")
    return path


def _damaged(folder: Path) -> Path:
    data = bytearray(TAGUETTE_13.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page, overwritten
    path = folder / "damaged.sqlite3"
    path.write_bytes(bytes(data))
    return path


CASES = {
    "taguette-1.3.0": (
        lambda folder: TAGUETTE_13,
        r"schema 09c662cd9483 \(Taguette 1\.2\.0-1\.3\.0\) is older",
    ),
    "text file": (_text, r"not a Taguette project file: not an SQLite database"),
    "empty SQLite": (_empty_sqlite, r"not a Taguette project file: an SQLite database without"),
    "other SQLite": (
        _other_sqlite,
        r"without Taguette's application id or tables \(missing: alembic",
    ),
    "damaged SQLite": (_damaged, r"not a Taguette project file: a damaged SQLite database"),
    "a REFI-QDA file": (
        lambda folder: FIXTURES / "refi-qda" / "trust-in-care.qde",
        r"not an SQLite",
    ),
    "missing": (lambda folder: folder / "nowhere.sqlite3", r"file not found"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_not_a_supported_taguette_file_is_refused_in_one_line(case, tmp_path):
    make, message = CASES[case]
    bad = make(tmp_path)
    out = tmp_path / "study"
    res = run("import", "taguette", str(bad), "--study", str(out), "--id", "x")
    line = assert_one_line(res, message)
    assert bad.name in line
    assert not out.exists()
