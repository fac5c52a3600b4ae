"""The ``trustkg`` command line: a thin shell over the library.

Each command parses its options, calls one library function and renders the result. Libraries
are imported inside the commands so that ``trustkg --help`` answers at once. A user's mistake
becomes one line on stderr and exit code 2; exit code 1 is kept for "ran fine, but the answer is
no" (validation that does not conform, an inconsistent ontology).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__

EXIT_ERROR = 2
#: a bug in trustkg (sysexits' EX_SOFTWARE), told apart from the user's mistakes
EXIT_INTERNAL = 70


def store_option(func):
    """The same ``--store`` on every command that reads or writes the graph."""
    return click.option(
        "--store",
        "store",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        envvar="TRUSTKG_STORE",
        show_envvar=True,
        help="Store folder. Default: $XDG_DATA_HOME/trustkg/store (~/.local/share/trustkg/store).",
    )(func)


def format_option(*choices: str, default: str):
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    invoke_without_command=True,
)
@click.version_option(__version__, "--version", prog_name="trustkg")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """trustkg: the knowledge graph of trust between health and social care organisations.

    \b
    Start with:
      trustkg build                 build the graph from the bundled studies
      trustkg ontology info         what the ontology declares
      trustkg reason                check consistency and show inferred classes
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@cli.group()
def ontology() -> None:
    """Inspect the OWL ontology.

    \b
    Example:
      trustkg ontology info --format json
    """


@ontology.command("info")
@format_option("text", "json", default="text")
def ontology_info_cmd(fmt: str) -> None:
    """Print the ontology IRI, version and counts of classes and properties.

    \b
    Example:
      trustkg ontology info
    """
    from .ontology import ontology_info

    info = ontology_info()
    if fmt == "json":
        click.echo(json.dumps(info.as_dict(), indent=2))
        return
    for key, value in info.as_dict().items():
        click.echo(f"{key.replace('_', ' '):22} {value}")


@cli.command()
@click.option(
    "--study",
    "studies",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Another study folder written in trustkg's tables, or a folder of such folders "
    "(repeatable).",
)
@click.option("--no-bundled", is_flag=True, help="Leave out the bundled seed studies.")
@click.option(
    "--out",
    "outputs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the whole graph to FILE; the extension names the format "
    "(.ttl .nt .nq .trig .jsonld .owl .rdf). Repeatable.",
)
@store_option
def build(studies: tuple[Path, ...], no_bundled: bool, outputs: tuple[Path, ...], store) -> None:
    """Build the graph from the study tables into the store.

    Reads and checks every table first; a mistake is reported with its file, line and column,
    and the previous store is left as it was.

    \b
    Examples:
      trustkg build
      trustkg build --study my-study/ --out graph.ttl
    """
    from rich.console import Console
    from rich.table import Table

    from .build import build as do_build
    from .build import summary_rows

    summary = do_build(studies, include_bundled=not no_bundled, store=store, outputs=outputs)
    table = Table(title=f"trustkg graph: {summary.triples} triples", title_justify="left")
    table.add_column("class")
    table.add_column("instances", justify="right")
    for name, count in summary_rows(summary):
        table.add_row(name, str(count))
    console = Console()
    console.print(table)
    console.print(f"studies: {', '.join(summary.studies)}")
    console.print(f"store:   {summary.store}")
    if summary.description:
        console.print(f"described (DCAT/VoID): {summary.description}")
    for path in summary.outputs:
        console.print(f"wrote:   {path}")


@cli.command()
@click.option("--timeout", default=300, show_default=True, help="Seconds to give the reasoner.")
@format_option("text", "json", default="text")
@store_option
def reason(timeout: int, fmt: str, store) -> None:
    """Run the HermiT reasoner: consistency, and members of the defined classes.

    Reasons over the ontology and the built store's individuals (without the store when none is
    built yet). Exits 1 when the graph is inconsistent.

    \b
    Example:
      trustkg reason --format json
    """
    from .reason import reason as do_reason

    result = do_reason(store=store, timeout=timeout)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), indent=2))
    else:
        click.echo(f"consistent: {'yes' if result.consistent else 'NO'}")
        click.echo(f"individuals reasoned over: {result.individuals}")
        for cls, members in result.inferred.items():
            click.echo(f"{cls} ({len(members)}):")
            for m in members:
                click.echo(f"  {m}")
    if not result.consistent:
        sys.exit(1)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--input-format",
    help="RDF format of FILES when the extension does not tell (turtle, n-triples, n-quads, "
    "trig, json-ld, rdf-xml).",
)
@format_option("text", "json", "turtle", default="text")
@click.option(
    "--shapes",
    "shapes",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Extra SHACL shapes file (repeatable); with --replace-shapes, instead of the bundled.",
)
@click.option("--replace-shapes", is_flag=True, help="Use only the --shapes files for the data.")
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="fast: SPARQL constraints run on Oxigraph; pyshacl: everything in pySHACL.",
)
@store_option
def validate(files, input_format, fmt, shapes, replace_shapes, engine, store) -> None:
    """Validate the graph with the SHACL shapes; explain every problem.

    With no FILE, validates the built store; with FILEs (any RDF format), validates them together
    with the ontology. The ontology's own shapes always run too. Exit code: 0 conforms (no
    violation; warnings and notes allowed), 1 does not conform, 2 error.

    \b
    Examples:
      trustkg validate
      trustkg validate my-study.ttl --format json
    """
    from .validate import render_text
    from .validate import validate as do_validate

    report = do_validate(
        files,
        store=store,
        shapes=shapes,
        replace_shapes=replace_shapes,
        input_format=input_format,
        engine=engine,
    )
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    elif fmt == "turtle":
        click.echo(report.report_turtle)
    else:
        click.echo(render_text(report))
    if not report.conforms:
        sys.exit(1)


@cli.group()
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
    from .catalogue import catalogue

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


def _params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{item!r}: write KEY=VALUE", param_hint="--param")
        out[key.strip()] = value
    return out


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
    from .render import render
    from .sparql import run_query

    result = run_query(
        name,
        _params(params),
        store=store,
        endpoint=endpoint,
        allow_remote=allow_remote,
        timeout=timeout,
    )
    text = render(result, fmt)
    if text is not None:
        click.echo(text, nl=False)


@cli.command()
@click.option(
    "--studies",
    "n_studies",
    type=click.IntRange(min=1),
    required=True,
    help="How many studies to write.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the study folders into (synth0001, synth0002, ...).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="The same seed writes the same files."
)
@click.option("--force", is_flag=True, help="Write into a folder that is not empty.")
def synth(n_studies: int, out: Path, seed: int, force: bool) -> None:
    """Write synthetic studies in trustkg's tables, to test trustkg at scale.

    The studies are made up (titles and rationales say so) but shaped like the seed study:
    three care networks, organisations of every sector, participants, quotations, themes,
    factors, strategies and curated links. Each builds to about 4,000 triples, so 250 studies
    make about a million.

    \b
    Example:
      trustkg synth --studies 250 --out synth/ --seed 1
      trustkg build --no-bundled $(printf -- '--study %s ' synth/synth*)
    """
    import shlex

    from .synth import synthesize

    if out.is_dir() and any(out.iterdir()) and not force:
        raise click.UsageError(f"{out} is not empty: choose another --out, or add --force")
    paths = synthesize(n_studies, out, seed)
    noun = "study" if len(paths) == 1 else "studies"
    click.echo(f"wrote {len(paths)} synthetic {noun} ({paths[0].name}-{paths[-1].name}) to {out}")
    click.echo("build them with:")
    click.echo(
        f"  trustkg build --no-bundled $(printf -- '--study %s ' {shlex.quote(str(out))}/synth*)"
    )


@cli.group("import")
def import_group() -> None:
    """Bring another study in: a project coded in a QDA tool (REFI-QDA).

    \b
    Example:
      trustkg import refi-qda interviews.qdpx --study carestudy --build
    """


@import_group.command("refi-qda")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--study", "study_id", required=True, help="Id of the new study (e.g. carestudy).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the study's tables into. Default: ./STUDY",
)
@click.option("--force", is_flag=True, help="Replace the tables of a folder that is not empty.")
@click.option(
    "--build",
    "do_build",
    is_flag=True,
    help="Also build it into the store beside the bundled studies.",
)
@store_option
def import_refi_qda(file: Path, study_id: str, out, force: bool, do_build: bool, store) -> None:
    """Import a REFI-QDA codebook (.qdc) or project (.qdpx, .qde) as a study.

    Writes the study in trustkg's source tables (codes, sources, segments, codings, cases,
    notes, sets; every row keeps its REFI-QDA GUID and file) so you can edit it; --build then
    builds it into the store with the bundled studies. Map its codes with `trustkg link`.

    \b
    Examples:
      trustkg import refi-qda codebook.qdc --study mycodes
      trustkg import refi-qda interviews.qdpx --study carestudy --out studies/carestudy --build
    """
    from .refiqda import read
    from .refiqda_tables import write_study

    project = read(file)
    folder = write_study(project, study_id, out or Path(study_id), force=force)
    click.echo(
        f"imported {file.name}: {len(project.codes)} codes, {len(project.sources)} sources, "
        f"{len(project.selections)} coded segments, {len(project.users)} users, "
        f"{len(project.cases)} cases, {len(project.notes)} notes, {len(project.sets)} sets"
    )
    click.echo(f"wrote study {study_id!r} to {folder}")
    if do_build:
        from .build import build as do_build_store

        summary = do_build_store([folder], store=store)
        click.echo(f"built {summary.triples} triples into {summary.store}")


@cli.command()
@click.argument("mapping", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--study",
    "study_folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The study folder whose codes the mappings start from (e.g. from trustkg import).",
)
@click.option(
    "--build", "do_build", is_flag=True, help="Also rebuild the store with the bundled studies."
)
@store_option
def link(mapping: Path, study_folder: Path, do_build: bool, store) -> None:
    """Load SSSOM mappings from a study's codes to trust concepts.

    Maps codes (skos:exactMatch, closeMatch, broadMatch, narrowMatch, relatedMatch) to
    asymmetry types, factors, themes or subthemes of any loaded study, keeping each mapping's
    justification, confidence, author and comment. The mappings are kept in the study's
    mappings.csv, so every rebuild loads them again; CQ13 then counts the coded segments of
    mapped codes per asymmetry type.

    \b
    Example:
      trustkg link codes-to-li2018.sssom.tsv --study carestudy --build
      trustkg query run cq13
    """
    from .sssom import link as do_link

    n, table = do_link(mapping, study_folder)
    click.echo(f"linked {n} mappings from {mapping.name} into {table}")
    if do_build:
        from .build import build as do_build_store

        summary = do_build_store([study_folder], store=store)
        click.echo(f"built {summary.triples} triples into {summary.store}")


@cli.command("export-mappings")
@click.option(
    "--study",
    "studies",
    multiple=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Also export this study folder's curated alignments and mappings (repeatable).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=Path("-"),
    show_default=True,
    help="SSSOM TSV file to write; - for standard output.",
)
def export_mappings(studies: tuple[Path, ...], out: Path) -> None:
    """Write trustkg's curated alignments as an SSSOM mapping set.

    Exports each subtheme's trust factors and each theme's asymmetry types (skos:relatedMatch,
    semapv:ManualMappingCuration, with the curator's rationale as comment) of the bundled
    studies, plus the SSSOM mappings of any --study.

    \b
    Example:
      trustkg export-mappings --out trustkg.sssom.tsv
    """
    from .build import expand_study_folders, read_studies
    from .resources import bundled_studies
    from .sssom import export

    tables = read_studies(list(bundled_studies()) + expand_study_folders(studies))
    if str(out) == "-":
        export(tables, sys.stdout)
        return
    with open(out, "w", encoding="utf-8", newline="") as fh:
        n = export(tables, fh)
    click.echo(f"wrote {n} mappings to {out}")


_OUT_HELP = (
    "Folder to write the pages into; made if missing. Files of the same names are replaced "
    "once everything is written; other files are left alone."
)


@cli.command()
@click.option(
    "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help=_OUT_HELP
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
    from .docs import write_docs

    for path in write_docs(out):
        click.echo(f"wrote {path}")


@cli.command()
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
@store_option
def serve(port: int, bind: str, open_page: bool, store) -> None:
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

    from .serve import running

    def stop(signum, frame):  # a plain kill stops the server too, not only Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    if bind not in ("127.0.0.1", "::1", "localhost"):
        click.echo(
            f"trustkg: warning: serving on {bind}: every machine that reaches it can read the "
            "graph (the endpoint has no login)",
            err=True,
        )
    with running(store, port=port, bind=bind) as served:
        click.echo(f"trustkg serves {served.store} read-only; Ctrl-C stops it.")
        click.echo(f"  SPARQL endpoint:     {served.endpoint}")
        click.echo(f"  query page:          {served.page}")
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


@cli.command()
@click.option(
    "--out", required=True, type=click.Path(file_okay=False, path_type=Path), help=_OUT_HELP
)
@click.option(
    "--study", default="li2018", show_default=True, help="The study whose evidence is shown."
)
@store_option
def report(out: Path, study: str, store) -> None:
    """Write an HTML report of the evidence in the built store, with figures.

    Every figure is computed by queries of the catalogue, named in its caption: an evidence
    matrix (theme x sector, CQ15), factor coverage (CQ1, CQ2), the care networks, and a theory
    map (CQ10, CQ7). The figures are embedded, so index.html opens offline, and are also
    written as SVG files.

    \b
    Example:
      trustkg build && trustkg report --out report/
    """
    from .report import write_report

    for path in write_report(out, store=store, study=study):
        click.echo(f"wrote {path}")


@cli.command()
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
    "--update",
    metavar="URL",
    help="SPARQL Update address. Default: /update beside an endpoint ending in /query "
    "(Oxigraph), else the endpoint itself.",
)
@click.option(
    "--gsp",
    metavar="URL",
    help="Graph Store Protocol address. Default: /store beside an endpoint ending in /query "
    "(Oxigraph); without one, graphs are uploaded with SPARQL Update.",
)
@click.option("--no-gsp", is_flag=True, help="Upload with SPARQL Update INSERT DATA only.")
@click.option(
    "--timeout", default=60.0, show_default=True, help="Seconds to wait for each request."
)
@store_option
def publish(endpoint, base, update, gsp, no_gsp, timeout, store) -> None:
    """Publish the built graph to a SPARQL 1.1 server, one named graph per study.

    Uploads every graph (each study, the ontology, the nodes studies share, and the DCAT/VoID
    description, which records the endpoint) to a staging graph, then moves them all into place
    in one SPARQL Update request: readers see the old graphs or the new ones, and a failed
    publish leaves the old ones intact.

    \b
    Examples:
      trustkg publish --endpoint http://localhost:7878/query
      trustkg publish --endpoint http://localhost:3030/ds/query \\
          --update http://localhost:3030/ds/update --gsp http://localhost:3030/ds/data
      trustkg query run cq04 --endpoint http://localhost:7878/query
    """
    from .publish import publish as do_publish

    summary = do_publish(
        endpoint,
        store=store,
        base=base,
        update=update,
        gsp=gsp,
        use_gsp=not no_gsp,
        timeout=timeout,
        progress=click.echo,
    )
    total = sum(n for _, n in summary.graphs)
    click.echo(
        f"published {len(summary.graphs)} graphs ({total:,} triples) to {summary.endpoint} "
        f"in {summary.seconds:.1f} s"
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning user mistakes into one line on stderr."""
    from .errors import TrustkgError

    try:
        cli.main(args=argv, prog_name="trustkg", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("trustkg: aborted", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as exc:
        click.echo(f"trustkg: error: {' '.join(exc.format_message().split())}", err=True)
        sys.exit(EXIT_ERROR)
    except TrustkgError as exc:
        click.echo(f"trustkg: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        click.echo("trustkg: interrupted", err=True)
        sys.exit(130)
    except MemoryError:
        click.echo(
            "trustkg: error: out of memory; try a smaller input or a shared server", err=True
        )
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # a bug in trustkg, not the user's mistake: still one line
        if os.environ.get("TRUSTKG_DEBUG"):
            raise
        detail = " ".join(str(exc).split())[:300]
        click.echo(
            f"trustkg: internal error: {type(exc).__name__}: {detail} "
            "(a bug in trustkg: please report it; TRUSTKG_DEBUG=1 shows the traceback)",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
