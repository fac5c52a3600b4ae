"""The plain HTML that trustkg's pages share: one self-contained file each, no scripts.

Pages must open offline and from a file system, be mailed or archived as they are, and show
text from the data (quotations, labels, rationales) as text: every value goes through
:func:`esc`, so a quotation holding ``<``, ``&`` or quotes cannot become markup.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ..core.version import __version__

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 72rem; padding: 1rem 2rem 3rem; line-height: 1.45; color: #1b1b1b; }
h1 { font-size: 1.8rem; margin-bottom: .2rem; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.lede { color: #555; margin-top: 0; }
figure { margin: 1.5rem 0; padding: 1rem; border: 1px solid #e3e3e3; border-radius: 6px; }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { margin-top: .8rem; font-size: .95rem; color: #333; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: .9em; }
pre { background: #f6f8fa; padding: .8rem; overflow-x: auto; border-radius: 4px; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; }
details { margin-top: .6rem; }
summary { cursor: pointer; color: #0b57d0; }
nav ul { columns: 2; }
dl.meta dt { font-weight: 600; margin-top: .4rem; }
dl.meta dd { margin-left: 1.2rem; }
footer { margin-top: 3rem; color: #666; font-size: .85rem; }
"""


def esc(value: object) -> str:
    """Any value as HTML text (quotes included, so it is safe inside attributes too)."""
    return html.escape("" if value is None else str(value), quote=True)


def page(title: str, body: str, *, lede: str = "") -> str:
    """A complete HTML5 page around ``body`` (already HTML), with trustkg's style inline."""
    lede_html = f'<p class="lede">{esc(lede)}</p>\n' if lede else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="trustkg {esc(__version__)}">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{esc(title)}</h1>\n{lede_html}{body}\n"
        f"<footer>Written by trustkg {esc(__version__)}.</footer>\n</body>\n</html>\n"
    )


class Link(NamedTuple):
    """A table cell that links somewhere: both its text and its address are escaped."""

    text: str
    href: str


def table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """An HTML table of plain values (or :class:`Link`); numbers are right-aligned.

    >>> table(["v"], [["<b>"], [Link("a&b", "#x")]]).splitlines()[2:4]
    ['<tr><td>&lt;b&gt;</td></tr>', '<tr><td><a href="#x">a&amp;b</a></td></tr>']
    """
    out = ["<table>", "<tr>" + "".join(f"<th>{esc(h)}</th>" for h in header) + "</tr>"]
    for row in rows:
        cells = []
        for value in row:
            cls = ' class="num"' if isinstance(value, int | float) else ""
            if isinstance(value, Link):
                cells.append(f'<td><a href="{esc(value.href)}">{esc(value.text)}</a></td>')
            else:
                cells.append(f"<td{cls}>{esc(value)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)
