"""Every value from the graph is shown as the graph holds it, in every output format and at
every terminal width: the seed graph's literals and values written to break renderers (rich
markup, HTML, Markdown, tabs, line breaks, right-to-left marks, combining characters, terminal
escapes) go through the real command and are read back from what it printed."""

from __future__ import annotations

import csv
import html.parser
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from trustkg.sparql.render import terminal_text

from ..conftest import HOSTILE

#: every literal of the graph, the hostile study's and the seed's
LITERALS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } ORDER BY ?s ?p ?o\n"


def run(store: Path, *args: str, columns: int = 80) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "TRUSTKG_STORE": str(store)}
    env.pop("TRUSTKG_ENDPOINT", None)
    res = subprocess.run(
        [sys.executable, "-m", "trustkg.cli", "query", "run", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    return res.stdout


@pytest.fixture(scope="module")
def literals(hostile_store: Path, tmp_path_factory) -> tuple[Path, list[str]]:
    """The query file and every literal's value, read from the store itself."""
    from trustkg.store import open_store

    path = tmp_path_factory.mktemp("q") / "literals.rq"
    path.write_text(LITERALS, encoding="utf-8")
    values = [sol["o"].value for sol in open_store(hostile_store).query(LITERALS)]
    assert len(values) > 2000
    for value in HOSTILE:  # the store really holds the hostile values
        assert any(value in v for v in values), value
    return path, values


def squeeze(text: str) -> str:
    return " ".join(text.split())


# -- reading the terminal table back ------------------------------------------------------------


def read_terminal(output: str, variables: list[str]) -> list[dict[str, str]]:
    """The cells of a table or of the one-block-per-row layout, each cell's lines joined."""
    lines = output.splitlines()
    assert lines[-1].endswith(" row(s)")
    lines = lines[:-1]
    rows: list[dict[str, list[str]]] = []
    if any(line.startswith("┃") for line in lines):  # a table: │ cell │ cell │, ├ between rows
        current = None
        for line in lines:
            if line.startswith("│"):
                cells = line.split("│")[1:-1]
                if current is None:
                    current = {v: [] for v in variables}
                    rows.append(current)
                for v, cell in zip(variables, cells, strict=True):
                    current[v].append(cell.strip())
            elif line.startswith(("├", "└")):
                current = None
        # a table without lines between rows has one line per row
        return [{v: " ".join(r[v]) for v in variables} for r in rows]
    width = max(len(v) for v in variables) + 2
    field = None
    for line in lines:
        if line.startswith("row ") and "─" in line:
            rows.append({v: [] for v in variables})
            continue
        name = line[:width].strip()
        if name in variables and line[:width].startswith(name):
            field = name
        if rows and field is not None:
            rows[-1][field].append(line[width:])
    return [{v: " ".join(r[v]) for v in variables} for r in rows]


@pytest.mark.parametrize("columns", [80, 200])
def test_the_terminal_table_shows_every_literal(literals, hostile_store, columns):
    path, values = literals
    output = run(hostile_store, str(path), columns=columns)
    from rich.cells import cell_len

    assert max(cell_len(line) for line in output.splitlines()) <= columns
    shown = [squeeze(r["o"]) for r in read_terminal(output, ["s", "p", "o"])]
    expected = [squeeze(terminal_text(v)) for v in values]
    # every character of every value, in order (a word wider than the terminal must fold)
    assert sorted("".join(s.split()) for s in shown) == sorted("".join(e.split()) for e in expected)
    # and every value whose words fit is broken only at its spaces
    fits = [e for e in expected if max(map(len, e.split()), default=0) < columns - 20]
    assert len(fits) > len(expected) - 5
    missing = set(fits) - set(shown)
    assert not missing, sorted(missing)[:3]
    assert "\x1b" not in output  # a terminal escape is shown, never sent


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_and_tsv_hold_every_literal_exactly(literals, hostile_store, fmt):
    path, values = literals
    output = run(hostile_store, str(path), "--format", fmt)
    reader = csv.DictReader(io.StringIO(output), delimiter="," if fmt == "csv" else "\t")
    assert sorted(r["o"] for r in reader) == sorted(values)


def test_json_holds_every_literal_exactly(literals, hostile_store):
    path, values = literals
    doc = json.loads(run(hostile_store, str(path), "--format", "json"))
    assert sorted(b["o"]["value"] for b in doc["results"]["bindings"]) == sorted(values)


class _Cells(html.parser.HTMLParser):
    """The text of every table cell of an HTML page, line breaks (<br>) as newlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")
        elif self.cell is not None:
            self.tags.append(tag)  # markup inside a cell: a value became HTML

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def test_markdown_renders_every_literal_as_itself(literals, hostile_store):
    """The Markdown table, rendered as a Markdown renderer would (GitHub-flavoured tables),
    shows each value as text: no emphasis, link, code, HTML or extra cell."""
    from markdown_it import MarkdownIt

    path, values = literals
    output = run(hostile_store, str(path), "--format", "md")
    cells = _Cells()
    cells.feed(MarkdownIt("commonmark").enable("table").render(output))
    assert not cells.tags, cells.tags
    header, *rows = cells.rows
    assert header == ["s", "p", "o"]
    assert all(len(r) == 3 for r in rows)
    # a table cell cannot begin or end with a space, and holds a line break as <br>
    expected = [v.replace("\r\n", "\n").replace("\r", "\n").strip() for v in values]
    assert sorted(r[2] for r in rows) == sorted(expected)


# -- identifiers are never split ----------------------------------------------------------------


@pytest.mark.parametrize("columns", [80, 200])
def test_identifiers_stay_whole_and_brackets_stay(seed_store, columns):
    """The issue's case: CQ3 on power asymmetry drops nothing in brackets, and no quotation,
    participant or network id is split across lines."""
    output = run(seed_store, "cq03", "--param", "asymmetry=AT-power", columns=columns)
    rows = list(
        csv.DictReader(
            io.StringIO(run(seed_store, "cq03", "--param", "asymmetry=AT-power", "--format", "csv"))
        )
    )
    assert len(rows) == 10
    words = set(output.split())
    for r in rows:
        for column in ("quotation", "speaker", "network"):
            assert r[column] in words, (column, r[column])
    shown = squeeze(output.replace("│", " "))
    assert "[services]" in shown and "[work there are]" in shown
    parsed = read_terminal(output, list(rows[0]))
    assert [squeeze(p["text"]) for p in parsed] == [squeeze(r["text"]) for r in rows]


def test_query_list_names_stay_whole_at_80_columns():
    from trustkg.sparql.catalogue import catalogue

    env = {**os.environ, "COLUMNS": "80"}
    res = subprocess.run(
        [sys.executable, "-m", "trustkg.cli", "query", "list"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    words = set(res.stdout.split())
    for q in catalogue():
        assert q.short in words, q.short
    assert max(len(line) for line in res.stdout.splitlines()) <= 80
