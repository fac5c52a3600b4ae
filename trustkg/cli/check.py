"""Commands that check the graph: SHACL validation and OWL reasoning."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .options import format_option, store_option


@click.command()
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
    from ..check.reason import reason as do_reason

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


@click.command()
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
    from ..check.validate import render_text
    from ..check.validate import validate as do_validate

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
