"""Write query results as a terminal table, CSV, TSV, SPARQL JSON or Markdown.

CSV and TSV hold plain values with one header row, so pandas and spreadsheets read them as they
are; JSON is the SPARQL 1.1 Query Results JSON format, for other SPARQL tools.

Every value is shown as the graph holds it, whatever it contains. The terminal table is drawn
by rich, which reads ``[...]`` as style markup and ``:name:`` as an emoji code in plain strings:
values are handed to it as :class:`rich.text.Text`, which it never parses. A control character
(an escape sequence could recolour or clear the terminal) is shown as its escape, ``\\x1b``.
Markdown escapes what a Markdown renderer would read as syntax or HTML, and keeps a line break
as ``<br>``, the one break a table cell can hold.

>>> print(to_markdown(QueryResult(["v"], [{"v": Term("literal", "[b]x[/] <i> a|b")}])), end="")
| v |
| --- |
| \\[b\\]x\\[/\\] &lt;i&gt; a\\|b |
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..core.text import terminal_text
from .results import QueryResult, Term

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

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


#: what CommonMark (and GitHub's tables) would read as syntax inside a table cell: emphasis,
#: links, code, HTML, the cell separator, strikethrough; each is backslash-escaped
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def markdown_cell(text: str) -> str:
    r"""A value as the text of a Markdown table cell that renders as the value itself.

    >>> markdown_cell("line one\nline *two* <b>")
    'line one<br>line \\*two\\* &lt;b&gt;'
    """
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"\r\n|\r|\n", "<br>", text)


def to_markdown(result: QueryResult) -> str:
    lines = ["| " + " | ".join(markdown_cell(v) for v in result.variables) + " |"]
    lines.append("| " + " | ".join("---" for _ in result.variables) + " |")
    for row in result.rows:
        cells = (markdown_cell(_cell(row, v)) for v in result.variables)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# -- the terminal table -------------------------------------------------------------------------


def _words_width(text: str) -> int:
    """The width of the longest word: a column narrower than that would cut a word."""
    from rich.cells import cell_len

    return max((cell_len(w) for w in text.split()), default=0)


def _lines_width(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.expandtabs(8).split("\n")), default=0)


def _column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], room: int) -> list[int]:
    """Column widths (text only) that fit ``room`` and never cut a word, or [] if none do.

    Each column gets at least its longest word (an identifier is one word, so it is never
    split); the room left over is shared out evenly, a column taking no more than its longest
    line, so short text stays on one line and the longest text wraps.

    >>> _column_widths(["id", "text"], [["Q01", "a b c d e f"]], 12)
    [3, 9]
    """
    least = [
        max([_words_width(h)] + [_words_width(r[i]) for r in rows]) for i, h in enumerate(header)
    ]
    most = [
        max([_lines_width(h)] + [_lines_width(r[i]) for r in rows]) for i, h in enumerate(header)
    ]
    if sum(least) > room:
        return []
    widths = list(least)
    spare = room - sum(least)
    pending = sorted(range(len(widths)), key=lambda i: most[i] - least[i])
    while pending and spare > 0:
        share = spare // len(pending)
        need = most[pending[0]] - widths[pending[0]]
        if need <= share:  # the narrowest want is met in full; share the rest again
            widths[pending[0]] = most[pending[0]]
            spare -= need
            pending.pop(0)
            continue
        for k, i in enumerate(pending):
            widths[i] += share + (1 if k < spare % len(pending) else 0)
        break
    return widths


def terminal_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], width: int, title: str | None = None
) -> RenderableType:
    """The rows as a table ``width`` columns wide, or, when no table that wide can hold them
    without cutting a word, as one block per row (``name  value``, long values wrapped at
    spaces): identifiers are never split across lines, and every character of every value is
    there."""
    from rich import box
    from rich.console import Group
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    cells = [[terminal_text(c) for c in row] for row in rows]
    n = max(len(header), 1)
    widths = _column_widths(header, cells, width - 3 * n - 1)  # padding 2 + 1 border each
    if widths:
        wraps = any(
            "\n" in c or _lines_width(c) > w
            for row in cells
            for c, w in zip(row, widths, strict=True)
        )
        table = Table(
            title=Text(title) if title else None,
            title_justify="left",
            show_lines=wraps,
            box=box.HEAVY_HEAD,
        )
        for name, w in zip(header, widths, strict=True):
            table.add_column(Text(name), width=w, overflow="fold")
        for row in cells:
            table.add_row(*(Text(c) for c in row))
        return table
    # too many columns for the terminal: one block per row, like psql's expanded display
    label = max((len(h) for h in header), default=0)
    blocks: list = [Text(title, style="bold")] if title else []
    for number, row in enumerate(cells, start=1):
        blocks.append(Rule(Text(f"row {number} of {len(cells)}"), align="left", style="dim"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, width=label, style="bold")
        grid.add_column(overflow="fold")
        for name, value in zip(header, row, strict=True):
            grid.add_row(Text(name), Text(value))
        blocks.append(grid)
    return Group(*blocks)


def _display(term: Term | None) -> str:
    from ..core.iris import curie

    if term is None:
        return ""
    if term.type == "uri":
        return curie(term.value).strip("<>")
    return term.value


def print_table(
    result: QueryResult, title: str | None = None, console: Console | None = None
) -> None:
    """Print a table that fits the terminal, wrapping long text at spaces (see
    :func:`terminal_table`), then the number of rows."""
    from rich.console import Console
    from rich.text import Text

    console = console or Console()
    rows = [[_display(row.get(v)) for v in result.variables] for row in result.rows]
    console.print(terminal_table(result.variables, rows, console.width, title))
    console.print(Text(f"{len(result.rows)} row(s)"))


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
