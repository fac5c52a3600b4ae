"""The question catalogue as one HTML page, for ``trustkg docs`` and for ``trustkg serve``.

Both commands show the same page: each catalogued question with what it asks, its parameters,
what it returns on the seed data, how to run it and its SPARQL. When a server runs
(``trustkg serve``), each question also links to the server's query page with the SPARQL filled
in (YASGUI fills its editor from the page address, ``#query=…&endpoint=…``), and the page says
where the endpoint and the dataset description are. Every value goes through :func:`esc`.

>>> query_link("http://127.0.0.1:7878/", "http://127.0.0.1:7878/query", "SELECT * {}")
'http://127.0.0.1:7878/#query=SELECT%20%2A%20%7B%7D&endpoint=http%3A%2F%2F127.0.0.1%3A7878%2Fquery'
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from ..sparql.catalogue import CatalogueQuery
from ..sparql.params import bind
from .html import Link, esc, page, table


@dataclass(frozen=True)
class ServerLinks:
    """Where a running server answers: its query page, its endpoint, its description."""

    page: str  # the query page, http://HOST:PORT/
    endpoint: str  # the SPARQL endpoint, http://HOST:PORT/query
    description: str | None = None  # the description graph through the Graph Store Protocol
    description_query: str | None = None  # a query listing the named graphs it describes


def query_link(page_url: str, endpoint: str, text: str) -> str:
    """A link that opens the query page with ``text`` in the editor, aimed at ``endpoint``."""
    return f"{page_url}#query={quote(text, safe='')}&endpoint={quote(endpoint, safe='')}"


def catalogue_html(queries: list[CatalogueQuery], server: ServerLinks | None = None) -> str:
    """One page with every catalogued question; with ``server``, each opens in its query page."""
    toc = table(
        ["query", "answers", "title"],
        [(Link(q.short, f"#{q.name}"), q.cq, q.title) for q in queries],
    )
    if server is None:
        intro = (
            "<p>Every question below is a file in <code>queries/</code>; run one with "
            "<code>trustkg query run NAME</code> (or its <code>cqNN</code>), give a parameter "
            "with <code>--param NAME=VALUE</code>, or copy a file to start your own. "
            'The ontology they ask about is documented in <a href="ontology.html">'
            "ontology.html</a>.</p>"
        )
    else:
        intro = _served_intro(server)
    body = intro + "\n" + toc + "\n" + "\n".join(_section(q, server) for q in queries)
    lede = f"{len(queries)} SPARQL queries: the competency questions CQ1–CQ15 and reports."
    if server is not None:
        lede = f"{len(queries)} SPARQL queries, ready to run on {server.endpoint}."
    return page("trustkg question catalogue", body, lede=lede)


def _served_intro(server: ServerLinks) -> str:
    if server.description:
        described = (
            f'<p>The dataset description (DCAT/VoID): <a id="description" '
            f'href="{esc(server.description)}">download it</a>'
        )
        if server.description_query:
            link = query_link(server.page, server.endpoint, server.description_query)
            described += (
                f', or <a id="description-query" href="{esc(link)}">its named graphs and '
                "triple counts in the query page</a>"
            )
        described += ".</p>"
    else:
        described = "<p>This store has no dataset description: rebuild it with trustkg build.</p>"
    return (
        f"<p>SPARQL endpoint: <code>{esc(server.endpoint)}</code> (read-only) &middot; "
        f'<a href="{esc(server.page)}">empty query page</a></p>\n'
        "<p>Each question opens in the query page with its SPARQL filled in: press &#9654; to "
        "run it. Parameters are bound to their defaults in a <code>VALUES</code> block; change "
        "them in the editor. From Python or Jupyter: "
        f'<code>trustkg.query("cq04", endpoint="{esc(server.endpoint)}")</code>.</p>\n' + described
    )


def _section(q: CatalogueQuery, server: ServerLinks | None) -> str:
    if q.params:
        params = table(
            ["parameter", "default", "meaning"],
            [
                (p.name, p.default if p.default is not None else "(none)", p.description)
                for p in q.params
            ],
        )
    else:
        params = "<p>none</p>"
    answers = f"competency question {q.cq}" if q.cq.startswith("CQ") else "a report"
    run = f"trustkg query run {q.short}"
    opened = ""
    if server is not None:
        run += f" --endpoint {server.endpoint}"
        link = query_link(server.page, server.endpoint, bind(q, {}))
        opened = (
            f'<p><a class="question" id="{esc(q.short)}" href="{esc(link)}">'
            f"Open {esc(q.short)} in the query page</a> (parameters bound to their "
            "defaults).</p>\n"
        )
    return (
        f'<section id="{esc(q.name)}">\n<h2>{esc(q.short)}: {esc(q.title)}</h2>\n'
        + opened
        + '<dl class="meta">\n'
        f"<dt>Question</dt><dd>{esc(q.question)}</dd>\n"
        f"<dt>Answers</dt><dd>{esc(answers)}</dd>\n"
        f"<dt>Parameters</dt><dd>{params}</dd>\n"
        f"<dt>On the seed data</dt><dd>{esc(q.expects)}</dd>\n"
        f"<dt>Run it</dt><dd><code>{esc(run)}</code></dd>\n"
        f"<dt>File</dt><dd><code>queries/{esc(q.path.name)}</code></dd>\n"
        "</dl>\n"
        f'<pre><code class="language-sparql">{esc(q.text)}</code></pre>\n</section>'
    )
