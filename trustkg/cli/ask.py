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

    from ..sparql.render import terminal_table

    # the short name is what `query run` takes (cq04 for CQ4); one parameter a line
    rows = [
        [
            q.short,
            q.title,
            "\n".join(f"{p.name}={p.default if p.default else '-'}" for p in q.params),
        ]
        for q in queries
    ]
    console = Console()
    header = ["name", "title", "parameters (default)"]
    console.print(terminal_table(header, rows, console.width, "trustkg question catalogue"))


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
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Seconds the query may run. Default: no limit on the store (Ctrl-C stops it), "
    "60 on an endpoint.",
)
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
        warn=lambda message: click.echo(f"trustkg: warning: {message}", err=True),
    )
    text = render(result, fmt)
    if text is not None:
        # color=True: click would strip escape sequences from a pipe, and data must stay whole
        click.echo(text, nl=False, color=True)
