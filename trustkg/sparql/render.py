"""Write query results as a terminal table, CSV, TSV, SPARQL JSON or Markdown.

CSV and TSV hold plain values with one header row, so pandas and spreadsheets read them as they
are; JSON is the SPARQL 1.1 Query Results JSON format, for other SPARQL tools.
"""

from __future__ import annotations

import csv
import io
import json

from .results import QueryResult

FORMATS = ("table", "csv", "tsv", "json", "md")


def _cell(result_row, var: str) -> str:
    term = result_row.get(var)
    return term.value if term is not None else ""


def to_delimited(result: QueryResult, delimiter: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_cell(row, v) for v in result.variables])
    return buf.getvalue()


def to_markdown(result: QueryResult) -> str:
    def esc(text: str) -> str:
        return " ".join(text.replace("|", "\\|").split())

    lines = ["| " + " | ".join(result.variables) + " |"]
    lines.append("| " + " | ".join("---" for _ in result.variables) + " |")
    for row in result.rows:
        lines.append("| " + " | ".join(esc(_cell(row, v)) for v in result.variables) + " |")
    return "\n".join(lines) + "\n"


def print_table(result: QueryResult, title: str | None = None) -> None:
    """A table that wraps long text to the terminal's width instead of overflowing it."""
    from rich.console import Console
    from rich.table import Table

    from ..core.iris import curie

    table = Table(title=title, title_justify="left", show_lines=False)
    for var in result.variables:
        table.add_column(var, overflow="fold")
    for row in result.rows:
        cells = []
        for v in result.variables:
            term = row.get(v)
            if term is None:
                cells.append("")
            elif term.type == "uri":
                cells.append(curie(term.value).strip("<>"))
            else:
                cells.append(term.value)
        table.add_row(*cells)
    console = Console()
    console.print(table)
    console.print(f"{len(result.rows)} row(s)")


def render(result: QueryResult, fmt: str) -> str | None:
    """The text for ``fmt``; ``table`` prints directly and returns None."""
    if fmt == "csv":
        return to_delimited(result, ",")
    if fmt == "tsv":
        return to_delimited(result, "\t")
    if fmt == "json":
        return json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "md":
        return to_markdown(result)
    print_table(result)
    return None
