"""Commands that share the graph: pages (docs, report), a local endpoint, a remote server."""

from __future__ import annotations

from pathlib import Path

import click

from .options import OUT_HELP, folder_study_id, store_option


@click.command()
@click.option(
    "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help=OUT_HELP
)
def docs(out: Path) -> None:
    """Write HTML documentation of the ontology and the question catalogue.

    ontology.html is pyLODE's page of every class and property with its definition,
    alignments and the ontology's metadata; queries.html shows each catalogued question, its
    parameters and its SPARQL; index.html links them and lists the ontology's individuals.

    \b
    Example:
      trustkg docs --out site/
    """
    from ..pages.docs import write_docs

    for path in write_docs(out):
        click.echo(f"wrote {path}")


@click.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=7878,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--bind",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. The endpoint has no login: anything but loopback lets every "
    "machine that reaches this one read the graph.",
)
@click.option("--open", "open_page", is_flag=True, help="Open the question catalogue in a browser.")
@click.option(
    "--timeout",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="Seconds a query may run before the server cancels it (0: no limit). Without a "
    "limit, one heavy query per core stalls every other reader.",
)
@store_option
def serve(port: int, bind: str, open_page: bool, timeout: int, store) -> None:
    """Serve the store read-only as a SPARQL 1.1 endpoint, with a query page.

    Runs Oxigraph's own server over the store folder until Ctrl-C: the SPARQL endpoint at
    /query, the query page (YASGUI) at /, and the dataset description through the Graph Store
    Protocol. It prints a page of links that open each catalogued question (CQ1-CQ15 and the
    reports) in the query page, ready to run. Restart it after a build to serve the new graph.

    \b
    Examples:
      trustkg serve
      trustkg serve --port 8000 --open
      trustkg query run cq04 --endpoint http://127.0.0.1:7878/query
    """
    import signal

    from ..publish.serve import running

    def stop(signum, frame):  # a plain kill stops the server too, not only Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    if bind not in ("127.0.0.1", "::1", "localhost"):
        click.echo(
            f"trustkg: warning: serving on {bind}: every machine that reaches it can read the "
            "graph (the endpoint has no login)",
            err=True,
        )
    with running(store, port=port, bind=bind, timeout=timeout or None) as served:
        click.echo(f"trustkg serves {served.store} read-only; Ctrl-C stops it.")
        click.echo(f"  SPARQL endpoint:     {served.endpoint}")
        click.echo(f"  query page:          {served.page}")
        limit = f"{timeout} s a query" if timeout else "none (--timeout 0)"
        click.echo(f"  time limit:          {limit}")
        click.echo(f"  question catalogue:  {served.catalogue.as_uri()}")
        if served.description:
            click.echo(f"  dataset description: {served.description}")
        click.echo(f'  from Python:         trustkg.query("cq04", endpoint="{served.endpoint}")')
        if open_page:
            import webbrowser

            webbrowser.open(served.catalogue.as_uri())
        try:
            code = served.process.wait()
        except KeyboardInterrupt:
            click.echo("trustkg: stopped the server")
            return
    raise click.ClickException(f"the SPARQL server stopped unexpectedly (exit code {code})")


@click.command()
@click.option(
    "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help=OUT_HELP
)
@click.option(
    "--study",
    default="li2018",
    show_default=True,
    metavar="ID|DIR",
    help="The study whose evidence is shown: its id, or its folder (as in build, import and "
    "link). Any study the store holds.",
)
@store_option
def report(out: Path, study: str, store) -> None:
    """Write an HTML report of a study's evidence in the built store, with figures.

    Every figure is computed by queries of the catalogue, named in its caption: an evidence
    matrix (theme x sector, CQ15), factor coverage (CQ1, CQ2), the care networks, a theory map
    (CQ10, CQ7) and the evidence per asymmetry type (CQ13). A figure the study has no data for
    says so. The figures are embedded, so index.html opens offline, and are also written as SVG
    files.

    \b
    Examples:
      trustkg build && trustkg report --out report/
      trustkg report --out report-care/ --study carestudy
    """
    from ..pages.report import write_report

    study = folder_study_id(Path(study)) or study  # a folder names the study it holds
    for path in write_report(out, store=store, study=study):
        click.echo(f"wrote {path}")


@click.command()
@click.option(
    "--endpoint",
    required=True,
    envvar="TRUSTKG_ENDPOINT",
    show_envvar=True,
    help="The server's SPARQL query endpoint, the one `trustkg query run --endpoint` uses. "
    "Credentials come from $TRUSTKG_ENDPOINT_USER/$TRUSTKG_ENDPOINT_PASSWORD or ~/.netrc.",
)
@click.option(
    "--graph",
    "base",
    metavar="IRI",
    default=None,
    help="Base of the graph names: study S goes to <IRI>S/graph, the ontology to "
    "<IRI>ontology/graph. Default: https://w3id.org/trustkg/data/",
)
@click.option(
    "--server",
    "kind",
    type=click.Choice(["auto", "oxigraph", "virtuoso", "other"]),
    default="auto",
    show_default=True,
    help="Kind of server, which decides the usual addresses and how graphs are switched; "
    "auto reads it from the server's answer (its Server header).",
)
@click.option(
    "--update",
    metavar="URL",
    help="SPARQL Update address. Default: /update beside an endpoint ending in /query "
    "(Oxigraph); /sparql-auth with credentials, else /sparql (Virtuoso); else the endpoint.",
)
@click.option(
    "--gsp",
    metavar="URL",
    help="Graph Store Protocol address. Default: /store beside an endpoint ending in /query "
    "(Oxigraph); /sparql-graph-crud-auth with credentials, else /sparql-graph-crud "
    "(Virtuoso); elsewhere none, and graphs are uploaded with SPARQL Update.",
)
@click.option("--no-gsp", is_flag=True, help="Upload with SPARQL Update only.")
@click.option(
    "--timeout", default=60.0, show_default=True, help="Seconds to wait for each request."
)
@store_option
def publish(endpoint, base, kind, update, gsp, no_gsp, timeout, store) -> None:
    """Publish the built graph to a SPARQL 1.1 server, one named graph per study.

    Uploads every graph (each study, the ontology, the nodes studies share, and the DCAT/VoID
    description, which records the endpoint) to a staging graph, then moves them into place
    with SPARQL Update: a failed upload leaves the published graphs intact. On Oxigraph,
    Fuseki and GraphDB the switch is atomic; Virtuoso moves graph by graph, each visible while
    it moves (see docs/servers.md).

    \b
    Examples:
      trustkg publish --endpoint http://localhost:7878/query
      trustkg publish --endpoint http://localhost:3030/ds/query \\
          --update http://localhost:3030/ds/update --gsp http://localhost:3030/ds/data
      trustkg publish --endpoint http://localhost:8890/sparql  # Virtuoso, login in ~/.netrc
      trustkg query run cq04 --endpoint http://localhost:7878/query
    """
    from ..publish.publish import publish as do_publish

    summary = do_publish(
        endpoint,
        store=store,
        base=base,
        update=update,
        gsp=gsp,
        use_gsp=not no_gsp,
        kind=kind,
        timeout=timeout,
        progress=click.echo,
    )
    total = sum(n for _, n in summary.graphs)
    click.echo(
        f"published {len(summary.graphs)} graphs ({total:,} triples) to {summary.endpoint} "
        f"in {summary.seconds:.1f} s"
    )
