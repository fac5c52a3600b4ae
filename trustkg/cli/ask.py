"""`trustkg query`: the question catalogue, on the embedded store or an endpoint."""

from __future__ import annotations

import json

import click

from .options import format_option, params_option_values, store_option


@click.group()
def query() -> None:
    """Ask the graph: the competency-question catalogue, locally or on an endpoint.

    \b
    Examples:
      trustkg query list
      trustkg query run cq04
    """


@query.command("list")
@format_option("table", "json", default="table")
def query_list(fmt: str) -> None:
    """List the catalogued questions with their parameters.

    \b
    Example:
      trustkg query list
    """
    from ..sparql.catalogue import catalogue

    queries = catalogue()
    if fmt == "json":
        out = [
            {
                "name": q.name,
                "short": q.short,
                "cq": q.cq,
                "title": q.title,
                "question": q.question,
                "params": [{"name": p.name, "default": p.default} for p in q.params],
                "expects": q.expects,
            }
            for q in queries
        ]
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="trustkg question catalogue", title_justify="left")
    for col in ("name", "cq", "title", "parameters (default)"):
        table.add_column(col, overflow="fold")
    for q in queries:
        params = ", ".join(f"{p.name}={p.default if p.default else '-'}" for p in q.params)
        table.add_row(q.name, q.cq, q.title, params)
    Console().print(table)


@query.command("run")
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="Bind a parameter.")
@format_option("table", "csv", "tsv", "json", "md", default="table")
@click.option(
    "--endpoint",
    envvar="TRUSTKG_ENDPOINT",
    show_envvar=True,
    help="A SPARQL 1.1 endpoint URL to query instead of the embedded store. Credentials come "
    "from $TRUSTKG_ENDPOINT_USER/$TRUSTKG_ENDPOINT_PASSWORD or ~/.netrc.",
)
@click.option("--timeout", default=60.0, show_default=True, help="Seconds to wait for an endpoint.")
@click.option(
    "--allow-remote", is_flag=True, help="Permit SERVICE and FROM <remote graph> (federation)."
)
@store_option
def query_run(name, params, fmt, endpoint, timeout, allow_remote, store) -> None:
    """Run a catalogued question (NAME or cqNN) or a .rq FILE.

    \b
    Examples:
      trustkg query run cq04
      trustkg query run cq03 --param asymmetry=AT-power --format csv > cq03.csv
      trustkg query run cq09 --endpoint http://localhost:7878/query --format json
    """
    from ..sparql.render import render
    from ..sparql.run import run_query

    result = run_query(
        name,
        params_option_values(params),
        store=store,
        endpoint=endpoint,
        allow_remote=allow_remote,
        timeout=timeout,
    )
    text = render(result, fmt)
    if text is not None:
        click.echo(text, nl=False)
